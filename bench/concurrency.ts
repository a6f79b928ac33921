/**
 * concurrency: event-loop delay of one app process with 50 runs in flight: 40 keep polling (their
 * exports take 10 minutes), 10 find theirs after 8-20 s and download, then upload, a 30 MB file each.
 * The composed app with an engine of concurrency 50 and no Lucca limiter (bench/lib/concurrency-child.ts),
 * against the fakes in another process; real clock, 30 s window.
 *
 * Target (issue 7): event-loop delay p99 ≤ 20 ms (perf_hooks.monitorEventLoopDelay).
 *
 * Run: npx tsx bench/concurrency.ts
 */
import type { ConfigurationBehaviour } from '../fakes/lucca-simulator/index.js';
import { appEnv, BOT_TOKEN, LUCCA_KEY } from './lib/app-env.js';
import { ensureBuild } from './lib/build.js';
import { runChild } from './lib/child.js';
import { startFakes } from './lib/processes.js';
import { type Figure, formatMs, loadAverage, mb, printTable, report, round } from './lib/report.js';

const RUNS = 50;
const DOWNLOADING = 10;
const FILE_BYTES = 30 * 1024 * 1024;
const WINDOW_MS = 30_000;
const TARGET_P99_MS = 20;

interface ChildResult {
  runs: number;
  elapsedMs: number;
  eld: { p50: number; p99: number; max: number; mean: number };
  final: Record<string, number>;
  peakInFlight: number;
  busiestStates: Record<string, number>;
  cpuMs: number;
  rss: number;
}

async function main(): Promise<void> {
  const loadBefore = loadAverage();
  const buildDir = ensureBuild();
  const configure: Record<string, Partial<ConfigurationBehaviour>> = {};
  for (let i = 0; i < DOWNLOADING; i++) {
    configure[String(RUNS - i)] = {
      buildMs: 8_000 + Math.round((12_000 * i) / DOWNLOADING),
      fileBytes: FILE_BYTES,
    };
  }
  const fakes = await startFakes(
    {
      botToken: BOT_TOKEN,
      luccaKey: LUCCA_KEY,
      lucca: {
        buildMs: 10 * 60_000,
        postHoldMs: 5_000,
        postAnswer: 408,
        files: 1,
        fileBytes: 4_096,
        entries: 20,
      },
      configure,
    },
    buildDir,
  );
  const dir = appEnv({ slackApiUrl: fakes.slackUrl, luccaUrl: fakes.luccaUrl, extra: { LOG_LEVEL: 'warn' } });
  try {
    const result = await runChild<ChildResult>('bench/lib/concurrency-child.ts', [], {
      env: { ...dir.env, RUNS: String(RUNS), WINDOW_MS: String(WINDOW_MS) },
      buildDir,
    });
    const stats = await fakes.stats();
    const loadAfter = loadAverage();
    printTable(`Event-loop delay, ${RUNS} runs in flight in one process (${formatMs(result.elapsedMs)})`, [
      {
        p50: `${round(result.eld.p50, 1)} ms`,
        p99: `${round(result.eld.p99, 1)} ms`,
        max: `${round(result.eld.max, 1)} ms`,
        'runs at the end': JSON.stringify(result.final),
        'Lucca requests': JSON.stringify(stats.luccaByKind),
        'Slack calls': stats.slackCalls - 1,
        uploaded: `${mb(stats.uploadedBytes)} MB`,
        'app CPU': formatMs(result.cpuMs),
      },
    ]);
    process.stdout.write(
      `\nmachine load average (1 min) before ${loadBefore} / after ${loadAfter}` +
        (loadBefore > 0.5 ? ' — other work was running: timings are pessimistic\n' : '\n'),
    );
    const figures: Figure[] = [
      {
        figure: `Event-loop delay p99, ${RUNS} runs in flight (${RUNS - DOWNLOADING} polling, ${DOWNLOADING} downloading 30 MB)`,
        target: `≤ ${TARGET_P99_MS} ms`,
        measured: `${round(result.eld.p99, 1)} ms (p50 ${round(result.eld.p50, 1)} ms, max ${round(result.eld.max, 1)} ms)`,
        pass: result.eld.p99 <= TARGET_P99_MS && (result.final.done ?? 0) >= DOWNLOADING,
      },
    ];
    report({
      bench: 'concurrency',
      command: 'npm run bench:concurrency',
      figures,
      data: { ...result, fakes: stats, loadAverage: { before: loadBefore, after: loadAfter } },
    });
  } finally {
    await fakes.close();
    dir.remove();
  }
}

await main();
