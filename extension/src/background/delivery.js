// Sends the outbox to the daemon in order, one conversation batch at a time, retrying with
// backoff while the daemon is down, and never dropping a message it has not acknowledged.

import { Backoff } from "./queue.js";
import { callDaemon, DaemonError } from "./daemon-client.js";
import { timing } from "./timing.js";

const SAFETY_ALARM = "moodline-retry";

export class Delivery {
  /**
   * queue: DurableQueue; getConfig(): {port, token}; report(state, detail): daemon state for the
   * badge/popup; delivered(answer, firstItem): the daemon's answer for a stored batch (its
   * conversation state, and `refused` when ids came back with new words).
   */
  constructor({ queue, getConfig, report, delivered, backoff = new Backoff() }) {
    this.queue = queue;
    this.getConfig = getConfig;
    this.report = report;
    this.delivered = delivered;
    this.backoff = backoff;
    this.running = null;
    this.again = false;
    this.after = Promise.resolve(); // bookkeeping after each answer, in order, off the send path
    this.timer = null;
    this.sent = 0; // messages the daemon acknowledged since this worker started
  }

  /** Sends until the outbox is empty or the daemon cannot take more; one run at a time. A call
   * during a run that is about to find the outbox empty makes it look once more. */
  flush() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.#drain().then((emptied) => {
      this.running = null;
      if (emptied && this.again) this.flush();
    }, (error) => {
      this.running = null;
      throw error;
    });
    return this.running;
  }

  /** True when it stopped because the outbox was empty. */
  async #drain() {
    for (;;) {
      this.again = false;
      const batch = await this.queue.peekBatch();
      if (!batch) {
        await Promise.all([this.after, this.queue.written()]);
        return true;
      }
      const { port, token } = await this.getConfig();
      if (!token) {
        await Promise.all([this.queue.keep(), this.report("unpaired", "Pair the extension to start sending")]);
        return false;
      }
      const first = batch[0];
      const ids = timing.enabled ? batch.map((item) => item.message.id) : null;
      timing.mark(ids, "posted");
      try {
        const answer = await callDaemon(port, "/v1/messages", {
          method: "POST",
          token,
          body: {
            conversation_id: first.conversation_id,
            source: first.source,
            ...(first.ids_verified === true ? { ids_verified: true } : {}),
            messages: batch.map((item) => item.message),
          },
        });
        timing.mark(ids, "answered");
        // Stored (refused ones included: the daemon counted them): out of the outbox, and safe,
        // so the content script is answered. A write storage may need, and the bookkeeping, run
        // beside the next batch; a stop before they end resends it, which the daemon ignores.
        this.queue.drop(batch.length).catch(() => undefined);
        this.sent += batch.length;
        this.backoff.reset();
        this.#afterwards(async () => {
          if (answer.status === 202 && answer.data?.paused) {
            await this.report("paused", "Scoring is paused in Moodline");
          } else {
            await this.report("ready", "");
            await this.delivered(answer.data, first);
          }
        });
      } catch (error) {
        if (!(error instanceof DaemonError)) throw error;
        await this.after;
        if (error.kind !== "rejected") await this.queue.keep(); // it waits: in storage, then
        if (error.kind === "unauthorized") {
          await this.report("unpaired", "The daemon no longer knows this token: pair again");
          return false;
        }
        if (error.kind === "rejected") {
          await this.queue.reject(batch.length, `${error.code ?? error.status}: ${error.message}`);
          continue;
        }
        await this.report(error.code === "not_ready" ? "starting" : "down", error.message);
        this.#retryLater(error.retryAfter ? error.retryAfter * 1000 : this.backoff.next());
        return false;
      }
    }
  }

  #afterwards(task) {
    this.after = this.after.then(task).catch(() => undefined);
  }

  #retryLater(delayMs) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), delayMs);
    // If the worker is stopped before the timer fires, the alarm wakes it to try again.
    chrome.alarms.create(SAFETY_ALARM, { delayInMinutes: 0.5 });
  }

  static isRetryAlarm(alarm) {
    return alarm.name === SAFETY_ALARM;
  }
}
