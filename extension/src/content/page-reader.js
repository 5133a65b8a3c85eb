// Watches the page with a MutationObserver and hands each message to the worker exactly once,
// whatever the console does: re-rendered or virtualized lists, conversation switches, edits
// (sent-ledger.js decides what is new). It watches inside open shadow roots and same-origin
// frames too, follows route changes (pushState) for focus, and feeds the reading-health watch.

(() => {
  const ns = globalThis.__moodline;
  if (ns.PageReader) return;
  const MAX_TEXT = 4000;
  const SLOW_READ_MS = 16; // a read slower than a frame: read at most every THROTTLE_MS
  const THROTTLE_MS = 200;
  const RETRY_MS = 2000;
  const RESCAN_MS = 2000; // new shadow roots and frames, a URL changed without a DOM change
  const OBSERVED = { childList: true, subtree: true, characterData: true };

  class PageReader {
    /**
     * chooseAdapter(): the adapter for this page now (or null while the console has not
     * rendered); send(payload): resolves true once the worker has queued it, null when paused,
     * false when the worker could not be reached.
     */
    constructor({ chooseAdapter, send, focus, reportHealth = () => undefined, swapRoles = false, timing = false }) {
      this.chooseAdapter = chooseAdapter;
      this.send = send;
      this.focus = focus;
      this.swapRoles = swapRoles;
      this.timing = timing; // latency marks for the benchmark (debugTiming in storage) only
      this.changedAt = null;
      this.ledger = new ns.SentLedger(); // what was collected (sent or pending), per conversation
      this.watch = new ns.ReadingWatch(reportHealth);
      this.pending = []; // {conversation_id, site, verified, message} in page order, not yet queued
      this.adapter = null;
      this.conversationId = null;
      this.lastRead = [];
      this.timer = null;
      this.sending = false;
      this.slow = false;
      // Every DOM change is read in the same microtask batch the console made it in, so a
      // message that is shown only briefly (a list re-rendered right away, a quick switch) is
      // still seen; only a page whose reads are slow falls back to reading every 200 ms.
      this.observer = new MutationObserver((records) => {
        if (this.timing) this.changedAt = performance.timeOrigin + performance.now();
        this.#watchAdded(records);
        this.watch.changed(records);
        if (this.slow) this.#throttled();
        else this.collect();
      });
      this.owners = new WeakMap(); // message element → {conversationId, text} it was read as
      this.watched = new WeakSet(); // shadow roots, frame documents and frames already watched
      this.href = location.href;
      this.onRoute = () => this.#routeChanged();
    }

    start() {
      this.observer.observe(document.documentElement, OBSERVED);
      this.#watchRoots(document);
      document.addEventListener("visibilitychange", () => this.#reportFocus());
      window.addEventListener("focus", () => this.#reportFocus());
      // pushState fires no event of its own: the Navigation API sees it, the rescan backs it up.
      globalThis.navigation?.addEventListener("currententrychange", this.onRoute);
      window.addEventListener("popstate", this.onRoute);
      window.addEventListener("hashchange", this.onRoute);
      this.rescan = setInterval(() => {
        this.#watchRoots(document);
        if (location.href !== this.href) this.#routeChanged();
        this.watch.check();
      }, RESCAN_MS);
      this.collect();
    }

    stop() {
      this.observer.disconnect();
      clearTimeout(this.timer);
      clearInterval(this.rescan);
      globalThis.navigation?.removeEventListener("currententrychange", this.onRoute);
      window.removeEventListener("popstate", this.onRoute);
      window.removeEventListener("hashchange", this.onRoute);
    }

    /** Observes every open shadow root and same-origin frame document inside `root`. */
    #watchRoots(root) {
      const scopes = [root, ...ns.innerRoots(root)];
      for (const inner of scopes.slice(1)) {
        if (this.watched.has(inner)) continue;
        this.watched.add(inner);
        this.observer.observe(inner.nodeType === Node.DOCUMENT_NODE ? inner.documentElement : inner, OBSERVED);
      }
      const frames = scopes.flatMap((scope) => [...scope.querySelectorAll("iframe, frame")]);
      if (root.nodeType === Node.ELEMENT_NODE && /^i?frame$/.test(root.localName)) frames.push(root);
      for (const frame of frames) {
        if (this.watched.has(frame)) continue;
        this.watched.add(frame); // a frame that loads (or navigates) later brings a new document
        frame.addEventListener("load", () => {
          this.#watchRoots(document);
          this.collect();
        });
      }
    }

    #watchAdded(records) {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType === Node.ELEMENT_NODE && (node.shadowRoot || node.firstElementChild || node.localName === "iframe")) {
            this.#watchRoots(node);
          }
        }
      }
    }

    #routeChanged() {
      if (location.href === this.href) return;
      this.href = location.href;
      this.collect();
      this.#reportFocus();
    }

    #throttled() {
      if (this.timer) return;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.collect();
      }, THROTTLE_MS);
    }

    #reportFocus() {
      if (this.conversationId && document.visibilityState === "visible") this.focus(this.conversationId);
    }

    /** Reads the page now and queues (in memory) what has not been collected before. */
    collect() {
      const started = performance.now();
      this.adapter = this.chooseAdapter();
      let result = null;
      try {
        result = this.adapter ? this.adapter.read(document, location) : null;
      } catch {
        result = null; // a console mid-render: the next mutation reads it again
      }
      // An adapter returns one conversation, or a list (consoles that show several at once;
      // the first is the one the agent is looking at).
      const conversations = (Array.isArray(result) ? result : [result]).filter((c) => c?.conversationId);
      const idsVerified = this.adapter?.idsVerified === true;
      let repeatedIds = 0;
      let fresh = false;
      for (const [index, read] of conversations.entries()) {
        const conversationId = `${this.adapter.id}:${location.hostname}:${read.conversationId}`;
        const messages = read.messages
          .filter((message) => this.#ownedBy(message, conversationId))
          .map((message) => ({ ...message, role: this.#role(message.role) }));
        if (index === 0) {
          const switched = conversationId !== this.conversationId;
          this.conversationId = conversationId;
          this.lastRead = messages;
          if (switched) this.#reportFocus();
        }
        const taken = this.ledger.take(conversationId, messages, idsVerified);
        repeatedIds += taken.repeatedIds;
        fresh ||= taken.fresh.length > 0;
        for (const { message: { id, role, text, ts }, verified } of taken.fresh) {
          const message = { id, role, text: text.slice(0, MAX_TEXT), ...(ts ? { ts } : {}) };
          const item = { conversation_id: conversationId, site: this.adapter.id, verified, message };
          if (this.timing) item.marks = { changed: this.changedAt, read: performance.timeOrigin + performance.now() };
          this.pending.push(item);
        }
      }
      this.slow = performance.now() - started > SLOW_READ_MS;
      if (this.pending.length) this.#sendPending(); // first: it hands them on before it awaits
      this.#observed(result, conversations.length > 0, repeatedIds, fresh);
    }

    /** Tells the reading-health watch what this read found. */
    #observed(result, found, repeatedIds, fresh) {
      const counts = { customer: 0, agent: 0 };
      for (const message of this.lastRead) counts[message.role] += 1;
      const first = Array.isArray(result) ? result[0] : result;
      const parents = new Set(this.lastRead.map((message) => message.element?.parentNode).filter(Boolean));
      this.watch.read({
        generic: this.adapter?.id === "generic",
        matched: found && first?.matched !== false,
        counts,
        repeatedIds,
        fresh,
        lists: first?.lists ?? [...parents],
      });
    }

    /** Hands pending messages to the worker, one run at a time (one conversation, and ids
     * vouched for or not), in page order. */
    async #sendPending() {
      if (this.sending) return;
      this.sending = true;
      try {
        while (this.pending.length) {
          const first = this.pending[0];
          const same = (item) => item.conversation_id === first.conversation_id && item.verified === first.verified;
          let count = 0;
          while (count < this.pending.length && same(this.pending[count])) count += 1;
          const batch = this.pending.slice(0, count);
          const payload = {
            conversation_id: first.conversation_id,
            site: first.site,
            ids_verified: first.verified,
            messages: batch.map((item) => item.message),
          };
          if (this.timing) payload.timing = { ...first.marks, sent: performance.timeOrigin + performance.now() };
          const ok = await this.send(payload);
          if (ok === false) {
            // The worker could not be reached (extension updating): keep them and try later.
            setTimeout(() => this.#sendPending(), RETRY_MS);
            return;
          }
          this.pending.splice(0, count); // queued by the worker (or dropped because paused)
        }
      } finally {
        this.sending = false;
      }
    }

    /**
     * False for an element still showing what it showed in another conversation: after a route
     * change (pushState) the URL is new before the console has re-rendered the thread, and the
     * old messages must not be filed under the new conversation.
     */
    #ownedBy({ element, text }, conversationId) {
      if (!element) return true;
      const owner = this.owners.get(element);
      if (owner && owner.text === text) return owner.conversationId === conversationId;
      this.owners.set(element, { conversationId, text });
      return true;
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
