// Unit tests of the durable outbox and the retry backoff (node --test).

import assert from "node:assert/strict";
import { test } from "node:test";

import { Backoff, DurableQueue, MAX_QUEUED } from "../../src/background/queue.js";
import { MemoryArea } from "./fake-chrome.mjs";

const item = (conversation, id) => ({ conversation_id: conversation, source: {}, message: { id, role: "customer", text: id } });

test("batches are the oldest conversation's run, in order", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await queue.enqueue([item("a", "1"), item("a", "2"), item("b", "3"), item("a", "4")]);
  const batch = await queue.peekBatch();
  assert.deepEqual(batch.map((x) => x.message.id), ["1", "2"]);
  await queue.drop(batch.length);
  assert.deepEqual((await queue.peekBatch()).map((x) => x.message.id), ["3"]);
  await queue.drop(1);
  assert.deepEqual((await queue.peekBatch()).map((x) => x.message.id), ["4"]);
  await queue.drop(1);
  assert.equal(await queue.peekBatch(), null);
});

test("a batch is capped by the limit", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await queue.enqueue(Array.from({ length: 7 }, (_, n) => item("a", String(n))));
  assert.equal((await queue.peekBatch(3)).length, 3);
});

test("everything is written to storage: a new queue on the same area sees it", async () => {
  const area = new MemoryArea();
  await new DurableQueue(area).enqueue([item("a", "1"), item("a", "2")]);
  const revived = new DurableQueue(area); // the worker was stopped and started again
  assert.equal(await revived.size(), 2);
});

test("concurrent enqueues from many tabs lose nothing", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await Promise.all(Array.from({ length: 50 }, (_, n) => queue.enqueue([item(`c${n % 5}`, String(n))])));
  assert.equal(await queue.size(), 50);
});

test("rejected batches move aside with their reason and stop blocking the rest", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await queue.enqueue([item("a", "1"), item("b", "2")]);
  await queue.reject(1, "invalid_field: messages.0.id");
  assert.equal(await queue.rejectedCount(), 1);
  assert.deepEqual((await queue.peekBatch()).map((x) => x.message.id), ["2"]);
});

test("the cap drops the oldest and says how many", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await queue.enqueue(Array.from({ length: MAX_QUEUED }, (_, n) => item("a", String(n))));
  const dropped = await queue.enqueue([item("a", "new")]);
  assert.equal(dropped, 1);
  assert.equal(await queue.size(), MAX_QUEUED);
  assert.equal((await queue.peekBatch(1))[0].message.id, "1");
});

test("backoff doubles with jitter up to the maximum and resets", () => {
  const backoff = new Backoff(500, 4000, () => 0.5); // no jitter at 0.5
  assert.deepEqual([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()], [500, 1000, 2000, 4000, 4000]);
  backoff.reset();
  assert.equal(backoff.next(), 500);
  const jittered = new Backoff(1000, 30000, () => 0);
  assert.equal(jittered.next(), 800);
});

const vouched = (conversation, id, idsVerified) => ({ ...item(conversation, id), ids_verified: idsVerified });

test("a batch never mixes messages whose ids are vouched for with others", async () => {
  const queue = new DurableQueue(new MemoryArea());
  await queue.enqueue([vouched("a", "1", true), vouched("a", "2", true), vouched("a", "3", false), item("a", "4"), vouched("a", "5", true)]);
  const batches = [];
  for (let batch = await queue.peekBatch(); batch; batch = await queue.peekBatch()) {
    batches.push(batch.map((x) => x.message.id));
    await queue.drop(batch.length);
  }
  assert.deepEqual(batches, [["1", "2"], ["3", "4"], ["5"]]); // an old item without the flag is not vouched for
});

test("a batch can be read before its write ends; the write is awaited by enqueue, and lands", async () => {
  const area = new MemoryArea();
  const queue = new DurableQueue(area);
  await queue.size(); // loaded
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const set = area.set.bind(area);
  area.set = async (values) => {
    await gate; // a slow disk
    return set(values);
  };
  let acknowledged = false;
  const written = queue.enqueue([item("a", "1")]).then(() => (acknowledged = true));
  assert.deepEqual((await queue.peekBatch()).map((x) => x.message.id), ["1"]); // sending may start
  assert.equal(acknowledged, false); // but the content script is not answered before the write
  assert.equal(area.data.outbox, undefined);
  release();
  await written;
  assert.equal(area.data.outbox.length, 1);
  await queue.drop(1);
  await queue.written();
  assert.deepEqual(area.data.outbox, []);
});

test("writes made while one runs are folded into one", async () => {
  const area = new MemoryArea();
  const queue = new DurableQueue(area);
  await Promise.all(Array.from({ length: 20 }, (_, n) => queue.enqueue([item("a", String(n))])));
  assert.equal(area.data.outbox.length, 20);
  assert.ok(area.writes < 20, `${area.writes} writes`);
});

test("with writeAfterMs, a batch the daemon stores first is safe without any storage write", async () => {
  const area = new MemoryArea();
  const queue = new DurableQueue(area, { writeAfterMs: 200 });
  await queue.size(); // loaded
  let safe = false;
  const acknowledged = queue.enqueue([item("a", "1")]).then(() => (safe = true));
  await queue.peekBatch(); // posted…
  assert.equal(safe, false);
  await queue.drop(1); // …and stored by the daemon: safe
  await acknowledged;
  await new Promise((resolve) => setTimeout(resolve, 250));
  assert.equal(area.writes, 0);
});

test("with writeAfterMs, a batch with no answer in time is written, then acknowledged", async () => {
  const area = new MemoryArea();
  const queue = new DurableQueue(area, { writeAfterMs: 30 });
  const started = Date.now();
  await queue.enqueue([item("a", "1")]);
  assert.ok(Date.now() - started >= 25);
  assert.equal(area.data.outbox.length, 1); // a worker stopped now loses nothing
  await queue.drop(1); // delivered later: storage catches up
  await queue.written();
  assert.deepEqual(area.data.outbox, []);
});

test("keep() writes at once what the daemon could not take", async () => {
  const area = new MemoryArea();
  const queue = new DurableQueue(area, { writeAfterMs: 60_000 });
  await queue.size();
  const acknowledged = queue.enqueue([item("a", "1"), item("a", "2")]);
  await queue.keep();
  await acknowledged;
  assert.equal(area.data.outbox.length, 2);
});
