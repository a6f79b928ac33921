import type Database from 'better-sqlite3';
import type { ScheduleRule } from '../schedule/rules.js';

export interface Schedule {
  id: number;
  configurationId: number;
  configurationLabel: string | null;
  rule: ScheduleRule;
  /** `HH:MM` in the schedule time zone (SCHEDULE_TIMEZONE). */
  timeOfDay: string;
  channelId: string;
  /** Slack user id of the person who added it. */
  createdBy: string;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  disabledBy: string | null;
  disabledAt: number | null;
}

export interface NewSchedule {
  configurationId: number;
  configurationLabel?: string | null;
  rule: ScheduleRule;
  timeOfDay: string;
  channelId: string;
  createdBy: string;
}

/**
 * What became of an occurrence:
 * - `claimed`: a scheduler took it and is starting the run (or crashed while doing so);
 * - `started`: the run exists (`runId`; it may have joined or queued behind another run);
 * - `failed`: starting it failed (Slack refused the message…); not retried automatically;
 * - `skipped`: deliberately not started (the channel is no longer in ALLOWED_CHANNELS, or a run had
 *   already delivered the export);
 * - `missed`: it fell outside the catch-up window while the app was down;
 * - `interrupted`: claimed by a process that stopped before recording a run, and no run was found.
 */
export const OCCURRENCE_OUTCOMES = [
  'claimed',
  'started',
  'failed',
  'skipped',
  'missed',
  'interrupted',
] as const;
export type OccurrenceOutcome = (typeof OCCURRENCE_OUTCOMES)[number];

/**
 * Why the scheduler itself did not start an occurrence: the `errorCode` of a `skipped` or
 * `interrupted` one, with no `errorMessage` (the bot words the code in its reader's language). For
 * `already-exported`, `runId` is the run that had delivered the export. A `failed` one carries its
 * start error's code instead, with that error's own sentence (English) in `errorMessage`. Rows
 * written before these codes were worded by the bot also have an English `errorMessage`.
 */
export type OccurrenceReason = 'channel-not-allowed' | 'already-exported' | 'interrupted';

export interface OccurrenceRecord {
  scheduleId: number;
  /** The month, `YYYY-MM` (see rules.ts). */
  key: string;
  firesAt: number;
  endsAt: string;
  claimedAt: number;
  claimedBy: string;
  runId: number | null;
  outcome: OccurrenceOutcome;
  errorCode: string | null;
  errorMessage: string | null;
  finishedAt: number | null;
}

/** The occurrence fields the store needs (a subset of rules.ts `Occurrence`). */
export interface OccurrenceRef {
  key: string;
  firesAt: number;
  endsAt: string;
}

export type CreateScheduleResult =
  | { outcome: 'created'; schedule: Schedule }
  /** An enabled schedule of the same configuration and rule already posts to that channel. */
  | { outcome: 'duplicate'; schedule: Schedule };

export type DisableScheduleResult =
  | { outcome: 'disabled'; schedule: Schedule }
  | { outcome: 'already-disabled'; schedule: Schedule }
  | { outcome: 'not-found' };

interface ScheduleRow {
  id: number;
  configuration_id: number;
  configuration_label: string | null;
  rule: string;
  time_of_day: string;
  channel_id: string;
  created_by: string;
  enabled: number;
  created_at: number;
  updated_at: number;
  disabled_by: string | null;
  disabled_at: number | null;
}

interface OccurrenceRow {
  schedule_id: number;
  occurrence_key: string;
  fires_at: number;
  ends_at: string;
  claimed_at: number;
  claimed_by: string;
  run_id: number | null;
  outcome: string;
  error_code: string | null;
  error_message: string | null;
  finished_at: number | null;
}

function scheduleFromRow(row: ScheduleRow): Schedule {
  return {
    id: row.id,
    configurationId: row.configuration_id,
    configurationLabel: row.configuration_label,
    rule: row.rule as ScheduleRule,
    timeOfDay: row.time_of_day,
    channelId: row.channel_id,
    createdBy: row.created_by,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    disabledBy: row.disabled_by,
    disabledAt: row.disabled_at,
  };
}

function occurrenceFromRow(row: OccurrenceRow): OccurrenceRecord {
  return {
    scheduleId: row.schedule_id,
    key: row.occurrence_key,
    firesAt: row.fires_at,
    endsAt: row.ends_at,
    claimedAt: row.claimed_at,
    claimedBy: row.claimed_by,
    runId: row.run_id,
    outcome: row.outcome as OccurrenceOutcome,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    finishedAt: row.finished_at,
  };
}

