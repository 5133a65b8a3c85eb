// Ranks the configurations the point-and-click set-up could save, from the agent's clicks and
// the rows of the clicked message list described as plain data (picker-features.js reads them
// from the page). Pure: no DOM, unit-tested with node (tests/unit/picker-ranking.test.mjs).
//
// A row: {tag, features: [{base, self, kind: "class"|"attr"|"has"|"tag", name, value}],
//         labels: [{sel, attribute, text}]}; `base` is a compound CSS selector; a feature with
// self = false sits on an element inside the row. A pick: {row, as: "customer"|"agent"|"none"}.

(() => {
  const ns = (globalThis.__moodline ??= { adapters: [] });
  if (ns.rankPicks) return;

  const EXCLUDE_WORDS = new Set(["note", "notes", "internal", "private", "whisper", "whispers", "system", "sys", "typing"]);
  const LIVE_ROLES = new Set(["status", "alert", "log", "progressbar", "timer", "marquee"]);
  const FREE_TEXT = new Set(["aria-label", "title", "alt", "aria-description", "aria-roledescription"]);
  const ZEBRA_WORDS = new Set(["odd", "even", "alt", "alternate", "zebra", "stripe", "striped", "stripes", "nth"]);
  const ZEBRA_NAME = /^(row|r|line|bg|tr|item)[-_]?[01]$/i;
  const ROLE_WORDS = new Set([
    "author", "role", "sender", "direction", "side", "in", "out", "inbound", "outbound",
    "incoming", "outgoing", "customer", "agent", "visitor", "client", "user", "operator", "contact",
    "staff", "support", "me", "self", "mine", "own", "them", "theirs", "guest", "requester", "enduser",
  ]);
  const ID_NAMES = ["data-message-id", "data-id", "data-msg-id", "data-key", "id"];
  const ID_WORDS = new Set(["id", "uuid", "key", "seq", "ref", "guid", "uid", "msgid", "mid"]);
  const QUALITY = { attr: 2, class: 1.5, tag: 1.2, has: 1, text: 0.3 };

  const words = (value) =>
    String(value ?? "").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const roleWord = (f) => [...words(f.name), ...words(f.value)].some((w) => ROLE_WORDS.has(w));
  /** A random-looking token ("evt_8f3a2c", a UUID), not words. */
  const looksLikeId = (value) => {
    const text = String(value ?? "");
    return !/\s/.test(text) && ((/\d/.test(text) && text.length >= 4) || text.length > 24);
  };
  const scoped = (f) => (f.kind === "tag" ? `${f.base}:scope` : `:scope${f.base}`);
  const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

  /** Why a feature says "not a customer or agent message" (a live region, a note…), or null. */
  const exclusionWhy = (f) => {
    if (f.kind === "attr" && f.name === "role" && LIVE_ROLES.has(f.value)) return `a live region (role=${f.value})`;
    if (f.kind === "attr" && f.name === "aria-live") return f.value === "off" ? null : "a live region";
    if (f.kind === "has" && f.name === "aria-live") return null; // the attribute's value decides
    // Free text (an aria-label) counts only when it starts with the word: "Internal note by …".
    const valueWords = f.kind === "has" ? [] : FREE_TEXT.has(f.name) ? words(f.value).slice(0, 2) : words(f.value);
    const nameWords = f.kind === "attr" || f.kind === "has" ? words(f.name) : [];
    const hit = [...nameWords, ...valueWords].find((w) => EXCLUDE_WORDS.has(w));
    return hit ? `marked “${hit}”` : null;
  };
  const quote = (value) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  /** The leading words of a free text up to its exclusion word ("Internal note"), or null. */
  const leadingWords = (text) => {
    const parts = String(text ?? "").split(/\s+/);
    const end = parts.slice(0, 2).findIndex((part) => words(part).some((w) => EXCLUDE_WORDS.has(w)));
    if (end < 0) return null;
    const next = parts[end + 1];
    return parts.slice(0, end + 1 + (next && words(next).some((w) => EXCLUDE_WORDS.has(w)) ? 1 : 0)).join(" ");
  };
  const zebra = (f) =>
    (f.kind === "class" || f.kind === "attr") &&
    (words(f.value).some((w) => ZEBRA_WORDS.has(w)) || ZEBRA_NAME.test(f.value ?? ""));

  /** The rows, picks and options → {ok, reason?, config, rows: per-row verdicts, warnings, notes}. */
  ns.rankPicks = ({ rows, picks, textSelector = null, autoExclude = true }) => {
    const plain = rows.map((row) => new Set(row.features.map((f) => f.base)));
    const own = rows.map((row) => new Set(row.features.filter((f) => f.self).map((f) => f.base)));
    const picked = { customer: [], agent: [], none: [] };
    for (const pick of picks) picked[pick.as]?.push(pick.row);
    const messages = [...picked.customer, ...picked.agent];
    if (!picked.customer.length || !picked.agent.length) {
      return { ok: false, reason: "Click one customer message and one of yours.", warnings: [], notes: [] };
    }
    const onMessages = (f) => messages.some((i) => (f.self ? own : plain)[i].has(f.base));

    // Attributes on the rows themselves: how many rows carry each, with how many values.
    const stats = new Map();
    rows.forEach((row, index) => {
      for (const f of row.features) {
        if (f.kind !== "attr" || !f.self) continue;
        const entry = stats.get(f.name) ?? { values: new Map(), digits: false };
        entry.values.set(index, f.value);
        entry.digits ||= /\d/.test(f.value);
        stats.set(f.name, entry);
      }
    });
    const idLike = (name) => {
      const entry = stats.get(name);
      if (!entry || entry.values.size < 2) return false;
      const values = [...entry.values.values()];
      if (values.some((value) => /\s/.test(value))) return false; // words (a label), not tokens
      return new Set(values).size === values.length && (values.length >= 4 || entry.digits);
    };

    // Exclusions: what the agent marked as not a message, then (unless undone) the obvious ones.
    const ignore = [];
    const warnings = [];
    const notes = [];
    const has = (f) => (i) => (f.self ? own : plain)[i].has(f.base);
    const addIgnore = (f, why, auto) => {
      let sel = f.self ? scoped(f) : f.base;
      let test = has(f);
      // "Internal note by Dana" also means "Internal note by Sam": keep the words up to the mark.
      const prefix = FREE_TEXT.has(f.name) ? leadingWords(f.value) : null;
      if (prefix) {
        sel = `${f.self ? ":scope" : ""}${f.base.slice(0, f.base.indexOf("="))}^=${quote(prefix)}]`;
        test = (i) => rows[i].features.some((g) => g.kind === "attr" && g.self === f.self && g.name === f.name && g.value.startsWith(prefix));
        if (messages.some(test)) return;
      }
      if (!ignore.some((entry) => entry.sel === sel)) ignore.push({ sel, why, auto, test });
    };
    const preference = (a, b) =>
      Number(Boolean(exclusionWhy(b))) - Number(Boolean(exclusionWhy(a))) ||
      Number(b.self) - Number(a.self) ||
      ["attr", "class", "has", "tag"].indexOf(a.kind) - ["attr", "class", "has", "tag"].indexOf(b.kind);
    for (const index of picked.none) {
      const choices = rows[index].features
        .filter((f) => !onMessages(f) && !(f.kind === "attr" && (idLike(f.name) || looksLikeId(f.value))))
        .sort(preference);
      if (choices.length) addIgnore(choices[0], "you marked it", false);
      else warnings.push("A line you marked as not a message looks exactly like a message to Moodline, so it cannot be left out by its markup.");
    }
    if (autoExclude) {
      rows.forEach((row, index) => {
        if (messages.includes(index)) return;
        const hits = row.features.filter((f) => exclusionWhy(f) && !onMessages(f)).sort(preference);
        if (hits.length) addIgnore(hits[0], exclusionWhy(hits[0]), true);
      });
    }
    const excluded = (i) => ignore.some((entry) => entry.test(i));

    // Look-alike rows share most of the picked messages' shape (tag, classes, attribute names).
    const shape = (i) => new Set(rows[i].features.map((f) => (f.kind === "attr" ? `${f.self}@${f.name}` : `${f.self}${f.base}`)));
    const core = messages.map(shape).reduce((a, b) => new Set([...a].filter((x) => b.has(x))));
    const lookalike = (i) => {
      if (!core.size) return true;
      const mine = shape(i);
      return [...core].filter((x) => mine.has(x)).length / core.size >= 0.6;
    };

    // Zebra stripes by any name (bgcolor="#eee"): on every other row, system lines included.
    const alternates = (f) =>
      rows.length >= 4 &&
      rows.every((_row, i) => i === 0 || plain[i].has(f.base) !== plain[i - 1].has(f.base)) &&
      rows.some((_row, i) => plain[i].has(f.base) && (excluded(i) || !lookalike(i)));

    // The message selector: matches the picked messages and their look-alike siblings.
    let message = null;
    let messageScore = -Infinity;
    for (const f of rows[messages[0]].features) {
      if (!f.self || zebra(f) || alternates(f) || !messages.every((i) => own[i].has(f.base))) continue;
      if (picked.none.some((i) => own[i].has(f.base))) continue;
      let score = { attr: 0.3, class: 0.2, has: 0.1, tag: 0 }[f.kind];
      rows.forEach((_row, i) => {
        if (own[i].has(f.base)) score += excluded(i) ? -0.25 : lookalike(i) ? 1 : -1;
      });
      if (score > messageScore) [message, messageScore] = [f, score];
    }
    const isMessage = (i) => (message ? own[i].has(message.base) : true) && !excluded(i);
    const read = rows.map((_row, i) => i).filter(isMessage);
    /** Per row: "customer", "agent", "ignored" (an exclusion), "skipped" (not a message), or null. */
    const verdict = (i, roles) =>
      excluded(i) ? "ignored" : !isMessage(i) ? "skipped" : (roles.get(i) ?? null);

    // Role candidates: on every picked row of one side, on none of the other's.
    const candidates = (side, other) => {
      const out = [];
      const seen = new Set();
      for (const f of rows[picked[side][0]].features) {
        if (seen.has(f.base) || (f.kind === "tag" && !f.self) || zebra(f) || alternates(f)) continue;
        if (!picked[side].every((i) => plain[i].has(f.base)) || picked[other].some((i) => plain[i].has(f.base))) continue;
        if (f.kind === "attr" && (f.self ? idLike(f.name) : looksLikeId(f.value))) continue;
        if (f.kind === "attr" && f.self && looksLikeId(f.value)) continue;
        seen.add(f.base);
        const quality = QUALITY[f.kind] - (f.self ? 0 : 0.6) + (roleWord(f) ? 1 : 0);
        out.push({ kind: f.kind, sel: f.base, name: f.self && f.kind === "attr" ? f.name : null, quality, test: (i) => plain[i].has(f.base) });
      }
      return [...out, ...textCandidates(side, other)].sort((a, b) => b.quality - a.quality).slice(0, 10);
    };
    // Roles written as text: a short label (a cell saying "Client", an aria-label) per row.
    const labelKey = (label) => JSON.stringify([label.sel ?? null, label.attribute ?? null]);
    const textsOf = (i, key) => rows[i].labels.filter((l) => labelKey(l) === key).map((l) => l.text);
    const textCandidates = (side, other) => {
      const out = [];
      const keys = new Set(rows[picked[side][0]].labels.filter((l) => !textSelector || l.sel !== textSelector).map(labelKey));
      for (const key of keys) {
        const [sel, attribute] = JSON.parse(key);
        const first = picked[side].map((i) => textsOf(i, key)[0]);
        if (first.some((t) => !t)) continue;
        const rules = [];
        if (new Set(first).size === 1 && !/\d/.test(first[0])) rules.push({ contains: first[0] });
        const word = /^\p{L}{2,}/u.exec(first[0])?.[0];
        if (word && first.every((t) => t.startsWith(word)) && first.some((t) => t !== word)) {
          rules.push({ pattern: `^${escapeRegex(word)}\\b` });
        }
        for (const rule of rules) {
          const matches = (t) => (rule.contains ? t.toLowerCase().includes(rule.contains.toLowerCase()) : new RegExp(rule.pattern).test(t));
          const test = (i) => textsOf(i, key).some(matches);
          if (picked[other].some(test)) continue;
          const value = rule.contains ?? rule.pattern;
          out.push({
            kind: "text",
            sel: `${key}|${value}`,
            rule: { ...(sel ? { selector: sel } : {}), ...(attribute ? { attribute } : {}), ...rule },
            quality: QUALITY.text + (words(value).some((w) => ROLE_WORDS.has(w)) ? 1 : 0),
            test,
          });
        }
      }
      return out;
    };

    const customers = candidates("customer", "agent");
    const agents = candidates("agent", "customer");
    const support = (candidate) => read.filter((i) => candidate.test(i)).length;
    let best = null;
    for (const c of [...customers, null]) {
      for (const a of [...agents, null]) {
        if (!c && !a) continue;
        const roles = new Map();
        let penalty = 0;
        for (const i of read) {
          let role = c?.test(i) ? "customer" : a?.test(i) ? "agent" : null;
          if (!role && (!c || !a)) {
            role = c ? "agent" : "customer";
            if (!lookalike(i)) penalty += 5; // "everything else" would take in a line unlike the messages
          }
          if (!role && lookalike(i)) penalty += 5; // a message left unread
          roles.set(i, role);
        }
        if (picked.customer.some((i) => roles.get(i) !== "customer") || picked.agent.some((i) => roles.get(i) !== "agent")) continue;
        const lonely = [c && support(c) <= picked.customer.length, a && support(a) <= picked.agent.length];
        // Both sides named, on one attribute, count only when no message is left unread.
        const bonus = penalty ? 0 : (c && a ? 1 : 0) + (c?.name && c.name === a?.name ? 1.5 : 0);
        const score = (c?.quality ?? 0) + (a?.quality ?? 0) + bonus - (c && a ? 0 : 1) - penalty - 6 * lonely.filter(Boolean).length;
        if (!best || score > best.score) best = { c, a, roles, lonely, score };
      }
    }
    if (!best) {
      return {
        ok: false,
        reason:
          "Moodline cannot tell the customer's messages from yours on this page: nothing in the markup or the text marks who wrote them (odd/even stripes are not roles). Nothing was saved; set selectors in the options page instead.",
        rows: rows.map((_row, i) => verdict(i, new Map())),
        ignored: ignore,
        warnings,
        notes,
      };
    }
    const { c, a } = best;
    if (best.lonely[0]) warnings.push("The customer selector matches only the customer message(s) you clicked, not a class of messages. If there are more, choose Customer and click another one.");
    if (best.lonely[1]) warnings.push("The agent selector matches only your message(s) you clicked, not a class of messages. If there are more, choose Agent and click another one.");
    const unread = read.filter((i) => !best.roles.get(i) && lookalike(i)).length;
    if (unread) warnings.push(`${unread} message(s) that look like the others are read as neither customer nor agent: choose whose they are and click one.`);
    if (!c || !a) notes.push(`Every message that is not ${c ? "the customer's" : "yours"} is read as ${c ? "yours" : "the customer's"}.`);

    // The id: an attribute every read message has, with a different value on each.
    const valueOf = (i, name) => stats.get(name)?.values.get(i);
    const roleNames = new Set([c?.name, a?.name, message?.kind === "attr" ? message.name : null]);
    const ids = [...stats.keys()]
      .filter((name) => !roleNames.has(name) && read.every((i) => valueOf(i, name)))
      .filter((name) => new Set(read.map((i) => valueOf(i, name))).size === read.length)
      .filter((name) => read.length >= 2 || ID_NAMES.includes(name) || words(name).some((w) => ID_WORDS.has(w)))
      .sort((x, y) => rankId(y) - rankId(x));
    function rankId(name) {
      const known = ID_NAMES.indexOf(name);
      return (known >= 0 ? 10 - known : 0) + (words(name).some((w) => ID_WORDS.has(w)) ? 3 : 0) + (stats.get(name).digits ? 1 : 0);
    }
    const idAttribute = ids[0] ?? null;
    if (!idAttribute) {
      notes.push("No attribute gives each message its own id, so Moodline tells messages apart by their text and position.");
    }
    const rule = (candidate) => (candidate?.kind === "text" ? candidate.rule : null);
    const selector = (candidate) => (candidate && candidate.kind !== "text" ? candidate.sel : null);
    return {
      ok: true,
      config: {
        message: message ? `:scope > ${message.kind === "tag" ? message.base : `*${message.base}`}` : ":scope > *",
        customer: selector(c),
        agent: selector(a),
        customer_text: rule(c),
        agent_text: rule(a),
        id_attribute: idAttribute,
        id_verified: Boolean(idAttribute), // checked unique across the list above
        ignore: ignore.length ? ignore.map((entry) => entry.sel).join(", ") : null,
      },
      rows: rows.map((_row, i) => verdict(i, best.roles)),
      ignored: ignore,
      warnings,
      notes,
    };
  };
})();
