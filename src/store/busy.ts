import type { Clock } from '../util/clock.js';
import { StoreError } from './errors.js';

/**
 * How long one statement may wait for another process's write lock. better-sqlite3 is synchronous:
 * while SQLite waits, the whole event loop waits with it (acks, /healthz, every run). A 5 s timeout
 * froze the app for 5 s per write while another process held the lock; 20 ms covers another app
 * process's ordinary transactions (a few ms), and a longer lock is waited out asynchronously
 * (`whenNotBusy`) or by the background loops trying again later.
 */
export const BUSY_TIMEOUT_MS = 20;

/** SQLITE_BUSY / SQLITE_LOCKED (and their extended codes): another connection holds the lock. */
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** A write that waited for the database longer than a person should, and was given up: nothing was recorded. */
export class DatabaseBusyError extends StoreError {
  constructor(waitedMs: number, cause?: unknown) {
    super(
      'database-busy',
      `The app's database has been locked by another program for ${Math.round(waitedMs / 1000)} s, so nothing was done and nothing was sent to Lucca. Please try again in a minute; if it keeps happening, tell your Slack admin (the app's DATABASE_PATH is held by another process).`,
      { cause },
    );
  }
}

export interface BusyRetryOptions {
  clock: Pick<Clock, 'now' | 'sleep'>;
  /** Give up (DatabaseBusyError) once the database has been busy this long. 15 s by default. */
  giveUpAfterMs?: number;
}

const FIRST_PAUSE_MS = 50;
const LONGEST_PAUSE_MS = 1_000;

/**
 * Runs a synchronous store call, and while the database is busy tries again after growing pauses,
 * without holding the event loop between tries. Other errors pass through at once.
 */
export async function whenNotBusy<T>(write: () => T, options: BusyRetryOptions): Promise<T> {
  const { clock } = options;
  const giveUpAfterMs = options.giveUpAfterMs ?? 15_000;
  const started = clock.now();
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      return write();
    } catch (error) {
      if (!isDatabaseBusy(error)) throw error;
      const waited = clock.now() - started;
      if (waited >= giveUpAfterMs) throw new DatabaseBusyError(waited, error);
      await clock.sleep(Math.min(pause, giveUpAfterMs - waited));
      pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    }
  }
}