/**
 * Schedules and the occurrences acted on, in SQLite. Synchronous like RunStore: a claim is committed
 * before the scheduler calls out to Slack, and the outcome is written after, in its own transaction.
 */
export class ScheduleStore {
  private readonly s;
  private readonly createTx;
  private readonly claimTx;
  private readonly disableTx;

  constructor(db: Database.Database) {
    const s = {
      byId: db.prepare<[number], ScheduleRow>('SELECT * FROM schedules WHERE id = ?'),
      enabled: db.prepare<[], ScheduleRow>('SELECT * FROM schedules WHERE enabled = 1 ORDER BY id'),
      all: db.prepare<[], ScheduleRow>('SELECT * FROM schedules ORDER BY id'),
      duplicateOf: db.prepare<[number, string, string], ScheduleRow>(
        'SELECT * FROM schedules WHERE configuration_id = ? AND rule = ? AND channel_id = ? AND enabled = 1',
      ),
      insert: db.prepare<Record<string, unknown>, ScheduleRow>(
        `INSERT INTO schedules (configuration_id, configuration_label, rule, time_of_day, channel_id, created_by,
           enabled, created_at, updated_at)
         VALUES (@configuration_id, @configuration_label, @rule, @time_of_day, @channel_id, @created_by, 1, @now, @now)
         RETURNING *`,
      ),
      disable: db.prepare<[string, number, number, number]>(
        `UPDATE schedules SET enabled = 0, disabled_by = ?, disabled_at = ?, updated_at = ?
         WHERE id = ? AND enabled = 1`,
      ),
      claim: db.prepare<Record<string, unknown>>(
        `INSERT INTO schedule_occurrences (schedule_id, occurrence_key, fires_at, ends_at, claimed_at, claimed_by,
           outcome, finished_at)
         VALUES (@schedule_id, @key, @fires_at, @ends_at, @now, @by, @outcome, @finished_at)
         ON CONFLICT (schedule_id, occurrence_key) DO NOTHING`,
      ),
      record: db.prepare<Record<string, unknown>>(
        `UPDATE schedule_occurrences SET outcome = @outcome, run_id = COALESCE(@run_id, run_id),
           error_code = @error_code, error_message = @error_message, finished_at = @now
         WHERE schedule_id = @schedule_id AND occurrence_key = @key AND outcome IN ('claimed', 'interrupted')`,
      ),
      occurrence: db.prepare<[number, string], OccurrenceRow>(
        'SELECT * FROM schedule_occurrences WHERE schedule_id = ? AND occurrence_key = ?',
      ),
      occurrencesOf: db.prepare<[number], OccurrenceRow>(
        'SELECT * FROM schedule_occurrences WHERE schedule_id = ? ORDER BY fires_at',
      ),
      latest: db.prepare<[number], OccurrenceRow>(
        'SELECT * FROM schedule_occurrences WHERE schedule_id = ? ORDER BY fires_at DESC LIMIT 1',
      ),
      staleClaims: db.prepare<[number], OccurrenceRow>(
        `SELECT * FROM schedule_occurrences WHERE outcome = 'claimed' AND claimed_at <= ? ORDER BY claimed_at`,
      ),
      // Reads `runs` (migration 1) to settle a claim whose process stopped before recording its run.
      runFor: db.prepare<[number, string, number], { id: number }>(
        'SELECT id FROM runs WHERE schedule_id = ? AND ends_at = ? AND created_at >= ? ORDER BY id LIMIT 1',
      ),
    };
    this.s = s;

    this.createTx = db.transaction((input: NewSchedule, now: number): CreateScheduleResult => {
      const existing = s.duplicateOf.get(input.configurationId, input.rule, input.channelId);
      if (existing) return { outcome: 'duplicate', schedule: scheduleFromRow(existing) };
      const row = s.insert.get({
        configuration_id: input.configurationId,
        configuration_label: input.configurationLabel ?? null,
        rule: input.rule,
        time_of_day: input.timeOfDay,
        channel_id: input.channelId,
        created_by: input.createdBy,
        now,
      })!;
      return { outcome: 'created', schedule: scheduleFromRow(row) };
    });

    this.claimTx = db.transaction(
      (
        scheduleId: number,
        occurrence: OccurrenceRef,
        by: string,
        now: number,
        outcome: OccurrenceOutcome,
      ) => {
        // Checked in the same transaction: a schedule disabled a moment ago fires nothing more.
        const schedule = s.byId.get(scheduleId);
        if (schedule?.enabled !== 1) return false;
        const inserted = s.claim.run({
          schedule_id: scheduleId,
          key: occurrence.key,
          fires_at: occurrence.firesAt,
          ends_at: occurrence.endsAt,
          now,
          by,
          outcome,
          finished_at: outcome === 'claimed' ? null : now,
        });
        return inserted.changes === 1;
      },
    );

    this.disableTx = db.transaction((id: number, by: string, now: number): DisableScheduleResult => {
      const row = s.byId.get(id);
      if (!row) return { outcome: 'not-found' };
      if (row.enabled !== 1) return { outcome: 'already-disabled', schedule: scheduleFromRow(row) };
      s.disable.run(by, now, now, id);
      return { outcome: 'disabled', schedule: scheduleFromRow(s.byId.get(id)!) };
    });
  }

