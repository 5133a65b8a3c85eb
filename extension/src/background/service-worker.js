// The extension's background service worker: one table of message handlers, the durable outbox,
// pairing, site enabling, reading health and the badge. All state lives in chrome.storage; the
// worker may be stopped and restarted at any moment.

import "../shared/messages.js";
import { badgeView, paintBadge } from "./badge.js";
import {
  cachedConfig,
  forgetConfig,
  getLocal,
  idsVouchedFor,
  loadConfig,
  matchPattern,
  originOf,
  sessionGet,
  sessionSet,
  sessionUpdate,
  setLocal,
} from "./config.js";
import { callDaemon, DaemonError } from "./daemon-client.js";
import { Delivery } from "./delivery.js";
import { withProvisionedToken } from "./provisioning.js";
import { DurableQueue } from "./queue.js";
import {
  clearChangedSetups,
  clearSite,
  describeProblem,
  forgetTab,
  notePage,
  noteRefused,
  tabProblem,
} from "./reading.js";
import { senderAllowed } from "./senders.js";
import { hasPermission, injectInto, syncRegistrations } from "./sites.js";
import { tabClosed, tabOn, tabOrigin, tabShows } from "./tabs.js";
import { now, timing } from "./timing.js";

const MSG = globalThis.MOODLINE_MSG;
const MAX_TEXT = 4000;
const MAX_PER_MESSAGE = 500;
// A message's outbox write waits this long for the daemon's answer, and is skipped if the
// answer comes first (it is stored there, safe); the content script is answered either way.
const QUEUE_WRITE_AFTER_MS = 50;
const queue = new DurableQueue(chrome.storage.local, { writeAfterMs: QUEUE_WRITE_AFTER_MS });

let lastReport = null; // the last daemon state written, so an unchanged one is not rewritten

async function reportDaemon(state, detail) {
  if (lastReport?.state === state && lastReport.detail === detail) return;
  const previous = await sessionGet("daemon", null);
  await sessionSet({ daemon: { state, detail, at: Date.now() } });
  lastReport = { state, detail };
  if (previous?.state !== state) await repaintAllTabs();
}

/** After a stored batch: the conversation's level for the badge, and refusals as a problem. */
async function rememberConversationState(answer, first) {
  if (!answer?.conversation_id) return;
  const refused = Array.isArray(answer.refused) ? answer.refused.length : 0;
  if (refused > 0) {
    await noteRefused(originOf(first?.source?.url ?? "") ?? "", refused);
    await repaintAllTabs();
  }
  await sessionUpdate("states", {}, (states) => {
    states[answer.conversation_id] = { level: answer.level, uncertain: Boolean(answer.uncertain) };
  });
  const tabs = await sessionGet("tabs", {});
  for (const [tabId, conversationId] of Object.entries(tabs)) {
    if (conversationId === answer.conversation_id) await repaintTab(Number(tabId));
  }
}

/** The config, pairing first by itself when IT provisioned a secret and there is no token. */
async function configWithToken() {
  return withProvisionedToken(
    await cachedConfig(),
    callDaemon,
    (token) => setLocal({ token }),
    chrome.runtime.getManifest().version,
  );
}

const delivery = new Delivery({
  queue,
  getConfig: configWithToken,
  report: reportDaemon,
  delivered: rememberConversationState,
});

let painting = Promise.resolve();

/** Paints one after another, each from the state when it starts: a later change is never
 * overpainted by an earlier one that was still reading. */
function inTurn(paint) {
  const run = painting.then(paint);
  painting = run.catch(() => undefined);
  return run;
}

async function paintTab(tabId) {
  const daemon = await sessionGet("daemon", null);
  const tabs = await sessionGet("tabs", {});
  const states = await sessionGet("states", {});
  const conversationId = tabs[tabId];
  const problem = await tabProblem(tabId, await tabOrigin(tabId), await cachedConfig());
  const state = conversationId ? states[conversationId] : null;
  await paintBadge(tabId, badgeView(daemon?.state ?? null, state, problem ? describeProblem(problem) : null));
}

function repaintTab(tabId) {
  return inTurn(() => paintTab(tabId));
}

