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
  };
}

export async function setLocal(values) {
  await chrome.storage.local.set(values);
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
