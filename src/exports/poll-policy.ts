/**
 * When to look again. Pure functions of elapsed time and load, so the rules are tested without a clock.
 *
 * A run polls after a tenth of the time it has waited (`EXPORT_POLL_MIN` at least, `EXPORT_POLL_MAX`
 * at most): each poll comes when the run is 10 % older than at the previous one, so an export is
 * noticed at most 10 % of its age late, and the number of polls grows with the logarithm of the
 * wait. That is dense while the run is young — every 5 s for its first 50 s — and it is only
 * affordable while the budget (`LUCCA_MAX_REQUESTS_PER_MINUTE`, shared by every request of the
 * process) has room. So the polls of all runs in flight together may use at most `POLL_SHARE` of
 * the budget: each run's interval is at least `runsInFlight` / (`POLL_SHARE` × budget) minutes.
 * With the defaults (20 a minute, 5 s–60 s) one run polls at the dense pace (2-minute export noticed
 * ≤ 12 s late, 10-minute ≤ 60 s, bench/poll-cost.ts); a month-end morning's 12 runs poll every 48 s
 * each at first (15 polls a minute in all), then as the dense pace says once it is slower. The other
 * quarter is left for baselines, POSTs, fetches, downloads and Retry. Beyond 15 runs in flight the
 * cap (EXPORT_POLL_MAX) wins and the limiter, the single gate, queues what is over the budget.
 */
export interface PollBounds {
  minMs: number;
  maxMs: number;
}

/** What the interval depends on besides the bounds. */
export interface PollLoad {
  /** Time since the POST (the run's age in the export's sense). */
  waitedMs: number;
  /** Runs of this database waiting on Lucca now (baseline, POST, polling, stalled), this one included. */
  runsInFlight: number;
  /** LUCCA_MAX_REQUESTS_PER_MINUTE. */
  budgetPerMinute: number;
}

/** Share of the time waited before the next poll when the budget has room: meets max(5 s, 10 % of the age). */
export const DENSE_POLL_FRACTION = 0.1;
/** Share of the request budget the polls of all runs may use together; the rest is for the other steps. */
export const POLL_SHARE = 0.75;

/** How long this run waits before its next poll. */
export function pollInterval(load: PollLoad, bounds: PollBounds): number {
  const minMs = bounds.minMs;
  const maxMs = Math.max(bounds.minMs, bounds.maxMs);
  const dense = Math.floor(Math.max(0, load.waitedMs) * DENSE_POLL_FRACTION);
  const runs = Math.max(1, Math.ceil(load.runsInFlight));
  const pollsPerMinute = Math.max(0, load.budgetPerMinute) * POLL_SHARE;
  // With no budget at all there is nothing to share: the slowest pace allowed.
  const fairShare = pollsPerMinute > 0 ? Math.ceil((runs * 60_000) / pollsPerMinute) : maxMs;
  return Math.min(Math.max(dense, fairShare, minMs), maxMs);
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
