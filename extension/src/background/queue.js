// The durable outbox: messages wait in chrome.storage.local until the daemon has stored them.

const QUEUE_KEY = "outbox";
const REJECTED_KEY = "rejected";
export const MAX_QUEUED = 20000;
export const MAX_REJECTED = 200;

/** Serialises read-modify-write cycles on one storage area (one worker, many callers). */
class Mutex {
  #tail = Promise.resolve();
  run(task) {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * A FIFO of {conversation_id, source, message} items kept in `area` (chrome.storage.local or a
 * test double with the same get/set). Every change is written before the promise resolves, so
 * a worker stopped at any moment loses nothing that was acknowledged to a content script.
 */
export class DurableQueue {
  constructor(area) {
    this.area = area;
    this.mutex = new Mutex();
  }

  async #read(key) {
    const stored = await this.area.get(key);
    return Array.isArray(stored[key]) ? stored[key] : [];
  }

  /** Appends items in order; returns how many old items were dropped to stay under the cap. */
  enqueue(items) {
    return this.mutex.run(async () => {
      const queue = await this.#read(QUEUE_KEY);
      queue.push(...items);
      const dropped = Math.max(0, queue.length - MAX_QUEUED);
      await this.area.set({ [QUEUE_KEY]: queue.slice(dropped) });
      return dropped;
    });
  }

  /**
   * The next batch to send: the oldest item and the items right after it from the same
   * conversation (so each conversation keeps its order and one request is one conversation).
   */
  peekBatch(limit = 100) {
    return this.mutex.run(async () => {
      const queue = await this.#read(QUEUE_KEY);
      if (queue.length === 0) return null;
      const first = queue[0];
      const batch = [];
      for (const item of queue) {
        if (item.conversation_id !== first.conversation_id || batch.length >= limit) break;
        batch.push(item);
      }
      return batch;
    });
  }

  /** Removes the first `count` items (the batch the daemon just acknowledged). */
  drop(count) {
    return this.mutex.run(async () => {
      const queue = await this.#read(QUEUE_KEY);
      await this.area.set({ [QUEUE_KEY]: queue.slice(count) });
    });
  }

  /** Moves the first `count` items aside with the daemon's reason, so one bad batch never
   * blocks the rest; the popup shows them. */
  reject(count, reason) {
    return this.mutex.run(async () => {
      const queue = await this.#read(QUEUE_KEY);
      const rejected = await this.#read(REJECTED_KEY);
      for (const item of queue.slice(0, count)) rejected.push({ ...item, reason });
      await this.area.set({
        [QUEUE_KEY]: queue.slice(count),
        [REJECTED_KEY]: rejected.slice(-MAX_REJECTED),
      });
    });
  }

  size() {
    return this.mutex.run(async () => (await this.#read(QUEUE_KEY)).length);
  }

  rejectedCount() {
    return this.mutex.run(async () => (await this.#read(REJECTED_KEY)).length);
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
