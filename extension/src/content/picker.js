// Point-and-click set-up of the generic adapter: the agent clicks one customer message and one of
// their own; the picker ranks the selector sets that explain the page (picker-ranking.js), shows
// the best one's outlines and counts, takes more clicks ("customer too", "agent too", "not a
// message") to correct it, and saves on request. Clicks inside shadow roots and same-origin
// frames count.

(() => {
  const ns = globalThis.__moodline;
  if (ns.startPicker) return;
  const { describeRow, textSelector, listSelector, composedContains } = ns.pickerFeatures;
  const STYLES = {
    customer: "3px dashed #e08214",
    agent: "3px solid #542788",
    ignored: "3px solid #9e9e9e",
    skipped: "1px dotted #9e9e9e",
  };
  const MARKS = { customer: "Customer", agent: "Me (agent)", none: "Not a message" };

  /** The element under the click, inside open shadow roots too. */
  const clicked = (event) => event.composedPath().find((node) => node.nodeType === Node.ELEMENT_NODE) ?? null;
  const chain = (node) => {
    const out = [];
    for (let current = node; current; current = ns.composedParent(current)) out.push(current);
    return out;
  };

  /** The list holding both clicks and each click's row (a direct child of it). */
  const findList = (first, second) => {
    const firstChain = chain(first);
    const list = firstChain.slice(1).find((node) => composedContains(node, second));
    if (!list || list === first.ownerDocument.documentElement || list.localName === "body") return null;
    const rowIn = (click) => chain(click).find((node) => ns.composedParent(node) === list);
    const rows = [rowIn(first), rowIn(second)];
    if (!rows[0] || !rows[1] || rows[0] === rows[1]) return null;
    return { list, container: rows[0].parentNode, selector: listSelector(list) };
  };

  ns.startPicker = (save) => {
    document.getElementById("moodline-picker-host")?.remove();
    const host = document.createElement("div");
    host.id = "moodline-picker-host";
    const root = host.attachShadow({ mode: "open" });
    root.innerHTML = `<style>
      .panel{position:fixed;z-index:2147483647;right:16px;bottom:16px;width:360px;padding:12px;
        background:#fff;color:#111;font:14px/1.4 system-ui,sans-serif;border:2px solid #202020;
        border-radius:8px;box-shadow:0 4px 16px #0004;max-height:80vh;overflow:auto}
      button{margin:6px 6px 0 0;font:inherit} .hint{font-weight:600} .warnings{color:#8a1c00}
      .marks button[aria-pressed=true]{background:#202020;color:#fff} ul{margin:4px 0;padding-left:18px}
    </style><div class="panel" role="dialog" aria-label="Moodline set-up">
      <div class="hint" role="status"></div><div class="detail"></div><ul class="warnings"></ul>
      <div class="marks" hidden>Wrong? Your next click marks:<br>
        <button class="as-customer" data-as="customer">${MARKS.customer}</button><button class="as-agent"
        data-as="agent">${MARKS.agent}</button><button class="as-none" data-as="none">${MARKS.none}</button></div>
      <button class="auto" hidden></button><br>
      <button class="save" hidden>Save</button><button class="again">Start over</button>
      <button class="cancel">Cancel</button></div>`;
    const $ = (selector) => root.querySelector(selector);
    const outlined = [];
    const listened = new WeakSet();
    let picks = []; // {rowElement, click, as}
    let found = null; // {list, container, selector}
    let mode = "customer";
    let autoExclude = true;
    let config = null;

    const clearOutlines = () => {
      for (const [element, previous] of outlined.splice(0)) element.style.outline = previous;
    };
    const outline = (element, style) => {
      outlined.push([element, element.style.outline]);
      element.style.outline = style;
    };
    const step = (hint, detail = "", warnings = []) => {
      $(".hint").textContent = hint;
      $(".detail").textContent = detail;
      $(".warnings").replaceChildren(
        ...warnings.map((text) => Object.assign(document.createElement("li"), { textContent: text })),
      );
    };
    const setMode = (value) => {
      mode = value;
      for (const button of root.querySelectorAll(".marks button")) {
        button.setAttribute("aria-pressed", String(button.dataset.as === value));
      }
    };
    const reset = () => {
      clearOutlines();
      [picks, found, config, autoExclude] = [[], null, null, true];
      setMode("customer");
      $(".save").hidden = true;
      $(".marks").hidden = true;
      $(".auto").hidden = true;
      step("Click a message written by the customer.");
    };

    /** Ranks again from every pick so far and shows the best candidate. */
    const rank = () => {
      clearOutlines();
      const rowElements = [...found.container.children];
      picks = picks.filter((pick) => rowElements.includes(pick.rowElement)); // the page may re-render
      const messagePicks = picks.filter((pick) => pick.as !== "none");
      const text = textSelector(messagePicks);
      const result = ns.rankPicks({
        rows: rowElements.map(describeRow),
        picks: picks.map((pick) => ({ row: rowElements.indexOf(pick.rowElement), as: pick.as })),
        textSelector: text,
        autoExclude,
      });
      $(".marks").hidden = false;
      $(".auto").hidden = autoExclude && !result.ignored?.some((entry) => entry.auto);
      $(".auto").textContent = autoExclude
        ? "Undo: read the lines left out automatically"
        : "Leave out notes, system lines and typing again";
      if (!result.ok) {
        result.rows?.forEach((verdict, i) => verdict === "ignored" && outline(rowElements[i], STYLES.ignored));
        config = null;
        $(".save").hidden = true;
        step(result.reason, "", result.warnings);
        return;
      }
      const { customer_text: customerText, agent_text: agentText, ...selectors } = result.config;
      config = {
        name: `Custom console on ${location.hostname}`,
        list: found.selector,
        ...selectors,
        ...(found.container === found.list ? {} : { message: selectors.message.replace(/^:scope > /, "") }),
        ...(customerText ? { customer_text: customerText } : {}),
        ...(agentText ? { agent_text: agentText } : {}),
        text,
        conversationId: { from: "url" },
      };
      preview(result, rowElements);
    };

    /** Reads the page with the candidate, exactly as the reader will, and says what it found. */
    const preview = (result, rowElements) => {
      const read = ns.makeGeneric(config).read(document, location);
      const counts = { customer: 0, agent: 0 };
      const roles = new Map();
      for (const message of read?.messages ?? []) {
        counts[message.role] += 1;
        roles.set(message.element, message.role);
      }
      rowElements.forEach((element, i) => {
        outline(element, STYLES[roles.get(element) ?? (result.rows[i] === "ignored" ? "ignored" : "skipped")]);
      });
      const left = rowElements.filter((element) => !roles.has(element)).length;
      const warnings = [...result.warnings];
      const wrong = picks.filter((pick) => {
        const message = read?.messages.find((m) => m.element === pick.rowElement);
        return pick.as === "none" ? message : message?.role !== pick.as;
      });
      if (wrong.length) warnings.push("Some lines you marked are still read the wrong way: these selectors cannot express it.");
      const ok = counts.customer > 0 && counts.agent > 0;
      if (!ok) warnings.push("Customer and agent could not both be found with these selectors.");
      const why = [...new Set(result.ignored.map((entry) => entry.why))].join(", ");
      step(
        "Check the outlines: orange dashed = customer, purple = you, grey = left out.",
        `${counts.customer} customer and ${counts.agent} agent messages found; ` +
          `${left} ${left === 1 ? "line" : "lines"} left out (grey)` +
          `${why ? `: ${why}` : ""}. ${result.notes.join(" ")}`,
        warnings,
      );
      $(".save").hidden = !ok;
      $(".save").textContent = warnings.length ? "Save anyway" : "Save";
    };

    const onClick = (event) => {
      if (event.composedPath().includes(host)) return;
      event.preventDefault();
      event.stopPropagation();
      const target = clicked(event);
      if (!target) return;
      if (!found && picks.length === 0) {
        picks.push({ rowElement: null, click: target, as: "customer" });
        outline(target, STYLES.customer);
        setMode("agent");
        step("Now click a message you (the agent) wrote.");
        return;
      }
      if (!found) {
        found = findList(picks[0].click, target);
        if (!found) {
          reset();
          step("Those two clicks are not two messages of one list.", "Click a customer message again.");
          return;
        }
        const rowIn = (click) => chain(click).find((node) => node.parentNode === found.container);
        picks = [
          { rowElement: rowIn(picks[0].click), click: picks[0].click, as: "customer" },
          { rowElement: rowIn(target), click: target, as: "agent" },
        ];
        setMode(null); // from now on a click marks what the agent chooses
        rank();
        return;
      }
      if (!mode) {
        step("First choose what your click marks: Customer, Me (agent) or Not a message.", $(".detail").textContent);
        return;
      }
      const rowElement = chain(target).find((node) => node.parentNode === found.container);
      if (!rowElement) {
        step("That is outside the message list. Click a line of the chat.", $(".detail").textContent);
        return;
      }
      picks = [...picks.filter((pick) => pick.rowElement !== rowElement), { rowElement, click: target, as: mode }];
      rank();
    };

    /** Listens in the page and in every same-origin frame (frames may load later). */
    const listen = () => {
      for (const doc of [document, ...ns.innerRoots(document).filter((r) => r.nodeType === Node.DOCUMENT_NODE)]) {
        if (listened.has(doc)) continue;
        listened.add(doc);
        doc.addEventListener("click", onClick, true);
      }
    };
    const frames = setInterval(listen, 1000);
    const close = () => {
      clearOutlines();
      clearInterval(frames);
      for (const doc of [document, ...ns.innerRoots(document)]) doc.removeEventListener?.("click", onClick, true);
      host.remove();
    };
    for (const button of root.querySelectorAll(".marks button")) {
      button.addEventListener("click", () => setMode(button.dataset.as));
    }
    $(".auto").addEventListener("click", () => {
      autoExclude = !autoExclude;
      if (found) rank();
    });
    $(".again").addEventListener("click", reset);
    $(".cancel").addEventListener("click", close);
    $(".save").addEventListener("click", async () => {
      await save(config);
      close();
    });
    listen();
    document.documentElement.append(host);
    reset();
    ns.pickerState = () => ({ hint: $(".hint").textContent, detail: $(".detail").textContent, config });
  };
})();
