// Unit tests of what the badge shows (node --test): daemon states beat levels; never a level
// colour for a state.

import assert from "node:assert/strict";
import { test } from "node:test";

import { badgeView } from "../../src/background/badge.js";
import { LEVELS, STATES } from "../../src/shared/levels.js";

test("a ready daemon shows the conversation's level", () => {
  assert.equal(badgeView("ready", { level: "negative", uncertain: false }), LEVELS.negative);
});

test("can't tell is its own state, not neutral", () => {
  assert.equal(badgeView("ready", { level: "neutral", uncertain: true }), STATES.uncertain);
});

test("daemon states win over the level", () => {
  for (const state of ["down", "starting", "unpaired", "paused"]) {
    assert.equal(badgeView(state, { level: "very_negative", uncertain: false }), STATES[state]);
  }
});

test("a reading problem shows \"!\" with the problem in words, over the level; daemon states still win", () => {
  const view = badgeView("ready", { level: "positive", uncertain: false }, "Moodline could not read 4 messages on this site.");
  assert.equal(view.glyph, "!");
  assert.equal(view.colour, STATES.reading.colour);
  assert.match(view.name, /could not read 4 messages.*set this site up again/);
  assert.equal(badgeView("ready", null, "x").glyph, "!");
  assert.equal(badgeView("down", null, "x"), STATES.down);
  assert.equal(badgeView("ready", { level: "positive", uncertain: false }, null), LEVELS.positive);
});

test("no conversation yet shows nothing", () => {
  assert.equal(badgeView("ready", null), STATES.idle);
});

test("the seven levels differ in glyph and colour, and no state uses a level colour", () => {
  const levels = Object.values(LEVELS);
  assert.equal(new Set(levels.map((l) => l.glyph)).size, 7);
  assert.equal(new Set(levels.map((l) => l.colour)).size, 7);
  const levelColours = new Set(levels.map((l) => l.colour));
  for (const state of Object.values(STATES)) assert.ok(!levelColours.has(state.colour));
});
