// Unit tests of delivery against a scripted daemon (node --test): order, retries, 401, 422.

import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";

import { Delivery } from "../../src/background/delivery.js";
import { Backoff, DurableQueue } from "../../src/background/queue.js";
import { MemoryArea } from "./fake-chrome.mjs";

let answers;
let requests;

function respond(status, body, headers = {}) {
  return new Response(JSON.stringify(body), { status, headers: { "X-Moodline-API": "1", ...headers } });
}

beforeEach(() => {
  answers = [];
  requests = [];
  globalThis.chrome = { alarms: { create: () => undefined } };
  globalThis.fetch = async (url, init) => {
    requests.push({ url, body: JSON.parse(init.body) });
    const next = answers.shift();
    if (next instanceof Error) throw next;
    return next;
  };
});
afterEach(() => {
  delete globalThis.chrome;
});

function delivery(queue, reports) {
  return new Delivery({
    queue,
    getConfig: async () => ({ port: 47615, token: "t" }),
    report: async (state) => reports.push(state),
    delivered: async () => undefined,
    backoff: new Backoff(10000, 10000),
  });
}

const item = (conversation, id) => ({ conversation_id: conversation, source: { site: "x" }, message: { id, role: "customer", text: id } });

test("sends each conversation's run in order and empties the outbox", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await queue.enqueue([item("a", "1"), item("a", "2"), item("b", "3")]);
  answers.push(respond(200, { conversation_id: "a" }), respond(200, { conversation_id: "b" }));
  const reports = [];
  await delivery(queue, reports).flush();
  assert.deepEqual(requests.map((r) => r.body.messages.map((m) => m.id)), [["1", "2"], ["3"]]);
  assert.equal(await queue.size(), 0);
  assert.equal(reports.at(-1), "ready");
});

test("a daemon that is down keeps everything queued and reports down", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await queue.enqueue([item("a", "1")]);
  answers.push(new TypeError("Failed to fetch"));
  const reports = [];
  const sender = delivery(queue, reports);
  await sender.flush();
  clearTimeout(sender.timer);
  assert.equal(await queue.size(), 1);
  assert.deepEqual(reports, ["down"]);
});

test("a 401 stops sending and asks for pairing; nothing is dropped", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await queue.enqueue([item("a", "1"), item("b", "2")]);
  answers.push(respond(401, { error: "unauthorized", message: "bad token" }));
  const reports = [];
  await delivery(queue, reports).flush();
  assert.equal(await queue.size(), 2);
  assert.deepEqual(reports, ["unpaired"]);
});

test("a refused batch is set aside and the next one still goes", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await queue.enqueue([item("a", "1"), item("b", "2")]);
  answers.push(respond(422, { error: "invalid_field", message: "bad" }), respond(200, { conversation_id: "b" }));
  await delivery(queue, []).flush();
  assert.equal(await queue.size(), 0);
  assert.equal(await queue.rejectedCount(), 1);
});

test("a server that is not Moodline is never sent data twice and is reported", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await queue.enqueue([item("a", "1")]);
  answers.push(new Response("<html>", { status: 200 }));
  const reports = [];
  const sender = delivery(queue, reports);
  await sender.flush();
  clearTimeout(sender.timer);
  assert.equal(await queue.size(), 1);
  assert.deepEqual(reports, ["down"]);
});

test("ids_verified goes with a batch only when its ids are vouched for", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await queue.enqueue([{ ...item("a", "1"), ids_verified: true }, item("a", "2")]);
  answers.push(respond(200, { conversation_id: "a" }), respond(200, { conversation_id: "a" }));
  await delivery(queue, []).flush();
  assert.deepEqual(requests.map((r) => [r.body.ids_verified, r.body.messages.length]), [[true, 1], [undefined, 1]]);
});

test("refused messages are delivered (out of the outbox, not set aside) and handed on as a problem", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await queue.enqueue([item("a", "customer"), item("a", "customer")]);
  const refused = [{ id: "customer", reason: "id_reused_with_new_text" }];
  answers.push(respond(200, { conversation_id: "a", stored: 1, refused }));
  const seen = [];
  await new Delivery({
    queue,
    getConfig: async () => ({ port: 47615, token: "t" }),
    report: async () => undefined,
    delivered: async (answer, first) => seen.push([answer.refused.length, first.source.site]),
    backoff: new Backoff(10000, 10000),
  }).flush();
  assert.equal(await queue.size(), 0);
  assert.equal(await queue.rejectedCount(), 0);
  assert.deepEqual(seen, [[1, "x"]]);
});

test("messages queued while a run ends are still sent (no lost wake-up)", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await queue.enqueue([item("a", "1")]);
  answers.push(respond(200, { conversation_id: "a" }), respond(200, { conversation_id: "a" }));
  const late = [item("a", "2")];
  const sender = new Delivery({
    queue,
    getConfig: async () => ({ port: 47615, token: "t" }),
    report: async () => undefined,
    delivered: async () => {
      // The outbox looks empty to the run from here on; a new message and flush() arrive now.
      if (!late.length) return;
      await queue.enqueue(late.splice(0));
      sender.flush();
    },
    backoff: new Backoff(10000, 10000),
  });
  await sender.flush();
  while (sender.running) await sender.running;
  assert.deepEqual(requests.map((r) => r.body.messages.map((m) => m.id)), [["1"], ["2"]]);
  assert.equal(await queue.size(), 0);
});

test("a daemon that is down: the messages are written at once, so the page is answered", async () => {
  const area = new MemoryArea();
  const queue = new DurableQueue(area, { writeAfterMs: 60_000 });
  await queue.size();
  const acknowledged = queue.enqueue([item("a", "1")]);
  answers.push(new TypeError("Failed to fetch"));
  const sender = delivery(queue, []);
  await sender.flush();
  clearTimeout(sender.timer);
  await acknowledged;
  assert.equal(area.data.outbox.length, 1);
});

test("a message the daemon answers for in time is never written to storage", async () => {
  const area = new MemoryArea();
  const queue = new DurableQueue(area, { writeAfterMs: 100 });
  await queue.size();
  const acknowledged = queue.enqueue([item("a", "1")]);
  answers.push(respond(200, { conversation_id: "a" }));
  await delivery(queue, []).flush();
  await acknowledged;
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(area.writes, 0);
});
