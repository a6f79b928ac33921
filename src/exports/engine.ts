import { existsSync } from 'node:fs';
import { isValidIsoDate } from '../calendar/end-date.js';
import { AppError, type FailureFacts } from '../errors.js';
import type { Language } from '../i18n/language.js';
import { LuccaError } from '../lucca/errors.js';
import type { ExportEntry, FoundExport, LuccaApi, TriggerResult } from '../lucca/types.js';
import { type Clock, systemClock } from '../util/clock.js';
import { formatDuration } from '../util/duration.js';
import { describeError, type Logger, silentLogger } from '../util/log.js';
import { workerId } from '../util/worker-id.js';
import { deliveryFailureOf } from './delivery.js';
import { runFolder, storeExportFiles } from './export-files.js';
import { FileRetention } from './file-retention.js';
import { isStalled, pollInterval, retryBackoff, waitingMilestoneDue } from './poll-policy.js';
import { retryPlan } from './retry-plan.js';
import {
  type ClaimedRun,
  type CreateRunOutcome,
  isConfigurationBusy,
  type NewRunEvent,
  type RunPatch,
  type RunRepository,
  type TransitionResult,
} from './run-repository.js';
import { CANCELLABLE_STATES, canTransition, isFinal } from './run-states.js';
import { failureOf, isNeverSent, isRefusal, isUnexpectedAnswer, luccaTroubleOf } from './step-errors.js';
import { isStorageProblem } from './storage-errors.js';
import { summarizeExport } from './summary.js';
import type { DeliveryPort, ExportRequest, ExportSummary, Run, RunEvent, RunState } from './types.js';

export interface EngineSettings {
  /** How long the POST is held before going to poll (EXPORT_TRIGGER_TIMEOUT). */
  triggerTimeoutMs: number;
  pollMinMs: number;
  pollMaxMs: number;
  /**
   * LUCCA_MAX_REQUESTS_PER_MINUTE: the budget the polls of all runs in flight share (poll-policy.ts).
   * The limiter enforces it; this only spaces polls so that they fit. 20 by default.
   */
  maxRequestsPerMinute?: number;
  /** No export after this long → stalled (EXPORT_STALL_AFTER). */
  stallAfterMs: number;
  /** Where each run's files go (`<filesDir>/run-<id>/`). */
  filesDir: string;
  /** How long a claim on a run lasts unless renewed; renewed every third of it. 30 s by default. */
  leaseMs?: number;
  /** Delivery tries (first one included) before a retryable delivery failure fails the run. 5 by default. */
  maxDeliveryAttempts?: number;
  /** Runs driven at once by this process. 4 by default. */
  concurrency?: number;
  /** Files of finished runs are deleted this long after the run finished. 7 days by default. */
  fileRetentionMs?: number;
  /** Consecutive transient failures of one step (Lucca unreachable, unknown error) before the run fails. 8 by default. */
  maxStepErrors?: number;
  /** Longest sleep of the background loop between looks at the database. 5 s by default. */
  idleMs?: number;
  /** APP_LANGUAGE: the CSV the app makes from entries has its headers in it. English by default. */
  language?: Language;
}

export interface ExportEngineDeps {
  store: RunRepository;
  lucca: LuccaApi;
  delivery: DeliveryPort;
  clock?: Clock;
  logger?: Logger;
  /** Names this process's leases; unique per process. */
  workerId?: string;
  /**
   * Drive only these runs (the CLI follows its own run and leaves the Slack app's to the app); the set
   * may grow after construction. Unset: every due run.
   */
  scope?: ReadonlySet<number>;
  settings: EngineSettings;
}

export type RequestOutcome = CreateRunOutcome;
export type RetryOutcome = 'retrying' | 'redelivering' | 'not-needed' | 'busy' | 'not-found';
export type CancelOutcome = 'cancelled' | 'already-final' | 'not-found';
export type RunEventListener = (event: RunEvent, run: Run) => void;

export class ExportRequestError extends AppError {
  constructor(detail: string) {
    super('invalid-request', `The export request is not valid: ${detail}.`);
  }
}

const ENGINE = 'engine';
/** A 429 answers for the tenant's 60-second window: wait at least that long before posting again. */
const RATE_LIMIT_BACKOFF_MS = 60_000;
/** A Retry-After longer than this is taken as this: a wild value must not park a payroll run for hours. */
const MAX_RETRY_AFTER_MS = 15 * 60_000;

