// Rocket.Chat (6.x/7.x web client): an omnichannel livechat room as the agent sees it.
// Markup studied from RocketChat/Rocket.Chat: RoomBody.tsx, variants/RoomMessage.tsx,
// MessageHeader.tsx, SystemMessage.tsx and fuselage Message; fixture: tests/fixtures/rocketchat/.

(() => {
  const ns = globalThis.__moodline;
  const ROOM = /\/live\/([^/?#]+)/;
  const GUEST = /^guest-\d+$/;

  /** The room's visitor name (the header's title), to recognise visitors without a guest name. */
  const visitorName = (doc) => ns.textOf(doc.querySelector("header.rcx-room-header h1"));

  ns.register({
    id: "rocketchat",
    name: "Rocket.Chat",
    version: 1,
    idsVerified: true, // the console's own message ids
    detect: (doc, loc) => ROOM.test(loc.pathname) && doc.querySelector("ul.messages-list") !== null,
    read(doc, loc) {
      const match = ROOM.exec(loc.pathname);
      if (!match) return null;
      const rid = decodeURIComponent(match[1]);
      const section = doc.getElementById(`chat-window-${rid}`) ?? doc;
      const list = section.querySelector("ul.messages-list");
      if (!list) return null;
      const visitor = visitorName(doc);
      const messages = [];
      let groupAuthor = null; // sequential messages have no header: they inherit the group head's
      let groupTime = null;
      for (const element of list.querySelectorAll(".rcx-message[data-id]")) {
        if (element.closest("[data-tmid]") || element.querySelector(".rcx-message-status-indicator__private")) continue;
        const name = element.querySelector(".rcx-message-header__name");
        const time = element.querySelector(".rcx-message-header__time");
        if (name) groupAuthor = { username: name.dataset.username ?? "", display: ns.textOf(name) };
        if (time) groupTime = ns.parseTime(time.getAttribute("title"));
        let role;
        if (element.dataset.own === "true") role = "agent";
        else if (groupAuthor && (GUEST.test(groupAuthor.username) || (visitor && groupAuthor.display === visitor))) {
          role = "customer";
        } else if (groupAuthor) role = "agent";
        else continue; // a sequential message whose group head is not loaded: author unknown
        const text = ns.textOf(element.querySelector('[data-qa-type="message-body"], .rcx-message-body'));
        if (text) messages.push({ id: element.dataset.id, role, text, ts: groupTime, element });
      }
      return { conversationId: rid, messages };
    },
  });
})();
