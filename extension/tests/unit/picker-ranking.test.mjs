// Unit tests of the picker's ranking (node --test): rows are described as picker-features.js
// describes them from the page; the ranking must generalise from a few clicks.

import assert from "node:assert/strict";
import { test } from "node:test";

import "../../src/content/picker-ranking.js";

const { rankPicks } = globalThis.__moodline;

/** A row as picker-features.js describes it: tag, attributes and classes, deep features, labels. */
function row(tag, attrs = {}, { classes = [], deep = [], labels = [] } = {}) {
  const features = [{ base: tag, self: true, kind: "tag", name: "tag", value: tag }];
  const add = (self, name, value) => {
    features.push({ base: `[${name}="${value}"]`, self, kind: "attr", name, value });
    features.push({ base: `[${name}]`, self, kind: "has", name, value: null });
  };
  for (const name of classes) features.push({ base: `.${name}`, self: true, kind: "class", name: "class", value: name });
  for (const [name, value] of Object.entries(attrs)) add(true, name, value);
  for (const item of deep) {
    if (item.startsWith(".")) features.push({ base: item, self: false, kind: "class", name: "class", value: item.slice(1) });
    else add(false, ...item.split("="));
  }
  return { tag, features, labels };
}

/** The hashed-class console of issue 12: event id first, then kind and author. */
function hashedConsole() {
  const rows = [];
  const add = (kind, author, extra = {}) =>
    rows.push(row("div", { "data-event-id": `evt_${(rows.length * 7919).toString(16)}a`, "data-kind": kind, "data-author": author, ...extra }));
  add("message", "customer");
  add("message", "agent");
  add("system", "system");
  add("message", "customer");
  add("internal", "agent"); // a private note about approving a refund
  add("message", "agent");
  add("message", "customer");
  rows.push(row("div", { "data-kind": "presence", "aria-live": "polite" })); // typing indicator
  return rows;
}

test("the issue's failure: the role comes from the author attribute, the id from the event id", () => {
  const result = rankPicks({ rows: hashedConsole(), picks: [{ row: 0, as: "customer" }, { row: 1, as: "agent" }] });
  assert.equal(result.ok, true);
  assert.equal(result.config.customer, '[data-author="customer"]');
  assert.equal(result.config.agent, '[data-author="agent"]');
  assert.equal(result.config.id_attribute, "data-event-id");
  assert.equal(result.config.id_verified, true); // checked unique across the list: edits are edits
  assert.equal(result.config.message, ':scope > *[data-kind="message"]');
  assert.deepEqual(result.rows, ["customer", "agent", "ignored", "customer", "ignored", "agent", "customer", "ignored"]);
  assert.deepEqual(result.warnings, []);
});

test("exclusions are derived automatically (notes, system lines, live regions) and can be undone", () => {
  const rows = [
    row("li", { "data-id": "m1" }, { classes: ["msg", "in"] }),
    row("li", { "data-id": "m2" }, { classes: ["msg", "out"] }),
    row("li", { "data-id": "m3", "data-visibility": "internal" }, { classes: ["msg", "out"] }),
    row("li", { "data-id": "m4" }, { classes: ["msg", "sys-line"] }),
    row("li", { role: "status" }, { classes: ["msg"] }),
    row("li", { "data-id": "m5" }, { classes: ["msg", "in"] }),
    row("li", { "data-id": "m6" }, { classes: ["msg", "out"] }),
  ];
  const picks = [{ row: 0, as: "customer" }, { row: 1, as: "agent" }];
  const result = rankPicks({ rows, picks });
  assert.deepEqual(result.rows, ["customer", "agent", "ignored", "ignored", "ignored", "customer", "agent"]);
  assert.ok(result.config.ignore.includes(':scope[data-visibility="internal"]'));
  assert.ok(result.config.ignore.includes(':scope[role="status"]'));
  assert.ok(result.config.ignore.includes(".sys-line"));
  assert.ok(result.ignored.every((entry) => entry.auto));
  const undone = rankPicks({ rows, picks, autoExclude: false });
  assert.equal(undone.config.ignore, null);
  assert.equal(undone.rows[2], "agent"); // the note would be read: hence on by default
});

