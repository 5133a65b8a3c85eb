// Latency marks for benchmarks/bench_extension_latency.py: kept only while `debugTiming` is true
// in chrome.storage.local; otherwise each call is one boolean test. Times are epoch ms with
// sub-millisecond precision (performance.timeOrigin + performance.now()).

export const now = () => performance.timeOrigin + performance.now();

const MAX_RECORDS = 2000;

export const timing = {
  enabled: false,
  records: new Map(), // message id → {content marks, worker marks}

  /** A payload from a content script arrived (at `receivedAt`): its marks plus `received`. */
  start(ids, marks, receivedAt) {
    if (!this.enabled || !marks) return;
    const record = { ...marks, received: receivedAt };
    for (const id of ids) this.records.set(id, record);
    while (this.records.size > MAX_RECORDS) this.records.delete(this.records.keys().next().value);
  },

  /** Sets `key` on the records of these message ids (the first time only). */
  mark(ids, key) {
    if (!this.enabled) return;
    const at = now();
    for (const id of ids) {
      const record = this.records.get(id);
      if (record && !(key in record)) record[key] = at;
    }
  },

  /** Every record so far, and forgets them. */
  take() {
    const out = Object.fromEntries(this.records);
    this.records.clear();
    return out;
  },
};
