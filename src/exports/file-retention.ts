import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { describeError, type Logger } from '../util/log.js';
import { runFolder } from './export-files.js';
import type { RunRepository } from './run-repository.js';
import { isFinal } from './run-states.js';

/** Retention is counted in days: an hourly look deletes files on time without walking the folder often. */
const SWEEP_EVERY_MS = 3_600_000;

export interface FileRetentionOptions {
  store: Pick<RunRepository, 'finishedRunsWithFiles' | 'markFilesDeleted' | 'get'>;
  /** Where each run's files are (`<filesDir>/run-<id>/`). */
  filesDir: string;
  /** Files of finished runs are deleted this long after the run finished (EXPORT_FILE_RETENTION). */
  retentionMs: number;
  logger: Logger;
}

/** Deletes delivered files once their retention period is over (DESIGN §2), and forgets them in the store. */
export class FileRetention {
  private lastSweepAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: FileRetentionOptions) {}

  /** Deletes the files of runs that finished more than `retentionMs` before `now`; returns how many runs. */
  async sweep(now: number): Promise<number> {
    const { store, filesDir, retentionMs, logger } = this.options;
    const cutoff = now - retentionMs;
    let swept = 0;
    for (;;) {
      const runs = store.finishedRunsWithFiles(cutoff, 100);
      if (runs.length === 0) break;
      for (const run of runs) {
        await rm(runFolder(filesDir, run.id), { recursive: true, force: true });
        store.markFilesDeleted(run.id, now);
        swept++;
      }
    }
    // Folders a cancelled step finished writing after the run had let go of its files.
    const entries = await readdir(filesDir).catch(() => [] as string[]);
    for (const entry of entries) {
      const match = /^run-(\d+)$/.exec(entry);
      if (!match) continue;
      const run = store.get(Number(match[1]));
      const orphan =
        !run || (isFinal(run.state) && run.files.length === 0 && (run.finishedAt ?? 0) <= cutoff);
      if (orphan) await rm(path.join(filesDir, entry), { recursive: true, force: true });
    }
    if (swept > 0) logger.info('expired export files deleted', { runs: swept });
    return swept;
  }

  /** Sweeps in the background when the last sweep is an hour old; a failure is logged and tried next time. */
  sweepIfDue(now: number): void {
    if (now - this.lastSweepAt < SWEEP_EVERY_MS) return;
    this.lastSweepAt = now;
    this.sweep(now).catch((error) =>
      this.options.logger.error('deleting expired export files failed', describeError(error)),
    );
  }
}
