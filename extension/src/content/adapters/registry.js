// The adapter registry and the helpers adapters share (content scripts are classic scripts, so
// everything hangs off one namespace in the isolated world, never the page's).

(() => {
  const ns = (globalThis.__moodline ??= { adapters: [] });
  if (ns.register) return; // injected twice (enabled while open, then registered): keep the first

  /** Adds a console adapter: {id, name, version, idsVerified, detect(doc, loc), read(doc, loc)};
   * idsVerified: its message ids are the console's own, unique per message. */
  ns.register = (adapter) => {
    if (!ns.adapters.some((known) => known.id === adapter.id)) ns.adapters.push(adapter);
  };

  const clean = (raw) => (raw ?? "").replace(/[ \t\f\v\u00a0]+/g, " ").replace(/\s*\n\s*/g, "\n").trim();
  // innerText lays the page out and costs far more than textContent: an element whose
  // textContent is unchanged since its last read gives the text it gave then (a page re-reads
  // every message on every change; only the new or changed ones pay).
  const rendered = new WeakMap(); // element → {raw: textContent, text}

  /** The visible text of an element, whitespace collapsed; never HTML. Text inside open shadow
   * roots (deep-dom.js) counts too. */
  ns.textOf = (element) => {
    if (!element) return "";
    if (ns.hasShadowInside?.(element)) return clean(ns.composedText(element));
    if (!("innerText" in element)) return clean(element.textContent); // (reading it lays out)
    const raw = element.textContent;
    const known = rendered.get(element);
    if (known?.raw === raw) return known.text;
    const text = clean(element.innerText);
    rendered.set(element, { raw, text });
    return text;
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
      message.derived = true; // not the console's own id: never vouched for as unique
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
