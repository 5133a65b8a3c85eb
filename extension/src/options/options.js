// Options: daemon port, enabled sites, custom consoles (generic adapter selectors), refused messages.
// Values IT set through managed storage are shown read-only.

import { getLocal, loadConfig, setLocal } from "../background/config.js";

const $ = (id) => document.getElementById(id);
const FIELDS = ["list", "message", "customer", "agent", "text", "id_attribute", "ignore"];

function validSelector(selector) {
  if (!selector) return true;
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

/** Checks a generic console config; returns a list of plain-words problems. */
export function problemsOf(config) {
  const problems = [];
  try {
    const url = new URL(config.origin);
    if (url.origin !== config.origin) problems.push("Site must be just the origin, e.g. https://support.example.com");
  } catch {
    problems.push("Site must be an origin such as https://support.example.com");
  }
  if (!config.message) problems.push("Message selector is required.");
  for (const field of ["list", "message", "customer", "agent", "text", "ignore"]) {
    if (!validSelector(config[field])) problems.push(`${field}: "${config[field]}" is not a valid CSS selector.`);
  }
  if (!config.customer && !config.agent) problems.push("Set at least one of customer or agent.");
  if (config.conversationId?.pattern) {
    try {
      new RegExp(config.conversationId.pattern);
    } catch {
      problems.push("The conversation id pattern is not a valid regular expression.");
    }
  }
  return problems;
}

async function render() {
  const config = await loadConfig(); // the agent's values with IT's managed ones on top
  $("port").value = config.port;
  $("port").disabled = config.portManaged;
  $("save-port").disabled = config.portManaged;
  $("port-note").textContent = config.portManaged ? "Set by your IT department." : "";

  $("sites").replaceChildren(
    ...(config.sites.length ? config.sites : [null]).map((site) => {
      const item = document.createElement("li");
      item.textContent = site ? `${site}${config.managedSites.includes(site) ? " (set by IT)" : ""}` : "None yet.";
      return item;
    }),
  );

  $("generic").replaceChildren(
    ...Object.values(config.generic).map((entry) => {
      const managed = config.managedGeneric.includes(entry.origin);
      const box = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = `${entry.origin}${managed ? " (set by IT)" : ""}`;
      const list = document.createElement("dl");
      for (const field of FIELDS) {
        if (!entry[field]) continue;
        const term = document.createElement("dt");
        term.textContent = field;
        const value = document.createElement("dd");
        value.textContent = entry[field];
        list.append(term, value);
      }
      box.append(legend, list);
      if (!managed) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "Remove";
        remove.addEventListener("click", async () => {
          const stored = await getLocal("generic");
          delete stored[entry.origin];
          await setLocal({ generic: stored });
          await render();
        });
        box.append(remove);
      }
      return box;
    }),
  );

  const rejected = (await getLocal("rejected")) ?? [];
  $("rejected-summary").textContent = rejected.length
    ? `${rejected.length} messages were refused; the last reason: ${rejected.at(-1).reason}`
    : "None.";
  $("clear-rejected").hidden = rejected.length === 0;
}

$("save-port").addEventListener("click", async () => {
  const port = Number($("port").value);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    $("port-note").textContent = "The port must be a whole number from 1024 to 65535.";
    return;
  }
  await setLocal({ port });
  $("port-note").textContent = `Saved: Moodline is reached on port ${port}.`;
});

$("generic-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const config = { origin: String(form.get("origin")).trim().replace(/\/+$/, "") };
  for (const field of FIELDS) config[field] = String(form.get(field) ?? "").trim() || null;
  const pattern = String(form.get("pattern") ?? "").trim();
  config.conversationId = pattern ? { from: "url", pattern } : { from: "url" };
  const problems = problemsOf(config);
  $("generic-note").className = problems.length ? "error" : "";
  if (problems.length) {
    $("generic-note").textContent = problems.join(" ");
    return;
  }
  const generic = await getLocal("generic");
  generic[config.origin] = config;
  await setLocal({ generic });
  $("generic-note").textContent = "Saved. Enable the site from the popup if it is not enabled yet.";
  event.target.reset();
  await render();
});

$("clear-rejected").addEventListener("click", async () => {
  await setLocal({ rejected: [] });
  await render();
});

render();
