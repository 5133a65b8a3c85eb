// Options: daemon port, enabled sites, custom consoles (generic adapter selectors), refused messages.
// Values IT set through managed storage are shown read-only.

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
  const local = await chrome.storage.local.get(["port", "sites", "generic", "rejected"]);
  let managed = {};
  try {
    managed = await chrome.storage.managed.get(null);
  } catch {
    managed = {};
  }
  const port = Number.isInteger(managed.daemonPort) ? managed.daemonPort : (local.port ?? 47615);
  $("port").value = port;
  $("port").disabled = Number.isInteger(managed.daemonPort);
  $("save-port").disabled = $("port").disabled;
  $("port-note").textContent = $("port").disabled ? "Set by your IT department." : "";

  const managedSites = managed.enabledSites ?? [];
  const sites = [...new Set([...managedSites, ...(local.sites ?? [])])];
  $("sites").replaceChildren(
    ...(sites.length ? sites : [null]).map((site) => {
      const item = document.createElement("li");
      item.textContent = site ? `${site}${managedSites.includes(site) ? " (set by IT)" : ""}` : "None yet.";
      return item;
    }),
  );

  const generic = { ...(local.generic ?? {}) };
  for (const entry of managed.genericAdapters ?? []) generic[entry.origin] = { ...entry, managed: true };
  $("generic").replaceChildren(
    ...Object.values(generic).map((config) => {
      const box = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = `${config.origin}${config.managed ? " (set by IT)" : ""}`;
      const list = document.createElement("dl");
      for (const field of FIELDS) {
        if (!config[field]) continue;
        const term = document.createElement("dt");
        term.textContent = field;
        const value = document.createElement("dd");
        value.textContent = config[field];
        list.append(term, value);
      }
      box.append(legend, list);
      if (!config.managed) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "Remove";
        remove.addEventListener("click", async () => {
          const { generic: stored = {} } = await chrome.storage.local.get("generic");
          delete stored[config.origin];
          await chrome.storage.local.set({ generic: stored });
          await render();
        });
        box.append(remove);
      }
      return box;
    }),
  );

  const rejected = local.rejected ?? [];
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
  await chrome.storage.local.set({ port });
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
  const { generic = {} } = await chrome.storage.local.get("generic");
  generic[config.origin] = config;
  await chrome.storage.local.set({ generic });
  $("generic-note").textContent = "Saved. Enable the site from the popup if it is not enabled yet.";
  event.target.reset();
  await render();
});

$("clear-rejected").addEventListener("click", async () => {
  await chrome.storage.local.set({ rejected: [] });
  await render();
});

render();
