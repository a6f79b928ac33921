import type Database from 'better-sqlite3';
import type {
  ClaimedRun,
  CreateRunResult,
  NewRunEvent,
  RunPatch,
  RunRepository,
  TransitionGuard,
  TransitionResult,
} from '../exports/run-repository.js';
import {
  ACTIVE_STATES,
  DRIVEN_STATES,
  FINAL_STATES,
  isActive,
  isFinal,
  WAITING_ON_LUCCA_STATES,
} from '../exports/run-states.js';
import type { ExportRequest, Run, RunEvent } from '../exports/types.js';
import { isDatabaseBusy } from './busy.js';
import { ConfigurationBusyError } from './errors.js';
import { eventFromRow, type RunEventRow, type RunRow, rowParamsOf, runFromRow, sqlList } from './run-rows.js';

// The lifecycle is the engine's: the store reads its state sets and predicates from run-states.ts (a
// leaf, the one module of exports the store may import beyond types), so SQL and engine never disagree.
const ACTIVE = sqlList(ACTIVE_STATES);
const DRIVEN = sqlList(DRIVEN_STATES);
const FINAL = sqlList(FINAL_STATES);
const WAITING_ON_LUCCA = sqlList(WAITING_ON_LUCCA_STATES);

/**
 * Runs and their events in SQLite: the engine's RunRepository. Synchronous: every method is one
 * transaction, so the engine commits a state before it calls out (a transaction cannot span an await).
 * Events are written in the same transaction as the change they describe; unpublished ones form the
 * bot's outbox (outbox.ts).
 */
export class RunStore implements RunRepository {
  private readonly statements;
  private readonly createTx;
  private readonly transitionTx;
  private readonly claimTx;
  private readonly promoteTx;

