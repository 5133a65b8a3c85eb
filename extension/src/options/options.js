// Options: daemon port, enabled sites, custom consoles (generic adapter selectors), refused messages.
// Values IT set through managed storage are shown read-only.

import { getLocal, loadConfig, setLocal } from "../background/config.js";
import { problemsOf, TEXT_ROLE_FIELDS, TEXT_ROLE_KEYS } from "./validate.js";

const $ = (id) => document.getElementById(id);
const FIELDS = ["list", "message", "customer", "agent", "text", "id_attribute", "ignore"];

function validSelector(selector) {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

/** "td.who contains “Client”": a role written as text, in words. */
function describeTextRule(rule) {
  const where = `${rule.selector ?? "the message"}${rule.attribute ? ` (${rule.attribute})` : ""}`;
  return rule.pattern ? `${where} matches /${rule.pattern}/` : `${where} contains “${rule.contains}”`;
}

/** A role written as text from the form's four fields, or null when none is filled in. */
function textRuleFromForm(form, field) {
  const rule = {};
  for (const key of TEXT_ROLE_KEYS) {
    const value = String(form.get(`${field}_${key}`) ?? "").trim();
    if (value) rule[key] = value;
  }
  return Object.keys(rule).length ? rule : null;
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
      for (const field of [...FIELDS, ...TEXT_ROLE_FIELDS]) {
        if (!entry[field]) continue;
        const term = document.createElement("dt");
        term.textContent = field;
        const value = document.createElement("dd");
        value.textContent = typeof entry[field] === "object" ? describeTextRule(entry[field]) : entry[field];
        list.append(term, value);
      }
      if (entry.id_verified === true && entry.id_attribute) {
        const term = document.createElement("dt");
        term.textContent = "id_verified";
        const value = document.createElement("dd");
        value.textContent = "yes: each message's id_attribute was checked unique (an edited message is updated)";
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
  for (const field of TEXT_ROLE_FIELDS) {
    const rule = textRuleFromForm(form, field);
    if (rule) config[field] = rule;
  }
  const pattern = String(form.get("pattern") ?? "").trim();
  config.conversationId = pattern ? { from: "url", pattern } : { from: "url" };
  const problems = problemsOf(config, validSelector);
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
