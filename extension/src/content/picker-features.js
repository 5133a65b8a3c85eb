// Describes the clicked message list for the picker's ranking (picker-ranking.js) as plain data:
// each row's tag, classes and attributes, those of the elements inside it (its shadow content
// included), its short labels ("Client", an aria-label); and finds selectors for the list and
// for a message's text. Unstable class names (CSS-in-JS hashes) are never used.

(() => {
  const ns = globalThis.__moodline;
  if (ns.pickerFeatures) return;

  const DYNAMIC_CLASS = /\d{3,}|^css-|^sc-|^jsx-|^svelte-|^_|^ng-|^v-|--(?=[a-z]*\d)[a-z0-9]{5,}$|^(hover|active|focus|selected)/i;
  const SKIP_ATTRIBUTES = new Set([
    "style", "class", "href", "src", "srcset", "tabindex", "draggable", "dir", "lang", "width", "height",
    "contenteditable", "spellcheck", "loading", "datetime", "slot",
  ]);
  const PART_ATTRIBUTES = ["data-testid", "data-test", "data-qa", "data-role", "part", "itemprop", "name", "role"];
  const LABEL_ATTRIBUTES = ["aria-label", "title"];
  const INLINE = /^(b|i|em|strong|span|small|u|mark|abbr)$/;
  const MAX_DEEP = 150;

  const dynamic = (name) =>
    DYNAMIC_CLASS.test(name) || ((name.match(/\d/g) ?? []).length >= 2 && !/[-_]/.test(name) && name.length >= 5);
  const stableClasses = (element) => [...element.classList].filter((name) => !dynamic(name));
  const quote = (value) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\a ")}"`;
  const idLikeValue = (value) => /\d/.test(value) && value.length >= 4 && !/\s/.test(value);

  /** The elements inside `element`, through its (and its descendants') open shadow roots. */
  const composedDescendants = (element) => {
    const out = [];
    const stack = [...(element.shadowRoot?.children ?? []), ...element.children].reverse();
    while (stack.length && out.length < MAX_DEEP) {
      const node = stack.pop();
      out.push(node);
      stack.push(...[...(node.shadowRoot?.children ?? []), ...node.children].reverse());
    }
    return out;
  };

  const featuresOf = (element, self) => {
    const tag = CSS.escape(element.localName);
    const out = self ? [{ base: tag, self, kind: "tag", name: "tag", value: element.localName }] : [];
    for (const name of stableClasses(element)) {
      out.push({ base: `.${CSS.escape(name)}`, self, kind: "class", name: "class", value: name });
    }
    for (const { name, value } of element.attributes) {
      if (SKIP_ATTRIBUTES.has(name) || name.startsWith("on")) continue;
      out.push({ base: `[${CSS.escape(name)}]`, self, kind: "has", name, value: null });
      if (value.length <= 60 && !value.includes("\n")) {
        out.push({ base: `[${CSS.escape(name)}=${quote(value)}]`, self, kind: "attr", name, value });
      }
    }
    return out;
  };

  /** Selectors that find `element` inside `row`, most robust first; `exact` is the most
   * specific one (a class or named part, else the path with positions). */
  const relativeSelectors = (element, row) => {
    const tag = CSS.escape(element.localName);
    const named = [];
    const classes = stableClasses(element);
    if (classes.length) named.push(`${tag}.${classes.map((name) => CSS.escape(name)).join(".")}`);
    for (const name of PART_ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value && value.length <= 60 && !idLikeValue(value)) named.push(`${tag}[${name}=${quote(value)}]`);
    }
    const path = [];
    const nth = [];
    for (let node = element; node !== row; node = node.parentElement) {
      if (!node.parentElement) return { all: [...named, tag], exact: named[0] ?? tag }; // in a shadow root
      path.unshift(CSS.escape(node.localName));
      nth.unshift(`${CSS.escape(node.localName)}:nth-child(${[...node.parentElement.children].indexOf(node) + 1})`);
    }
    const positions = `:scope > ${nth.join(" > ")}`;
    return { all: [...named, `:scope > ${path.join(" > ")}`, positions, tag], exact: named[0] ?? positions };
  };

  const textOf = (element) => ns.textOf(element);

  /** Short texts that may name the author: leaf cells, aria-labels, titles. */
  const labelsOf = (row, descendants) => {
    const labels = [];
    for (const attribute of LABEL_ATTRIBUTES) {
      const value = row.getAttribute(attribute);
      if (value && value.length <= 60) labels.push({ sel: null, attribute, text: value.trim() });
    }
    for (const element of descendants) {
      const leafish = [...element.children].every((child) => INLINE.test(child.localName) && !child.childElementCount);
      const sel = () => relativeSelectors(element, row).exact;
      if (leafish && !element.shadowRoot) {
        const text = textOf(element);
        if (text && text.length <= 40) labels.push({ sel: sel(), attribute: null, text });
      }
      for (const attribute of LABEL_ATTRIBUTES) {
        const value = element.getAttribute(attribute);
        if (value && value.length <= 60) labels.push({ sel: sel(), attribute, text: value.trim() });
      }
    }
    return labels;
  };

  /** One row of the list as the ranking sees it. */
  const describeRow = (row) => {
    const descendants = composedDescendants(row);
    const features = featuresOf(row, true);
    const seen = new Set();
    for (const element of descendants) {
      for (const feature of featuresOf(element, false)) {
        if (seen.has(feature.base)) continue;
        seen.add(feature.base);
        features.push(feature);
      }
    }
    return { tag: row.localName, features, labels: labelsOf(row, descendants) };
  };

  const composedContains = (ancestor, node) => {
    for (let current = node; current; current = ns.composedParent(current)) if (current === ancestor) return true;
    return false;
  };

  /**
   * The selector of the text inside each message: picks are [{rowElement, click}]; null when the
   * whole row is the text. It must find, in every picked row, the element that was clicked.
   */
  const textSelector = (picks) => {
    const [first] = picks;
    if (!first || first.click === first.rowElement) return null;
    for (let node = first.click; node && node !== first.rowElement; node = ns.composedParent(node)) {
      for (const selector of relativeSelectors(node, first.rowElement).all) {
        const works = picks.every(({ rowElement, click }) => {
          try {
            const found = ns.deepQuery(rowElement, selector);
            return found && found !== rowElement && composedContains(found, click);
          } catch {
            return false;
          }
        });
        if (works) return selector;
      }
    }
    return null;
  };

  /** A selector that finds the list, looked up from the top document through roots and frames. */
  const listSelector = (list) => {
    const unique = (selector) => {
      try {
        return ns.deepQueryAll(document, selector).length === 1;
      } catch {
        return false;
      }
    };
    const own = (element) => {
      const tag = CSS.escape(element.localName);
      const out = [];
      if (element.id && !dynamic(element.id)) out.push(`#${CSS.escape(element.id)}`);
      for (const name of ["role", "aria-label", "data-testid", "data-test", "data-qa", "name"]) {
        const value = element.getAttribute(name);
        if (value && value.length <= 60) out.push(`${tag}[${name}=${quote(value)}]`);
      }
      const classes = stableClasses(element).map((name) => `.${CSS.escape(name)}`).join("");
      out.push(`${tag}${classes}`);
      return out;
    };
    const candidates = own(list);
    const found = candidates.find(unique);
    if (found) return found;
    let path = candidates.at(-1);
    for (let node = list.parentElement, depth = 0; node && depth < 4; node = node.parentElement, depth += 1) {
      path = `${own(node).at(-1)} > ${path}`;
      if (unique(path)) return path;
    }
    return path;
  };

  ns.pickerFeatures = { describeRow, textSelector, listSelector, composedContains };
})();
