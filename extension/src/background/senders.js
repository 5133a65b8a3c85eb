// Which sender may ask the worker for what: content scripts run beside untrusted pages, so the
// messages that pair, enable sites, pause or swap roles are taken only from the extension's own
// pages (popup, options), as Chrome's security guidance for message passing advises.

const MSG = globalThis.MOODLINE_MSG;

/** Message types that only the extension's own pages may send. */
export const EXTENSION_PAGE_ONLY = new Set([
  MSG.STATUS,
  MSG.PAIR,
  MSG.ENABLE_SITE,
  MSG.DISABLE_SITE,
  MSG.SET_PAUSED,
  MSG.SET_SWAP_ROLES,
]);

/** True when `sender` is a page of this extension (its URL is under the extension's origin). */
export function isExtensionPage(sender, extensionOrigin) {
  return typeof sender?.url === "string" && sender.url.startsWith(extensionOrigin);
}

/** May this sender send a message of this type? Other extensions never may. */
export function senderAllowed(type, sender, extensionId, extensionOrigin) {
  if (sender?.id !== extensionId) return false;
  return !EXTENSION_PAGE_ONLY.has(type) || isExtensionPage(sender, extensionOrigin);
}
