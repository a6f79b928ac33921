/**
 * startup: cold start of the real app process to ready (GET /healthz answering 200), median of 5,
 * each start with a new, empty database (migrations run). Two ways of running it:
 *   compiled: `node <build>/src/main.js`, the tsc output of `npm run build` (`node dist/main.js`);
 *   tsx:      `node --import tsx src/main.ts` (development).
 * The Slack stand-in (auth.test at start-up) and the Lucca simulator run in another process.
 * "Cold" is a new process; the files are in the OS cache after the first start.
 *
 * Run: npx tsx bench/startup.ts
 */
import { appEnv, BOT_TOKEN, freePort, LUCCA_KEY } from './lib/app-env.js';
import { ensureBuild } from './lib/build.js';
import { type AppEntry, appArgs, startApp, startFakes } from './lib/processes.js';
import { type Figure, formatMs, loadAverage, printTable, report, round, summarize } from './lib/report.js';

const STARTS = 5;

async function main(): Promise<void> {
  const loadBefore = loadAverage();
  const buildDir = ensureBuild();
  const fakes = await startFakes({ botToken: BOT_TOKEN, luccaKey: LUCCA_KEY, lucca: {} }, buildDir);
  const results: Record<AppEntry, number[]> = { compiled: [], tsx: [] };
  const stops: number[] = [];
  try {
    for (const entry of ['compiled', 'tsx'] as const) {
      for (let i = 0; i < STARTS; i++) {
        const dir = appEnv({
          slackApiUrl: fakes.slackUrl,
          luccaUrl: fakes.luccaUrl,
          extra: { PORT: String(await freePort()), EXPORT_CONFIGURATIONS: 'payroll=3,overtime=7' },
        });
        try {
          const app = await startApp(dir.env, appArgs(entry, buildDir));
          results[entry].push(app.readyMs);
          const stopped = await app.stop();
          if (stopped.code !== 0) throw new Error(`the app exited with ${stopped.code}: ${app.stderr()}`);
          stops.push(stopped.ms);
        } finally {
          dir.remove();
        }
      }
    }
  } finally {
    await fakes.close();
  }
  const compiled = summarize(results.compiled);
  const tsx = summarize(results.tsx);
  const show = (values: number[]) => values.map((v) => round(v, 0)).join(', ');
  printTable(`Start-up to /healthz 200, ${STARTS} starts each (ms)`, [
    {
      how: 'node <build>/src/main.js (as dist/main.js)',
      median: round(compiled.p50, 0),
      runs: show(results.compiled),
    },
    { how: 'node --import tsx src/main.ts', median: round(tsx.p50, 0), runs: show(results.tsx) },
  ]);
  const loadAfter = loadAverage();
  process.stdout.write(
    `\nclean stop after SIGTERM: median ${formatMs(summarize(stops).p50)}; machine load average before ${loadBefore} / after ${loadAfter}` +
      (loadBefore > 0.5 ? ' — other work was running: timings are pessimistic\n' : '\n'),
  );
  const figures: Figure[] = [
    {
      figure: 'Cold start to ready (/healthz 200), median of 5, `node dist/main.js`',
      target: 'report',
      measured: `${formatMs(compiled.p50)} (tsx: ${formatMs(tsx.p50)})`,
      pass: null,
    },
  ];
  report({
    bench: 'startup',
    command: 'npm run bench:startup',
    figures,
    data: { runs: results, compiled, tsx, stops, loadAverage: { before: loadBefore, after: loadAfter } },
  });
}

await main();