interface InFlight {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Drives runs through DESIGN §2. Each step is: claim the run (a lease in SQLite), commit the state
 * that describes what is about to happen, then call out (Lucca, disk, delivery), then commit the
 * outcome with a compare-and-set, so that a crash at any point is resumed from SQLite without
 * repeating the POST, and a run cancelled meanwhile is never overwritten by a step finishing late.
 */
export class ExportEngine {
  readonly workerId: string;
  private readonly store: RunRepository;
  private readonly lucca: LuccaApi;
  private readonly delivery: DeliveryPort;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly settings: Required<EngineSettings>;
  private readonly listeners = new Set<RunEventListener>();
  private readonly inFlight = new Map<number, InFlight>();
  private running = false;
  private stopping = false;
  private loopDone: Promise<void> | undefined;
  private wakeRequested = false;
  private wakeController: AbortController | undefined;
  private readonly scope: ReadonlySet<number> | undefined;
  private readonly retention: FileRetention;

  constructor(deps: ExportEngineDeps) {
    this.store = deps.store;
    this.lucca = deps.lucca;
    this.delivery = deps.delivery;
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
    this.workerId = deps.workerId ?? workerId();
    this.scope = deps.scope;
    this.settings = {
      leaseMs: 30_000,
      maxDeliveryAttempts: 5,
      concurrency: 4,
      fileRetentionMs: 7 * 86_400_000,
      maxStepErrors: 8,
      idleMs: 5_000,
      maxRequestsPerMinute: 20,
      language: 'en',
      ...deps.settings,
    };
    this.retention = new FileRetention({
      store: this.store,
      filesDir: this.settings.filesDir,
      retentionMs: this.settings.fileRetentionMs,
      logger: this.logger,
    });
  }

  // ── Requests from people ────────────────────────────────────────────────────────────────────────

  /** Starts an export, joins the same one already under way, or queues behind another end date. */
  request(request: ExportRequest): { run: Run; outcome: RequestOutcome } {
    validateRequest(request);
    const result = this.store.createRun(request, this.clock.now());
    this.publish(result.event, result.run);
    this.wake();
    return { run: result.run, outcome: result.outcome };
  }

  /**
   * Idempotent: a stalled run first gets one more look with its old baseline (the export may have
   * finished late), then a new attempt; a failed run resumes where it can (redeliver its files,
   * refetch its export, look for its POST, or start over). A run already moving → 'not-needed'.
   */
  retry(runId: number, actor: string): { run: Run | undefined; outcome: RetryOutcome } {
    for (let tries = 0; tries < 3; tries++) {
      const run = this.store.get(runId);
      if (!run) return { run: undefined, outcome: 'not-found' };
      const plan = retryPlan(run, this.clock.now());
      if (!plan) return { run, outcome: 'not-needed' };
      let result: TransitionResult | undefined;
      try {
        result = this.store.transition(run.id, { from: [run.state], now: this.clock.now() }, plan.patch, [
          { type: 'retried', actor, detail: plan.detail },
        ]);
      } catch (error) {
        if (isConfigurationBusy(error)) return { run, outcome: 'busy' };
        throw error;
      }
      if (result) {
        this.logger.info('run retried', { runId, actor, outcome: plan.outcome, state: result.run.state });
        this.after(result);
        this.wake();
        return { run: result.run, outcome: plan.outcome };
      }
      // The run moved between the read and the write (a second click, a step): look again.
    }
    return { run: this.store.get(runId), outcome: 'not-needed' };
  }

  cancel(runId: number, actor: string): { run: Run | undefined; outcome: CancelOutcome } {
    for (let tries = 0; tries < 3; tries++) {
      const run = this.store.get(runId);
      if (!run) return { run: undefined, outcome: 'not-found' };
      if (isFinal(run.state)) return { run, outcome: 'already-final' };
      const result = this.store.transition(
        run.id,
        { from: CANCELLABLE_STATES, now: this.clock.now() },
        { state: 'cancelled', nextAt: null, lockedBy: null, lockedUntil: null, recheck: false },
        [{ type: 'cancelled', actor, detail: { previousState: run.state } }],
      );
      if (result) {
        // Stop local work at once; a step that still finishes finds the run cancelled and drops its result.
        this.inFlight.get(run.id)?.controller.abort();
        this.logger.info('run cancelled', { runId, actor, previousState: run.state });
        this.after(result);
        this.wake();
        return { run: result.run, outcome: 'cancelled' };
      }
    }
    const run = this.store.get(runId);
    return { run, outcome: run && isFinal(run.state) ? 'already-final' : 'not-found' };
  }

