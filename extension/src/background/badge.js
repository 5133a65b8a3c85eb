// The toolbar badge per tab: the tab's conversation level (glyph + colour), the daemon's state,
// or "!" when reading looks broken on the tab's page.

import { LEVELS, STATES } from "../shared/levels.js";

/**
 * What a tab's badge should show, given the daemon state, the tab's conversation state and
 * its reading problem in words (or null). A daemon that cannot take messages wins, then a
 * reading problem (the level would be built on what was misread), then the level.
 */
export function badgeView(daemonState, conversationState, problemText = null) {
  if (daemonState && daemonState !== "ready") return STATES[daemonState] ?? STATES.down;
  if (problemText) return { ...STATES.reading, name: `${problemText} Open the popup to set this site up again.` };
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
