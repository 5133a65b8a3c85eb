// The adapter registry and the helpers adapters share (content scripts are classic scripts, so
// everything hangs off one namespace in the isolated world, never the page's).

(() => {
  const ns = (globalThis.__moodline ??= { adapters: [] });
  if (ns.register) return; // injected twice (enabled while open, then registered): keep the first

  /** Adds a console adapter: {id, name, version, detect(doc, loc), read(doc, loc)}. */
  ns.register = (adapter) => {
    if (!ns.adapters.some((known) => known.id === adapter.id)) ns.adapters.push(adapter);
  };

  /** The visible text of an element, whitespace collapsed; never HTML. Text inside open shadow
   * roots (deep-dom.js) counts too. */
  ns.textOf = (element) => {
    if (!element) return "";
    const raw = ns.hasShadowInside?.(element)
      ? ns.composedText(element)
      : typeof element.innerText === "string"
        ? element.innerText
        : element.textContent;
    return (raw ?? "").replace(/[ \t\f\v\u00a0]+/g, " ").replace(/\s*\n\s*/g, "\n").trim();
  };

  /** FNV-1a, 32 bits, as 8 hex digits: a stable id where the console shows none. */
  ns.hash = (value) => {
    let hash = 0x811c9dc5;
    for (let i = 0; i < value.length; i += 1) {
      hash ^= value.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(16).padStart(8, "0");
  };

  /**
   * Gives messages without an id one derived from role, text and time, plus how many identical
   * messages came before it in the list (two "ok"s stay two messages).
   */
  ns.fillIds = (messages) => {
    const seen = new Map();
    for (const message of messages) {
      if (message.id) continue;
      const key = `${message.role}|${message.ts ?? ""}|${message.text}`;
      const count = seen.get(key) ?? 0;
      seen.set(key, count + 1);
      message.id = `h${ns.hash(key)}-${count}`;
    }
    return messages;
  };

  /** Epoch ms from an ISO string, a number of seconds/ms, or a `datetime` attribute; else null. */
  ns.parseTime = (value) => {
    if (value === null || value === undefined || value === "") return null;
    const number = Number(value);
    if (Number.isFinite(number) && number > 0) return number < 1e11 ? number * 1000 : number;
    const parsed = Date.parse(String(value));
    return Number.isFinite(parsed) ? parsed : null;
  };
})();
