import cron, { type Logger as CronLogger } from 'node-cron';
import { errorCodeOf, userMessageOf } from '../errors.js';
import type { ExportRequest } from '../exports/types.js';
import type { Language } from '../i18n/language.js';
import type { OccurrenceReason, Schedule, ScheduleStore } from '../store/schedule-store.js';
import type { Clock } from '../util/clock.js';
import { describeError, type Logger } from '../util/log.js';
import { workerId } from '../util/worker-id.js';
import { type Occurrence, occurrencesBetween } from './rules.js';
import { nextOccurrenceOf } from './schedule-occurrences.js';
import { localDateTimeIn, scheduleWords } from './schedule-words.js';

/** What the scheduler asks the bot to do: post the parent message in the channel, then create the run. */
export type ScheduledRunRequest = ExportRequest & { channelId: string };

/**
 * The port that starts a run (the bot's `startRunInSlack`). When it resolves to `{ run: { id } }`
 * (a StartedRun), the run id is recorded with the occurrence.
 */
export type StartScheduledRun = (request: ScheduledRunRequest) => Promise<unknown>;

export interface CronTask {
  stop(): void | Promise<void>;
  destroy(): void | Promise<void>;
}

export type CronFactory = (
  expression: string,
  wake: () => Promise<void>,
  options: { timezone: string; name: string; noOverlap: boolean; logger: CronLogger },
) => CronTask;

export interface StartFailure {
  schedule: Schedule;
  occurrence: Occurrence;
  error: unknown;
}

export interface SchedulerOptions {
  /** APP_LANGUAGE: a scheduled run's note is read in its channel. English when not given. */
  language?: Language;
  store: ScheduleStore;
  startRun: StartScheduledRun;
  clock: Clock;
  /** SCHEDULE_TIMEZONE */
  timezone: string;
  /** SCHEDULE_CATCH_UP: how far back a start-up looks for occurrences missed while the app was down. */
  catchUpMs: number;
  logger: Logger;
  /** Written with each claim, to tell processes apart in the occurrences table. */
  workerId?: string;
  /** ALLOWED_CHANNELS: a schedule whose channel was taken off the list is skipped, not posted. */
  channelAllowed?: (channelId: string) => boolean;
  /**
   * A run that already delivered this configuration up to this end date (someone ran it by hand just
   * before the schedule, or another schedule did): the occurrence is skipped rather than exported twice.
   */
  alreadyExported?: (configurationId: number, endsAt: string) => { id: number } | undefined;
  /** An occurrence started later than this after its time says so in its note. Default 2 min. */
  lateAfterMs?: number;
  /** Told when an occurrence could not be started (to tell a person, e.g. the schedule's creator). */
  onStartFailed?: (failure: StartFailure) => void | Promise<void>;
  /** Told when an occurrence is recorded as missed (to announce it in the schedule's channel). */
  onMissed?: (missed: { schedule: Schedule; occurrence: Occurrence }) => void | Promise<void>;
  /** Tests replace node-cron; production leaves the default. */
  cron?: CronFactory;
}

export type OccurrenceResult = {
  scheduleId: number;
  key: string;
  firesAt: number;
  endsAt: string;
} & (
  | { outcome: 'started'; runId: number | null; late: boolean }
  | { outcome: 'failed'; errorCode: string; late: boolean }
  | { outcome: 'skipped' | 'missed' | 'interrupted' }
);

export interface TickReport {
  /** What this tick did, in order; occurrences another process took are not listed. */
  results: OccurrenceResult[];
}

const DEFAULT_LATE_AFTER_MS = 2 * 60_000;
/** A claim older than this with no outcome belongs to a process that stopped while starting the run. */
const STALE_CLAIM_MS = 10 * 60_000;
/** How far before the catch-up window a start-up looks for occurrences to report as missed. */
const MISSED_LOOKBACK_MS = 62 * 86_400_000;
const EVERY_MINUTE = '* * * * *';
/**
 * The window never shrinks below this, whatever SCHEDULE_CATCH_UP says: a tick that node-cron delivers
 * late (a busy event loop, a laptop waking up) must still see the occurrence of the minute it missed.
 */
