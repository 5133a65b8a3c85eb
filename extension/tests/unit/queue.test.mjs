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
