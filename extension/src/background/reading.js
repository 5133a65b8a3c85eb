// Reading health as the worker keeps it: per tab and frame, what the content script last said
// about reading its page (storage.session); per site, how many messages the daemon refused since
// the site was last set up (storage.local, kept across browser restarts). The rules and the
// words are in src/shared/reading-health.js.

import "../shared/reading-health.js";
import { getLocal, sessionGet, sessionUpdate, setLocal } from "./config.js";

const HEALTH = globalThis.MOODLINE_HEALTH;

/** A content script's verdict on its page (null: reading works). Resolves true if it changed. */
export function notePage(tabId, frameId, problem) {
  return sessionUpdate("reading", {}, (reading) => {
    const frames = reading[tabId] ?? {};
    if (HEALTH.same(frames[frameId], problem)) return false;
    if (problem) frames[frameId] = problem;
    else delete frames[frameId];
    if (Object.keys(frames).length) reading[tabId] = frames;
    else delete reading[tabId];
    return true;
  });
}

export function forgetTab(tabId) {
  return sessionUpdate("reading", {}, (reading) => (tabId in reading ? delete reading[tabId] : false));
}

let marks = Promise.resolve();

/** Read-modify-write of the per-site refusal marks, one at a time. */
function changeMarks(change) {
  const run = marks.then(async () => {
    const problems = await getLocal("readingProblems");
    if (change(problems) === false) return false;
    await setLocal({ readingProblems: problems });
    return true;
  });
  marks = run.catch(() => undefined);
  return run;
}

/** The daemon refused `count` messages read on `origin` (ids that came back with new words). */
export function noteRefused(origin, count) {
  return changeMarks((problems) => {
    const mark = problems[origin] ?? { count: 0 };
    problems[origin] = { count: mark.count + count, at: Date.now() };
  });
}

/** The site was set up again: its refusals are history. Resolves true if there were some. */
export function clearSite(origin) {
  return changeMarks((problems) => (origin in problems ? delete problems[origin] : false));
}

/** IT's list of generic set-ups as a map of origin → config. */
function byOrigin(list) {
  return Object.fromEntries((Array.isArray(list) ? list : []).filter((entry) => entry?.origin).map((entry) => [entry.origin, entry]));
}

/** Origins whose generic set-up differs between two maps of origin → config. */
export function changedSetups(before = {}, after = {}) {
  const origins = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...origins].filter((origin) => JSON.stringify(before?.[origin]) !== JSON.stringify(after?.[origin]));
}

/**
 * A storage change that sets a site up again (the picker, the options page, IT's policy): the
 * refusals of its old set-up are history. Resolves true when some were cleared.
 */
export async function clearChangedSetups(changes, area) {
  const setups =
    area === "local" && "generic" in changes
      ? changedSetups(changes.generic.oldValue, changes.generic.newValue)
      : area === "managed" && "genericAdapters" in changes
        ? changedSetups(byOrigin(changes.genericAdapters.oldValue), byOrigin(changes.genericAdapters.newValue))
        : [];
  let cleared = false;
  for (const origin of setups) cleared = (await clearSite(origin)) || cleared;
  return cleared;
}

/** The worst problem for a tab on `origin`: its frames' verdicts and the site's refusals (only
 * while the site is read). config: from loadConfig(). */
export async function tabProblem(tabId, origin, config) {
  const reading = await sessionGet("reading", {});
  const refused = origin && config.sites.includes(origin) ? config.readingProblems?.[origin] : null;
  return HEALTH.worst([HEALTH.refusedProblem(refused), ...Object.values(reading[tabId] ?? {})]);
}

export const describeProblem = (problem) => HEALTH.describe(problem);
