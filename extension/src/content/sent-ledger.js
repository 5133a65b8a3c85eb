// Which messages of a read are new, per conversation: a message is handed on once per id and
// words. A known id with other words is handed on again only where the daemon can make sense of
// it: as an edit on a console whose ids are verified unique, or, anywhere, when another element
// on the page carries that id (a set-up reading the wrong id: the daemon refuses and counts it,
// instead of it being lost in silence). Pure apart from WeakRef; unit-tested with node.

(() => {
  const ns = (globalThis.__moodline ??= { adapters: [] });
  if (ns.SentLedger) return;

  class SentLedger {
    constructor() {
      this.known = new Map(); // conversation id → Map(message id → {texts: Set, element: WeakRef})
    }

    /**
     * messages: [{id, text, element?, derived?}] of one conversation as read now, in page order;
     * idsVerified: the adapter vouches that its ids are unique. Returns {fresh: [{message,
     * verified}], repeatedIds: messages whose id an earlier one with other words has}.
     */
    take(conversationId, messages, idsVerified) {
      const known = this.known.get(conversationId) ?? new Map();
      this.known.set(conversationId, known);
      const firstText = new Map();
      const repeated = new Set();
      let repeatedIds = 0;
      for (const { id, text } of messages) {
        if (!firstText.has(id)) firstText.set(id, text);
        else if (firstText.get(id) !== text) {
          repeated.add(id);
          repeatedIds += 1;
        }
      }
      const fresh = [];
      for (const message of messages) {
        const verified = idsVerified && !message.derived && !repeated.has(message.id);
        const entry = known.get(message.id);
        if (entry?.texts.has(message.text)) continue;
        // The same element with new words, where ids are not vouched for: an edit the daemon
        // would refuse. Left alone, as before (the first words stay stored).
        if (entry && !verified && message.element && entry.element?.deref() === message.element) continue;
        if (entry) entry.texts.add(message.text);
        else known.set(message.id, { texts: new Set([message.text]), element: message.element ? new WeakRef(message.element) : null });
        fresh.push({ message, verified });
      }
      return { fresh, repeatedIds };
    }
  }

  ns.SentLedger = SentLedger;
})();
