/**
 * memory: peak RSS over idle while the composed app delivers a large export file (Lucca download →
 * disk → Slack upload), each size in a fresh process; and the time and peak RSS of rendering 200 000
 * entries to CSV (the fallback when an export has no file).
 *
 * Targets (issue 7): ≤ 64 MB over idle for a 200 MB file (memory flat in the file size);
 * CSV of 200 000 entries in ≤ 2 s and ≤ 300 MB peak RSS.
 *
 * Run: npx tsx bench/memory.ts
 */
import { startLuccaSimulator } from '../fakes/lucca-simulator/index.js';
import { startSlackStandIn } from '../fakes/slack/index.js';
import { appEnv, BOT_TOKEN, LUCCA_KEY } from './lib/app-env.js';
import { ensureBuild } from './lib/build.js';
import { runChild } from './lib/child.js';
import { type Figure, formatMs, mb, printTable, report } from './lib/report.js';

const MB = 1024 * 1024;
const SIZES = [20 * MB, 200 * MB];
const TARGET_OVER_IDLE = 64 * MB;

interface DeliverResult {
  warmUp: { state: string; ms: number; bytes: number };
  big: { state: string; ms: number; bytes: number };
  idleRss: number;
  sampledPeak: number;
  vmHwm: number | null;
  samples: number;
}

interface CsvResult {
  variant: string;
  entries: number;
  bytes: number;
  totalMs: number;
  idleRss: number;
  sampledPeak: number;
  vmHwm: number | null;
}

/** One export through the app: a file of `fileBytes`, or (`entries`) no file and that many entries to render. */
async function deliverOnce(buildDir: string, fileBytes: number, entries?: number, withFile = false) {
  const sim = await startLuccaSimulator({
    apiKey: LUCCA_KEY,
    defaults: { buildMs: 0, postHoldMs: 50, files: 1, entries: 10 },
  });
  sim.configure(1, { fileBytes: MB });
  sim.configure(
    2,
    entries === undefined
      ? { fileBytes }
      : withFile
        ? { files: 1, fileBytes, entries }
        : { files: 0, entries },
  );
  const slack = await startSlackStandIn({ botToken: BOT_TOKEN, keepUploadBytes: false });
  const app = appEnv({ slackApiUrl: slack.url, luccaUrl: sim.url, extra: { LOG_LEVEL: 'warn' } });
  try {
    const result = await runChild<DeliverResult>('bench/lib/memory-child.ts', ['deliver'], {
      env: app.env,
      nodeArgs: ['--expose-gc'],
      buildDir,
      // 200 000 entries on a shared 2-core machine can take minutes.
      timeoutMs: 600_000,
    });
    const upload = slack.uploads.at(-1);
    const peak = Math.max(result.sampledPeak, result.vmHwm ?? 0);
    return {
      fileBytes: entries === undefined ? fileBytes : result.big.bytes,
      entries: entries ?? null,
      ...result,
      peak,
      overIdle: peak - result.idleRss,
      uploadedBytes: upload?.received ?? 0,
      uploadCompleted: upload?.completed ?? false,
    };
  } finally {
    app.remove();
    await slack.close();
    await sim.close();
  }
}

/**
 * `npx tsx bench/memory.ts entries`: only the 200 000-entry exports (issue 12, point 2): one with a
 * file from Lucca (entries needed for the summary only) and one without (entries rendered to a CSV).
 */
async function entriesOnly(): Promise<void> {
  const buildDir = ensureBuild();
  const rows = [];
  for (const withFile of [true, false]) {
    const d = await deliverOnce(buildDir, withFile ? MB : 0, 200_000, withFile);
    rows.push({
      case: withFile ? 'file from Lucca + 200 000 entries' : 'no file, 200 000 entries → CSV',
      state: d.big.state,
      'file bytes': d.big.bytes,
      'uploaded ok': d.uploadedBytes === d.big.bytes && d.uploadCompleted ? 'yes' : 'NO',
      'time to file in Slack': formatMs(d.big.ms),
      'idle RSS': `${mb(d.idleRss)} MB`,
      'peak RSS': `${mb(d.peak)} MB`,
      'peak over idle': `${mb(d.overIdle)} MB`,
    });
  }
  printTable('200 000 entries: time to the file in Slack and peak RSS (composed app, fresh process)', rows);
}

