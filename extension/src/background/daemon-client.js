// HTTP calls from the worker to the local Moodline daemon (docs/protocol.md, API version 1).

export const API_VERSION = "1";
const TIMEOUT_MS = 10000;

/** Why a call failed, in a form the popup and the queue can act on. */
export class DaemonError extends Error {
  constructor(kind, message, { status = 0, code = null, retryAfter = null } = {}) {
    super(message);
    this.kind = kind; // "down" | "incompatible" | "unauthorized" | "rejected" | "busy"
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export async function callDaemon(port, path, { method = "GET", body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      cache: "no-store",
      credentials: "omit",
    });
  } catch (error) {
    throw new DaemonError("down", `Moodline daemon not reachable on port ${port} (${error.name})`);
  }
  if (response.headers.get("X-Moodline-API") !== API_VERSION) {
    throw new DaemonError(
      "incompatible",
      `Port ${port} answers, but not as a Moodline daemon speaking API ${API_VERSION}`,
      { status: response.status },
    );
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.ok) return { status: response.status, data };
  const code = data?.error ?? null;
  const message = data?.message ?? `HTTP ${response.status}`;
  const retryAfter = Number(response.headers.get("Retry-After")) || null;
  if (response.status === 401) throw new DaemonError("unauthorized", message, { status: 401, code });
  if (response.status === 503 || response.status === 429 || response.status >= 500) {
    throw new DaemonError("busy", message, { status: response.status, code, retryAfter });
  }
  throw new DaemonError("rejected", message, { status: response.status, code, retryAfter });
}
