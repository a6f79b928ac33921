import type { ExportEngine } from '../exports/engine.js';
import { isFinal } from '../exports/run-states.js';
import type { Run } from '../exports/types.js';
import type { Clock } from '../util/clock.js';
import type { Progress } from './progress.js';

export type FollowEnd = { kind: 'settled'; run: Run } | { kind: 'interrupted'; run: Run };

export interface FollowOptions {
  engine: ExportEngine;
  /** The engine's scope: a run without a Slack channel is added to it and driven by this process. */
  scope: Set<number>;
  runId: number;
  /** Events with a greater id are reported (earlier ones were before this command). */
  afterEventId: number;
  progress: Progress;
  clock: Clock;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** How often the database is read; events of this process wake the loop at once. */
  pollMs?: number;
}

/** A run the CLI stops following in: final, or stalled (waiting for a person to decide). */
export function isSettled(run: Run): boolean {
  return isFinal(run.state) || run.state === 'stalled';
}

/**
 * Drives the engine until the run settles. Progress is read from SQLite, not only from this
 * process's events: the run may be driven by another process on the same database (the Slack app,
 * when this command joined a run it had started).
 */
export async function followRun(options: FollowOptions): Promise<FollowEnd> {
  const { engine, runId, progress, clock, signal } = options;
  const pollMs = options.pollMs ?? 250;
  let lastEventId = options.afterEventId;
  let wake: AbortController | undefined;
  const unsubscribe = engine.onEvent((event) => {
    if (event.runId === runId) wake?.abort();
  });
  if (engine.get(runId)?.channelId === null) options.scope.add(runId);
  engine.start();
  try {
    for (;;) {
      const run = engine.get(runId);
      if (!run) throw new Error(`run ${runId} disappeared from the database`);
      for (const event of engine.eventsOf(runId)) {
        if (event.id <= lastEventId) continue;
        lastEventId = event.id;
        progress.event(event, run);
      }
      progress.update(run, clock.now());
      if (isSettled(run)) return { kind: 'settled', run };
      if (signal.aborted) return { kind: 'interrupted', run };
      wake = new AbortController();
      const stop = () => wake?.abort();
      signal.addEventListener('abort', stop, { once: true });
      await clock.sleep(pollMs, wake.signal);
      signal.removeEventListener('abort', stop);
    }
  } finally {
    unsubscribe();
    progress.stop();
  }
}
