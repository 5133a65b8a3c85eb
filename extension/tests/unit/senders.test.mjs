// Unit tests of which sender may send which message to the worker (node --test).

import assert from "node:assert/strict";
import { test } from "node:test";

import "../../src/shared/messages.js";
import { EXTENSION_PAGE_ONLY, senderAllowed } from "../../src/background/senders.js";

const MSG = globalThis.MOODLINE_MSG;
const ID = "baboeghhdeejdobimlkgoomgehfbpjnc";
const ORIGIN = `chrome-extension://${ID}/`;
const popup = { id: ID, url: `${ORIGIN}src/popup/popup.html` };
const popupInATab = { id: ID, url: `${ORIGIN}src/popup/popup.html?tab=7`, tab: { id: 9 } };
const contentScript = { id: ID, url: "https://chat.example.com/app/1", tab: { id: 7 } };
const lookalike = { id: ID, url: `https://evil.example/${ORIGIN}` };

test("a content script may send what pages are read with", () => {
  for (const type of [MSG.MESSAGES, MSG.FOCUS, MSG.SITE_CONFIG, MSG.SAVE_GENERIC]) {
    assert.equal(senderAllowed(type, contentScript, ID, ORIGIN), true, type);
  }
});

test("a content script may not pair, enable, disable, pause, swap or read the status", () => {
  assert.equal(EXTENSION_PAGE_ONLY.size, 6);
  for (const type of EXTENSION_PAGE_ONLY) {
    assert.equal(senderAllowed(type, contentScript, ID, ORIGIN), false, type);
    assert.equal(senderAllowed(type, lookalike, ID, ORIGIN), false, type);
  }
});

test("the popup may send those, also when opened in a tab", () => {
  for (const type of EXTENSION_PAGE_ONLY) {
    assert.equal(senderAllowed(type, popup, ID, ORIGIN), true, type);
    assert.equal(senderAllowed(type, popupInATab, ID, ORIGIN), true, type);
  }
});

test("another extension may send nothing", () => {
  const other = { id: "abcdefghijklmnopabcdefghijklmnop", url: `${ORIGIN}x.html` };
  for (const type of Object.values(MSG)) {
    assert.equal(senderAllowed(type, other, ID, ORIGIN), false, type);
  }
  assert.equal(senderAllowed(MSG.PAIR, undefined, ID, ORIGIN), false);
});
