// Chatwoot (v4 dashboard, Vue "components-next" messages): the agent's conversation view.
// Markup studied from chatwoot/chatwoot: components-next/message/Message.vue, bubbles/Base.vue,
// MessageList.vue, MessagesView.vue; fixture: extension/tests/fixtures/chatwoot/.

(() => {
  const ns = globalThis.__moodline;
  const CONVERSATION = /\/app\/accounts\/\d+\/(?:.*\/)?conversations\/(\d+)/;
  const CUSTOMER_BUBBLE = "bg-n-slate-4";
  const AGENT_BUBBLES = ["bg-n-solid-blue", "bg-n-solid-iris", "bg-n-ruby-4"];
  const PRIVATE_NOTE = "bg-n-solid-amber";

  const roleOf = (root) => {
    if (root.classList.contains("justify-center")) return null; // activity
    const bubble = root.querySelector("[data-bubble-name]");
    if (!bubble || bubble.dataset.bubbleName === "activity") return null;
    if (bubble.classList.contains(PRIVATE_NOTE)) return null; // agents' private notes
    if (bubble.classList.contains(CUSTOMER_BUBBLE)) return "customer";
    if (AGENT_BUBBLES.some((name) => bubble.classList.contains(name))) return "agent";
    if (root.classList.contains("justify-start")) return "customer";
    if (root.classList.contains("justify-end")) return "agent";
    return null;
  };

  ns.register({
    id: "chatwoot",
    name: "Chatwoot",
    version: 1,
    idsVerified: true, // the console's own message ids
    detect: (doc, loc) => CONVERSATION.test(loc.pathname) && doc.querySelector("ul.conversation-panel") !== null,
    read(doc, loc) {
      const match = CONVERSATION.exec(loc.pathname);
      const list = doc.querySelector("ul.conversation-panel");
      if (!match || !list) return null;
      const messages = [];
      for (const root of list.querySelectorAll(":scope > [data-message-id]")) {
        const id = root.dataset.messageId;
        if (!/^\d+$/.test(id)) continue; // still sending (a UUID): read once it is confirmed
        const role = roleOf(root);
        if (!role) continue;
        const text = ns.textOf(root.querySelector(".prose.prose-bubble:not(.line-clamp-2)"));
        if (text) messages.push({ id, role, text, ts: null, element: root });
      }
      return { conversationId: match[1], messages };
    },
  });
})();
