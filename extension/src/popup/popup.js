// The popup: daemon state, pairing, this site (enable, attribution, reading problems and their
// fix, role swap) and the pause switch.

import { LEVELS, STATES } from "../shared/levels.js";

const MSG = globalThis.MOODLINE_MSG;
const $ = (id) => document.getElementById(id);
const ask = (type, body = {}) => chrome.runtime.sendMessage({ type, ...body });

const PAIR_ERRORS = {
  invalid_code: "That code is not right. Check it and try again.",
  expired: "That code has expired. Show a new one in Moodline.",
  no_code: "No code is active (or it was used up). Show a new one in Moodline.",
  locked: "Too many wrong codes: pairing is locked for a few minutes.",
  down: "The Moodline daemon is not running on this computer.",
  incompatible: "Something else answers on Moodline's port. Check the port in Options.",
  empty: "Type the code shown by Moodline.",
};

let tab = null;

function showDaemon(status) {
  const view = STATES[status.daemon.state] ?? STATES.down;
  const words = {
    ready: `Connected to Moodline on port ${status.daemon.port}.`,
    starting: "The Moodline daemon is starting…",
    down: `Moodline daemon not running on port ${status.daemon.port}: messages wait here and are sent when it is back.`,
    paused: "Scoring is paused in Moodline.",
    unpaired: "Not paired with Moodline yet.",
  }[status.daemon.state];
  const glyph = document.createElement("span");
  glyph.className = "glyph";
  glyph.textContent = status.daemon.state === "ready" ? LEVELS.neutral.glyph : view.glyph;
  glyph.style.background = view.colour;
  glyph.style.color = view.text;
  glyph.setAttribute("aria-hidden", "true");
  $("daemon").replaceChildren(glyph, document.createTextNode(words ?? status.daemon.detail));
  $("pairing").hidden = status.paired && status.daemon.state !== "unpaired";
}

async function showPage(status) {
  const site = status.site;
  $("site").hidden = !site;
  if (!site) return;
  $("site-origin").textContent = site.origin;
  $("enable").hidden = site.enabled && site.permitted;
  $("disable").hidden = !site.enabled || site.managed;
  $("attribution").hidden = true;
  // Reading looks broken here (src/shared/reading-health.js): say so, with the fix.
  $("reading").hidden = !(site.enabled && site.reading);
  $("reading-text").textContent = site.reading?.text ?? "";
  if (!site.enabled) {
    $("site-state").textContent = "Moodline does not read this site.";
    return;
  }
  if (!site.permitted) {
    $("site-state").textContent = site.managed
      ? "Your IT enabled this site: allow Chrome to let Moodline read it."
      : "Allow Chrome to let Moodline read this site.";
    return;
  }
  let page = null;
  try {
    page = await chrome.tabs.sendMessage(tab.id, { type: MSG.PAGE_STATE });
  } catch {
    page = null;
  }
  if (!page) {
    $("site-state").textContent = "Enabled. Reload the page if the chat is not read.";
    return;
  }
  $("attribution").hidden = false;
  if (!page.adapter) {
    $("site-state").textContent = "Enabled, but no chat found on this page. Use the point and click set-up.";
    $("attribution-summary").textContent = "";
    $("recent").replaceChildren();
    return;
  }
  $("site-state").textContent = `Read as ${page.adapter.name}.`;
  $("attribution-summary").textContent =
    `This conversation: ${page.counts.customer} customer and ${page.counts.agent} agent messages` +
    (page.swapRoles ? " (roles swapped by you)." : ".");
  $("recent").replaceChildren(
    ...page.recent.map((message) => {
      const item = document.createElement("li");
      const role = document.createElement("span");
      role.className = "role";
      role.textContent = message.role === "customer" ? "Customer" : "Agent";
      item.append(role, document.createTextNode(message.text)); // always plain text
      return item;
    }),
  );
  $("swap").textContent = page.swapRoles ? "Undo: swap customer and agent back" : "Customer and agent are the wrong way round";
  $("swap").onclick = async () => {
    await ask(MSG.SET_SWAP_ROLES, { origin: site.origin, swap: !page.swapRoles });
    setTimeout(refresh, 300);
  };
}

async function currentTab() {
  // Opened as a page (accessibility tools, tests): ?tab=<id> names the tab it is about.
  const named = Number(new URLSearchParams(location.search).get("tab"));
  if (Number.isInteger(named) && named > 0) return chrome.tabs.get(named);
  const [active] = await chrome.tabs.query({ active: true, currentWindow: true });
  return active;
}

async function refresh() {
  tab = await currentTab();
  const status = await ask(MSG.STATUS, { url: tab?.url ?? "", tabId: tab?.id });
  showDaemon(status);
  $("paused").checked = status.paused;
  $("queue").textContent =
    (status.queued ? `${status.queued} messages waiting to be sent. ` : "Nothing waiting to be sent. ") +
    (status.rejected ? `${status.rejected} refused by the daemon (see Options).` : "");
  await showPage(status);
}

$("pair-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = await ask(MSG.PAIR, { code: $("code").value });
  const out = $("pair-result");
  out.className = result.ok ? "" : "error";
  out.textContent = result.ok
    ? "Paired. Moodline now reads the sites you enable."
    : (PAIR_ERRORS[result.error] ?? result.message) +
      (result.retryAfter ? ` Try again in ${Math.ceil(result.retryAfter / 60)} min.` : "");
  if (result.ok) $("code").value = "";
  await refresh();
});

$("enable").addEventListener("click", async () => {
  const origin = new URL(tab.url).origin;
  const pattern = `${new URL(tab.url).protocol}//${new URL(tab.url).hostname}/*`;
  // Must be the first await: Chrome only asks for a permission during the click itself.
  const granted = await chrome.permissions.request({ origins: [pattern] });
  if (!granted) {
    $("site-state").textContent = "Chrome did not grant access, so Moodline does not read this site.";
    return;
  }
  const result = await ask(MSG.ENABLE_SITE, { origin, tabId: tab.id });
  if (!result.ok) $("site-state").textContent = result.message;
  setTimeout(refresh, 500);
});

$("disable").addEventListener("click", async () => {
  await ask(MSG.DISABLE_SITE, { origin: new URL(tab.url).origin });
  await refresh();
});

const startPicker = async () => {
  await chrome.tabs.sendMessage(tab.id, { type: MSG.START_PICKER });
  window.close();
};
$("picker").addEventListener("click", startPicker);
$("setup-again").addEventListener("click", startPicker);

$("paused").addEventListener("change", async (event) => {
  await ask(MSG.SET_PAUSED, { paused: event.target.checked });
  await refresh();
});

$("options").addEventListener("click", (event) => {
  event.preventDefault();
  chrome.runtime.openOptionsPage();
});

refresh();
