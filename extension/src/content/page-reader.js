// Watches the page with a MutationObserver and hands each message to the worker exactly once,
// whatever the console does: re-rendered or virtualized lists, conversation switches, edits.

(() => {
  const ns = globalThis.__moodline;
  if (ns.PageReader) return;
  const MAX_TEXT = 4000;

  class PageReader {
    /**
     * chooseAdapter(): the adapter for this page now (or null while the console has not
     * rendered); send(payload): resolves true once the worker has queued it.
     */
    constructor({ chooseAdapter, send, focus, swapRoles = false, debounceMs = 150 }) {
      this.chooseAdapter = chooseAdapter;
      this.send = send;
      this.focus = focus;
      this.swapRoles = swapRoles;
      this.debounceMs = debounceMs;
      this.delivered = new Map(); // conversation id → Set of message ids the worker queued
      this.adapter = null;
      this.conversationId = null;
      this.lastRead = [];
      this.timer = null;
      this.inFlight = false;
      this.again = false;
      this.observer = new MutationObserver(() => this.schedule());
    }

    start() {
      this.observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
      document.addEventListener("visibilitychange", () => this.#reportFocus());
      window.addEventListener("focus", () => this.#reportFocus());
      this.schedule();
    }

    stop() {
      this.observer.disconnect();
      clearTimeout(this.timer);
    }

    schedule() {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.scan(), this.debounceMs);
    }

    #reportFocus() {
      if (this.conversationId && document.visibilityState === "visible") this.focus(this.conversationId);
    }

    /** Reads the page once and sends what the worker has not queued yet. */
    async scan() {
      if (this.inFlight) {
        this.again = true;
        return;
      }
      this.inFlight = true;
      try {
        this.adapter = this.chooseAdapter();
        const result = this.adapter ? this.adapter.read(document, location) : null;
        // An adapter returns one conversation, or a list (consoles that show several at once;
        // the first is the one the agent is looking at).
        const conversations = (Array.isArray(result) ? result : [result]).filter((c) => c?.conversationId);
        if (conversations.length === 0) return;
        for (const [index, read] of conversations.entries()) {
          const conversationId = `${this.adapter.id}:${location.hostname}:${read.conversationId}`;
          const messages = read.messages.map((message) => ({ ...message, role: this.#role(message.role) }));
          if (index === 0) {
            const switched = conversationId !== this.conversationId;
            this.conversationId = conversationId;
            this.lastRead = messages;
            if (switched) this.#reportFocus();
          }
          await this.#deliver(conversationId, messages);
        }
      } finally {
        this.inFlight = false;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      }
    }

    async #deliver(conversationId, messages) {
      const delivered = this.delivered.get(conversationId) ?? new Set();
      this.delivered.set(conversationId, delivered);
      const fresh = messages.filter((message) => !delivered.has(message.id));
      if (fresh.length === 0) return;
      const ok = await this.send({
        conversation_id: conversationId,
        site: this.adapter.id,
        messages: fresh.map(({ id, role, text, ts }) => ({
          id,
          role,
          text: text.slice(0, MAX_TEXT),
          ...(ts ? { ts } : {}),
        })),
      });
      if (ok) for (const message of fresh) delivered.add(message.id);
      else if (ok === false) {
        // The worker was unreachable (extension updating): try again in a while.
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.scan(), 2000);
      }
    }

    #role(role) {
      if (!this.swapRoles) return role;
      return role === "customer" ? "agent" : "customer";
    }

    /** What the popup shows: which console, which conversation, how messages are attributed. */
    describe() {
      const counts = { customer: 0, agent: 0 };
      for (const message of this.lastRead) counts[message.role] += 1;
      return {
        adapter: this.adapter ? { id: this.adapter.id, name: this.adapter.name } : null,
        conversationId: this.conversationId,
        counts,
        swapRoles: this.swapRoles,
        recent: this.lastRead.slice(-4).map(({ role, text }) => ({ role, text: text.slice(0, 80) })),
      };
    }
  }

  ns.PageReader = PageReader;
})();
