// Which conversation each tab shows and which site it is on, for the badge and the popup: kept in
// storage.session (the worker may stop), with a copy in memory so that a tab's every message
// costs no storage access unless something changed.

import { sessionGet, sessionUpdate } from "./config.js";

const known = new Map(); // tab id → {conversationId, origin}

/** The tab reads `origin`; resolves true when that is news. */
export function tabOn(tabId, origin) {
  return sessionUpdate("tabOrigins", {}, (origins) => {
    if (!origin || origins[tabId] === origin) return false;
    origins[tabId] = origin;
    return true;
  });
}

/** The tab shows `conversationId` on `origin`; resolves true when either is news. */
export async function tabShows(tabId, conversationId, origin) {
  const was = known.get(tabId);
  if (was?.conversationId === conversationId && was.origin === origin) return false;
  known.set(tabId, { conversationId, origin });
  const changed = await sessionUpdate("tabs", {}, (tabs) => {
    if (tabs[tabId] === conversationId) return false;
    tabs[tabId] = conversationId;
    return true;
  });
  return (await tabOn(tabId, origin)) || changed;
}

export async function tabOrigin(tabId) {
  return (await sessionGet("tabOrigins", {}))[tabId] ?? null;
}

export async function tabClosed(tabId) {
  known.delete(tabId);
  await sessionUpdate("tabs", {}, (tabs) => (tabId in tabs ? delete tabs[tabId] : false));
  await sessionUpdate("tabOrigins", {}, (origins) => (tabId in origins ? delete origins[tabId] : false));
}
