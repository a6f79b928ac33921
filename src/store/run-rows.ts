import type { FailureFacts } from '../errors.js';
import type {
  ExportSummary,
  Run,
  RunEvent,
  RunEventType,
  RunSource,
  RunState,
  StoredFile,
} from '../exports/types.js';

/** `runs` as SQLite returns it (snake_case; JSON columns as text; booleans as 0/1). */
export interface RunRow {
  id: number;
  configuration_id: number;
  configuration_label: string | null;
  ends_at: string;
  state: string;
  attempt: number;
  baseline_id: number | null;
  export_id: number | null;
  triggered_at: number | null;
  next_at: number | null;
  locked_by: string | null;
  locked_until: number | null;
  error_code: string | null;
  error_message: string | null;
  /** JSON; null on rows written before migration 6 (their error_message is then all there is). */
  error_facts: string | null;
  requested_by: string;
  source: string;
  channel_id: string | null;
  thread_ts: string | null;
  schedule_id: number | null;
  note: string | null;
  files: string;
  files_deleted_at: number | null;
  summary: string | null;
  delivery_attempts: number;
  polls: number;
  waiting_noticed_ms: number;
  recheck: number;
  step_errors: number;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface RunEventRow {
  id: number;
  run_id: number;
  type: string;
  actor: string;
  at: number;
  detail: string;
  published_at: number | null;
}

export function runFromRow(row: RunRow): Run {
  return {
    id: row.id,
    configurationId: row.configuration_id,
    configurationLabel: row.configuration_label,
    endsAt: row.ends_at,
    state: row.state as RunState,
    attempt: row.attempt,
    baselineId: row.baseline_id,
    exportId: row.export_id,
    triggeredAt: row.triggered_at,
    nextAt: row.next_at,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    errorFacts: row.error_facts === null ? null : parseJson<FailureFacts | null>(row.error_facts, null),
    requestedBy: row.requested_by,
    source: row.source as RunSource,
    channelId: row.channel_id,
    threadTs: row.thread_ts,
    scheduleId: row.schedule_id,
    note: row.note,
    files: parseJson<StoredFile[]>(row.files, []),
    filesDeletedAt: row.files_deleted_at,
    summary: row.summary === null ? null : parseJson<ExportSummary | null>(row.summary, null),
    deliveryAttempts: row.delivery_attempts,
    polls: row.polls,
    waitingNoticedMs: row.waiting_noticed_ms,
    recheck: row.recheck !== 0,
    stepErrors: row.step_errors,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

/** Named parameters for the full-row UPDATE (every mutable column). */
export function rowParamsOf(run: Run): Record<string, unknown> {
  return {
    id: run.id,
    configuration_label: run.configurationLabel,
    state: run.state,
    attempt: run.attempt,
    baseline_id: run.baselineId,
    export_id: run.exportId,
    triggered_at: run.triggeredAt,
    next_at: run.nextAt,
    locked_by: run.lockedBy,
    locked_until: run.lockedUntil,
    error_code: run.errorCode,
    error_message: run.errorMessage,
    // Facts belong to a failure: a run whose error is cleared (a Retry, a delivery) loses them too.
    error_facts: run.errorCode !== null && run.errorFacts ? JSON.stringify(run.errorFacts) : null,
    channel_id: run.channelId,
    thread_ts: run.threadTs,
    files: JSON.stringify(run.files),
    files_deleted_at: run.filesDeletedAt ?? null,
    summary: run.summary === null ? null : JSON.stringify(run.summary),
    delivery_attempts: run.deliveryAttempts,
    polls: run.polls,
    waiting_noticed_ms: run.waitingNoticedMs ?? 0,
    recheck: run.recheck ? 1 : 0,
    step_errors: run.stepErrors ?? 0,
    updated_at: run.updatedAt,
    finished_at: run.finishedAt,
  };
}

export function eventFromRow(row: RunEventRow): RunEvent {
  return {
    id: row.id,
    runId: row.run_id,
    type: row.type as RunEventType,
    actor: row.actor,
    at: row.at,
    detail: parseJson<Record<string, unknown>>(row.detail, {}),
    publishedAt: row.published_at,
  };
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** `'a', 'b'` for an IN list built from the app's own constants (never from input). */
export function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value.replace(/'/g, "''")}'`).join(', ');
}