async function main(): Promise<void> {
  const buildDir = ensureBuild();
  const deliveries = [];
  for (const size of SIZES) deliveries.push(await deliverOnce(buildDir, size));
  printTable(
    'Delivering one export file (composed app in a fresh process; fakes in another)',
    deliveries.map((d) => ({
      file: `${mb(d.fileBytes)} MB`,
      state: d.big.state,
      'uploaded bytes ok': d.uploadedBytes === d.fileBytes && d.uploadCompleted ? 'yes' : 'NO',
      time: formatMs(d.big.ms),
      'idle RSS': `${mb(d.idleRss)} MB`,
      'peak RSS (VmHWM)': d.vmHwm === null ? '-' : `${mb(d.vmHwm)} MB`,
      'peak RSS (20 ms samples)': `${mb(d.sampledPeak)} MB`,
      'peak over idle': `${mb(d.overIdle)} MB`,
    })),
  );

  // Context: the same path when Lucca's export has no file and the app renders its entries.
  const noFile = await deliverOnce(buildDir, 0, 200_000);
  printTable(
    'Export without a file, 200 000 entries: fetch → CSV → Slack upload (composed app, fresh process)',
    [
      {
        state: noFile.big.state,
        'CSV uploaded': `${mb(noFile.fileBytes)} MB`,
        'uploaded bytes ok':
          noFile.uploadedBytes === noFile.fileBytes && noFile.uploadCompleted ? 'yes' : 'NO',
        time: formatMs(noFile.big.ms),
        'idle RSS': `${mb(noFile.idleRss)} MB`,
        'peak RSS': `${mb(noFile.peak)} MB`,
        'peak over idle': `${mb(noFile.overIdle)} MB`,
      },
    ],
  );

  const csvRuns: (CsvResult & { peak: number })[] = [];
  for (const variant of ['stream', 'string']) {
    const result = await runChild<CsvResult>('bench/lib/memory-child.ts', ['csv', variant], {
      env: { ENTRIES: '200000' },
      nodeArgs: ['--expose-gc'],
      buildDir,
    });
    csvRuns.push({ ...result, peak: Math.max(result.sampledPeak, result.vmHwm ?? 0) });
  }
  printTable(
    'Writing 200 000 entries to a CSV file (fresh process each; entries parsed as the Lucca client does)',
    csvRuns.map((c) => ({
      how:
        c.variant === 'stream'
          ? 'writeEntriesCsv (streamed, used by the app)'
          : 'renderEntriesCsv + writeFile (before)',
      'CSV size': `${mb(c.bytes)} MB`,
      time: formatMs(c.totalMs),
      'RSS before (entries loaded)': `${mb(c.idleRss)} MB`,
      'peak RSS': `${mb(c.peak)} MB`,
      'peak over before': `${mb(c.peak - c.idleRss)} MB`,
    })),
  );
  const csv = csvRuns[0]!;
  const csvPeak = csv.peak;

  const big = deliveries.find((d) => d.fileBytes === 200 * MB)!;
  const figures: Figure[] = [
    {
      figure: 'Peak RSS over idle, delivering a 200 MB file',
      target: '≤ 64 MB',
      measured: `${mb(big.overIdle)} MB (idle ${mb(big.idleRss)} MB; 20 MB file: +${mb(deliveries[0]!.overIdle)} MB)`,
      pass:
        big.overIdle <= TARGET_OVER_IDLE && big.big.state === 'done' && big.uploadedBytes === big.fileBytes,
    },
    {
      figure: 'Export without file, 200 000 entries: fetch + CSV + upload, peak RSS over idle',
      target: 'context',
      measured: `${mb(noFile.overIdle)} MB (peak ${mb(noFile.peak)} MB, ${formatMs(noFile.big.ms)})`,
      pass: null,
    },
    {
      figure: 'CSV of 200 000 entries: time',
      target: '≤ 2 s',
      measured: formatMs(csv.totalMs),
      pass: csv.totalMs <= 2_000,
    },
    {
      figure: 'CSV of 200 000 entries: peak RSS',
      target: '≤ 300 MB',
      measured: `${mb(csvPeak)} MB (+${mb(csvPeak - csv.idleRss)} MB over the loaded entries; ${mb(csvRuns[1]!.peak)} MB before streaming)`,
      pass: csvPeak <= 300 * MB,
    },
  ];
  report({
    bench: 'memory',
    command: 'npm run bench:memory',
    figures,
    data: { deliveries, noFile, csv: csvRuns },
  });
}

if (process.argv[2] === 'entries') await entriesOnly();
else await main();
