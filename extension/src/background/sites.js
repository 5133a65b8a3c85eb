// Which sites are read: optional host permissions granted per origin, and the content scripts
// registered for exactly those origins.

import { matchPattern } from "./config.js";

export const CONTENT_FILES = [
  "src/shared/messages.js",
  "src/shared/reading-health.js",
  "src/content/adapters/registry.js",
  "src/content/deep-dom.js",
  "src/content/adapters/chatwoot.js",
  "src/content/adapters/rocketchat.js",
  "src/content/adapters/zammad.js",
  "src/content/adapters/generic.js",
  "src/content/worker-link.js",
  "src/content/sent-ledger.js",
  "src/content/reading-watch.js",
  "src/content/page-reader.js",
  "src/content/picker-ranking.js",
  "src/content/picker-features.js",
  "src/content/picker.js",
  "src/content/main.js",
];

const scriptId = (origin) => `moodline:${origin}`;

export async function hasPermission(origin) {
  return chrome.permissions.contains({ origins: [matchPattern(origin)] });
}

let pending = Promise.resolve();

/** Runs registration changes one after another (storage events and popup clicks can overlap). */
export function syncRegistrations(origins) {
  const run = pending.then(() => syncNow(origins));
  pending = run.catch(() => undefined);
  return run;
}

/**
 * Makes the registered content scripts equal to the enabled origins that have a granted
 * permission; returns the enabled origins still waiting for the agent's permission.
 */
async function syncNow(origins) {
  const wanted = new Map();
  const waiting = [];
  for (const origin of origins) {
    if (await hasPermission(origin)) wanted.set(scriptId(origin), origin);
    else waiting.push(origin);
  }
  const registered = await chrome.scripting.getRegisteredContentScripts();
  const stale = registered.map((s) => s.id).filter((id) => id.startsWith("moodline:") && !wanted.has(id));
  if (stale.length) await chrome.scripting.unregisterContentScripts({ ids: stale });
  const have = new Set(registered.map((s) => s.id));
  const missing = [...wanted].filter(([id]) => !have.has(id));
  if (missing.length) {
    await chrome.scripting.registerContentScripts(
      missing.map(([id, origin]) => ({
        id,
        matches: [matchPattern(origin)],
        js: CONTENT_FILES,
        runAt: "document_idle",
        allFrames: true,
        persistAcrossSessions: true,
      })),
    );
  }
  return waiting;
}

/** Starts reading in an already open tab (no reload needed after enabling its site). */
export async function injectInto(tabId) {
  await chrome.scripting.executeScript({ target: { tabId, allFrames: true }, files: CONTENT_FILES });
}
