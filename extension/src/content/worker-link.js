// The content script's line to the worker for the messages it sends often (read messages,
// reading health): one long-lived port instead of a new channel per message, which saves the
// channel's set-up on every chat message. Each request gets its answer by number; a port the
// worker closed (it was stopped, the extension reloaded) is opened again on the next request,
// and a request caught by the close fails, so the caller keeps what it sent and tries later.

(() => {
  const ns = globalThis.__moodline;
  if (ns.askWorker) return;
  const PORT_NAME = globalThis.MOODLINE_MSG.PAGE_PORT;
  let port = null;
  let next = 1;
  const waiting = new Map(); // request number → {resolve, reject}

  const open = () => {
    const opened = chrome.runtime.connect({ name: PORT_NAME });
    opened.onMessage.addListener(({ n, answer }) => {
      waiting.get(n)?.resolve(answer);
      waiting.delete(n);
    });
    opened.onDisconnect.addListener(() => {
      if (port === opened) port = null;
      for (const { reject } of waiting.values()) reject(new Error("the worker closed the port"));
      waiting.clear();
    });
    return opened;
  };

  /** Sends `message` ({type, ...}) to the worker; resolves to its answer. */
  ns.askWorker = (message) =>
    new Promise((resolve, reject) => {
      const n = next++;
      try {
        port ??= open();
        waiting.set(n, { resolve, reject });
        port.postMessage({ n, message });
      } catch (error) {
        waiting.delete(n);
        port = null; // the extension was reloaded or updated: this script can't talk any more
        reject(error);
      }
    });
})();
