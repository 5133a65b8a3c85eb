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
