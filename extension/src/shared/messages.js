// Names of the messages between content scripts, popup and service worker (classic script and
// module alike: content scripts cannot import, so this sets one global).

globalThis.MOODLINE_MSG = Object.freeze({
  MESSAGES: "moodline/messages", // content → worker: {conversation_id, site, ids_verified, messages[]}
  FOCUS: "moodline/focus", // content → worker: {conversation_id}
  PAGE_STATE: "moodline/page-state", // popup → content: what the page shows and how it is read
  STATUS: "moodline/status", // popup → worker: daemon, pairing, queue, site
  PAIR: "moodline/pair", // popup → worker: {code}
  ENABLE_SITE: "moodline/enable-site", // popup → worker: {origin, tabId}
  DISABLE_SITE: "moodline/disable-site", // popup → worker: {origin}
  SET_PAUSED: "moodline/set-paused", // popup → worker: {paused}
  SET_SWAP_ROLES: "moodline/set-swap-roles", // popup → worker: {origin, swap}
  SAVE_GENERIC: "moodline/save-generic", // content (picker) → worker: {origin, config}
  START_PICKER: "moodline/start-picker", // popup → content
  SITE_CONFIG: "moodline/site-config", // content → worker: the config for this page's origin
  CONFIG_CHANGED: "moodline/config-changed", // worker → content: re-read the site config
  READING: "moodline/reading", // content → worker: {problem} reading health of this page, or null
  PAGE_PORT: "moodline/page", // content → worker: the port MESSAGES and READING travel on
});
