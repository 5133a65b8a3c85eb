// The durable outbox: messages wait in chrome.storage.local until the daemon has stored them.

const QUEUE_KEY = "outbox";
const REJECTED_KEY = "rejected";
export const MAX_QUEUED = 20000;
export const MAX_REJECTED = 200;

/**
 * A FIFO of {conversation_id, source, ids_verified, message} items kept in `area`
 * (chrome.storage.local or a test double with the same get/set), with a copy in memory read
 * once per worker start. `enqueue` resolves once its items are safe: written to storage, or
 * stored by the daemon (the batch holding them was answered 200 and dropped); only then is the
 * content script answered, so a worker or browser stopped at any moment loses nothing that was
 * acknowledged. With `writeAfterMs`, the write waits that long for the daemon's answer and is
 * skipped when the answer comes first: on the usual path, a message costs no storage write at
 * all. Reads (peekBatch, size) use the copy and never wait for a write.
 */
export class DurableQueue {
  constructor(area, { writeAfterMs = 0 } = {}) {
    this.area = area;
    this.writeAfterMs = writeAfterMs;
    this.items = null; // the outbox, once loaded
    this.loading = null;
    this.onDisk = new Set(); // items the last write put in storage
    this.unsafe = new Set(); // items neither in storage nor stored by the daemon yet
    this.tickets = []; // {items, resolve, reject}: enqueue calls waiting for their items to be safe
    this.writing = Promise.resolve(); // the last write started (settled)
    this.next = null; // a write queued behind it, not started yet
    this.extra = {}; // other keys that write carries (the rejected list)
    this.timer = null;
  }

  async #read(key) {
    const stored = await this.area.get(key);
    return Array.isArray(stored[key]) ? stored[key] : [];
  }

  async #load() {
    this.loading ??= this.#read(QUEUE_KEY).then(
      (items) => {
        this.items = items;
        this.onDisk = new Set(items);
      },
      (error) => {
        this.loading = null; // try again next time
        throw error;
      },
    );
    await this.loading;
    return this.items;
  }

  /** Resolves the enqueue calls whose items are all safe now. */
  #settle() {
    this.tickets = this.tickets.filter((ticket) => {
      if (ticket.items.some((item) => this.unsafe.has(item))) return true;
      ticket.resolve();
      return false;
    });
  }

  /**
   * Writes the outbox as it is when the write starts (plus `extra` keys), one write at a time;
   * changes made while a write runs share the next one. Resolves once storage holds the change.
   */
  #persist(extra = {}) {
    clearTimeout(this.timer);
    this.timer = null;
    Object.assign(this.extra, extra);
    if (!this.next) {
      const run = this.writing.then(async () => {
        this.next = null;
        const snapshot = [...this.items];
        const values = { ...this.extra, [QUEUE_KEY]: snapshot };
        this.extra = {};
        try {
          await this.area.set(values);
        } catch (error) {
          for (const ticket of this.tickets.splice(0)) ticket.reject(error);
          throw error;
        }
        this.onDisk = new Set(snapshot);
        for (const item of snapshot) this.unsafe.delete(item);
        this.#settle();
      });
      this.next = run;
      this.writing = run.catch(() => undefined);
    }
    return this.next;
  }

  /** A write soon: at once, or after writeAfterMs unless the daemon makes it needless. */
  #writeSoon() {
    if (this.writeAfterMs <= 0) return this.#persist().catch(() => undefined);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      if (this.unsafe.size || this.#stale()) this.#persist().catch(() => undefined);
    }, this.writeAfterMs);
    return undefined;
  }

  /** True when storage still holds items that have left the outbox. */
  #stale() {
    const here = new Set(this.items);
    for (const item of this.onDisk) if (!here.has(item)) return true;
    return false;
  }

  /**
   * Appends items in order (in memory at once once loaded); resolves, once they are safe, to
   * how many old items were dropped to stay under the cap.
   */
  enqueue(items) {
    if (!this.items) return this.#load().then(() => this.enqueue(items));
    this.items.push(...items);
    const dropped = Math.max(0, this.items.length - MAX_QUEUED);
    for (const item of this.items.splice(0, dropped)) this.unsafe.delete(item);
    for (const item of items) this.unsafe.add(item);
    const safe = new Promise((resolve, reject) => this.tickets.push({ items, resolve, reject }));
    this.#settle();
    this.#writeSoon();
    return safe.then(() => dropped);
  }

  /**
   * The next batch to send: the oldest item and the items right after it from the same
   * conversation with the same ids_verified (so each conversation keeps its order, and one
   * request is one conversation whose ids are all vouched for, or none).
   */
  async peekBatch(limit = 100) {
    const queue = await this.#load();
    if (queue.length === 0) return null;
    const first = queue[0];
    const verified = first.ids_verified === true;
    const batch = [];
    for (const item of queue) {
      if (item.conversation_id !== first.conversation_id || (item.ids_verified === true) !== verified) break;
      if (batch.length >= limit) break;
      batch.push(item);
    }
    return batch;
  }

  /** Removes the first `count` items: the daemon stored them (they are safe now). Storage is
   * brought up to date soon (at once without writeAfterMs), if it held any of them. */
  drop(count) {
    if (!this.items) return this.#load().then(() => this.drop(count));
    for (const item of this.items.splice(0, count)) this.unsafe.delete(item);
    this.#settle();
    return this.#stale() ? (this.#writeSoon() ?? Promise.resolve()) : Promise.resolve();
  }

  /** Writes now what is not safe yet (the daemon cannot take it at the moment). */
  keep() {
    if (!this.items || (!this.unsafe.size && !this.#stale())) return Promise.resolve();
    return this.#persist();
  }

  /** Resolves once storage holds the outbox as it is now. */
  async written() {
    if (this.items && (this.unsafe.size || this.#stale())) this.#persist().catch(() => undefined);
    while (this.next) await this.next.catch(() => undefined);
    await this.writing;
  }

  /** Moves the first `count` items aside with the daemon's reason, so one bad batch never
   * blocks the rest; the popup shows them. */
  async reject(count, reason) {
    const queue = await this.#load();
    const rejected = [...(this.extra[REJECTED_KEY] ?? (await this.#read(REJECTED_KEY)))];
    const moved = queue.splice(0, count);
    for (const item of moved) rejected.push({ ...item, reason });
    await this.#persist({ [REJECTED_KEY]: rejected.slice(-MAX_REJECTED) });
    for (const item of moved) this.unsafe.delete(item);
    this.#settle();
  }

  async size() {
    return (await this.#load()).length;
  }

  async rejectedCount() {
    return (await this.#read(REJECTED_KEY)).length;
  }
}

/** Retry delays: 0.5 s doubling to 30 s, with ±20 % jitter so many tabs don't retry together. */
export class Backoff {
  constructor(initialMs = 500, maximumMs = 30000, random = Math.random) {
    this.initialMs = initialMs;
    this.maximumMs = maximumMs;
    this.random = random;
    this.current = initialMs;
  }

  next() {
    const delay = this.current * (0.8 + 0.4 * this.random());
    this.current = Math.min(this.current * 2, this.maximumMs);
    return Math.round(Math.min(delay, this.maximumMs));
  }

  reset() {
    this.current = this.initialMs;
  }
}
