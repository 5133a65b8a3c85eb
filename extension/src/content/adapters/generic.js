// The generic adapter: reads any console from CSS selectors alone (set in the popup's picker,
// the options page, or pushed by IT through managed storage).

(() => {
  const ns = globalThis.__moodline;
  if (ns.makeGeneric) return;

  const safeQueryAll = (root, selector) => {
    if (!selector) return [];
    try {
      return [...root.querySelectorAll(selector)];
    } catch {
      return []; // an invalid selector reads nothing rather than breaking the page
    }
  };
  const safeMatches = (element, selector) => {
    if (!selector) return false;
    try {
      return element.matches(selector) || element.querySelector(selector) !== null;
    } catch {
      return false;
    }
  };

  /** The conversation id per config: a regex group on the URL, or an element's text/attribute. */
  const conversationId = (config, doc, loc) => {
    const how = config.conversationId ?? { from: "url" };
    if (how.from === "selector") {
      const element = doc.querySelector(how.selector || "body");
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
   * config: {name?, list, message, customer?, agent?, text?, id_attribute?, time?, ignore?,
   *          conversationId?: {from: "url", pattern?} | {from: "selector", selector, attribute?}}
   * A message is the customer's if it matches `customer`, the agent's if it matches `agent`;
   * with only one of the two set, everything else is the other role.
   */
  ns.makeGeneric = (config) => ({
    id: "generic",
    name: config.name || "Custom console (selectors)",
    version: 1,
    detect: (doc) => safeQueryAll(doc, config.list || config.message).length > 0,
    read(doc, loc) {
      const id = conversationId(config, doc, loc);
      if (!id) return null;
      const lists = config.list ? safeQueryAll(doc, config.list) : [doc];
      const messages = [];
      for (const list of lists) {
        for (const element of safeQueryAll(list, config.message)) {
          if (config.ignore && safeMatches(element, config.ignore)) continue;
          let role = null;
          if (safeMatches(element, config.customer)) role = "customer";
          else if (safeMatches(element, config.agent)) role = "agent";
          else if (config.customer && !config.agent) role = "agent";
          else if (config.agent && !config.customer) role = "customer";
          if (!role) continue;
          const textElement = config.text ? element.querySelector(config.text) : element;
          const text = ns.textOf(textElement);
          if (!text) continue;
          const rawId = config.id_attribute ? element.getAttribute(config.id_attribute) : null;
          const timeElement = config.time ? element.querySelector(config.time) : null;
          const ts = timeElement
            ? ns.parseTime(timeElement.getAttribute("datetime") ?? timeElement.getAttribute("title"))
            : null;
          messages.push({ id: rawId || null, role, text, ts, element });
        }
      }
      return { conversationId: id, messages: ns.fillIds(messages) };
    },
  });
})();
