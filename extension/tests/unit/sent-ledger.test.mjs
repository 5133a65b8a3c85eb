// Unit tests of what the content script hands on (node --test): each message once per id and
// words; ids repeating with other words are sent (the daemon refuses and counts them) and never
// vouched for; edits only where ids are vouched for.

import assert from "node:assert/strict";
import { test } from "node:test";

import "../../src/content/sent-ledger.js";

const { SentLedger } = globalThis.__moodline;
const el = (name) => ({ name }); // an element stands in as any object (held by WeakRef)
const ids = (taken) => taken.fresh.map(({ message, verified }) => `${message.id}:${message.text}:${verified}`);

test("each message once; a re-rendered list (new elements, same words) sends nothing", () => {
  const ledger = new SentLedger();
  const first = [{ id: "1", text: "hi", element: el("a") }, { id: "2", text: "hello", element: el("b") }];
  assert.deepEqual(ids(ledger.take("c", first, true)), ["1:hi:true", "2:hello:true"]);
  assert.deepEqual(ids(ledger.take("c", first, true)), []);
  const rerendered = [{ id: "1", text: "hi", element: el("a2") }, { id: "2", text: "hello", element: el("b2") }];
  assert.deepEqual(ids(ledger.take("c", rerendered, true)), []);
  assert.deepEqual(ids(ledger.take("other", rerendered, true)), ["1:hi:true", "2:hello:true"]); // per conversation
});

test("a wrong id attribute (the author's role): every message is sent, none vouched for, counted", () => {
  const ledger = new SentLedger();
  const read = [
    { id: "customer", text: "a", element: el(1) },
    { id: "agent", text: "b", element: el(2) },
    { id: "customer", text: "c", element: el(3) },
    { id: "customer", text: "d", element: el(4) },
    { id: "agent", text: "e", element: el(5) },
  ];
  const taken = ledger.take("c", read, true);
  assert.equal(taken.repeatedIds, 3);
  assert.deepEqual(ids(taken), ["customer:a:false", "agent:b:false", "customer:c:false", "customer:d:false", "agent:e:false"]);
  assert.deepEqual(ids(ledger.take("c", read, true)), []); // and only once
});

test("an edit (same element, new words) is sent where ids are vouched for, and left alone elsewhere", () => {
  const element = el("row");
  const vouched = new SentLedger();
  vouched.take("c", [{ id: "7", text: "helo", element }], true);
  assert.deepEqual(ids(vouched.take("c", [{ id: "7", text: "hello", element }], true)), ["7:hello:true"]);
  const unchecked = new SentLedger();
  unchecked.take("c", [{ id: "7", text: "helo", element }], false);
  assert.deepEqual(ids(unchecked.take("c", [{ id: "7", text: "hello", element }], false)), []);
  // Another element with that id and other words: not an edit, a collision: sent for the daemon to refuse.
  assert.deepEqual(ids(unchecked.take("c", [{ id: "7", text: "other", element: el("x") }], false)), ["7:other:false"]);
});

test("hashed ids are never vouched for", () => {
  const taken = new SentLedger().take("c", [{ id: "h1234abcd-0", text: "hi", derived: true }], true);
  assert.deepEqual(ids(taken), ["h1234abcd-0:hi:false"]);
});
