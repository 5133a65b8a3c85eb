// Unit tests of pairing by IT's provisioned secret (node --test).

import assert from "node:assert/strict";
import { test } from "node:test";

import { withProvisionedToken } from "../../src/background/provisioning.js";

test("no token + a provisioned secret: pairs once and keeps the token", async () => {
  const calls = [];
  const saved = [];
  const call = async (port, path, options) => {
    calls.push({ port, path, body: options.body });
    return { status: 200, data: { token: "T" } };
  };
  const config = await withProvisionedToken(
    { port: 47615, token: null, pairingSecret: "s".repeat(20) },
    call,
    async (token) => saved.push(token),
    "0.1.0",
  );
  assert.equal(config.token, "T");
  assert.deepEqual(saved, ["T"]);
  assert.equal(calls[0].path, "/v1/pair");
  assert.equal(calls[0].body.provisioning_secret, "s".repeat(20));
});

test("an existing token or no secret: no call", async () => {
  const call = async () => assert.fail("must not call the daemon");
  assert.equal((await withProvisionedToken({ token: "A", pairingSecret: "x" }, call, async () => {}, "v")).token, "A");
  assert.equal((await withProvisionedToken({ token: null, pairingSecret: null }, call, async () => {}, "v")).token, null);
});

test("a refused secret leaves the extension unpaired", async () => {
  const call = async () => {
    throw new Error("403 invalid_secret");
  };
  const config = await withProvisionedToken({ port: 1, token: null, pairingSecret: "x".repeat(20) }, call, async () => assert.fail(), "v");
  assert.equal(config.token, null);
});
