// Unit tests of the content script's reading-health watch (node --test, a fake DOM): it counts
// changes of the message list only, forgets them when something new is read, and reports a
// verdict once, when it changes.

import assert from "node:assert/strict";
import { test } from "node:test";

import "../../src/shared/reading-health.js";

globalThis.Node ??= { ELEMENT_NODE: 1, TEXT_NODE: 3 };
const ns = (globalThis.__moodline ??= { adapters: [] });
ns.composedParent = (node) => node.parent ?? null;
await import("../../src/content/reading-watch.js");

const list = { name: "list", childElementCount: 0 };
const row = { name: "row", parent: list };
const elsewhere = { name: "clock" };
const added = (target, nodeType = 1) => ({ type: "childList", target, addedNodes: [{ nodeType }] });
const healthy = { generic: true, matched: true, counts: { customer: 2, agent: 2 }, repeatedIds: 0, lists: [list] };

function watch() {
  let now = 0;
  const reports = [];
  const watcher = new ns.ReadingWatch((problem) => reports.push(problem), () => now);
  return { watcher, reports, at: (ms) => (now = ms) };
}

test("the first verdict is always reported, later ones only when they change", () => {
  const { watcher, reports } = watch();
  watcher.read({ ...healthy, fresh: true });
  watcher.read({ ...healthy, fresh: false });
  watcher.check();
  assert.deepEqual(reports, [null]);
  watcher.read({ ...healthy, repeatedIds: 2, fresh: false });
  watcher.read({ ...healthy, repeatedIds: 2, fresh: false });
  assert.deepEqual(reports, [null, { code: "ids_repeat", count: 2 }]);
  watcher.read({ ...healthy, fresh: true }); // set up again: reading works
  assert.deepEqual(reports.at(-1), null);
});

test("rows added to the list while nothing new is read for a minute: stalled, until a new message", () => {
  const { watcher, reports, at } = watch();
  list.childElementCount = 10;
  watcher.read({ ...healthy, fresh: true });
  for (const ms of [1_000, 20_000, 40_000, 61_500]) {
    at(ms);
    list.childElementCount += 1;
    watcher.changed([added(elsewhere), added(row, 3), added(row)]);
    watcher.read({ ...healthy, fresh: false });
  }
  watcher.check();
  assert.deepEqual(reports.at(-1), { code: "stalled", minutes: 1 });
  at(62_000);
  list.childElementCount += 1;
  watcher.changed([added(list)]);
  watcher.read({ ...healthy, fresh: true });
  assert.equal(reports.at(-1), null);
});

test("a line that comes and goes (a typing indicator) is not the list growing", () => {
  const { watcher, reports, at } = watch();
  list.childElementCount = 10;
  watcher.read({ ...healthy, fresh: true });
  for (let i = 1; i < 20; i += 1) {
    at(i * 10_000);
    list.childElementCount = 10 + (i % 2); // shown, gone, shown…
    watcher.changed([added(list)]);
    watcher.check();
  }
  assert.deepEqual(reports, [null]);
});

test("changes outside the list, or text-only changes, never count", () => {
  const { watcher, reports, at } = watch();
  watcher.read({ ...healthy, fresh: true });
  for (const ms of [1_000, 30_000, 61_000, 90_000]) {
    at(ms);
    list.childElementCount += 1; // (even if the list grew meanwhile, these records are not about it)
    watcher.changed([added(elsewhere), added(row, 3), { type: "characterData", target: row, addedNodes: [] }]);
    watcher.check();
  }
  assert.deepEqual(reports, [null]);
});

test("a set-up that matches nothing is reported once the grace period is over", () => {
  const { watcher, reports, at } = watch();
  watcher.read({ ...healthy, matched: false, counts: { customer: 0, agent: 0 }, lists: [], fresh: false });
  at(10_000);
  watcher.check();
  assert.deepEqual(reports, [null, { code: "no_match" }]);
});
