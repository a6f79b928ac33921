/**
 * slack-calls: Slack Web API calls made for one run, by method, for exports that take 10 s, 2 min,
 * 10 min and 60 min to build. The real composed app (Bolt HTTP receiver, engine, notifier, delivery)
 * against the Slack stand-in and the Lucca simulator, on a manual clock (test/helpers/app-harness.ts).
 *
 * Target (issue 7): ≤ 12 calls per run whatever the duration.
 *
 * Run: npx tsx bench/slack-calls.ts
 */
import { eventually, startHarness } from '../test/helpers/app-harness.js';
import { type Figure, formatMs, printTable, report } from './lib/report.js';

const MINUTE = 60_000;
const DURATIONS = [10_000, 2 * MINUTE, 10 * MINUTE, 60 * MINUTE];
const TARGET = 12;
/** Clock step between two looks by the engine and the notifier (the poll minimum is 5 s). */
const STEP_MS = 5_000;

interface Outcome {
  buildMs: number;
  state: string;
  calls: number;
  byMethod: Record<string, number>;
  threadReplies: number;
  parentUpdates: number;
  responseUrlPosts: number;
  waitingReplies: number;
}

async function measure(buildMs: number): Promise<Outcome> {
  const h = await startHarness({ lucca: { buildMs, files: 1, fileBytes: 64 * 1024, entries: 40 } });
  try {
    const before = h.slack.calls.length;
    const responsesBefore = h.slack.responses.length;
    const ack = await h.command('payroll 2026-12-01');
    if (ack.status !== 200) throw new Error(`the command was not acked: HTTP ${ack.status}`);
    const posted = await h.postedRun();
    await h.settle();
    const finished = () =>
      ['done', 'failed', 'cancelled', 'stalled'].includes(h.app.store.get(posted.id)!.state);
    const limit = h.clock.now() + 70 * MINUTE;
    while (!finished() && h.clock.now() < limit) await h.advance(STEP_MS, STEP_MS);
    // Coalesced parent updates are sent from timers on the clock: let the last ones go out.
    await h.advance(30_000, STEP_MS);
    await eventually(() => h.app.notifier !== undefined, 'notifier');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await h.app.notifier.drain();

    const run = h.app.store.get(posted.id)!;
    const calls = h.slack.calls.slice(before);
    const byMethod: Record<string, number> = {};
    for (const call of calls) byMethod[call.method] = (byMethod[call.method] ?? 0) + 1;
    const replies = calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts !== undefined);
    return {
      buildMs,
      state: run.state,
      calls: calls.length,
      byMethod,
      threadReplies: replies.length,
      parentUpdates: byMethod['chat.update'] ?? 0,
      responseUrlPosts: h.slack.responses.length - responsesBefore,
      waitingReplies: replies.filter((c) => String(c.args.text ?? '').includes('Still waiting')).length,
    };
  } finally {
    await h.close();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const outcomes: Outcome[] = [];
  for (const buildMs of DURATIONS) outcomes.push(await measure(buildMs));
  const methods = [...new Set(outcomes.flatMap((o) => Object.keys(o.byMethod)))].sort();
  printTable(
    'Slack Web API calls for one run (app harness, manual clock)',
    outcomes.map((o) => ({
      export: formatMs(o.buildMs),
      state: o.state,
      total: o.calls,
      ...Object.fromEntries(methods.map((m) => [m, o.byMethod[m] ?? 0])),
      'of which "still waiting"': o.waitingReplies,
      'response_url posts': o.responseUrlPosts,
    })),
  );
  process.stdout.write(`\nreal time ${formatMs(Date.now() - started)}\n`);
  const figures: Figure[] = outcomes.map((o) => ({
    figure: `Slack API calls per run, ${formatMs(o.buildMs)} export`,
    target: `≤ ${TARGET}`,
    measured: `${o.calls} (${o.threadReplies} replies, ${o.parentUpdates} updates)`,
    pass: o.calls <= TARGET && o.state === 'done',
  }));
  report({ bench: 'slack-calls', command: 'npm run bench:slack-calls', figures, data: { runs: outcomes } });
}

await main();