const MIN_WINDOW_MS = 5 * 60_000;

const defaultCron: CronFactory = (expression, wake, options) => cron.schedule(expression, wake, options);

/**
 * Fires month-end schedules. node-cron only wakes it (every minute, in the schedule zone); what is due
 * comes from the pure rules and the occurrences table, because node-cron keeps nothing across a
 * restart. Each tick looks at `(max(last tick, now − catch-up), now]`; the first tick after start-up
 * therefore catches up everything missed while the app was down, within the window, once.
 *
 * Exactly-once: an occurrence is claimed (a committed INSERT on a unique key) before the run is
 * started, so a restart or a second process on the same database never starts it again.
 *
 * A start that fails (Slack down, bot removed from the channel) is recorded with its reason and NOT
 * retried: the WebClient has already retried the post, a timed-out post may still have reached the
 * channel (a blind retry would leave two threads for one export), and the usual causes (not in
 * channel, archived channel, revoked token) need a person anyway. The failure is logged, shown in
 * `schedule list` and App Home, and "Run now" there starts it by hand once the cause is fixed.
 */
export class Scheduler {
  private readonly workerId: string;
  private readonly lateAfterMs: number;
  private lastCheck: number | undefined;
  private inFlight: Promise<TickReport> | undefined;
  private task: CronTask | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.workerId = options.workerId ?? workerId();
    this.lateAfterMs = options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
    if (!(options.catchUpMs >= 0)) throw new RangeError('catchUpMs must be 0 or more');
  }

  /** Wakes every minute and runs one tick at once, which catches up what was missed during downtime. */
  async start(): Promise<void> {
    if (this.task) return;
    const factory = this.options.cron ?? defaultCron;
    this.task = factory(EVERY_MINUTE, () => this.tickSafely(), {
      timezone: this.options.timezone,
      name: 'timesheet-export-schedules',
      noOverlap: true,
      logger: cronLogger(this.options.logger),
    });
    await this.tickSafely();
  }

  /** Stops waking up and waits for a firing in progress to record its outcome. */
  async stop(): Promise<void> {
    const task = this.task;
    this.task = undefined;
    if (task) {
      await task.stop();
      await task.destroy();
    }
    await this.inFlight?.catch(() => undefined);
  }

  /** Fires what is due. Overlapping calls share one pass (a slow Slack must not start a run twice). */
  tick(): Promise<TickReport> {
    if (!this.inFlight) {
      this.inFlight = this.runTick().finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  nextOccurrenceOf(
    schedule: Pick<Schedule, 'rule' | 'timeOfDay'>,
    now = this.options.clock.now(),
  ): Occurrence {
    return nextOccurrenceOf(schedule, now, this.options.timezone);
  }

  private async tickSafely(): Promise<void> {
    try {
      await this.tick();
    } catch (error) {
      // The next minute's tick looks at the same window again: nothing is lost.
      this.options.logger.error('schedule check failed; trying again in a minute', describeError(error));
    }
  }

  private async runTick(): Promise<TickReport> {
    const { store, clock, timezone, catchUpMs, logger } = this.options;
    const now = clock.now();
    const windowStart = now - Math.max(catchUpMs, MIN_WINDOW_MS);
    const from = Math.max(this.lastCheck ?? windowStart, windowStart);
    const results: OccurrenceResult[] = this.settleStaleClaims(now);

    const due: { schedule: Schedule; occurrence: Occurrence }[] = [];
    for (const schedule of store.listEnabled()) {
      try {
        if (this.lastCheck === undefined || this.lastCheck < windowStart) {
          const missed = this.recordMissed(schedule, windowStart, now);
          results.push(...missed.map((m) => m.result));
          for (const { occurrence } of missed) {
            try {
              await this.options.onMissed?.({ schedule, occurrence });
            } catch (hookError) {
              this.options.logger.warn(
                'could not announce the missed scheduled export',
                describeError(hookError),
              );
            }
          }
        }
        // Only occurrences after the schedule was added: adding one on the 3rd does not export the 1st.
        const since = Math.max(from, schedule.createdAt);
        for (const occurrence of occurrencesBetween(
          schedule.rule,
          since,
          now,
          schedule.timeOfDay,
          timezone,
        )) {
          due.push({ schedule, occurrence });
        }
      } catch (error) {
        logger.error('schedule cannot be evaluated; it is left alone', {
          scheduleId: schedule.id,
          ...describeError(error),
        });
      }
    }
    due.sort((a, b) => a.occurrence.firesAt - b.occurrence.firesAt || a.schedule.id - b.schedule.id);
    for (const { schedule, occurrence } of due) {
      const result = await this.fire(schedule, occurrence);
      if (result) results.push(result);
    }
    this.lastCheck = now;
    return { results };
  }

  private async fire(schedule: Schedule, occurrence: Occurrence): Promise<OccurrenceResult | undefined> {
    const { store, clock, logger } = this.options;
    const base = {
      scheduleId: schedule.id,
      key: occurrence.key,
      firesAt: occurrence.firesAt,
      endsAt: occurrence.endsAt,
    };
    if (!store.claimOccurrence(schedule.id, occurrence, this.workerId, clock.now())) {
      logger.debug('occurrence already taken (or schedule disabled)', base);
      return undefined;
    }
    if (this.options.channelAllowed && !this.options.channelAllowed(schedule.channelId)) {
      store.recordOutcome(
        schedule.id,
        occurrence.key,
        'skipped',
        { errorCode: 'channel-not-allowed' satisfies OccurrenceReason },
        clock.now(),
      );
      logger.warn('scheduled export skipped: its channel is not in ALLOWED_CHANNELS', {
        ...base,
        channel: schedule.channelId,
      });
      return { ...base, outcome: 'skipped' };
    }

    const earlier = this.options.alreadyExported?.(schedule.configurationId, occurrence.endsAt);
    if (earlier) {
      store.recordOutcome(
        schedule.id,
        occurrence.key,
        'skipped',
        { runId: earlier.id, errorCode: 'already-exported' satisfies OccurrenceReason },
        clock.now(),
      );
      logger.info('scheduled export skipped: already delivered', { ...base, runId: earlier.id });
      return { ...base, outcome: 'skipped' };
    }

    const startedAt = clock.now();
    const late = startedAt - occurrence.firesAt > this.lateAfterMs;
    const request: ScheduledRunRequest = {
      configurationId: schedule.configurationId,
      configurationLabel: schedule.configurationLabel,
      endsAt: occurrence.endsAt,
      requestedBy: `schedule:${schedule.id}`,
      source: 'schedule',
      channelId: schedule.channelId,
      scheduleId: schedule.id,
      note: scheduledRunNote(schedule, occurrence, this.options.timezone, late, this.options.language),
    };
    try {
      const runId = runIdOf(await this.options.startRun(request));
      store.recordOutcome(schedule.id, occurrence.key, 'started', { runId }, clock.now());
      logger.info('scheduled export started', { ...base, runId, late });
      return { ...base, outcome: 'started', runId, late };
    } catch (error) {
      const errorCode = errorCodeOf(error);
      store.recordOutcome(
        schedule.id,
        occurrence.key,
        'failed',
        { errorCode, errorMessage: userMessageOf(error) },
        clock.now(),
      );
      logger.error('scheduled export could not be started; it is not retried automatically', {
        ...base,
        channel: schedule.channelId,
        ...describeError(error),
      });
      try {
        await this.options.onStartFailed?.({ schedule, occurrence, error });
      } catch (hookError) {
        logger.warn('could not report the failed scheduled export', describeError(hookError));
      }
      return { ...base, outcome: 'failed', errorCode, late };
    }
  }

  /**
   * Occurrences that fell out of the catch-up window (the app was down longer than SCHEDULE_CATCH_UP)
   * are recorded as missed, so that the list and App Home say so instead of staying silent.
   */
  private recordMissed(
    schedule: Schedule,
    windowStart: number,
    now: number,
  ): { occurrence: Occurrence; result: OccurrenceResult }[] {
    const { store, timezone, logger } = this.options;
    const since = Math.max(schedule.createdAt, this.lastCheck ?? windowStart - MISSED_LOOKBACK_MS);
    const results: { occurrence: Occurrence; result: OccurrenceResult }[] = [];
    for (const occurrence of occurrencesBetween(
      schedule.rule,
      since,
      windowStart,
      schedule.timeOfDay,
      timezone,
    )) {
      if (!store.recordMissed(schedule.id, occurrence, this.workerId, now)) continue;
      logger.warn('scheduled export missed: the app was down past the catch-up window (SCHEDULE_CATCH_UP)', {
        scheduleId: schedule.id,
        key: occurrence.key,
        dueAt: new Date(occurrence.firesAt).toISOString(),
      });
      results.push({
        occurrence,
        result: {
          scheduleId: schedule.id,
          key: occurrence.key,
          firesAt: occurrence.firesAt,
          endsAt: occurrence.endsAt,
          outcome: 'missed',
        },
      });
    }
    return results;
  }

  /**
   * A claim left without an outcome means its process stopped between the claim and the record. If
   * the run exists, link it; otherwise say it was interrupted. Never start it again: whether Slack
   * already got the message is unknown.
   */
  private settleStaleClaims(now: number): OccurrenceResult[] {
    const { store, logger } = this.options;
    const results: OccurrenceResult[] = [];
    for (const claim of store.staleClaims(now - STALE_CLAIM_MS)) {
      const base = {
        scheduleId: claim.scheduleId,
        key: claim.key,
        firesAt: claim.firesAt,
        endsAt: claim.endsAt,
      };
      const runId = store.runIdFor(claim.scheduleId, claim.endsAt, claim.claimedAt);
      if (runId !== undefined) {
        if (store.recordOutcome(claim.scheduleId, claim.key, 'started', { runId }, now)) {
          results.push({
            ...base,
            outcome: 'started',
            runId,
            late: claim.claimedAt - claim.firesAt > this.lateAfterMs,
          });
        }
        continue;
      }
      const recorded = store.recordOutcome(
        claim.scheduleId,
        claim.key,
        'interrupted',
        { errorCode: 'interrupted' satisfies OccurrenceReason },
        now,
      );
      if (recorded) {
        logger.warn('scheduled export was interrupted while starting; not started again', {
          ...base,
          claimedBy: claim.claimedBy,
        });
        results.push({ ...base, outcome: 'interrupted' });
      }
    }
    return results;
  }
}

/** The line a scheduled run carries into its thread, in the channel's language. */
export function scheduledRunNote(
  schedule: Pick<Schedule, 'id' | 'rule' | 'timeOfDay'>,
  occurrence: Pick<Occurrence, 'localDate' | 'localTime'>,
  timezone: string,
  late: boolean,
  language: Language = 'en',
): string {
  const words = scheduleWords[language];
  const origin = words.origin(
    schedule.id,
    schedule.rule,
    words.rules[schedule.rule],
    schedule.timeOfDay,
    timezone,
  );
  if (!late) return origin;
  return words.late(words.caughtUpLate, localDateTimeIn(occurrence, timezone, language), origin);
}

function runIdOf(result: unknown): number | null {
  const run = (result as { run?: { id?: unknown } } | null | undefined)?.run;
  return typeof run?.id === 'number' ? run.id : null;
}

function cronLogger(logger: Logger): CronLogger {
  const text = (message: string | Error) => (message instanceof Error ? message.message : message);
  return {
    info: (message) => logger.debug(message, { component: 'node-cron' }),
    warn: (message) => logger.warn(message, { component: 'node-cron' }),
    error: (message, error) =>
      logger.error(text(message), { component: 'node-cron', ...(error ? describeError(error) : {}) }),
    debug: (message) => logger.debug(text(message), { component: 'node-cron' }),
  };
}
