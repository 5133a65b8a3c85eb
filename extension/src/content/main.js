// Content-script entry: asks the worker how to read this site, picks the adapter, runs the reader,
// and answers the popup (page state, picker).

(() => {
  const ns = globalThis.__moodline;
  if (ns.started) return;
  ns.started = true;
  const MSG = globalThis.MOODLINE_MSG;
  let config = { enabled: false, paused: false, swapRoles: false, generic: null };
  let reader = null;

  const chooseAdapter = () => {
    if (config.generic) return ns.makeGeneric(config.generic);
    return ns.adapters.find((adapter) => {
      try {
        return adapter.detect(document, location);
      } catch {
        return false;
      }
    }) ?? null;
  };

  const sameOriginParent = () => {
    try {
      return Boolean(window.frameElement);
    } catch {
      return false;
    }
  };

  const send = async (payload) => {
    try {
      const answer = await ns.askWorker({ type: MSG.MESSAGES, ...payload });
      if (answer?.paused) return null; // paused: neither delivered nor worth retrying
      return Boolean(answer && !answer.error);
    } catch {
      return false; // the extension was reloaded or updated: this old script can't talk any more
    }
  };
  const reportHealth = (problem) => ns.askWorker({ type: MSG.READING, problem }).catch(() => undefined);
  const focus = (conversationId) =>
    chrome.runtime.sendMessage({ type: MSG.FOCUS, conversation_id: conversationId }).catch(() => undefined);

  async function applyConfig() {
    try {
      config = await chrome.runtime.sendMessage({ type: MSG.SITE_CONFIG });
    } catch {
      return;
    }
    const stopped = reader;
    reader?.stop();
    reader = null;
    const quiet = () => stopped && reportHealth(null); // nothing read here now: nothing wrong
    if (!config.enabled || config.paused) return quiet();
    // A same-origin frame is read by the top page's generic adapter, through the frame: reading
    // it here too would store its messages twice, under the frame's URL.
    if (config.generic && window !== window.top && sameOriginParent()) return quiet();
    reader = new ns.PageReader({
      chooseAdapter,
      send,
      focus,
      reportHealth,
      swapRoles: config.swapRoles,
      timing: config.timing === true,
    });
    reader.start();
  }

  chrome.runtime.onMessage.addListener((request, _sender, sendResponse) => {
    if (request?.type === MSG.CONFIG_CHANGED) {
      applyConfig();
      return false;
    }
    if (request?.type === MSG.PAGE_STATE) {
      // Frames without a chat stay quiet so the frame that has one answers the popup.
      const state = reader ? reader.describe() : null;
      if (window !== window.top && !state?.adapter) return false;
      sendResponse({ enabled: config.enabled, paused: config.paused, ...(state ?? {}) });
      return false;
    }
    if (request?.type === MSG.START_PICKER && window === window.top) {
      ns.startPicker(async (generic) => {
        await chrome.runtime.sendMessage({ type: MSG.SAVE_GENERIC, config: generic });
      });
      sendResponse({ ok: true });
      return false;
    }
    return false;
  });

  applyConfig();
})();
