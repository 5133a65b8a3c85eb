// The toolbar badge per tab: the tab's conversation level (glyph + colour), or the daemon's state.

import { LEVELS, STATES } from "../shared/levels.js";

/** What a tab's badge should show, given the daemon state and the tab's conversation state. */
export function badgeView(daemonState, conversationState) {
  if (daemonState && daemonState !== "ready") return STATES[daemonState] ?? STATES.down;
  if (!conversationState) return STATES.idle;
  if (conversationState.uncertain) return STATES.uncertain;
  return LEVELS[conversationState.level] ?? STATES.idle;
}

export async function paintBadge(tabId, view) {
  const target = tabId === undefined ? {} : { tabId };
  try {
    await chrome.action.setBadgeText({ ...target, text: view.glyph });
    await chrome.action.setBadgeBackgroundColor({ ...target, color: view.colour });
    await chrome.action.setBadgeTextColor({ ...target, color: view.text });
    await chrome.action.setTitle({ ...target, title: `Moodline: ${view.name}` });
  } catch {
    // The tab closed while we were painting: nothing to show.
  }
}
