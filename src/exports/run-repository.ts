import { type AppError, errorCodeOf } from '../errors.js';
import type { ExportRequest, Run, RunEvent, RunEventType, RunState } from './types.js';

/**
 * What the engine needs from wherever runs are kept: the engine owns this contract and the store
 * (src/store/run-store.ts, SQLite) implements it. Every method is synchronous and one transaction,
 * so the engine commits a state before it calls out (a transaction cannot span an await).
 */
export interface RunRepository {
  /**
   * Records a request in one transaction: the same configuration and endsAt as an active or queued
   * run joins it; a configuration busy with another endsAt queues the new run; otherwise the run
   * starts now (state `baseline`).
   */
  createRun(request: ExportRequest, now: number): CreateRunResult;
  get(id: number): Run | undefined;
  /** Newest first. */
  recent(limit: number): Run[];
  /** Runs not yet done, failed or cancelled, oldest first. */
  unfinished(): Run[];
  /**
   * Compare-and-set: applies `patch` only if the run is still in one of `guard.from` (and still
   * leased by `guard.workerId` when given), appending `events` in the same transaction. When the run
   * leaves the active states, the oldest queued run of its configuration takes its place.
   * Returns undefined when the guard did not hold. Throws ConfigurationBusyError when the patch
   * would make a second run active for the configuration.
   */
  transition(
    id: number,
    guard: TransitionGuard,
    patch: RunPatch,
    events?: readonly NewRunEvent[],
  ): TransitionResult | undefined;
  appendEvent(runId: number, event: NewRunEvent, now: number): RunEvent;
  eventsOf(runId: number): RunEvent[];
  /**
   * Atomically leases up to `limit` runs the engine should act on now: in a driven state, due, and
   * not leased (or leased by a worker whose lease ran out). `among` restricts it to those runs (the
   * CLI drives only its own).
   */
  claimDue(
    workerId: string,
    now: number,
    leaseMs: number,
    limit: number,
    among?: readonly number[],
  ): ClaimedRun[];
  /** Extends the lease; false when the worker no longer holds it (taken over, cancelled, finished). */
  renewLease(id: number, workerId: string, now: number, leaseMs: number): boolean;
  releaseLease(id: number, workerId: string): boolean;
  releaseAllLeases(workerId: string): number;
  /**
   * Runs that poll Lucca now or will soon (baseline, triggering, polling, stalled), whichever process
   * drives them: they share one request budget, so each poll's interval depends on how many there are.
   */
  countWaitingOnLucca(): number;
  /** When the engine should next look (earliest due time of a driven run, leases included). */
  nextDueAt(): number | null;
  /** Finished runs (done, failed, cancelled) that still have files and finished at or before `cutoff`. */
  finishedRunsWithFiles(cutoff: number, limit?: number): Run[];
  /** Forgets a run's files once the retention sweep has deleted them from disk. */
  markFilesDeleted(runId: number, now: number): void;
  /**
   * Whether an error thrown by a method above only means that another process holds the storage for
   * now: nothing was written, and the same call may succeed a moment later.
   */
  isBusy(error: unknown): boolean;
}

/** The fields a transition may change. */
export type RunPatch = Partial<
  Pick<
    Run,
    | 'state'
    | 'attempt'
    | 'baselineId'
    | 'exportId'
    | 'triggeredAt'
    | 'nextAt'
    | 'lockedBy'
    | 'lockedUntil'
    | 'errorCode'
    | 'errorMessage'
    | 'errorFacts'
    | 'files'
    | 'filesDeletedAt'
    | 'summary'
    | 'deliveryAttempts'
    | 'polls'
    | 'waitingNoticedMs'
    | 'recheck'
    | 'stepErrors'
  >
>;

export interface NewRunEvent {
  type: RunEventType;
  actor: string;
  detail?: Record<string, unknown>;
}

export interface TransitionGuard {
  /** The change applies only if the run is still in one of these states (compare-and-set). */
  from: readonly RunState[];
  /** When given, the change applies only if this worker still holds the run's lease. */
  workerId?: string;
  now: number;
}

export interface TransitionResult {
  run: Run;
  previous: Run;
  events: RunEvent[];
  /** The queued run that took the configuration this transition freed, if any. */
  promoted: Run | undefined;
}

export type CreateRunOutcome = 'created' | 'joined' | 'queued';

export interface CreateRunResult {
  run: Run;
  outcome: CreateRunOutcome;
  event: RunEvent;
}

export interface ClaimedRun {
  run: Run;
  /** The worker whose lease had expired without being released (a crash or a hang), or null. */
  previousHolder: string | null;
}

/**
 * What `transition` throws when the patch would make a second run active for a configuration (the
 * store throws its own class of this shape). The engine tells it by its stable code, as callers of got
 * tell its errors, so it needs nothing of the store but this contract.
 */
export interface ConfigurationBusyError extends AppError {
  readonly code: 'configuration-busy';
  readonly configurationId: number;
}

export function isConfigurationBusy(error: unknown): error is ConfigurationBusyError {
  return errorCodeOf(error) === 'configuration-busy';
}