test("a click on something that is not a message leaves out it and everything like it", () => {
  const rows = [
    row("div", { "data-n": "1" }, { classes: ["bubble", "in"] }),
    row("div", { "data-n": "2" }, { classes: ["bubble", "out"] }),
    row("div", { "data-n": "3", "data-card": "order" }, { classes: ["bubble", "out"] }), // a bot card
    row("div", { "data-n": "4" }, { classes: ["bubble", "in"] }),
    row("div", { "data-n": "5", "data-card": "order" }, { classes: ["bubble", "out"] }),
  ];
  const picks = [{ row: 0, as: "customer" }, { row: 1, as: "agent" }];
  assert.equal(rankPicks({ rows, picks }).rows[2], "agent");
  const result = rankPicks({ rows, picks: [...picks, { row: 2, as: "none" }] });
  assert.deepEqual(result.rows, ["customer", "agent", "ignored", "customer", "ignored"]);
  assert.equal(result.config.ignore, ':scope[data-card="order"]');
  assert.equal(result.ignored[0].auto, false);
});

test("one more customer click updates the ranking", () => {
  const rows = [
    row("p", {}, { classes: ["msg", "in"] }),
    row("p", {}, { classes: ["msg", "out"] }),
    row("p", {}, { classes: ["msg", "mail"] }), // a customer message that came by e-mail
    row("p", {}, { classes: ["msg", "out"] }),
    row("p", {}, { classes: ["msg", "in"] }),
  ];
  const two = rankPicks({ rows, picks: [{ row: 0, as: "customer" }, { row: 1, as: "agent" }] });
  assert.notEqual(two.rows[2], "customer");
  const three = rankPicks({ rows, picks: [{ row: 0, as: "customer" }, { row: 1, as: "agent" }, { row: 2, as: "customer" }] });
  assert.deepEqual(three.rows, ["customer", "agent", "customer", "agent", "customer"]);
  assert.equal(three.config.agent, ".out");
  assert.equal(three.config.customer, null);
  assert.match(three.notes.join(" "), /Every message that is not yours is read as the customer's/);
});

test("role selectors describe a class of messages: a unique value is never a role", () => {
  const rows = [0, 1, 2, 3].map((n) => row("div", { "data-uid": `u-${n}x9${n}` }, { classes: ["msg"] }));
  const result = rankPicks({ rows, picks: [{ row: 0, as: "customer" }, { row: 1, as: "agent" }] });
  assert.equal(result.ok, false);
  assert.match(result.reason, /cannot tell/);
});

test("a role matching only the clicked message is saved only with a warning in words", () => {
  const rows = [
    row("div", { "data-from": "visitor" }, { classes: ["m"] }),
    row("div", { "data-from": "operator" }, { classes: ["m"] }),
    row("div", { "data-from": "visitor" }, { classes: ["m"] }),
  ];
  const result = rankPicks({ rows, picks: [{ row: 0, as: "customer" }, { row: 1, as: "agent" }] });
  assert.equal(result.ok, true);
  assert.match(result.warnings.join(" "), /agent selector matches only/);
});

test("zebra stripes are not roles: with nothing else, the page is told it cannot be read", () => {
  const rows = [0, 1, 2, 3, 4].map((n) => row("tr", {}, { classes: [n % 2 ? "even" : "odd"], deep: [".cell"] }));
  const result = rankPicks({ rows, picks: [{ row: 0, as: "customer" }, { row: 1, as: "agent" }] });
  assert.equal(result.ok, false);
  assert.match(result.reason, /odd\/even/);
});

test("roles written as text: a cell naming the author", () => {
  const who = (text) => [{ sel: "td.who", attribute: null, text }, { sel: "td.at", attribute: null, text: "10:0" + text.length }];
  const authors = ["Client", "Support: Dana", "Client", "Support: Sam", "Client"];
  const rows = authors.map((author, n) =>
    row("tr", {}, { classes: [n % 2 ? "even" : "odd"], deep: [".who", ".said", ".at"], labels: who(author) }),
  );
  rows.push(row("tr", {}, { classes: ["sys"], deep: ["colspan=3"], labels: [{ sel: ":scope > td:nth-child(1)", attribute: null, text: "Chat transferred" }] }));
  const result = rankPicks({ rows, picks: [{ row: 0, as: "customer" }, { row: 1, as: "agent" }], textSelector: "td.said" });
  assert.equal(result.ok, true);
  assert.deepEqual(result.config.customer_text, { selector: "td.who", contains: "Client" });
  assert.deepEqual(result.config.agent_text, { selector: "td.who", pattern: "^Support\\b" });
  assert.equal(result.config.customer, null);
  assert.deepEqual(result.rows, ["customer", "agent", "customer", "agent", "customer", "ignored"]);
});

test("no attribute is unique per message: the id falls back to text and position, and says so", () => {
  const rows = [
    row("li", { "data-testid": "msg-inbound" }),
    row("li", { "data-testid": "msg-outbound" }),
    row("li", { "data-testid": "msg-inbound" }),
  ];
  const result = rankPicks({ rows, picks: [{ row: 0, as: "customer" }, { row: 1, as: "agent" }] });
  assert.equal(result.config.id_attribute, null);
  assert.equal(result.config.id_verified, false); // hashed ids are never vouched for
  assert.match(result.notes.join(" "), /text and position/);
  assert.equal(result.config.customer, '[data-testid="msg-inbound"]');
});

test("an id attribute must be unique across the whole list", () => {
  const rows = [
    row("li", { "data-ref": "a1", "data-seq": "1" }, { classes: ["in"] }),
    row("li", { "data-ref": "a1", "data-seq": "2" }, { classes: ["out"] }), // data-ref repeats
    row("li", { "data-ref": "a3", "data-seq": "3" }, { classes: ["in"] }),
  ];
  const result = rankPicks({ rows, picks: [{ row: 0, as: "customer" }, { row: 1, as: "agent" }] });
  assert.equal(result.config.id_attribute, "data-seq");
});

test("a note named in free text is left out by its leading words, whoever wrote it", () => {
  const rows = [
    row("div", { role: "listitem", "aria-label": "Message from the visitor", id: "m-1" }),
    row("div", { role: "listitem", "aria-label": "Message from Dana", id: "m-2" }),
    row("div", { role: "listitem", "aria-label": "Internal note by Dana", id: "m-3" }),
    row("div", { role: "listitem", "aria-label": "Internal note by Sam", id: "m-4" }),
    row("div", { role: "listitem", "aria-label": "Message from Sam", id: "m-5" }),
  ];
  const result = rankPicks({ rows, picks: [{ row: 0, as: "customer" }, { row: 1, as: "agent" }] });
  assert.equal(result.config.ignore, ':scope[aria-label^="Internal note"]');
  assert.deepEqual(result.rows, ["customer", "agent", "ignored", "ignored", "agent"]);
  assert.equal(result.config.id_attribute, "id");
});

test("zebra marks by any name (bgcolor on every other row, system lines too) are not roles", () => {
  const kinds = ["customer", "agent", "system", "customer", "agent", "customer"];
  const rows = kinds.map((kind, n) =>
    row("tr", n % 2 ? { bgcolor: "#eee" } : {}, {
      classes: kind === "system" ? ["sys"] : [],
      deep: kind === "system" ? ["colspan=3"] : [".who", ".said"],
      labels: kind === "system" ? [] : [{ sel: "td.who", attribute: null, text: kind === "customer" ? "Client" : "Support: Dana" }],
    }),
  );
  const result = rankPicks({ rows, picks: [{ row: 0, as: "customer" }, { row: 1, as: "agent" }] });
  assert.equal(result.config.customer, null);
  assert.equal(result.config.message, ":scope > tr");
  assert.deepEqual(result.config.customer_text, { selector: "td.who", contains: "Client" });
  assert.deepEqual(result.rows, ["customer", "agent", "ignored", "customer", "agent", "customer"]);
});
