// Unit tests of the generic console config check (node --test): the options page refuses what
// the adapter could not read, in words; the managed schema knows the same keys.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { GENERIC_KEYS, problemsOf, TEXT_ROLE_KEYS } from "../../src/options/validate.js";

const isSelector = (text) => !/[[\]]{2}|\[$|^>/.test(text); // stands in for the browser's parser
const base = { origin: "https://desk.example.com", list: "table.log > tbody", message: ":scope > tr" };

test("a role written as text is a valid configuration by itself", () => {
  const config = { ...base, customer_text: { selector: "td.who", contains: "Client" }, agent_text: { selector: "td.who", pattern: "^Support\\b" } };
  assert.deepEqual(problemsOf(config, isSelector), []);
  assert.deepEqual(problemsOf({ ...base, customer_text: { attribute: "aria-label", contains: "visitor" } }, isSelector), []);
});

test("text roles: exactly one of contains and pattern, a valid pattern and selector, known keys", () => {
  const problems = (rule) => problemsOf({ ...base, customer: ".in", customer_text: rule }, isSelector).join(" ");
  assert.match(problems({ selector: "td.who" }), /exactly one of contains or pattern/);
  assert.match(problems({ contains: "a", pattern: "b" }), /exactly one of contains or pattern/);
  assert.match(problems({ pattern: "(unclosed" }), /not a valid regular expression/);
  assert.match(problems({ selector: "td[", contains: "Client" }), /not a valid CSS selector/);
  assert.match(problems({ contains: "Client", regex: "x" }), /unknown key "regex"/);
  assert.match(problems({ contains: "Client", attribute: "aria label" }), /not an attribute name/);
  assert.match(problems("Client"), /must be an object/);
});

test("no role at all, a bad selector or id attribute are refused in words", () => {
  assert.match(problemsOf(base, isSelector).join(" "), /at least one of customer or agent/);
  assert.match(problemsOf({ ...base, customer: ".in", ignore: "td[" }, isSelector).join(" "), /ignore: "td\[" is not a valid CSS selector/);
  assert.match(problemsOf({ ...base, customer: ".in", id_attribute: "data id" }, isSelector).join(" "), /id_attribute/);
});

test("id_verified is true or false, and only with an id attribute", () => {
  const config = { ...base, customer: ".in", id_attribute: "data-id" };
  assert.deepEqual(problemsOf({ ...config, id_verified: true }, isSelector), []);
  assert.deepEqual(problemsOf({ ...config, id_verified: false }, isSelector), []);
  assert.match(problemsOf({ ...config, id_verified: "yes" }, isSelector).join(" "), /id_verified must be true or false/);
  assert.match(problemsOf({ ...base, customer: ".in", id_verified: true }, isSelector).join(" "), /needs an id_attribute/);
});

test("the managed schema offers exactly the keys the options page checks", () => {
  const schema = JSON.parse(readFileSync(new URL("../../managed_schema.json", import.meta.url)));
  const generic = schema.properties.genericAdapters.items.properties;
  assert.deepEqual(Object.keys(generic).sort(), [...GENERIC_KEYS].sort());
  assert.equal(generic.id_verified.type, "boolean");
  for (const field of ["customer_text", "agent_text"]) {
    assert.equal(generic[field].type, "object");
    assert.deepEqual(Object.keys(generic[field].properties).sort(), [...TEXT_ROLE_KEYS].sort());
  }
});
