// Zammad customer chat (#customer_chat): up to four chats side by side, each window one
// conversation. Markup studied from zammad/zammad: controllers/chat.coffee and the
// views/customer_chat/*.jst.eco templates; fixture: tests/fixtures/zammad/.

(() => {
  const ns = globalThis.__moodline;
  const SESSION = /#(\d+)\s*$/;

  const readWindow = (chatWindow) => {
    const match = SESSION.exec(ns.textOf(chatWindow.querySelector(".chat-name")));
    const body = chatWindow.querySelector(".chat-body.js-body");
    if (!match || !body) return null;
    const messages = [];
    // Zammad shows no message ids; the log is append-only, so the position is stable.
    let ordinal = 0;
    for (const element of body.children) {
      if (!element.classList.contains("chat-message") || element.classList.contains("js-loader")) continue;
      const role = element.classList.contains("chat-message--customer")
        ? "customer"
        : element.classList.contains("chat-message--agent")
          ? "agent"
          : null;
      if (!role) continue;
      ordinal += 1;
      const text = ns.textOf(element);
      if (text) messages.push({ id: `${match[1]}:${ordinal}`, role, text, ts: null, element });
    }
    return { conversationId: match[1], messages, focused: chatWindow.contains(document.activeElement) };
  };

  ns.register({
    id: "zammad",
    name: "Zammad customer chat",
    version: 1,
    idsVerified: true, // session and place in an append-only log: one per message
    detect: (doc, loc) => loc.hash.startsWith("#customer_chat") && doc.querySelector(".chat-window") !== null,
    read(doc) {
      const windows = [...doc.querySelectorAll(".chat-workspace .chat-window")].map(readWindow).filter(Boolean);
      // The window the agent is typing in comes first: that is the conversation in focus.
      windows.sort((a, b) => Number(b.focused) - Number(a.focused));
      return windows;
    },
  });
})();
