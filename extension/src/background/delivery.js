// Sends the outbox to the daemon in order, one conversation batch at a time, retrying with
// backoff while the daemon is down, and never dropping a message it has not acknowledged.

import { Backoff } from "./queue.js";
import { callDaemon, DaemonError } from "./daemon-client.js";

const SAFETY_ALARM = "moodline-retry";

export class Delivery {
  /**
   * queue: DurableQueue; getConfig(): {port, token}; report(state, detail): daemon state for the
   * badge/popup; delivered(conversationState): the daemon's answer for a stored batch.
   */
  constructor({ queue, getConfig, report, delivered, backoff = new Backoff() }) {
    this.queue = queue;
    this.getConfig = getConfig;
    this.report = report;
    this.delivered = delivered;
    this.backoff = backoff;
    this.running = null;
    this.timer = null;
    this.sent = 0; // messages the daemon acknowledged since this worker started
  }

  /** Sends until the outbox is empty or the daemon cannot take more; one run at a time. */
  flush() {
    if (!this.running) {
      this.running = this.#drain().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  async #drain() {
    for (;;) {
      const batch = await this.queue.peekBatch();
      if (!batch) return;
      const { port, token } = await this.getConfig();
      if (!token) {
        await this.report("unpaired", "Pair the extension to start sending");
        return;
      }
      const first = batch[0];
      try {
        const answer = await callDaemon(port, "/v1/messages", {
          method: "POST",
          token,
          body: {
            conversation_id: first.conversation_id,
            source: first.source,
            messages: batch.map((item) => item.message),
          },
        });
        await this.queue.drop(batch.length);
        this.sent += batch.length;
        this.backoff.reset();
        if (answer.status === 202 && answer.data?.paused) {
          await this.report("paused", "Scoring is paused in Moodline");
        } else {
          await this.report("ready", "");
          await this.delivered(answer.data);
        }
      } catch (error) {
        if (!(error instanceof DaemonError)) throw error;
        if (error.kind === "unauthorized") {
          await this.report("unpaired", "The daemon no longer knows this token: pair again");
          return;
        }
        if (error.kind === "rejected") {
          await this.queue.reject(batch.length, `${error.code ?? error.status}: ${error.message}`);
          continue;
        }
        await this.report(error.code === "not_ready" ? "starting" : "down", error.message);
        this.#retryLater(error.retryAfter ? error.retryAfter * 1000 : this.backoff.next());
        return;
      }
    }
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