  get(runId: number): Run | undefined {
    return this.store.get(runId);
  }

  recent(limit: number): Run[] {
    return this.store.recent(limit);
  }

  runToJoin(configurationId: number, endsAt: string): Run | undefined {
    return this.store
      .unfinished()
      .find((run) => run.configurationId === configurationId && run.endsAt === endsAt);
  }

  eventsOf(runId: number): RunEvent[] {
    return this.store.eventsOf(runId);
  }

  /** Called after each event is committed, in this process. The outbox in SQLite is the durable copy. */
  onEvent(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ── Driving runs ────────────────────────────────────────────────────────────────────────────────

  /** Claims the runs due now and drives each one step; resolves when those steps are over. */
  async tick(): Promise<number> {
    const steps = this.launchDue();
    await Promise.all(steps);
    return steps.length;
  }

  /** Ticks until nothing is due at the current time (tests: the clock does not move by itself). */
  async runUntilIdle(maxSteps = 1_000): Promise<number> {
    let total = 0;
    while (total < maxSteps) {
      const steps = await this.tick();
      if (steps === 0) break;
      total += steps;
    }
    return total;
  }

  /** Runs the background loop: drive due runs, sleep until the next is due (or a request wakes it). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.loopDone = this.loop();
  }

  /** Stops taking work, interrupts HTTP waits of steps in flight, waits for them, releases leases. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.wake();
    for (const { controller } of this.inFlight.values()) controller.abort();
    await this.loopDone;
    await Promise.allSettled([...this.inFlight.values()].map((step) => step.done));
    this.store.releaseAllLeases(this.workerId);
  }

  /** Deletes the files of runs that finished more than `fileRetentionMs` ago; returns how many runs. */
  sweepExpiredFiles(now = this.clock.now()): Promise<number> {
    return this.retention.sweep(now);
  }

  private async loop(): Promise<void> {
    // While another process holds the database, each claim costs a busy timeout of the event loop:
    // look again after growing pauses (up to 2 s), not every 50 ms.
    let busyPauseMs = 0;
    while (this.running) {
      this.wakeRequested = false;
      let launched = 0;
      try {
        const steps = this.launchDue();
        launched = steps.length;
        for (const step of steps) void step.finally(() => this.wake());
        this.retention.sweepIfDue(this.clock.now());
        if (busyPauseMs > 0) this.logger.info('the database is free again');
        busyPauseMs = 0;
      } catch (error) {
        if (this.store.isBusy(error)) {
          if (busyPauseMs === 0) this.logger.warn('the database is locked by another process; waiting');
          busyPauseMs = Math.min(Math.max(busyPauseMs * 2, 100), 2_000);
        } else {
          this.logger.error('engine loop failed; trying again shortly', describeError(error));
        }
      }
      if (busyPauseMs === 0 && (this.wakeRequested || !this.running)) continue;
      if (!this.running) continue;
      const controller = new AbortController();
      this.wakeController = controller;
      await this.clock.sleep(busyPauseMs || this.sleepDelay(launched), controller.signal);
      this.wakeController = undefined;
    }
  }

  private sleepDelay(launched: number): number {
    const { idleMs, concurrency } = this.settings;
    if (this.inFlight.size >= concurrency) return idleMs; // a finishing step wakes the loop
    let next: number | null = null;
    try {
      next = this.scope ? this.nextDueInScope(this.scope) : this.store.nextDueAt();
    } catch (error) {
      this.logger.error('cannot read the next due run', describeError(error));
    }
    if (next === null) return idleMs;
    const delay = Math.min(Math.max(next - this.clock.now(), 0), idleMs);
    // Due but not claimable (e.g. the database was busy): do not spin.
    return delay === 0 && launched === 0 ? 50 : delay;
  }

  private nextDueInScope(scope: ReadonlySet<number>): number | null {
    let next: number | null = null;
    for (const id of scope) {
      const at = this.store.get(id)?.nextAt ?? null;
      if (at !== null && (next === null || at < next)) next = at;
    }
    return next;
  }

  private wake(): void {
    this.wakeRequested = true;
    this.wakeController?.abort();
  }

  private launchDue(): Promise<void>[] {
    if (this.stopping) return [];
    const free = this.settings.concurrency - this.inFlight.size;
    if (free <= 0) return [];
    const among = this.scope ? [...this.scope] : undefined;
    const claims = this.store.claimDue(this.workerId, this.clock.now(), this.settings.leaseMs, free, among);
    return claims.map((claim) => this.launch(claim));
  }

  private launch(claim: ClaimedRun): Promise<void> {
    const controller = new AbortController();
    const done = this.drive(claim, controller).finally(() => this.inFlight.delete(claim.run.id));
    this.inFlight.set(claim.run.id, { controller, done });
    return done;
  }

  private async drive(claim: ClaimedRun, controller: AbortController): Promise<void> {
    const { run } = claim;
    const log = this.logger.child({ runId: run.id, configurationId: run.configurationId });
    const stopRenewing = this.keepLease(run.id, controller, log);
    try {
      if (claim.previousHolder !== null && run.state !== 'triggering') {
        log.info('resuming a run whose worker stopped', {
          state: run.state,
          previousHolder: claim.previousHolder,
        });
        const event = this.store.appendEvent(
          run.id,
          {
            type: 'resumed',
            actor: ENGINE,
            detail: { state: run.state, previousHolder: claim.previousHolder },
          },
          this.clock.now(),
        );
        this.publish(event, run);
      }
      await this.step(claim, controller.signal, log);
    } catch (error) {
      // Steps handle their own errors; reaching here is a bug. The lease runs out and the step is redone.
      log.error('step crashed', { state: run.state, ...describeError(error) });
    } finally {
      stopRenewing();
      try {
        this.store.releaseLease(run.id, this.workerId);
      } catch (error) {
        log.error('cannot release the lease', describeError(error));
      }
    }
  }

  /** Renews the lease every third of its length while the step runs; aborts the step if it was lost. */
  private keepLease(runId: number, step: AbortController, log: Logger): () => void {
    const stop = new AbortController();
    const every = Math.max(1, Math.floor(this.settings.leaseMs / 3));
    void (async () => {
      while (!stop.signal.aborted) {
        await this.clock.sleep(every, stop.signal);
        if (stop.signal.aborted) return;
        let held = true;
        try {
          held = this.store.renewLease(runId, this.workerId, this.clock.now(), this.settings.leaseMs);
        } catch (error) {
          log.warn('cannot renew the lease', describeError(error));
        }
        if (!held) {
          log.info('lease lost (run cancelled or taken over): stopping the step');
          step.abort();
          return;
        }
      }
    })();
    return () => stop.abort();
  }

  private async step(claim: ClaimedRun, signal: AbortSignal, log: Logger): Promise<void> {
    const { run } = claim;
    try {
      switch (run.state) {
        case 'baseline':
          return await this.takeBaselineAndTrigger(run, signal, log);
        case 'triggering':
          return this.resumeTriggering(run, claim.previousHolder, log);
        case 'polling':
          return await this.poll(run, signal);
        case 'stalled':
          return await this.lookAgainAfterStall(run, signal);
        case 'fetching':
          return await this.fetch(run, signal, log);
        case 'delivering':
          return await this.deliver(run, log);
        default:
          log.warn('claimed a run that is not in a working state', { state: run.state });
      }
    } catch (error) {
      this.stepFailed(run, error, signal, log);
    }
  }

  /** Baseline stored, then `triggering` committed with triggered_at, and only then the POST. */
  private async takeBaselineAndTrigger(run: Run, signal: AbortSignal, log: Logger): Promise<void> {
    const baselineId = await this.lucca.latestExportId(run.configurationId, { signal });
    if (signal.aborted) return;
    const now = this.clock.now();
    const triggering = this.move(
      run,
      ['baseline'],
      {
        state: 'triggering',
        baselineId,
        triggeredAt: now,
        nextAt: now,
        exportId: null,
        polls: 0,
        waitingNoticedMs: 0,
        recheck: false,
        errorCode: null,
        errorMessage: null,
      },
      [
        { type: 'started', detail: { baselineId, attempt: run.attempt } },
        { type: 'triggered', detail: { attempt: run.attempt, baselineId } },
      ],
    );
    if (triggering) await this.trigger(triggering, signal, log);
  }

  private async trigger(run: Run, signal: AbortSignal, log: Logger): Promise<void> {
    let result: TriggerResult;
    try {
      result = await this.lucca.triggerExport({
        configurationId: run.configurationId,
        endsAt: run.endsAt,
        timeoutMs: this.settings.triggerTimeoutMs,
        signal,
      });
    } catch (error) {
      if (isRefusal(error) || isUnexpectedAnswer(error)) {
        this.fail(run, 'triggering', error, log);
        return;
      }
      if (isNeverSent(error)) {
        // Refused or never received before anything was created: posting again later cannot make a
        // second export.
        const failures = (run.stepErrors ?? 0) + 1;
        if (failures >= this.settings.maxStepErrors) {
          this.fail(run, 'triggering', error, log);
          return;
        }
        // Lucca's own word on when to come back (a 429's Retry-After) wins over our guess.
        const retryAfterMs = error instanceof LuccaError ? error.retryAfterMs : undefined;
        const waitMs =
          retryAfterMs !== undefined
            ? Math.min(Math.max(retryAfterMs, 1_000), MAX_RETRY_AFTER_MS)
            : retryBackoff(failures, RATE_LIMIT_BACKOFF_MS);
        log.warn('export request not taken by Lucca; will ask again', { failures, code: error.code, waitMs });
        this.move(run, ['triggering'], {
          state: 'baseline',
          stepErrors: failures,
          triggeredAt: null,
          nextAt: this.clock.now() + waitMs,
        });
        return;
      }
      // Lucca may have received the POST: never send it again, go and look for the export.
      log.warn('export request ended without an answer; polling for the export', describeError(error));
      result = { status: 'pending', reason: 'unknown' };
    }
    const now = this.clock.now();
    const waitedMs = now - (run.triggeredAt ?? now);
    if (result.status === 'done') {
      this.move(
        run,
        ['triggering'],
        { state: 'fetching', exportId: result.exportId, nextAt: now, stepErrors: 0 },
        [{ type: 'found', detail: { exportId: result.exportId, waitedMs, polls: 0 } }],
      );
      return;
    }
    this.move(
      run,
      ['triggering'],
      { state: 'polling', nextAt: now + this.pollDelay(waitedMs), stepErrors: 0 },
      [{ type: 'trigger-pending', detail: { reason: result.reason, httpStatus: result.httpStatus ?? null } }],
    );
  }

  /**
   * A run claimed in `triggering` was left there by a worker that stopped during the POST: whether
   * Lucca got it is unknown, so look for the export; if nothing comes, the stall rule offers Retry.
   */
  private resumeTriggering(run: Run, previousHolder: string | null, log: Logger): void {
    log.info('resuming an interrupted export request by polling, not by posting again');
    this.move(run, ['triggering'], { state: 'polling', nextAt: this.clock.now(), stepErrors: 0 }, [
      { type: 'resumed', detail: { state: 'triggering', previousHolder, action: 'polling' } },
    ]);
  }

  /** One look for our export; undefined when the step was interrupted meanwhile. */
  private async look(run: Run, signal: AbortSignal) {
    const found = await this.lucca.findExport(
      run.configurationId,
      run.baselineId ?? 0,
      run.endsAt,
      run.triggeredAt ?? undefined,
      { signal },
    );
    if (signal.aborted) return undefined;
    const now = this.clock.now();
    return { found, now, polls: run.polls + 1, waitedMs: now - (run.triggeredAt ?? run.createdAt) };
  }

  /** The export exists: fetch it next. */
  private moveToFetching(
    run: Run,
    look: { found: FoundExport; now: number; polls: number; waitedMs: number },
    afterStall: boolean,
  ): void {
    const { found, now, polls, waitedMs } = look;
    this.move(
      run,
      [run.state],
      { state: 'fetching', exportId: found.id, nextAt: now, polls, recheck: false, stepErrors: 0 },
      [
        {
          type: 'found',
          detail: {
            exportId: found.id,
            createdAt: found.createdAt,
            waitedMs,
            polls,
            ...(afterStall ? { afterStall } : {}),
            ...(found.matchedBy !== 'endsAt'
              ? { matchedBy: found.matchedBy, endsAt: found.rawEndsAt ?? null }
              : {}),
          },
        },
      ],
    );
  }

  private async poll(run: Run, signal: AbortSignal): Promise<void> {
    const look = await this.look(run, signal);
    if (!look) return;
    const { found, now, polls, waitedMs } = look;
    if (found) {
      this.moveToFetching(run, { ...look, found }, false);
      return;
    }
    if (run.recheck) {
      // Retry's extra look found nothing: a new attempt, with a new baseline and a new POST.
      this.move(run, ['polling'], {
        state: 'baseline',
        attempt: run.attempt + 1,
        recheck: false,
        baselineId: null,
        triggeredAt: null,
        polls: 0,
        waitingNoticedMs: 0,
        nextAt: now,
        stepErrors: 0,
      });
      return;
    }
    if (isStalled(waitedMs, this.settings.stallAfterMs)) {
      // Probably failed, but maybe only slow: keep an eye on it at the longest interval, so that a
      // late export is delivered without a Retry (a Retry pressed too early costs a second export).
      this.move(
        run,
        ['polling'],
        { state: 'stalled', nextAt: now + this.settings.pollMaxMs, polls, stepErrors: 0 },
        [
          {
            type: 'stalled',
            // stallAfterMs: the limit reached, which the thread and the parent both quote (a poll
            // lands a little after it, so the time waited reads "16s" beside a 15s limit).
            detail: {
              waitedMs,
              polls,
              watchingMs: this.settings.stallAfterMs,
              stallAfterMs: this.settings.stallAfterMs,
            },
          },
        ],
      );
      return;
    }
    const milestone = waitingMilestoneDue(waitedMs, run.waitingNoticedMs ?? 0);
    this.move(
      run,
      ['polling'],
      {
        nextAt: now + this.pollDelay(waitedMs),
        polls,
        stepErrors: 0,
        waitingNoticedMs: milestone ?? run.waitingNoticedMs ?? 0,
      },
      milestone === null ? [] : [{ type: 'waiting', detail: { waitedMs, polls, milestoneMs: milestone } }],
    );
  }

  /**
   * A stalled run is looked at once every EXPORT_POLL_MAX for one more stall period: Lucca never says
   * an export failed, and a slow one found here is delivered as usual. After that, only Retry acts.
   */
  private async lookAgainAfterStall(run: Run, signal: AbortSignal): Promise<void> {
    const look = await this.look(run, signal);
    if (!look) return;
    const { found, now, polls, waitedMs } = look;
    if (found) {
      this.moveToFetching(run, { ...look, found }, true);
      return;
    }
    if (waitedMs >= 2 * this.settings.stallAfterMs) {
      this.giveUpAfterStall(run, waitedMs, polls);
      return;
    }
    this.move(run, ['stalled'], { nextAt: now + this.settings.pollMaxMs, polls, stepErrors: 0 });
  }

  /**
   * Two stall periods without an export: it failed. `failed` (not `stalled`) frees the configuration,
   * so the next export queued behind it — next month's schedule — is not held for ever; Retry still
   * looks once more with the old baseline before asking Lucca again.
   */
  private giveUpAfterStall(run: Run, waitedMs: number, polls: number): void {
    const message = `Lucca produced no export in ${formatDuration(waitedMs)}: it has failed (Lucca never says so). Press Retry to look once more and then ask Lucca again.`;
    this.move(
      run,
      ['stalled'],
      {
        state: 'failed',
        nextAt: null,
        polls,
        stepErrors: 0,
        errorCode: 'export-never-appeared',
        errorMessage: message,
        errorFacts: { waitedMs },
      },
      [
        {
          type: 'failed',
          detail: { code: 'export-never-appeared', message, facts: { waitedMs }, state: 'stalled', waitedMs },
        },
      ],
    );
  }

  private async fetch(run: Run, signal: AbortSignal, log: Logger): Promise<void> {
    if (run.exportId === null) throw new Error('a run in fetching has no export id');
    const exportId = run.exportId;
    // Header and files first; the entries (slow for a large export) only for the CSV or the summary.
    const details = await this.lucca.getExport(exportId, { signal });
    if (signal.aborted) return;
    let entries: Promise<readonly ExportEntry[]> | undefined;
    const loadEntries = () => {
      entries ??= this.lucca.getExportEntries(exportId, { signal });
      return entries;
    };
    const { files, skipped } = await storeExportFiles(
      this.lucca,
      details,
      runFolder(this.settings.filesDir, run.id),
      log,
      run,
      loadEntries,
      signal,
      this.settings.language,
    );
    if (signal.aborted) return;
    // The file is what payroll needs: Lucca cutting the entries (408 past ~5 s) costs the summary only.
    let summary: ExportSummary | null = null;
    let summaryUnavailable: string | undefined;
    try {
      summary = summarizeExport(details, await loadEntries());
    } catch (error) {
      if (signal.aborted) return;
      summaryUnavailable = failureOf(error).code;
      log.warn('export entries unavailable: delivering the file without a summary', describeError(error));
    }
    if (signal.aborted) return;
    this.move(
      run,
      ['fetching'],
      {
        state: 'delivering',
        files,
        filesDeletedAt: null,
        summary,
        nextAt: this.clock.now(),
        deliveryAttempts: 0,
        stepErrors: 0,
      },
      [
        {
          type: 'fetched',
          detail: {
            summary,
            files: files.map(({ name, bytes, origin }) => ({ name, bytes, origin })),
            skipped,
            ...(summaryUnavailable ? { summaryUnavailable } : {}),
          },
        },
      ],
    );
  }

  /** Hands the files on disk to the delivery port; a failed delivery is retried from disk, never from Lucca. */
  private async deliver(run: Run, log: Logger): Promise<void> {
    if (run.files.length === 0 || run.files.some((file) => !existsSync(file.path))) {
      log.warn('export files are missing from disk; fetching them again from Lucca (no new export)');
      this.move(run, ['delivering'], { state: 'fetching', files: [], nextAt: this.clock.now() });
      return;
    }
    const attempts = run.deliveryAttempts + 1;
    try {
      await this.delivery.deliver(run);
    } catch (error) {
      const failure = deliveryFailureOf(error);
      const willRetry = failure.retryable && attempts < this.settings.maxDeliveryAttempts;
      log.warn('delivery failed', { attempts, willRetry, code: failure.code, ...describeError(error) });
      const failed: NewRunEvent = {
        type: 'delivery-failed',
        actor: ENGINE,
        detail: {
          code: failure.code,
          message: failure.userMessage,
          ...factsDetail(failure.facts),
          willRetry,
          attempt: attempts,
        },
      };
      if (willRetry) {
        this.move(
          run,
          ['delivering'],
          { deliveryAttempts: attempts, nextAt: this.clock.now() + retryBackoff(attempts) },
          [failed],
        );
      } else {
        this.move(
          run,
          ['delivering'],
          {
            state: 'failed',
            deliveryAttempts: attempts,
            nextAt: null,
            errorCode: failure.code,
            errorMessage: failure.userMessage,
            errorFacts: failure.facts ?? null,
          },
          [
            failed,
            {
              type: 'failed',
              detail: {
                code: failure.code,
                message: failure.userMessage,
                ...factsDetail(failure.facts),
                state: 'delivering',
              },
            },
          ],
        );
      }
      return;
    }
    this.move(
      run,
      ['delivering'],
      {
        state: 'done',
        deliveryAttempts: attempts,
        nextAt: null,
        errorCode: null,
        errorMessage: null,
      },
      [{ type: 'delivered', detail: { files: run.files.map(({ name, bytes }) => ({ name, bytes })) } }],
    );
  }

  /** Never lets an error escape a step: refusals fail the run, anything else is retried with backoff. */
  private stepFailed(run: Run, error: unknown, signal: AbortSignal, log: Logger): void {
    if (signal.aborted) {
      log.info('step interrupted', { state: run.state });
      return;
    }
    try {
      if (run.state === 'stalled') {
        // The late looks are a courtesy: a passing failure only postpones the next one. Lucca refusing
        // us, or failing again and again, ends them with that reason (and frees the configuration).
        const failures = (run.stepErrors ?? 0) + 1;
        log.warn('a late look for a stalled export failed', { failures, ...describeError(error) });
        if (failures >= 3 || isRefusal(error)) {
          this.fail(run, 'stalled', error, log);
          return;
        }
        this.move(run, ['stalled'], {
          stepErrors: failures,
          nextAt: this.clock.now() + this.settings.pollMaxMs,
        });
        return;
      }
      // Lucca's refusals and our own disk's failures need a person: failing at once says so sooner.
      if (isRefusal(error) || isStorageProblem(error)) {
        this.fail(run, run.state, error, log);
        return;
      }
      const failures = (run.stepErrors ?? 0) + 1;
      log.warn('step failed', { state: run.state, failures, ...describeError(error) });
      if (failures >= this.settings.maxStepErrors) {
        this.fail(run, run.state, error, log);
        return;
      }
      this.move(
        run,
        [run.state],
        { stepErrors: failures, nextAt: this.clock.now() + retryBackoff(failures) },
        this.stepErrorEvents(run, error, failures),
      );
    } catch (storeError) {
      // The database itself failed: the lease runs out and the step is redone.
      log.error('cannot record the step failure', describeError(storeError));
    }
  }

  /**
   * A step error worth telling people about: Lucca's answers. The run fails only after
   * `maxStepErrors` in a row (about ten minutes), so the second identical failure in a row is said in
   * the thread at once (`notify`), once per streak, while the run keeps trying.
   */
  private stepErrorEvents(run: Run, error: unknown, failures: number): Omit<NewRunEvent, 'actor'>[] {
    const trouble = luccaTroubleOf(error);
    if (!trouble) return [];
    const previous =
      failures > 1 ? this.store.eventsOf(run.id).findLast((e) => e.type === 'step-error') : undefined;
    const repeated =
      previous?.detail.failures === failures - 1 &&
      previous.detail.code === trouble.code &&
      previous.detail.answer === trouble.answer;
    const notify = repeated && previous.detail.announced !== true;
    return [
      {
        type: 'step-error',
        detail: {
          state: run.state,
          ...trouble,
          failures,
          maxFailures: this.settings.maxStepErrors,
          notify,
          announced: repeated && (notify || previous.detail.announced === true),
        },
      },
    ];
  }

  private fail(run: Run, from: RunState, error: unknown, log: Logger): void {
    const { code, message, facts } = failureOf(error);
    log.warn('run failed', { state: from, code, ...describeError(error) });
    this.move(
      run,
      [from],
      {
        state: 'failed',
        nextAt: null,
        errorCode: code,
        errorMessage: message,
        errorFacts: facts ?? null,
        recheck: false,
        stepErrors: 0,
      },
      [{ type: 'failed', detail: { code, message, ...factsDetail(facts), state: from } }],
    );
  }

  /** Commits a step's outcome if the run is still where the step found it and still ours. */
  private move(
    run: Run,
    from: readonly RunState[],
    patch: RunPatch,
    events: readonly (Omit<NewRunEvent, 'actor'> & { actor?: string })[] = [],
  ): Run | undefined {
    if (patch.state !== undefined) {
      for (const state of from) {
        if (!canTransition(state, patch.state))
          throw new Error(`transition ${state} → ${patch.state} is not allowed`);
      }
    }
    const result = this.store.transition(
      run.id,
      { from, workerId: this.workerId, now: this.clock.now() },
      patch,
      events.map((event) => ({ actor: ENGINE, ...event })),
    );
    if (!result) {
      this.logger.info('run changed meanwhile (cancelled or taken over); step result dropped', {
        runId: run.id,
        state: run.state,
      });
      return undefined;
    }
    this.after(result);
    return result.run;
  }

  private after(result: TransitionResult): void {
    for (const event of result.events) this.publish(event, result.run);
    if (result.promoted) {
      this.logger.info('queued run started', { runId: result.promoted.id, after: result.run.id });
      this.wake();
    }
  }

  private publish(event: RunEvent, run: Run): void {
    for (const listener of this.listeners) {
      try {
        listener(event, run);
      } catch (error) {
        this.logger.error('run event listener failed', { eventType: event.type, ...describeError(error) });
      }
    }
  }

  /** The next poll's interval: the run's wait, and how many runs share the request budget now. */
  private pollDelay(waitedMs: number): number {
    return pollInterval(
      {
        waitedMs,
        runsInFlight: this.store.countWaitingOnLucca(),
        budgetPerMinute: this.settings.maxRequestsPerMinute,
      },
      { minMs: this.settings.pollMinMs, maxMs: this.settings.pollMaxMs },
    );
  }
}

function validateRequest(request: ExportRequest): void {
  if (!Number.isSafeInteger(request.configurationId) || request.configurationId <= 0) {
    throw new ExportRequestError(
      `the configuration id must be a positive whole number, not ${request.configurationId}`,
    );
  }
  if (!isValidIsoDate(request.endsAt)) {
    throw new ExportRequestError(
      `the end date must be a real date written YYYY-MM-DD, not "${request.endsAt}"`,
    );
  }
  if (!request.requestedBy) throw new ExportRequestError('it does not say who asked for it');
}

/** An event's `facts`, only when the error had some (older readers and tests see the same detail). */
function factsDetail(facts: FailureFacts | undefined): { facts?: FailureFacts } {
  return facts ? { facts } : {};
}