/** Every tab Moodline reads (with a conversation, or with a verdict on reading). */
function repaintAllTabs() {
  return inTurn(async () => {
    const tabs = await sessionGet("tabs", {});
    const origins = await sessionGet("tabOrigins", {});
    const daemon = await sessionGet("daemon", null);
    await paintBadge(undefined, badgeView(daemon?.state ?? null, null));
    for (const tabId of new Set([...Object.keys(tabs), ...Object.keys(origins)])) await paintTab(Number(tabId));
  });
}

function cleanMessage(raw) {
  const text = String(raw.text ?? "").slice(0, MAX_TEXT);
  const id = String(raw.id ?? "").slice(0, 256);
  if (!text.trim() || !id || (raw.role !== "customer" && raw.role !== "agent")) return null;
  const message = { id, role: raw.role, text };
  if (Number.isFinite(raw.ts) && raw.ts > 0) message.ts = Math.round(raw.ts);
  return message;
}

/**
 * Content script → worker: queue a page's new messages, acknowledged once they are safe: stored
 * by the daemon, or written to the outbox. Sending starts at once.
 */
async function onMessages(payload, sender) {
  const receivedAt = timing.enabled ? now() : 0;
  const config = await cachedConfig();
  const origin = originOf(sender.url ?? sender.tab?.url ?? "");
  if (config.paused || !origin) return { queued: 0, paused: config.paused };
  const conversationId = String(payload.conversation_id ?? "").slice(0, 256);
  if (!conversationId) return { queued: 0, error: "no conversation id" };
  const source = {
    site: String(payload.site ?? "").slice(0, 64) || "unknown",
    url: String(sender.tab?.url ?? sender.url ?? "").slice(0, 2000),
    title: String(sender.tab?.title ?? "").slice(0, 300),
  };
  const verified = payload.ids_verified === true && idsVouchedFor(config, origin, source.site);
  const items = (Array.isArray(payload.messages) ? payload.messages : [])
    .slice(0, MAX_PER_MESSAGE)
    .map(cleanMessage)
    .filter(Boolean)
    .map((message) => ({ conversation_id: conversationId, source, ids_verified: verified, message }));
  const ids = items.map((item) => item.message.id);
  timing.start(ids, payload.timing, receivedAt);
  const noting = sender.tab?.id !== undefined ? noteTab(sender.tab.id, conversationId, origin) : null;
  if (items.length === 0) {
    await noting;
    return { queued: 0 };
  }
  timing.mark(ids, "enqueue");
  const safe = queue.enqueue(items);
  delivery.flush();
  const [dropped] = await Promise.all([safe, noting]);
  timing.mark(ids, "queued");
  return { queued: items.length, dropped };
}

/** Which conversation a tab shows, for the badge (repainted when it changed). */
async function noteTab(tabId, conversationId, origin) {
  if (await tabShows(tabId, conversationId, origin)) await repaintTab(tabId);
}

/** Content script → worker: how reading this page goes ({problem} or {problem: null}). */
async function onReading(payload, sender) {
  const tabId = sender.tab?.id;
  if (tabId === undefined) return { ok: false };
  const problem = payload.problem && typeof payload.problem.code === "string" ? payload.problem : null;
  const moved = await tabOn(tabId, originOf(sender.tab?.url ?? sender.url ?? ""));
  const changed = await notePage(tabId, sender.frameId ?? 0, problem);
  if (changed || moved) await repaintTab(tabId);
  return { ok: true };
}

/** The agent is looking at this conversation: tell the daemon so the widget follows. */
async function onFocus(payload, sender) {
  const conversationId = String(payload.conversation_id ?? "").slice(0, 256);
  if (!conversationId) return { ok: false };
  if (sender.tab?.id !== undefined) await noteTab(sender.tab.id, conversationId);
  await sendFocus(conversationId);
  return { ok: true };
}

async function sendFocus(conversationId) {
  const { port, token, paused } = await loadConfig();
  if (!token || paused) return;
  try {
    await callDaemon(port, "/v1/focus", { method: "POST", token, body: { conversation_id: conversationId } });
  } catch {
    // Focus is a hint; a daemon that is down gets the next one.
  }
}

async function daemonHealth(port) {
  try {
    const { data } = await callDaemon(port, "/v1/health");
    return data;
  } catch (error) {
    return { status: error.kind === "incompatible" ? "incompatible" : "down", detail: error.message };
  }
}