  constructor(db: Database.Database) {
    const s = {
      byId: db.prepare<[number], RunRow>('SELECT * FROM runs WHERE id = ?'),
      recent: db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?'),
      unfinished: db.prepare<[], RunRow>(`SELECT * FROM runs WHERE state NOT IN (${FINAL}) ORDER BY id`),
      sameRequest: db.prepare<[number, string], RunRow>(
        `SELECT * FROM runs WHERE configuration_id = ? AND ends_at = ? AND state IN (${ACTIVE}, 'queued')
         ORDER BY id LIMIT 1`,
      ),
      doneFor: db.prepare<[number, string], RunRow>(
        `SELECT * FROM runs WHERE configuration_id = ? AND ends_at = ? AND state = 'done' ORDER BY id DESC LIMIT 1`,
      ),
      activeOf: db.prepare<[number], RunRow>(
        `SELECT * FROM runs WHERE configuration_id = ? AND state IN (${ACTIVE}) LIMIT 1`,
      ),
      oldestQueuedOf: db.prepare<[number], RunRow>(
        `SELECT * FROM runs WHERE configuration_id = ? AND state = 'queued' ORDER BY id LIMIT 1`,
      ),
      insertRun: db.prepare<Record<string, unknown>, RunRow>(
        `INSERT INTO runs (configuration_id, configuration_label, ends_at, state, next_at, requested_by, source,
           channel_id, thread_ts, schedule_id, note, created_at, updated_at)
         VALUES (@configuration_id, @configuration_label, @ends_at, @state, @next_at, @requested_by, @source,
           @channel_id, @thread_ts, @schedule_id, @note, @now, @now)
         RETURNING *`,
      ),
      updateRun: db.prepare<Record<string, unknown>>(
        `UPDATE runs SET configuration_label = @configuration_label, state = @state, attempt = @attempt,
           baseline_id = @baseline_id, export_id = @export_id, triggered_at = @triggered_at, next_at = @next_at,
           locked_by = @locked_by, locked_until = @locked_until, error_code = @error_code,
           error_message = @error_message, error_facts = @error_facts, channel_id = @channel_id, thread_ts = @thread_ts, files = @files,
           files_deleted_at = @files_deleted_at, summary = @summary, delivery_attempts = @delivery_attempts,
           polls = @polls, waiting_noticed_ms = @waiting_noticed_ms, recheck = @recheck,
           step_errors = @step_errors, updated_at = @updated_at, finished_at = @finished_at
         WHERE id = @id`,
      ),
      promote: db.prepare<[number, number, number]>(
        `UPDATE runs SET state = 'baseline', next_at = ?, updated_at = ? WHERE id = ? AND state = 'queued'`,
      ),
      due: db.prepare<[number, number, number], RunRow>(
        `SELECT * FROM runs
         WHERE state IN (${DRIVEN}) AND next_at IS NOT NULL AND next_at <= ?
           AND (locked_until IS NULL OR locked_until <= ?)
         ORDER BY next_at, id LIMIT ?`,
      ),
      dueAmong: db.prepare<[number, number, string, number], RunRow>(
        `SELECT * FROM runs
         WHERE state IN (${DRIVEN}) AND next_at IS NOT NULL AND next_at <= ?
           AND (locked_until IS NULL OR locked_until <= ?)
           AND id IN (SELECT value FROM json_each(?))
         ORDER BY next_at, id LIMIT ?`,
      ),
      lock: db.prepare<[string, number, number]>(
        'UPDATE runs SET locked_by = ?, locked_until = ? WHERE id = ?',
      ),
      renew: db.prepare<[number, number, string]>(
        `UPDATE runs SET locked_until = ? WHERE id = ? AND locked_by = ? AND state IN (${DRIVEN})`,
      ),
      release: db.prepare<[number, string]>(
        'UPDATE runs SET locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?',
      ),
      releaseAll: db.prepare<[string]>(
        'UPDATE runs SET locked_by = NULL, locked_until = NULL WHERE locked_by = ?',
      ),
      waitingOnLucca: db.prepare<[], { n: number }>(
        `SELECT COUNT(*) AS n FROM runs WHERE state IN (${WAITING_ON_LUCCA})`,
      ),
      nextDue: db.prepare<[], { at: number | null }>(
        `SELECT MIN(MAX(next_at, COALESCE(locked_until, 0))) AS at FROM runs
         WHERE state IN (${DRIVEN}) AND next_at IS NOT NULL`,
      ),
      setThread: db.prepare<[string, string, number]>(
        'UPDATE runs SET channel_id = ?, thread_ts = ? WHERE id = ?',
      ),
      finishedWithFiles: db.prepare<[number, number], RunRow>(
        `SELECT * FROM runs WHERE state IN (${FINAL}) AND finished_at IS NOT NULL AND finished_at <= ?
           AND files <> '[]' ORDER BY finished_at LIMIT ?`,
      ),
      clearFiles: db.prepare<[number, number]>(
        `UPDATE runs SET files = '[]', files_deleted_at = ? WHERE id = ?`,
      ),
      insertEvent: db.prepare<[number, string, string, number, string], RunEventRow>(
        'INSERT INTO run_events (run_id, type, actor, at, detail) VALUES (?, ?, ?, ?, ?) RETURNING *',
      ),
      eventsOf: db.prepare<[number], RunEventRow>('SELECT * FROM run_events WHERE run_id = ? ORDER BY id'),
    };
    this.statements = s;

    this.createTx = db.transaction((request: ExportRequest, now: number): CreateRunResult => {
      const same = s.sameRequest.get(request.configurationId, request.endsAt);
      if (same) {
        const event = this.insertEvent(
          same.id,
          {
            type: 'joined',
            actor: request.requestedBy,
            detail: {
              requestedBy: request.requestedBy,
              source: request.source,
              channelId: request.channelId ?? null,
            },
          },
          now,
        );
        return { run: runFromRow(same), outcome: 'joined', event };
      }
      // A queued run can only be left without an active one by a bug or a manual edit: let it go first.
      if (!s.activeOf.get(request.configurationId)) this.promoteOldestQueued(request.configurationId, now);
      const queued = s.activeOf.get(request.configurationId) !== undefined;
      const row = s.insertRun.get({
        configuration_id: request.configurationId,
        configuration_label: request.configurationLabel ?? null,
        ends_at: request.endsAt,
        state: queued ? 'queued' : 'baseline',
        next_at: queued ? null : now,
        requested_by: request.requestedBy,
        source: request.source,
        channel_id: request.channelId ?? null,
        // A thread belongs to a channel: without one it would point nowhere.
        thread_ts: request.channelId ? (request.threadTs ?? null) : null,
        schedule_id: request.scheduleId ?? null,
        note: request.note ?? null,
        now,
      })!;
      const event = this.insertEvent(
        row.id,
        {
          type: 'requested',
          actor: request.requestedBy,
          detail: {
            queued,
            configurationId: request.configurationId,
            endsAt: request.endsAt,
            source: request.source,
          },
        },
        now,
      );
      return { run: runFromRow(row), outcome: queued ? 'queued' : 'created', event };
    });

    this.transitionTx = db.transaction(
      (id: number, guard: TransitionGuard, patch: RunPatch, events: readonly NewRunEvent[]) => {
        const row = s.byId.get(id);
        if (!row) return undefined;
        const previous = runFromRow(row);
        if (!guard.from.includes(previous.state)) return undefined;
        if (guard.workerId !== undefined && previous.lockedBy !== guard.workerId) return undefined;
        const run: Run = { ...previous, ...patch, updatedAt: guard.now };
        if (run.state !== previous.state) run.finishedAt = isFinal(run.state) ? guard.now : null;
        s.updateRun.run(rowParamsOf(run));
        const inserted = events.map((event) => this.insertEvent(id, event, guard.now));
        const freed = isActive(previous.state) && !isActive(run.state);
        const promoted = freed ? this.promoteOldestQueued(run.configurationId, guard.now) : undefined;
        return { run, previous, events: inserted, promoted };
      },
    );

    this.claimTx = db.transaction(
      (
        workerId: string,
        now: number,
        leaseMs: number,
        limit: number,
        among: readonly number[] | undefined,
      ) => {
        const rows = among
          ? s.dueAmong.all(now, now, JSON.stringify(among), limit)
          : s.due.all(now, now, limit);
        return rows.map((row): ClaimedRun => {
          s.lock.run(workerId, now + leaseMs, row.id);
          const run = runFromRow(row);
          return {
            run: { ...run, lockedBy: workerId, lockedUntil: now + leaseMs },
            previousHolder: run.lockedBy,
          };
        });
      },
    );

    this.promoteTx = db.transaction((configurationId: number, now: number) => {
      if (s.activeOf.get(configurationId)) return undefined;
      return this.promoteOldestQueued(configurationId, now);
    });
  }

