// Reading through open shadow roots and same-origin frames: the roots below a node, queries that
// look inside them, an element's composed parent, and text that includes shadow content (web
// component consoles keep each message's text in the message's own shadow root).

(() => {
  const ns = (globalThis.__moodline ??= { adapters: [] });
  if (ns.deepQueryAll) return;

  /** The document of a same-origin frame, or null (cross-origin, or not loaded yet). */
  ns.frameDocument = (frame) => {
    try {
      return frame.contentDocument?.documentElement ? frame.contentDocument : null;
    } catch {
      return null;
    }
  };

  const isFrame = (element) => element.localName === "iframe" || element.localName === "frame";

  /** Open shadow roots and same-origin frame documents inside `root` (root's own shadow root
   * included), outermost first. */
  ns.innerRoots = (root) => {
    const found = [];
    const visit = (scope) => {
      if (scope.nodeType === Node.ELEMENT_NODE) {
        if (scope.shadowRoot) {
          found.push(scope.shadowRoot);
          visit(scope.shadowRoot);
        }
        if (isFrame(scope)) {
          const doc = ns.frameDocument(scope);
          if (doc) {
            found.push(doc);
            visit(doc);
          }
        }
      }
      const walker = (scope.ownerDocument ?? scope).createTreeWalker(scope, NodeFilter.SHOW_ELEMENT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.shadowRoot) {
          found.push(node.shadowRoot);
          visit(node.shadowRoot);
        }
        if (isFrame(node)) {
          const doc = ns.frameDocument(node);
          if (doc) {
            found.push(doc);
            visit(doc);
          }
        }
      }
    };
    visit(root);
    return found;
  };

  /** querySelectorAll that also looks inside open shadow roots and same-origin frames. */
  ns.deepQueryAll = (root, selector) => {
    const out = [];
    for (const scope of [root, ...ns.innerRoots(root)]) out.push(...scope.querySelectorAll(selector));
    return out;
  };

  /** The first deep match, or null. */
  ns.deepQuery = (root, selector) => {
    const light = root.querySelector(selector);
    if (light) return light;
    for (const scope of ns.innerRoots(root)) {
      const found = scope.querySelector(selector);
      if (found) return found;
    }
    return null;
  };

  /** The parent across shadow and frame boundaries (a shadow root's host, a frame's element). */
  ns.composedParent = (node) => {
    if (node.parentElement) return node.parentElement;
    const parent = node.parentNode;
    if (parent?.nodeType === Node.DOCUMENT_FRAGMENT_NODE && parent.host) return parent.host;
    if (parent?.nodeType === Node.DOCUMENT_NODE) {
      try {
        return parent.defaultView?.frameElement ?? null;
      } catch {
        return null;
      }
    }
    return null;
  };

  /** True when `element` or something inside it has an open shadow root. */
  ns.hasShadowInside = (element) => {
    if (element.shadowRoot) return true;
    const walker = element.ownerDocument.createTreeWalker(element, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.shadowRoot) return true;
    return false;
  };

  const BLOCK = /^(address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|td|th|tr|ul)$/;
  const SKIP = /^(script|style|template|noscript)$/;

  /** The text as rendered through shadow roots and slots (innerText stops at a shadow root). */
  ns.composedText = (element) => {
    const parts = [];
    const visit = (node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        parts.push(node.data.replace(/\s+/g, " "));
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return;
      if (node.nodeType === Node.ELEMENT_NODE && (SKIP.test(node.localName) || node.hidden)) return;
      const block = node.nodeType === Node.ELEMENT_NODE && BLOCK.test(node.localName);
      if (block) parts.push("\n");
      let children = node.shadowRoot ? node.shadowRoot.childNodes : node.childNodes;
      if (node.localName === "slot") {
        const assigned = node.assignedNodes({ flatten: true });
        if (assigned.length) children = assigned;
      }
      for (const child of children) visit(child);
      if (block) parts.push("\n");
    };
    visit(element);
    return parts.join("");
  };
})();
