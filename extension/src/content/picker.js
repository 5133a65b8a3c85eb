// Point-and-click set-up of the generic adapter: the agent clicks one customer message and one of
// their own, the picker derives the selectors, highlights what they match, and saves on request.

(() => {
  const ns = globalThis.__moodline;
  if (ns.startPicker) return;

  const DYNAMIC_CLASS = /\d{3,}|^css-|^sc-|^jsx-|^svelte-|^_|^ng-|^v-|--[a-z0-9]{5,}$|^(hover|active|focus|selected)/i;
  const ID_ATTRIBUTES = ["data-message-id", "data-id", "data-msg-id", "data-key", "id"];

  const stableClasses = (element) =>
    [...element.classList].filter((name) => !DYNAMIC_CLASS.test(name)).map((name) => CSS.escape(name));
  const signature = (element) =>
    [element.localName, ...stableClasses(element).map((name) => `.${name}`)].join("");
  const ancestors = (element) => {
    const chain = [];
    for (let node = element; node && node !== document.documentElement; node = node.parentElement) chain.push(node);
    return chain;
  };

  /** A selector matching exactly `element`: an id, or up to four ancestors' tags and classes. */
  const uniqueSelector = (element) => {
    if (element.id && !DYNAMIC_CLASS.test(element.id)) return `#${CSS.escape(element.id)}`;
    const parts = [];
    for (let node = element; node && node !== document.body && parts.length < 5; node = node.parentElement) {
      parts.unshift(signature(node));
      const selector = parts.join(" > ");
      if (document.querySelectorAll(selector).length === 1) return selector;
    }
    return parts.join(" > ");
  };

  /** What tells one side from the other: a class, then a data-/aria- attribute, on the message
   * element or between it and the clicked element. */
  const distinguishing = (mine, theirs, chain) => {
    const theirClasses = new Set(stableClasses(theirs));
    for (const node of chain) {
      const onlyMine = stableClasses(node).filter((name) => !theirClasses.has(name));
      if (onlyMine.length) return `.${onlyMine[0]}`;
      for (const attribute of node.attributes) {
        if (!/^(data-|aria-)/.test(attribute.name) || ID_ATTRIBUTES.includes(attribute.name)) continue;
        if (theirs.getAttribute(attribute.name) !== attribute.value && attribute.value.length < 40) {
          return `[${attribute.name}="${CSS.escape(attribute.value)}"]`;
        }
      }
    }
    return null;
  };

  /** Derives a generic adapter config from one customer and one agent click. */
  ns.deriveGenericConfig = (customerClick, agentClick) => {
    const customerChain = ancestors(customerClick);
    const list = customerChain.find((node) => node.contains(agentClick) && node !== customerClick);
    if (!list) return null;
    const customerMessage = customerChain[customerChain.indexOf(list) - 1];
    const agentMessage = ancestors(agentClick).find((node) => node.parentElement === list);
    if (!customerMessage || !agentMessage) return null;
    const common = stableClasses(customerMessage).filter((name) => stableClasses(agentMessage).includes(name));
    const listSelector = uniqueSelector(list);
    const message = common.length
      ? `${customerMessage.localName}.${common.join(".")}`
      : `${listSelector} > ${customerMessage.localName}`;
    const customerPath = customerChain.slice(0, customerChain.indexOf(customerMessage) + 1).reverse();
    const agentPath = ancestors(agentClick).slice(0, ancestors(agentClick).indexOf(agentMessage) + 1).reverse();
    const customer = distinguishing(customerMessage, agentMessage, customerPath);
    const agent = distinguishing(agentMessage, customerMessage, agentPath);
    const textClasses = stableClasses(customerClick).filter((name) => stableClasses(agentClick).includes(name));
    // A stable id: a well-known attribute, else any data- attribute both messages carry with
    // different values that does not tell the sides apart (that would be a role, not an id).
    const differs = (name) =>
      customerMessage.getAttribute(name) && agentMessage.getAttribute(name) &&
      customerMessage.getAttribute(name) !== agentMessage.getAttribute(name);
    const dataNames = [...customerMessage.attributes].map((a) => a.name).filter((name) => name.startsWith("data-"));
    const idAttribute =
      ID_ATTRIBUTES.find(differs) ??
      dataNames.find((name) => differs(name) && !`${customer}${agent}`.includes(name));
    return {
      name: `Custom console on ${location.hostname}`,
      list: listSelector,
      message,
      customer,
      agent,
      text: customerClick !== customerMessage && textClasses.length ? `.${textClasses[0]}` : null,
      id_attribute: idAttribute ?? null,
      conversationId: { from: "url" },
    };
  };

  /** Shows the picker panel; `save(config)` stores the result. */
  ns.startPicker = (save) => {
    document.getElementById("moodline-picker-host")?.remove();
    const host = document.createElement("div");
    host.id = "moodline-picker-host";
    const root = host.attachShadow({ mode: "open" });
    root.innerHTML = `<style>
      .panel{position:fixed;z-index:2147483647;right:16px;bottom:16px;width:320px;padding:12px;
        background:#fff;color:#111;font:14px/1.4 system-ui,sans-serif;border:2px solid #202020;
        border-radius:8px;box-shadow:0 4px 16px #0004}
      button{margin:8px 8px 0 0;font:inherit} .hint{font-weight:600}
    </style><div class="panel" role="dialog" aria-label="Moodline set-up">
      <div class="hint"></div><div class="detail"></div>
      <button class="save" hidden>Save</button><button class="again">Start over</button>
      <button class="cancel">Cancel</button></div>`;
    const hint = root.querySelector(".hint");
    const detail = root.querySelector(".detail");
    const saveButton = root.querySelector(".save");
    const outlined = [];
    let customerClick = null;
    let config = null;

    const clearOutlines = () => {
      for (const [element, previous] of outlined.splice(0)) element.style.outline = previous;
    };
    const outline = (element, style) => {
      outlined.push([element, element.style.outline]);
      element.style.outline = style;
    };
    const step = (text, more = "") => {
      hint.textContent = text;
      detail.textContent = more;
    };
    const reset = () => {
      clearOutlines();
      customerClick = null;
      config = null;
      saveButton.hidden = true;
      step("Click a message written by the customer.");
    };
    const preview = () => {
      const read = ns.makeGeneric(config).read(document, location);
      const counts = { customer: 0, agent: 0 };
      for (const message of read?.messages ?? []) {
        counts[message.role] += 1;
        outline(message.element, message.role === "customer" ? "3px dashed #e08214" : "3px solid #542788");
      }
      const ok = counts.customer > 0 && counts.agent > 0;
      step(
        ok ? "Check the outlines: orange dashed = customer, purple = you." : "Customer and agent could not be told apart.",
        `${counts.customer} customer and ${counts.agent} agent messages found. ${ok ? "Save if that is right." : "Start over and click other messages, or set selectors in the options page."}`,
      );
      saveButton.hidden = !ok;
    };
    const onClick = (event) => {
      if (event.composedPath().includes(host)) return;
      event.preventDefault();
      event.stopPropagation();
      const target = event.target;
      if (!(target instanceof Element) || config) return;
      if (!customerClick) {
        customerClick = target;
        outline(target, "3px dashed #e08214");
        step("Now click a message you (the agent) wrote.");
        return;
      }
      clearOutlines();
      config = ns.deriveGenericConfig(customerClick, target);
      if (!config) {
        reset();
        step("Those two clicks are not in the same message list.", "Click a customer message again.");
        return;
      }
      preview();
    };
    const close = () => {
      clearOutlines();
      document.removeEventListener("click", onClick, true);
      host.remove();
    };
    root.querySelector(".again").addEventListener("click", reset);
    root.querySelector(".cancel").addEventListener("click", close);
    saveButton.addEventListener("click", async () => {
      await save(config);
      close();
    });
    document.addEventListener("click", onClick, true);
    document.documentElement.append(host);
    reset();
    ns.pickerState = () => ({ hint: hint.textContent, detail: detail.textContent, config });
  };
})();
