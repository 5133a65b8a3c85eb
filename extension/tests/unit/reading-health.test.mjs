// Unit tests of the reading-health rules (node --test): when reading looks broken on a page, and
// the words the popup and the badge use for it.

import assert from "node:assert/strict";
import { test } from "node:test";

import "../../src/shared/reading-health.js";

const { LIMITS, pageProblem, refusedProblem, worst, describe, same } = globalThis.MOODLINE_HEALTH;

const T0 = 1_000_000;
/** What a healthy generic page looks like to the content script, with `changes` on top. */
const seen = (changes = {}) => ({
  generic: true,
  startedAt: T0,
  matched: true,
  counts: { customer: 3, agent: 2 },
  repeatedIds: 0,
  newRows: 0,
  changingSince: null,
  lastChangeAt: null,
  ...changes,
});

test("a page read well has no problem", () => {
  assert.equal(pageProblem(seen(), T0 + 600_000), null);
  assert.equal(pageProblem(seen({ generic: false, counts: { customer: 9, agent: 0 } }), T0), null);
});

test("ids that repeat with other words are a problem at once", () => {
  assert.deepEqual(pageProblem(seen({ repeatedIds: 4 }), T0), { code: "ids_repeat", count: 4 });
});

test("a set-up whose selectors match nothing is a problem after the grace period, generic only", () => {
  const nothing = seen({ matched: false, counts: { customer: 0, agent: 0 } });
  assert.equal(pageProblem(nothing, T0 + LIMITS.noMatchAfterMs - 1), null);
  assert.deepEqual(pageProblem(nothing, T0 + LIMITS.noMatchAfterMs), { code: "no_match" });
  assert.equal(pageProblem({ ...nothing, generic: false }, T0 + 600_000), null);
});

test("rows that keep being added while nothing new is read for a minute are a problem", () => {
  const start = T0 + 5_000;
  const changing = (newRows, last, now) => pageProblem(seen({ newRows, changingSince: start, lastChangeAt: last }), now);
  assert.equal(changing(5, start + 50_000, start + LIMITS.stalledMs - 1), null); // not a minute yet
  assert.deepEqual(changing(5, start + 50_000, start + LIMITS.stalledMs), { code: "stalled", minutes: 1 });
  assert.equal(changing(LIMITS.stalledRows - 1, start + 50_000, start + 70_000), null); // hardly changing
  assert.equal(changing(5, start + 1_000, start + 1_000 + LIMITS.stalledMs), null); // quiet again since
  assert.equal(changing(5, start + 170_000, start + 180_000).minutes, 3);
});

test("all messages in one role after six is a problem on a generic set-up", () => {
  const oneSide = (customer, agent, generic = true) => pageProblem(seen({ generic, counts: { customer, agent } }), T0);
  assert.equal(oneSide(LIMITS.oneRoleAfter - 1, 0), null);
  assert.deepEqual(oneSide(LIMITS.oneRoleAfter, 0), { code: "one_role", role: "customer", count: 6 });
  assert.deepEqual(oneSide(0, 7), { code: "one_role", role: "agent", count: 7 });
  assert.equal(oneSide(6, 1), null); // the other side appeared: reading works again
  assert.equal(oneSide(8, 0, false), null); // built-in adapters know their roles
});

test("the daemon's refusals are a problem; the worst problem is named first", () => {
  assert.equal(refusedProblem(null), null);
  assert.equal(refusedProblem({ count: 0 }), null);
  assert.deepEqual(refusedProblem({ count: 16, at: T0 }), { code: "refused", count: 16 });
  const picked = worst([null, { code: "one_role", role: "customer", count: 6 }, { code: "refused", count: 2 }, { code: "stalled" }]);
  assert.equal(picked.code, "refused");
  assert.equal(worst([null, undefined]), null);
  assert.equal(worst([{ code: "unknown" }]), null);
});

test("every problem is said in words, with its numbers", () => {
  assert.match(describe({ code: "refused", count: 4 }), /could not read 4 messages on this site.*wrong id/);
  assert.match(describe({ code: "refused", count: 1 }), /1 message on/);
  assert.match(describe({ code: "ids_repeat", count: 2 }), /2 messages on this page share an id/);
  assert.match(describe({ code: "no_match" }), /finds no chat on this page/);
  assert.match(describe({ code: "stalled", minutes: 2 }), /keeps changing.*nothing new for 2 minutes/);
  assert.match(describe({ code: "one_role", role: "customer", count: 6 }), /All 6 messages .* the customer's: if your messages/);
  assert.match(describe({ code: "one_role", role: "agent", count: 6 }), /are yours: if the customer's messages/);
  assert.equal(describe(null), "");
});

test("same() compares verdicts, null and undefined alike", () => {
  assert.ok(same(null, undefined));
  assert.ok(same({ code: "no_match" }, { code: "no_match" }));
  assert.ok(!same({ code: "refused", count: 1 }, { code: "refused", count: 2 }));
});
