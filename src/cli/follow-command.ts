import type { Run } from '../exports/types.js';
import { followRun } from './follow.js';
import type { CliIo } from './io.js';
import { createProgress, progressMode } from './progress.js';
import { type ResultContext, reportInterrupted, reportSettled } from './result.js';

/**
 * Follows a run to the end for `run` and `retry`: progress as it goes, then the result and the exit
 * code. The first Ctrl-C stops following and leaves the run resumable; a second one quits at once.
 */
export async function followToEnd(
  run: Run,
  afterEventId: number,
  io: CliIo,
  ctx: ResultContext,
): Promise<number> {
  const { session, terminal } = ctx;
  const controller = new AbortController();
  const unsubscribe = io.onInterrupt(() => controller.abort());
  const progress = createProgress(progressMode(terminal, ctx.json), terminal, session.clock.now());
  try {
    const end = await followRun({
      engine: session.engine,
      scope: session.scope,
      runId: run.id,
      afterEventId,
      progress,
      clock: session.clock,
      signal: controller.signal,
    });
    if (end.kind === 'interrupted') {
      await session.stopEngine();
      return reportInterrupted(session.store.get(run.id) ?? end.run, ctx);
    }
    return await reportSettled(end.run, ctx);
  } finally {
    unsubscribe();
  }
}
