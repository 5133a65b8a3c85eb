// Unit tests of the settings owner (node --test): IT's managed values win over the agent's.

import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { DEFAULT_PORT, idsVouchedFor, loadConfig, matchPattern, originOf } from "../../src/background/config.js";
import { MemoryArea } from "./fake-chrome.mjs";

function fakeChrome(local, managed) {
  const localArea = new MemoryArea();
  localArea.data = local;
  const managedArea = new MemoryArea();
  managedArea.data = managed;
  globalThis.chrome = { storage: { local: localArea, managed: managedArea } };
}

afterEach(() => {
  delete globalThis.chrome;
});

test("defaults: port 47615, nothing enabled, not paused", async () => {
  fakeChrome({}, {});
  const config = await loadConfig();
  assert.equal(config.port, DEFAULT_PORT);
  assert.deepEqual(config.sites, []);
  assert.equal(config.paused, false);
});

test("IT's port, sites and selectors win and are marked managed", async () => {
  fakeChrome(
    { port: 50000, sites: ["https://a.example"], generic: { "https://b.example": { origin: "https://b.example", message: ".mine" } } },
    {
      daemonPort: 47999,
      enabledSites: ["https://b.example"],
      genericAdapters: [{ origin: "https://b.example", message: ".it" }],
    },
  );
  const config = await loadConfig();
  assert.equal(config.port, 47999);
  assert.equal(config.portManaged, true);
  assert.deepEqual(config.sites.sort(), ["https://a.example", "https://b.example"]);
  assert.deepEqual(config.managedSites, ["https://b.example"]);
  assert.equal(config.generic["https://b.example"].message, ".it");
});

test("a browser without managed storage still works", async () => {
  fakeChrome({ port: 50001 }, {});
  globalThis.chrome.storage.managed.get = async () => {
    throw new Error("managed storage unavailable");
  };
  assert.equal((await loadConfig()).port, 50001);
});

test("origins and match patterns", () => {
  assert.equal(originOf("https://support.example.com:8443/chat/1"), "https://support.example.com:8443");
  assert.equal(originOf("chrome://extensions"), null);
  assert.equal(originOf("not a url"), null);
  assert.equal(matchPattern("https://support.example.com:8443"), "https://support.example.com/*");
});

test("concurrent session updates of one map lose nothing", async () => {
  const { sessionUpdate } = await import("../../src/background/config.js");
  const session = new MemoryArea();
  globalThis.chrome = { storage: { session } };
  await Promise.all(
    Array.from({ length: 20 }, (_, n) => sessionUpdate("tabs", {}, (tabs) => { tabs[n] = `c${n}`; })),
  );
  assert.equal(Object.keys(session.data.tabs).length, 20);
});

test("ids are vouched for by built-in adapters and by set-ups whose id was checked unique", () => {
  const site = "https://desk.example.com";
  const config = (generic) => ({ generic: generic ? { [site]: generic } : {} });
  assert.equal(idsVouchedFor(config(null), site, "chatwoot"), true);
  assert.equal(idsVouchedFor(config(null), site, "generic"), false);
  assert.equal(idsVouchedFor(config({ id_attribute: "data-id", id_verified: true }), site, "generic"), true);
  assert.equal(idsVouchedFor(config({ id_attribute: "data-id" }), site, "generic"), false); // options page, IT
  assert.equal(idsVouchedFor(config({ id_verified: true }), site, "generic"), false); // hashed ids
  assert.equal(idsVouchedFor(config({ id_attribute: "data-id", id_verified: true }), site, "zammad"), false);
});
