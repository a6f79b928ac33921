import { existsSync } from 'node:fs';
import type { RunPatch } from './run-repository.js';
import type { Run } from './types.js';

/** What decides where a Retry goes. */
export type RetriedRun = Pick<Run, 'state' | 'attempt' | 'files' | 'exportId' | 'baselineId' | 'triggeredAt'>;

export interface RetryPlan {
  outcome: 'retrying' | 'redelivering';
  patch: RunPatch;
  /** The `retried` event's detail: what the thread tells people the Retry does. */
  detail: Record<string, unknown>;
}

/**
 * Where a Retry takes a run, or undefined when nothing needs doing (it is moving, done or cancelled).
 * A stalled run first gets one more look with its old baseline (the export may have finished late);
 * a failed run resumes at the step that can continue: redeliver its files still on disk, refetch its
 * known export, look once more for a POST that was sent, or start over. Never a second POST when the
 * first may have made an export.
 */
export function retryPlan(
  run: RetriedRun,
  now: number,
  fileExists: (path: string) => boolean = existsSync,
): RetryPlan | undefined {
  const common: RunPatch = {
    nextAt: now,
    lockedBy: null,
    lockedUntil: null,
    stepErrors: 0,
    errorCode: null,
    errorMessage: null,
  };
  const detail = { attempt: run.attempt, redeliver: false, recheck: false, refetch: false };
  if (run.state === 'stalled') {
    return {
      outcome: 'retrying',
      patch: { ...common, state: 'polling', recheck: true },
      detail: { ...detail, recheck: true },
    };
  }
  if (run.state !== 'failed') return undefined;
  if (run.files.length > 0 && run.files.every((file) => fileExists(file.path))) {
    return {
      outcome: 'redelivering',
      patch: { ...common, state: 'delivering', deliveryAttempts: 0 },
      detail: { ...detail, redeliver: true },
    };
  }
  if (run.exportId !== null) {
    return {
      outcome: 'retrying',
      patch: { ...common, state: 'fetching', files: [] },
      detail: { ...detail, refetch: true },
    };
  }
  if (run.baselineId !== null && run.triggeredAt !== null) {
    return {
      outcome: 'retrying',
      patch: { ...common, state: 'polling', recheck: true },
      detail: { ...detail, recheck: true },
    };
  }
  return { outcome: 'retrying', patch: { ...common, state: 'baseline' }, detail };
}