/** Popup → worker: everything the popup shows. */
async function onStatus(payload) {
  forgetConfig(); // the popup shows what storage holds now
  const config = await configWithToken();
  const health = await daemonHealth(config.port);
  const origin = payload.url ? originOf(payload.url) : null;
  const problem = origin && Number.isInteger(payload.tabId) ? await tabProblem(payload.tabId, origin, config) : null;
  // "failed", "incompatible" and "down" all read as down to the agent.
  let state = health.status === "ready" ? "ready" : health.status === "starting" ? "starting" : "down";
  if (health.paused) state = "paused";
  if (!config.token) state = state === "down" ? "down" : "unpaired";
  const daemon = await sessionGet("daemon", null);
  if (state === "ready" && daemon?.state === "unpaired" && config.token) state = "unpaired";
  await reportDaemon(state, health.detail ?? "");
  return {
    daemon: { state, detail: health.detail ?? "", port: config.port, version: health.version ?? null },
    paired: Boolean(config.token),
    paused: config.paused,
    queued: await queue.size(),
    rejected: await queue.rejectedCount(),
    site: origin
      ? {
          origin,
          enabled: config.sites.includes(origin),
          managed: config.managedSites.includes(origin),
          permitted: await hasPermission(origin).catch(() => false),
          swapRoles: Boolean(config.swapRoles[origin]),
          generic: config.generic[origin] ?? null,
          reading: problem ? { ...problem, text: describeProblem(problem) } : null,
        }
      : null,
  };
}

/** Popup → worker: exchange the code shown by the widget or `moodline pair` for the token. */
async function onPair(payload) {
  const { port } = await loadConfig();
  const code = String(payload.code ?? "").trim();
  if (!code) return { ok: false, error: "empty", message: "Type the code shown by Moodline." };
  try {
    const { data } = await callDaemon(port, "/v1/pair", {
      method: "POST",
      body: { code, client: `extension ${chrome.runtime.getManifest().version}` },
    });
    await setLocal({ token: data.token });
    await reportDaemon("ready", "");
    delivery.flush();
    return { ok: true };
  } catch (error) {
    if (!(error instanceof DaemonError)) throw error;
    return { ok: false, error: error.code ?? error.kind, message: error.message, retryAfter: error.retryAfter };
  }
}

/** Popup → worker: read this site from now on (the popup already got the permission). */
async function onEnableSite(payload) {
  const origin = originOf(payload.origin ?? "");
  if (!origin) return { ok: false, message: "Only http and https pages can be read." };
  if (!(await chrome.permissions.contains({ origins: [matchPattern(origin)] }))) {
    return { ok: false, message: "Chrome did not grant access to this site." };
  }
  const config = await loadConfig();
  if (!config.sites.includes(origin)) {
    await setLocal({ sites: [...(await getLocal("sites")), origin] });
  }
  await syncRegistrations((await loadConfig()).sites);
  if (Number.isInteger(payload.tabId)) await injectInto(payload.tabId).catch(() => undefined);
  return { ok: true };
}

async function onDisableSite(payload) {
  const origin = originOf(payload.origin ?? "");
  await setLocal({ sites: (await getLocal("sites")).filter((site) => site !== origin) });
  const config = await loadConfig();
  await syncRegistrations(config.sites);
  await broadcastConfigChanged();
  return { ok: true, stillManaged: config.managedSites.includes(origin) };
}

async function onSetPaused(payload) {
  await setLocal({ paused: Boolean(payload.paused) });
  await broadcastConfigChanged();
  return { ok: true };
}

async function onSetSwapRoles(payload) {
  const origin = originOf(payload.origin ?? "");
  const swapRoles = await getLocal("swapRoles");
  if (payload.swap) swapRoles[origin] = true;
  else delete swapRoles[origin];
  await setLocal({ swapRoles });
  await broadcastConfigChanged();
  return { ok: true };
}

async function onSaveGeneric(payload, sender) {
  const origin = originOf(sender.url ?? sender.tab?.url ?? "");
  if (!origin) return { ok: false };
  const generic = await getLocal("generic");
  if (payload.config) generic[origin] = { ...payload.config, origin };
  else delete generic[origin];
  await setLocal({ generic });
  await clearSite(origin); // set up again: earlier refusals are history
  await repaintAllTabs();
  await broadcastConfigChanged();
  return { ok: true };
}

