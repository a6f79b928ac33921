/**
 * When to look again. Pure functions of elapsed time, so the rules are tested without a clock.
 *
 * The poll interval is a share of the time already waited (a quarter by default): each poll comes
 * when the run is 25 % older than at the previous one, so an export is noticed at most a fifth of
 * the run's age (at the moment it is noticed) after it appeared, while the number of polls grows
 * with the logarithm of the wait instead of linearly. Lucca cuts the held POST after about 5 s, so
 * polling starts then: with the defaults (5 s–60 s) a 2-minute export costs 12 polls and is noticed
 * 29 s late, a 10-minute one 21 polls (25 Lucca requests in all, baseline, POST, fetch and one file
 * included) and 51 s late; were the POST held the full 30 s, 7 and 16 polls (bench/poll-cost.ts).
 * The share trades requests for delay: a tenth would keep every export within 10 % of its age but
 * cost 40 requests for 10 minutes. `minMs` keeps quick exports from being hammered; `maxMs` keeps
 * long waits responsive and is what most polls of an hour-long wait cost.
 */
export interface PollBounds {
  minMs: number;
  maxMs: number;
  /** Share of the age to wait before the next poll; 0.25 by default. */
  fraction?: number;
}

export const DEFAULT_POLL_FRACTION = 0.25;

export function pollDelay(ageMs: number, bounds: PollBounds): number {
  const fraction = bounds.fraction ?? DEFAULT_POLL_FRACTION;
  const wanted = Math.round(Math.max(0, ageMs) * fraction);
  return Math.min(Math.max(wanted, bounds.minMs), Math.max(bounds.minMs, bounds.maxMs));
}

/** Lucca never says an export failed: silence for this long means it probably did. */
export function isStalled(waitedMs: number, stallAfterMs: number): boolean {
  return waitedMs >= stallAfterMs;
}

const MINUTE = 60_000;
/**
 * "Still waiting" is said at these points, then every doubling; never more often. Three before the
 * default one-hour stall: enough to reassure, few enough that a long run costs a handful of Slack
 * messages (bench/slack-calls.ts: ≤ 12 calls per run whatever the duration).
 */
export const WAITING_MILESTONES_MS: readonly number[] = [5 * MINUTE, 15 * MINUTE, 30 * MINUTE];

/** The milestone to announce now, or null: the latest one passed, if it is newer than the last announced. */
export function waitingMilestoneDue(waitedMs: number, lastAnnouncedMs: number): number | null {
  let passed: number | null = null;
  for (const milestone of milestones()) {
    if (milestone > waitedMs) break;
    passed = milestone;
  }
  return passed !== null && passed > lastAnnouncedMs ? passed : null;
}

function* milestones(): Generator<number> {
  yield* WAITING_MILESTONES_MS;
  let next = WAITING_MILESTONES_MS.at(-1)! * 2;
  for (;;) {
    yield next;
    next *= 2;
  }
}

/** Wait before retrying a failed step or delivery: doubling from `baseMs`, capped at `maxMs`. */
export function retryBackoff(failures: number, baseMs = 5_000, maxMs = 5 * MINUTE): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  return Math.min(baseMs * 2 ** exponent, maxMs);
}
