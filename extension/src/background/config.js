// The one owner of the extension's settings: the agent's choices in storage.local, IT's in
// storage.managed (which wins), and the short-lived tab state in storage.session.

export const DEFAULT_PORT = 47615;

const LOCAL_DEFAULTS = {
  token: null,
  port: null,
  paused: false,
  sites: [], // origins the agent enabled, e.g. "https://support.example.com"
  generic: {}, // origin → generic adapter config (selectors)
  swapRoles: {}, // origin → true when the agent said customer/agent are the wrong way round
  readingProblems: {}, // origin → {count, at}: messages the daemon refused since the last set-up
};

async function managed() {
  try {
    return (await chrome.storage.managed.get(null)) ?? {};
  } catch {
    return {}; // no policy (or managed storage unsupported): nothing managed
  }
}

/** Everything the worker needs, with IT's managed values taking precedence. */
export async function loadConfig() {
  const local = { ...LOCAL_DEFAULTS, ...(await chrome.storage.local.get(Object.keys(LOCAL_DEFAULTS))) };
  const policy = await managed();
  const managedSites = Array.isArray(policy.enabledSites) ? policy.enabledSites : [];
  const managedGeneric = {};
  for (const entry of Array.isArray(policy.genericAdapters) ? policy.genericAdapters : []) {
    if (entry && typeof entry.origin === "string") managedGeneric[entry.origin] = entry;
  }
  return {
    token: local.token,
    port: Number.isInteger(policy.daemonPort) ? policy.daemonPort : (local.port ?? DEFAULT_PORT),
    portManaged: Number.isInteger(policy.daemonPort),
    pairingSecret: typeof policy.pairingSecret === "string" ? policy.pairingSecret : null,
    paused: local.paused,
    sites: [...new Set([...managedSites, ...local.sites])],
    managedSites,
    generic: { ...local.generic, ...managedGeneric },
    managedGeneric: Object.keys(managedGeneric),
    swapRoles: local.swapRoles,
    readingProblems: local.readingProblems,
  };
}

let cached = null;

/**
 * loadConfig(), remembered until the settings change (the worker's per-message path reads it
 * from memory). The worker calls forgetConfig() on every storage change; never change the
 * object it returns.
 */
export function cachedConfig() {
  cached ??= loadConfig().catch((error) => {
    cached = null;
    throw error;
  });
  return cached;
}

export function forgetConfig() {
  cached = null;
}

export async function setLocal(values) {
  forgetConfig();
  await chrome.storage.local.set(values);
  forgetConfig();
}

/** One stored value (a fresh copy of its default when unset, safe to change and save back). */
export async function getLocal(key) {
  return (await chrome.storage.local.get(key))[key] ?? structuredClone(LOCAL_DEFAULTS[key]);
}

/** Tab → conversation and conversation → last state, kept for the browser session only. */
export async function sessionGet(key, fallback) {
  return (await chrome.storage.session.get(key))[key] ?? fallback;
}

export async function sessionSet(values) {
  await chrome.storage.session.set(values);
}

let sessionWrites = Promise.resolve();

/**
 * Read-modify-write of one session value, one at a time: messages from several tabs arrive
 * together, and two interleaved updates of the same map would lose one. `change(value)` edits
 * the value in place and returns false when there was nothing to change.
 */
export function sessionUpdate(key, fallback, change) {
  const run = sessionWrites.then(async () => {
    const value = await sessionGet(key, fallback);
    if (change(value) === false) return false;
    await sessionSet({ [key]: value });
    return true;
  });
  sessionWrites = run.catch(() => undefined);
  return run;
}

// Adapters whose message ids are the console's own, unique per message.
const VERIFIED_ADAPTERS = new Set(["chatwoot", "rocketchat", "zammad"]);

/**
 * May messages read on `origin` by adapter `site` go to the daemon with ids_verified? Yes for a
 * built-in adapter on a site without a generic set-up, and for a generic set-up whose
 * id_attribute was checked unique when it was saved (the picker's `id_verified`, or IT's).
 */
export function idsVouchedFor(config, origin, site) {
  const generic = config.generic[origin];
  if (generic) return site === "generic" && generic.id_verified === true && Boolean(generic.id_attribute);
  return VERIFIED_ADAPTERS.has(site);
}

/** "https://a.example.com:8443/path" → "https://a.example.com:8443", or null for other schemes. */
export function originOf(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** The match pattern that covers one origin (ports are not part of match patterns). */
export function matchPattern(origin) {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}
