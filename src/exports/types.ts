import type { FailureFacts } from '../errors.js';

/**
 * A run is one request to export a configuration up to an end date, driven through the states of
 * DESIGN §2. Every field needed to resume after a crash lives here and in SQLite.
 */
export const RUN_STATES = [
  'queued',
  'baseline',
  'triggering',
  'polling',
  'fetching',
  'delivering',
  'done',
  'stalled',
  'failed',
  'cancelled',
] as const;
export type RunState = (typeof RUN_STATES)[number];

export type RunSource = 'command' | 'modal' | 'schedule' | 'cli' | 'home';

export interface ExportRequest {
  configurationId: number;
  /** `YYYY-MM-DD`, midnight local (floating) in Lucca. */
  endsAt: string;
  /** Slack user id, `cli:<user>` or `schedule:<id>`. */
  requestedBy: string;
  source: RunSource;
  channelId?: string | null;
  /**
   * The parent message already posted in `channelId` for this run (its Slack `ts`). Recorded with the
   * run, in one transaction: another process publishing the outbox must never see the run without
   * it, or it would post a second parent message.
   */
  threadTs?: string | null;
  /** Label shown to people, e.g. the alias `payroll`. */
  configurationLabel?: string | null;
  /** For scheduled runs: the occurrence key, so one occurrence starts one run. */
  scheduleId?: number | null;
  note?: string | null;
}

export interface StoredFile {
  /** Sanitised file name, safe to show and to upload. */
  name: string;
  /** Absolute path on disk. */
  path: string;
  bytes: number;
  /** 'lucca' when downloaded, 'csv' when rendered from the entries. */
  origin: 'lucca' | 'csv';
}

export interface ExportSummary {
  exportId: number;
  exportName: string | null;
  people: number;
  entries: number;
  /** Totals by time type and unit, largest first; `timeType` is '' when Lucca gave it no name. */
  totals: { timeType: string; unit: string; amount: number }[];
}

export interface Run {
  id: number;
  configurationId: number;
  configurationLabel: string | null;
  endsAt: string;
  state: RunState;
  /** 1 for the first POST; each Retry that re-triggers adds one. */
  attempt: number;
  baselineId: number | null;
  exportId: number | null;
  /** When the current attempt's POST was sent (epoch ms). */
  triggeredAt: number | null;
  /** When the engine should next act on the run (epoch ms); null for runs waiting on a person. */
  nextAt: number | null;
  lockedBy: string | null;
  lockedUntil: number | null;
  errorCode: string | null;
  /** The failure's sentence in English (logs, the command line, and rows older than errorFacts). */
  errorMessage: string | null;
  /** The failure's particulars, for the sentence in the channel's language (absent on older rows). */
  errorFacts?: FailureFacts | null;
  requestedBy: string;
  source: RunSource;
  channelId: string | null;
  threadTs: string | null;
  scheduleId: number | null;
  files: StoredFile[];
  summary: ExportSummary | null;
  deliveryAttempts: number;
  /** Polls done in the current attempt (drives "still waiting" messages). */
  polls: number;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  // Engine bookkeeping below: optional so that hand-made Run fixtures need not set them; the store
  // always fills them.
  /** The request's free-text note. */
  note?: string | null;
  /** Set by Retry on a stalled run: the next poll is one more look with the old baseline before a new POST. */
  recheck?: boolean;
  /** Consecutive failed attempts at the current step (transient Lucca errors, unknown errors). */
  stepErrors?: number;
  /** The last "still waiting" milestone announced for the current attempt (ms waited). */
  waitingNoticedMs?: number;
  /** When the retention sweep deleted the run's files (then `files` is empty). */
  filesDeletedAt?: number | null;
}

/**
 * What happened to a run, in order. Stored in `run_events` in the same transaction as the change it
 * describes, so it doubles as an outbox: the Slack bot turns unpublished events into messages.
 */
export const RUN_EVENT_TYPES = [
  'requested', // a new run was created (detail: { queued: boolean })
  'joined', // someone asked for the same export again and joined this run
  'started', // left the queue, baseline taken (detail: { baselineId })
  'triggered', // POST sent (detail: { attempt })
  'trigger-pending', // POST timed out as expected: now polling (detail: { reason })
  'waiting', // still no export after a while (detail: { waitedMs, polls }); emitted at growing intervals
  'found', // Lucca has the export (detail: { exportId })
  'fetched', // files on disk (detail: { summary, files })
  'delivered', // delivered by the delivery port (detail: { files })
  'delivery-failed', // delivery failed, will retry or needs a person (detail: { code, message, facts?, willRetry })
  'stalled', // no export after the stall limit (detail: { waitedMs })
  'failed', // hard error (detail: { code, message, facts? })
  'retried', // a person asked for a new attempt (detail: { attempt, redeliver: boolean })
  'cancelled', // a person cancelled
  'resumed', // a process picked the run up after a crash or restart (detail: { state })
  // a step failed and will be tried again (detail: { state, code, answer, failures, maxFailures,
  // notify, announced }); `notify` on the second identical failure in a row: the thread says what
  // Lucca is answering while the run keeps trying
  'step-error',
] as const;
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

export interface RunEvent {
  id: number;
  runId: number;
  type: RunEventType;
  /** Who caused it: a Slack user id, `cli:…`, `schedule:…`, or `engine`. */
  actor: string;
  at: number;
  detail: Record<string, unknown>;
  publishedAt: number | null;
}

/** The delivery port: the Slack bot uploads to the channel, the CLI copies to a folder. */
export interface DeliveryPort {
  /** Throws DeliveryError; the engine retries retryable ones from the files on disk. */
  deliver(run: Run): Promise<void>;
}
