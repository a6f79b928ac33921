import type { RunState } from './types.js';

/** States that hold the configuration: at most one run per configuration is in one of these. */
export const ACTIVE_STATES = [
  'baseline',
  'triggering',
  'polling',
  'fetching',
  'delivering',
  'stalled',
] as const;
/**
 * States the engine moves forward on its own. Not `stalled`: the engine keeps looking for a stalled
 * run's export (see DRIVEN_STATES), but only a person's Retry starts a new attempt.
 */
export const WORKING_STATES = ['baseline', 'triggering', 'polling', 'fetching', 'delivering'] as const;
/**
 * States the engine claims and steps: the working ones, and `stalled`, whose export may only be slow
 * (Lucca never says an export failed), so it is looked for once every EXPORT_POLL_MAX for another
 * stall period.
 */
export const DRIVEN_STATES = [...WORKING_STATES, 'stalled'] as const;
export const FINAL_STATES = ['done', 'failed', 'cancelled'] as const;
/**
 * States in which a run asks Lucca for something every so often (a baseline, the POST, polls, the
 * late looks of a stalled run): the runs that share LUCCA_MAX_REQUESTS_PER_MINUTE's poll budget.
 * Not `fetching`/`delivering`: those are a few requests, once.
 */
export const WAITING_ON_LUCCA_STATES = ['baseline', 'triggering', 'polling', 'stalled'] as const;

/**
 * DESIGN §2 on one screen: where each state may go. A state may also "go" to itself (a poll that
 * found nothing, a step retried after a transient error) when it is a driven state.
 *
 *   queued ─► baseline ─► triggering ─► polling ─► fetching ─► delivering ─► done
 *                              │            │           │           │
 *                              └────────────┴─► stalled (Retry) ─► polling (one more look) ─► baseline
 *                                                  └─► fetching (a late look, once a minute for another stall period, found it)
 *      any state ─► failed (Retry: back to the step that can resume)   any active state ─► cancelled
 */
export const TRANSITIONS: Readonly<Record<RunState, readonly RunState[]>> = {
  queued: ['baseline', 'cancelled'],
  baseline: ['triggering', 'failed', 'cancelled'],
  // → fetching: Lucca answered the POST with the export's id. → baseline: the POST was refused with a
  // 429 (nothing was created), so it is safe to take a new baseline and post again later.
  triggering: ['polling', 'fetching', 'baseline', 'failed', 'cancelled'],
  // → baseline: a Retry's extra look found nothing, so a new attempt (new baseline, new POST) begins.
  polling: ['fetching', 'stalled', 'baseline', 'failed', 'cancelled'],
  fetching: ['delivering', 'failed', 'cancelled'],
  // → fetching: the files vanished from disk; they are fetched again from the finished export.
  delivering: ['done', 'fetching', 'failed', 'cancelled'],
  // Retry: one more poll with the old baseline (the export may have finished late). → fetching: the
  // occasional look the engine keeps taking found the export after all.
  stalled: ['polling', 'fetching', 'failed', 'cancelled'],
  // Retry resumes at the step that can continue: redeliver files on disk, refetch a known export,
  // look once more for a posted one, or start over.
  failed: ['delivering', 'fetching', 'polling', 'baseline'],
  done: [],
  cancelled: [],
};

const ACTIVE: ReadonlySet<RunState> = new Set(ACTIVE_STATES);
const WORKING: ReadonlySet<RunState> = new Set(WORKING_STATES);
const DRIVEN: ReadonlySet<RunState> = new Set(DRIVEN_STATES);
const FINAL: ReadonlySet<RunState> = new Set(FINAL_STATES);

export function canTransition(from: RunState, to: RunState): boolean {
  // A driven state "goes" to itself when a step changes nothing but the next look (a poll, or a late
  // look at a stalled run, that found nothing yet; a step retried after a transient error).
  if (from === to) return DRIVEN.has(from);
  return TRANSITIONS[from].includes(to);
}

/** Holds its configuration (one per configuration). */
export function isActive(state: RunState): boolean {
  return ACTIVE.has(state);
}

/** Moved forward by the engine without a person. */
export function isWorking(state: RunState): boolean {
  return WORKING.has(state);
}

export function isFinal(state: RunState): boolean {
  return FINAL.has(state);
}

/** States a person may cancel. */
export const CANCELLABLE_STATES: readonly RunState[] = ['queued', ...ACTIVE_STATES];
