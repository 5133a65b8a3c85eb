// Unit tests of the worker's reading-health bookkeeping (node --test, fake chrome.storage): the
// daemon's refusals are kept per site until it is set up again; a tab shows the worst of its
// frames' verdicts and its site's refusals.

import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { loadConfig } from "../../src/background/config.js";
import { changedSetups, clearSite, notePage, noteRefused, tabProblem } from "../../src/background/reading.js";
import { MemoryArea } from "./fake-chrome.mjs";

const SITE = "https://desk.example.com";

beforeEach(() => {
  const local = new MemoryArea();
  local.data = { sites: [SITE] };
  globalThis.chrome = { storage: { local, session: new MemoryArea(), managed: new MemoryArea() } };
});

test("refusals add up per site and are cleared when the site is set up again", async () => {
  await noteRefused(SITE, 3);
  await noteRefused(SITE, 1);
  assert.deepEqual(await tabProblem(7, SITE, await loadConfig()), { code: "refused", count: 4 });
  assert.equal(await tabProblem(7, "https://other.example.com", await loadConfig()), null);
  assert.equal(await clearSite(SITE), true);
  assert.equal(await tabProblem(7, SITE, await loadConfig()), null);
  assert.equal(await clearSite(SITE), false);
});

test("a site no longer read shows no refusals", async () => {
  await noteRefused(SITE, 2);
  chrome.storage.local.data.sites = [];
  assert.equal(await tabProblem(7, SITE, await loadConfig()), null);
});

test("a tab shows the worst of its frames' verdicts and the site's refusals; a frame can take its back", async () => {
  assert.equal(await notePage(7, 0, { code: "one_role", role: "customer", count: 6 }), true);
  assert.equal(await notePage(7, 0, { code: "one_role", role: "customer", count: 6 }), false); // nothing new
  await notePage(7, 3, { code: "no_match" });
  assert.equal((await tabProblem(7, SITE, await loadConfig())).code, "no_match");
  await noteRefused(SITE, 1);
  assert.equal((await tabProblem(7, SITE, await loadConfig())).code, "refused");
  await clearSite(SITE);
  await notePage(7, 3, null);
  await notePage(7, 0, null);
  assert.equal(await tabProblem(7, SITE, await loadConfig()), null);
  assert.deepEqual(chrome.storage.session.data.reading, {});
});

test("changedSetups names the origins whose set-up changed", () => {
  const a = { [SITE]: { message: ".m", id_attribute: "data-author" }, "https://b.example": { message: ".x" } };
  const b = { [SITE]: { message: ".m", id_attribute: "data-id", id_verified: true }, "https://b.example": { message: ".x" } };
  assert.deepEqual(changedSetups(a, b), [SITE]);
  assert.deepEqual(changedSetups(undefined, { "https://c.example": {} }), ["https://c.example"]);
  assert.deepEqual(changedSetups(a, a), []);
});