  /** Adds a schedule, or returns the enabled one that already covers the configuration, rule and channel. */
  create(input: NewSchedule, now: number): CreateScheduleResult {
    try {
      return this.createTx.immediate(input, now);
    } catch (error) {
      // Another process added the same schedule between our check and our insert.
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        const existing = this.s.duplicateOf.get(input.configurationId, input.rule, input.channelId);
        if (existing) return { outcome: 'duplicate', schedule: scheduleFromRow(existing) };
      }
      throw error;
    }
  }

  get(id: number): Schedule | undefined {
    const row = this.s.byId.get(id);
    return row ? scheduleFromRow(row) : undefined;
  }

  /** Enabled schedules, oldest first. */
  listEnabled(): Schedule[] {
    return this.s.enabled.all().map(scheduleFromRow);
  }

  /** Every schedule ever added, disabled ones included, oldest first. */
  listAll(): Schedule[] {
    return this.s.all.all().map(scheduleFromRow);
  }

  /** Soft delete: the schedule stops firing; its history stays. */
  disable(id: number, by: string, now: number): DisableScheduleResult {
    return this.disableTx.immediate(id, by, now);
  }

  /**
   * Takes the occurrence for this process. True exactly once per (schedule, occurrence), ever: every
   * later call, from this process or another on the same file, gets false. Also false when the
   * schedule is gone or disabled. BEGIN IMMEDIATE makes two processes queue on the write lock.
   */
  claimOccurrence(scheduleId: number, occurrence: OccurrenceRef, claimedBy: string, now: number): boolean {
    return this.claimTx.immediate(scheduleId, occurrence, claimedBy, now, 'claimed');
  }

  /** Records an occurrence that fell outside the catch-up window; true when it was not known before. */
  recordMissed(scheduleId: number, occurrence: OccurrenceRef, by: string, now: number): boolean {
    return this.claimTx.immediate(scheduleId, occurrence, by, now, 'missed');
  }

  /**
   * Settles a claimed occurrence; false when it was not claimed. An `interrupted` one may still be
   * settled: the process that claimed it was only slow, and what it reports is the truth.
   */
  recordOutcome(
    scheduleId: number,
    key: string,
    outcome: Exclude<OccurrenceOutcome, 'claimed' | 'missed'>,
    details: { runId?: number | null; errorCode?: string | null; errorMessage?: string | null },
    now: number,
  ): boolean {
    const result = this.s.record.run({
      schedule_id: scheduleId,
      key,
      outcome,
      run_id: details.runId ?? null,
      error_code: details.errorCode ?? null,
      error_message: details.errorMessage ?? null,
      now,
    });
    return result.changes === 1;
  }

  occurrence(scheduleId: number, key: string): OccurrenceRecord | undefined {
    const row = this.s.occurrence.get(scheduleId, key);
    return row ? occurrenceFromRow(row) : undefined;
  }

  /** Oldest first. */
  occurrencesOf(scheduleId: number): OccurrenceRecord[] {
    return this.s.occurrencesOf.all(scheduleId).map(occurrenceFromRow);
  }

  /** The most recent occurrence acted on (by its due time), if any. */
  latestOccurrence(scheduleId: number): OccurrenceRecord | undefined {
    const row = this.s.latest.get(scheduleId);
    return row ? occurrenceFromRow(row) : undefined;
  }

  /** Occurrences still `claimed` whose claim is at or before `claimedBefore`. */
  staleClaims(claimedBefore: number): OccurrenceRecord[] {
    return this.s.staleClaims.all(claimedBefore).map(occurrenceFromRow);
  }

  /** The run a schedule created for `endsAt` at or after `since` (used to settle an interrupted claim). */
  runIdFor(scheduleId: number, endsAt: string, since: number): number | undefined {
    return this.s.runFor.get(scheduleId, endsAt, since)?.id;
  }
}
