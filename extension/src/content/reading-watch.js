// Watches whether reading works on this page (src/shared/reading-health.js has the rules): the
// page reader tells it what each read found and hands it the DOM changes; it counts the rows the
// message list gains while nothing new is read, and tells the worker when the verdict changes
// (the worker shows it on the badge and in the popup).

(() => {
  const ns = globalThis.__moodline;
  if (ns.ReadingWatch) return;
  const HEALTH = globalThis.MOODLINE_HEALTH;
  const MAX_RECORDS = 50; // mutation records looked at per batch: enough to see one in the list

  const addsElement = (record) =>
    record.type === "childList" && [...record.addedNodes].some((node) => node.nodeType === Node.ELEMENT_NODE);

  /** Rows of the lists now (a list's rows may sit in its shadow root). */
  const rowsOf = (lists) =>
    lists.reduce((sum, list) => sum + (list.childElementCount || list.shadowRoot?.childElementCount || 0), 0);

  /** True when `node` is `list` or inside it, through shadow roots too. */
  const within = (list, node) => {
    for (let current = node; current; current = ns.composedParent(current)) {
      if (current === list) return true;
    }
    return false;
  };

  class ReadingWatch {
    /** report(problem | null): called at start and whenever the verdict changes. */
    constructor(report, clock = Date.now) {
      this.report = report;
      this.clock = clock;
      this.lists = [];
      this.reported = undefined;
      this.seen = {
        generic: false,
        startedAt: clock(),
        matched: true,
        counts: { customer: 0, agent: 0 },
        repeatedIds: 0,
        newRows: 0,
        changingSince: null,
        lastChangeAt: null,
      };
      this.rows = 0; // rows of the lists when something new was last read
    }

    /** After each read: {generic, matched, counts, repeatedIds, fresh (new messages read), lists}. */
    read({ generic, matched, counts, repeatedIds, fresh, lists }) {
      Object.assign(this.seen, { generic, matched, counts, repeatedIds });
      const moved = lists.length !== this.lists.length || lists.some((list, i) => list !== this.lists[i]);
      this.lists = lists;
      if (fresh || moved) {
        this.rows = rowsOf(lists);
        Object.assign(this.seen, { newRows: 0, changingSince: null, lastChangeAt: null });
      }
      this.check();
    }

    /** DOM changes (before the read they cause): rows added to the message list count. */
    changed(records) {
      if (!this.lists.length) return;
      for (const record of records.slice(0, MAX_RECORDS)) {
        if (!addsElement(record) || !this.lists.some((list) => within(list, record.target))) continue;
        const newRows = rowsOf(this.lists) - this.rows;
        if (newRows <= this.seen.newRows) return; // a row that came and went (a typing line)
        const now = this.clock();
        this.seen.newRows = newRows;
        this.seen.changingSince ??= now;
        this.seen.lastChangeAt = now;
        return;
      }
    }

    /** Applies the rules now (also on a timer: some of them are about time passing). */
    check() {
      const problem = HEALTH.pageProblem(this.seen, this.clock());
      if (this.reported !== undefined && HEALTH.same(problem, this.reported)) return;
      this.reported = problem;
      this.report(problem);
    }
  }

  ns.ReadingWatch = ReadingWatch;
})();
