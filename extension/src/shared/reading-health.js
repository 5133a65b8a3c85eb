// Reading health: the rules that say reading looks broken on an enabled site, and the words for
// it. Pure (no DOM, no chrome.*): the content script feeds it what it observes on the page, the
// worker what the daemon refused; node tests call it directly (tests/unit/reading-health.test.mjs).
// A classic script and a module alike: it sets one global, MOODLINE_HEALTH.

(() => {
  if (globalThis.MOODLINE_HEALTH) return;

  const LIMITS = Object.freeze({
    oneRoleAfter: 6, // messages read, all of one side, on a generic set-up
    stalledMs: 60000, // rows keep being added to the list and nothing new is read for this long
    stalledRows: 3, // rows added to the list in that time (net: a typing line that comes and goes is not)
    noMatchAfterMs: 10000, // a set-up whose selectors match nothing after this long
  });

  // Worst first: what the popup and the badge name when several apply.
  const ORDER = ["refused", "ids_repeat", "no_match", "stalled", "one_role"];

  /**
   * What the page shows about reading, as the content script sees it, to a problem or null:
   * {generic: bool, startedAt, matched: bool (the set-up's list or messages exist on the page),
   *  counts: {customer, agent} (this conversation as read), repeatedIds: messages in the last
   *  read whose id another message with other words also has, newRows: rows the message list
   *  gained since the last new message was read, changingSince: when it first gained one,
   *  lastChangeAt: when it last did (ms, or null)}.
   */
  const pageProblem = (seen, now) => {
    if (seen.repeatedIds > 0) return { code: "ids_repeat", count: seen.repeatedIds };
    if (seen.generic && !seen.matched) {
      return now - seen.startedAt >= LIMITS.noMatchAfterMs ? { code: "no_match" } : null;
    }
    if (
      seen.newRows >= LIMITS.stalledRows &&
      seen.changingSince !== null &&
      now - seen.changingSince >= LIMITS.stalledMs &&
      now - seen.lastChangeAt < LIMITS.stalledMs
    ) {
      return { code: "stalled", minutes: Math.floor((now - seen.changingSince) / 60000) };
    }
    const { customer = 0, agent = 0 } = seen.counts ?? {};
    if (seen.generic && customer + agent >= LIMITS.oneRoleAfter && (customer === 0 || agent === 0)) {
      return { code: "one_role", role: customer ? "customer" : "agent", count: customer + agent };
    }
    return null;
  };

  /** The daemon's refusals for a site ({count}) as a problem, or null. */
  const refusedProblem = (mark) => (mark?.count > 0 ? { code: "refused", count: mark.count } : null);

  /** The worst of several problems (nulls ignored), or null. */
  const worst = (problems) =>
    problems
      .filter((problem) => problem && ORDER.includes(problem.code))
      .sort((a, b) => ORDER.indexOf(a.code) - ORDER.indexOf(b.code))[0] ?? null;

  const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

  /** The problem in the agent's words (the popup, the badge's tooltip). */
  const describe = (problem) => {
    switch (problem?.code) {
      case "refused":
        return `Moodline could not read ${plural(problem.count, "message")} on this site: ` +
          "their ids repeat with new words, so this site's set-up reads the wrong id.";
      case "ids_repeat":
        return `${plural(problem.count, "message")} on this page share an id with another message: ` +
          "this site's set-up reads the wrong id.";
      case "no_match":
        return "This site's set-up finds no chat on this page: the page may have changed.";
      case "stalled":
        return "The chat on this page keeps changing, but Moodline has read nothing new for " +
          `${plural(Math.max(1, problem.minutes ?? 1), "minute")}.`;
      case "one_role": {
        const other = problem.role === "customer" ? "your" : "the customer's";
        return `All ${problem.count} messages read on this page are ${problem.role === "customer" ? "the customer's" : "yours"}: ` +
          `if ${other} messages are shown too, this site's set-up reads the roles wrong.`;
      }
      default:
        return "";
    }
  };

  /** Two verdicts are the same (null and undefined alike): nothing new to report. */
  const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

  globalThis.MOODLINE_HEALTH = Object.freeze({ LIMITS, pageProblem, refusedProblem, worst, describe, same });
})();