/** Content script → worker: how to read this page. */
async function onSiteConfig(_payload, sender) {
  const config = await cachedConfig();
  const origin = originOf(sender.url ?? "");
  return {
    enabled: Boolean(origin && config.sites.includes(origin)),
    paused: config.paused,
    swapRoles: Boolean(origin && config.swapRoles[origin]),
    generic: origin ? (config.generic[origin] ?? null) : null,
    timing: (await chrome.storage.local.get("debugTiming")).debugTiming === true,
  };
}

async function broadcastConfigChanged() {
  for (const tab of await chrome.tabs.query({})) {
    chrome.tabs.sendMessage(tab.id, { type: MSG.CONFIG_CHANGED }).catch(() => undefined);
  }
}

const HANDLERS = {
  [MSG.MESSAGES]: onMessages,
  [MSG.FOCUS]: onFocus,
  [MSG.STATUS]: onStatus,
  [MSG.PAIR]: onPair,
  [MSG.ENABLE_SITE]: onEnableSite,
  [MSG.DISABLE_SITE]: onDisableSite,
  [MSG.SET_PAUSED]: onSetPaused,
  [MSG.SET_SWAP_ROLES]: onSetSwapRoles,
  [MSG.SAVE_GENERIC]: onSaveGeneric,
  [MSG.SITE_CONFIG]: onSiteConfig,
  [MSG.READING]: onReading,
};

/** Runs the handler for one request from `sender`; resolves to the answer. */
async function handle(request, sender) {
  const handler = HANDLERS[request?.type];
  if (!handler) return null;
  if (!senderAllowed(request.type, sender, chrome.runtime.id, chrome.runtime.getURL(""))) {
    return { ok: false, error: "forbidden", message: "Not accepted from this sender." };
  }
  try {
    return await handler(request, sender);
  } catch (error) {
    return { ok: false, error: "internal", message: String(error?.message ?? error) };
  }
}

chrome.runtime.onMessage.addListener((request, sender, sendResponse) => {
  if (!HANDLERS[request?.type]) return false;
  handle(request, sender).then(sendResponse);
  return true; // answer asynchronously
});

// Content scripts send read messages and reading health on one long-lived port each
// (src/content/worker-link.js): {n, message} in, {n, answer} back.
chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== MSG.PAGE_PORT) return;
  port.onMessage.addListener(async ({ n, message } = {}) => {
    const answer = await handle(message, port.sender);
    try {
      port.postMessage({ n, answer });
    } catch {
      // The page went away meanwhile: nobody to answer.
    }
  });
});

chrome.tabs.onActivated.addListener(async ({ tabId }) => {
  const tabs = await sessionGet("tabs", {});
  if (tabs[tabId]) await sendFocus(tabs[tabId]);
});

chrome.tabs.onRemoved.addListener(async (tabId) => {
  await tabClosed(tabId);
  await forgetTab(tabId);
});

// A browser start wakes the worker so messages queued before a restart are sent at once.
chrome.runtime.onStartup.addListener(() => delivery.flush());

chrome.alarms.onAlarm.addListener((alarm) => {
  if (Delivery.isRetryAlarm(alarm)) delivery.flush();
});

chrome.permissions.onRemoved.addListener(async () => syncRegistrations((await loadConfig()).sites));
const CONTENT_SETTINGS = ["generic", "swapRoles", "paused", "sites", "port"];
chrome.storage.onChanged.addListener(async (changes, area) => {
  if (area !== "session") forgetConfig();
  if (area === "local" && "debugTiming" in changes) timing.enabled = changes.debugTiming.newValue === true;
  if (await clearChangedSetups(changes, area)) await repaintAllTabs();
  if (area === "managed" || (area === "local" && "sites" in changes)) {
    await syncRegistrations((await loadConfig()).sites);
  }
  if (area === "managed" || (area === "local" && CONTENT_SETTINGS.some((key) => key in changes))) {
    await broadcastConfigChanged();
  }
});

// Every start of the worker (install, browser start, or a wake-up after being stopped): make
// the registrations match the settings and send whatever waits in the outbox.
loadConfig()
  .then((config) => syncRegistrations(config.sites))
  .catch(() => undefined)
  .finally(() => delivery.flush());

chrome.storage.local.get("debugTiming").then(({ debugTiming }) => {
  timing.enabled = debugTiming === true;
});

// For end-to-end tests and debugging from the worker's console.
globalThis.moodline = {
  timings: () => timing.take(),
  flush: () => delivery.flush(),
  sent: () => delivery.sent,
  syncSites: async () => syncRegistrations((await loadConfig()).sites),
};