  createRun(request: ExportRequest, now: number): CreateRunResult {
    return this.createTx.immediate(request, now);
  }

  get(id: number): Run | undefined {
    const row = this.statements.byId.get(id);
    return row ? runFromRow(row) : undefined;
  }

  recent(limit: number): Run[] {
    return this.statements.recent.all(limit).map(runFromRow);
  }

  unfinished(): Run[] {
    return this.statements.unfinished.all().map(runFromRow);
  }

  /** The latest run that delivered this configuration up to this end date, if any. */
  doneRunFor(configurationId: number, endsAt: string): Run | undefined {
    const row = this.statements.doneFor.get(configurationId, endsAt);
    return row ? runFromRow(row) : undefined;
  }

  /** The run holding the configuration (active states), if any. */
  activeRunOf(configurationId: number): Run | undefined {
    const row = this.statements.activeOf.get(configurationId);
    return row ? runFromRow(row) : undefined;
  }

  claimDue(
    workerId: string,
    now: number,
    leaseMs: number,
    limit: number,
    among?: readonly number[],
  ): ClaimedRun[] {
    if (limit <= 0 || among?.length === 0) return [];
    return this.claimTx.immediate(workerId, now, leaseMs, limit, among);
  }

  renewLease(id: number, workerId: string, now: number, leaseMs: number): boolean {
    return this.statements.renew.run(now + leaseMs, id, workerId).changes > 0;
  }

  releaseLease(id: number, workerId: string): boolean {
    return this.statements.release.run(id, workerId).changes > 0;
  }

  releaseAllLeases(workerId: string): number {
    return this.statements.releaseAll.run(workerId).changes;
  }

  transition(
    id: number,
    guard: TransitionGuard,
    patch: RunPatch,
    events: readonly NewRunEvent[] = [],
  ): TransitionResult | undefined {
    try {
      return this.transitionTx.immediate(id, guard, patch, events);
    } catch (error) {
      // The partial unique index on the active states (migrations.ts) refused a second active run.
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new ConfigurationBusyError(this.get(id)?.configurationId ?? 0, error);
      }
      throw error;
    }
  }

  /** Starts the oldest queued run of the configuration if nothing holds it; returns that run. */
  promoteNextQueued(configurationId: number, now: number): Run | undefined {
    return this.promoteTx.immediate(configurationId, now);
  }

  appendEvent(runId: number, event: NewRunEvent, now: number): RunEvent {
    return this.insertEvent(runId, event, now);
  }

  eventsOf(runId: number): RunEvent[] {
    return this.statements.eventsOf.all(runId).map(eventFromRow);
  }

  countWaitingOnLucca(): number {
    return this.statements.waitingOnLucca.get()?.n ?? 0;
  }

  nextDueAt(): number | null {
    return this.statements.nextDue.get()?.at ?? null;
  }

  setThread(runId: number, channelId: string, threadTs: string): Run | undefined {
    this.statements.setThread.run(channelId, threadTs, runId);
    return this.get(runId);
  }

  finishedRunsWithFiles(cutoff: number, limit = 100): Run[] {
    return this.statements.finishedWithFiles.all(cutoff, limit).map(runFromRow);
  }

  markFilesDeleted(runId: number, now: number): void {
    this.statements.clearFiles.run(now, runId);
  }

  isBusy(error: unknown): boolean {
    return isDatabaseBusy(error);
  }

  private insertEvent(runId: number, event: NewRunEvent, now: number): RunEvent {
    const row = this.statements.insertEvent.get(
      runId,
      event.type,
      event.actor,
      now,
      JSON.stringify(event.detail ?? {}),
    )!;
    return eventFromRow(row);
  }

  private promoteOldestQueued(configurationId: number, now: number): Run | undefined {
    const queued = this.statements.oldestQueuedOf.get(configurationId);
    if (!queued) return undefined;
    this.statements.promote.run(now, now, queued.id);
    return this.get(queued.id);
  }
}
