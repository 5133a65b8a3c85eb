// The generic adapter: reads any console from CSS selectors alone (set in the popup's picker,
// the options page, or pushed by IT through managed storage).

(() => {
  const ns = globalThis.__moodline;
  if (ns.makeGeneric) return;

  // Every query looks inside open shadow roots and same-origin frames too (deep-dom.js).
  const safeQueryAll = (root, selector) => {
    if (!selector) return [];
    try {
      return ns.deepQueryAll(root, selector);
    } catch {
      return []; // an invalid selector reads nothing rather than breaking the page
    }
  };
  /** The lists: in the page itself when there (cheap), else in shadow roots and frames. */
  const findAll = (doc, selector) => {
    if (!selector) return [];
    try {
      const light = [...doc.querySelectorAll(selector)];
      return light.length ? light : ns.deepQueryAll(doc, selector);
    } catch {
      return [];
    }
  };
  const safeQuery = (root, selector) => {
    try {
      return ns.deepQuery(root, selector);
    } catch {
      return null;
    }
  };
  const safeMatches = (element, selector) => {
    if (!selector) return false;
    try {
      return element.matches(selector) || ns.deepQuery(element, selector) !== null;
    } catch {
      return false;
    }
  };
  const matchesItself = (element, selector) => {
    try {
      return element.matches(selector);
    } catch {
      return false;
    }
  };
  /** The messages of one list: inside it (`:scope > …` works), else inside its shadow root. */
  const messagesOf = (list, selector) => {
    try {
      const light = [...list.querySelectorAll(selector)];
      return light.length ? light : ns.deepQueryAll(list, selector);
    } catch {
      return [];
    }
  };

  /**
   * A role written as text: {selector?, attribute?, contains? | pattern?}. The message matches
   * when the text (or `attribute`) of the message itself, or of an element inside it matching
   * `selector`, contains `contains` (any case) or matches the regular expression `pattern`.
   */
  const textRole = (rule) => {
    if (!rule || typeof rule !== "object") return null;
    let test = null;
    if (typeof rule.pattern === "string" && rule.pattern) {
      try {
        const regex = new RegExp(rule.pattern);
        test = (value) => regex.test(value);
      } catch {
        return () => false; // an invalid pattern matches nothing
      }
    } else if (typeof rule.contains === "string" && rule.contains) {
      const wanted = rule.contains.toLowerCase();
      test = (value) => value.toLowerCase().includes(wanted);
    }
    if (!test) return null;
    return (element) => {
      const elements = rule.selector
        ? [...(matchesItself(element, rule.selector) ? [element] : []), ...safeQueryAll(element, rule.selector)]
        : [element];
      return elements.some((node) => {
        const value = rule.attribute ? node.getAttribute(rule.attribute) : ns.textOf(node);
        return typeof value === "string" && test(value.trim());
      });
    };
  };

  /** The conversation id per config: a regex group on the URL, or an element's text/attribute. */
  const conversationId = (config, doc, loc) => {
    const how = config.conversationId ?? { from: "url" };
    if (how.from === "selector") {
      const element = safeQuery(doc, how.selector || "body");
      if (!element) return null;
      const value = how.attribute ? element.getAttribute(how.attribute) : ns.textOf(element);
      return value ? value.slice(0, 200) : null;
    }
    const url = `${loc.pathname}${loc.search}${loc.hash}`;
    if (how.pattern) {
      try {
        const match = new RegExp(how.pattern).exec(url);
        return match ? (match[1] ?? match[0]) : null;
      } catch {
        return null;
      }
    }
    return loc.pathname + loc.hash;
  };

  /**
   * config: {name?, list, message, customer?, agent?, customer_text?, agent_text?, text?,
   *          id_attribute?, time?, ignore?,
   *          conversationId?: {from: "url", pattern?} | {from: "selector", selector, attribute?}}
   * A message is the customer's if it matches `customer` or `customer_text`, the agent's if it
   * matches `agent` or `agent_text`; with only one side set, everything else is the other side.
   */
  ns.makeGeneric = (config) => {
    const customerText = textRole(config.customer_text);
    const agentText = textRole(config.agent_text);
    const isCustomer = (element) => safeMatches(element, config.customer) || Boolean(customerText?.(element));
    const isAgent = (element) => safeMatches(element, config.agent) || Boolean(agentText?.(element));
    const hasCustomer = Boolean(config.customer || customerText);
    const hasAgent = Boolean(config.agent || agentText);
    return {
      id: "generic",
      name: config.name || "Custom console (selectors)",
      version: 1,
      // Ids vouched for: the picker checked the id attribute unique across the list when it
      // saved this set-up (or IT says so); hashed ids never are.
      idsVerified: config.id_verified === true && Boolean(config.id_attribute),
      detect: (doc) => findAll(doc, config.list || config.message).length > 0,
      read(doc, loc) {
        const id = conversationId(config, doc, loc);
        if (!id) return null;
        const lists = config.list ? findAll(doc, config.list) : [doc];
        const messages = [];
        let found = 0;
        for (const list of lists) {
          const elements = config.list ? messagesOf(list, config.message) : findAll(doc, config.message);
          found += elements.length;
          for (const element of elements) {
            if (config.ignore && safeMatches(element, config.ignore)) continue;
            let role = null;
            if (isCustomer(element)) role = "customer";
            else if (isAgent(element)) role = "agent";
            else if (hasCustomer && !hasAgent) role = "agent";
            else if (hasAgent && !hasCustomer) role = "customer";
            if (!role) continue;
            const textElement = config.text ? safeQuery(element, config.text) : element;
            const text = ns.textOf(textElement);
            if (!text) continue;
            const rawId = config.id_attribute ? element.getAttribute(config.id_attribute) : null;
            const timeElement = config.time ? safeQuery(element, config.time) : null;
            const ts = timeElement
              ? ns.parseTime(timeElement.getAttribute("datetime") ?? timeElement.getAttribute("title"))
              : null;
            messages.push({ id: rawId || null, role, text, ts, element });
          }
        }
        // Whether the set-up matches this page at all (reading health): messages found, or
        // lists that are still empty.
        const empty = (list) => !list.firstElementChild && !list.shadowRoot?.firstElementChild;
        const matched = found > 0 || (Boolean(config.list) && lists.length > 0 && lists.every(empty));
        return {
          conversationId: id,
          messages: ns.fillIds(messages),
          matched,
          lists: config.list ? lists : [...new Set(messages.map((m) => m.element.parentNode))],
        };
      },
    };
  };
})();
