// Checks a generic console configuration (options page; the same keys as managed_schema.json)
// and says what is wrong in plain words. `isSelector(text)` tells a valid CSS selector (the page
// passes the browser's own parser; unit tests pass their own).

export const SELECTOR_FIELDS = ["list", "message", "customer", "agent", "text", "ignore", "time"];
export const TEXT_ROLE_FIELDS = ["customer_text", "agent_text"];
export const TEXT_ROLE_KEYS = ["selector", "attribute", "contains", "pattern"];
export const GENERIC_KEYS = [
  "origin", "name", ...SELECTOR_FIELDS, ...TEXT_ROLE_FIELDS, "id_attribute", "id_verified", "conversationId",
];

const ATTRIBUTE_NAME = /^[^\s"'>/=]+$/;

const validPattern = (pattern) => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
};

/** Problems with one role written as text: {selector?, attribute?, contains? | pattern?}. */
function textRoleProblems(field, rule, isSelector) {
  if (rule === null || rule === undefined) return [];
  if (typeof rule !== "object" || Array.isArray(rule)) return [`${field} must be an object.`];
  const problems = [];
  for (const key of Object.keys(rule)) {
    if (!TEXT_ROLE_KEYS.includes(key)) problems.push(`${field}: unknown key "${key}".`);
    else if (typeof rule[key] !== "string") problems.push(`${field}.${key} must be text.`);
  }
  const has = (key) => typeof rule[key] === "string" && rule[key] !== "";
  if (has("contains") === has("pattern")) problems.push(`${field}: set exactly one of contains or pattern.`);
  if (has("pattern") && !validPattern(rule.pattern)) {
    problems.push(`${field}: "${rule.pattern}" is not a valid regular expression.`);
  }
  if (has("selector") && !isSelector(rule.selector)) {
    problems.push(`${field}: "${rule.selector}" is not a valid CSS selector.`);
  }
  if (has("attribute") && !ATTRIBUTE_NAME.test(rule.attribute)) {
    problems.push(`${field}: "${rule.attribute}" is not an attribute name.`);
  }
  return problems;
}

/** Checks a generic console config; returns a list of plain-words problems. */
export function problemsOf(config, isSelector) {
  const problems = [];
  try {
    const url = new URL(config.origin);
    if (url.origin !== config.origin) problems.push("Site must be just the origin, e.g. https://support.example.com");
  } catch {
    problems.push("Site must be an origin such as https://support.example.com");
  }
  if (!config.message) problems.push("Message selector is required.");
  for (const field of SELECTOR_FIELDS) {
    if (config[field] && !isSelector(config[field])) {
      problems.push(`${field}: "${config[field]}" is not a valid CSS selector.`);
    }
  }
  for (const field of TEXT_ROLE_FIELDS) problems.push(...textRoleProblems(field, config[field], isSelector));
  if (!config.customer && !config.agent && !config.customer_text && !config.agent_text) {
    problems.push("Set at least one of customer or agent (a selector, or a text the author's label holds).");
  }
  if (config.id_attribute && !ATTRIBUTE_NAME.test(config.id_attribute)) {
    problems.push(`id_attribute: "${config.id_attribute}" is not an attribute name.`);
  }
  if (config.id_verified !== undefined && config.id_verified !== null && typeof config.id_verified !== "boolean") {
    problems.push("id_verified must be true or false.");
  }
  if (config.id_verified === true && !config.id_attribute) {
    problems.push("id_verified needs an id_attribute: hashed ids are never vouched for.");
  }
  if (config.conversationId?.pattern && !validPattern(config.conversationId.pattern)) {
    problems.push("The conversation id pattern is not a valid regular expression.");
  }
  return problems;
}
