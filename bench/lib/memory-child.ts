/**
 * The process whose memory bench/memory.ts measures (a fresh one per measurement, run with
 * --expose-gc). The fakes live in the parent, so their buffers are not counted here.
 *
 *   deliver: the composed app (composeApp, HTTP mode, real clock) delivers one small export to warm
 *            up, settles (idle), then one export of FILE_BYTES: download → disk → Slack upload.
 *   csv:     ENTRIES entries parsed the way the Lucca client parses them, then written to a CSV file
 *            the way storeExportFiles does when an export has no file (`stream`, writeEntriesCsv), or
 *            as one string first (`string`, renderEntriesCsv: the way it was done before).
 *
 * Prints one line `CHILD_JSON {...}`.
 */
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { entriesFor } from '../../fakes/lucca-simulator/content.js';
import { composeApp } from '../../src/compose.js';
import { readConfig, secretsOf } from '../../src/config.js';
import { renderEntriesCsv, writeEntriesCsv } from '../../src/exports/csv.js';
import { exportEntriesSchema, toExportEntries } from '../../src/lucca/schemas.js';
import { createLogger } from '../../src/util/log.js';
import { CHANNEL, USER } from './app-env.js';
import { collectGarbage, RssSampler, resetPeak, vmHwmBytes } from './rss.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function emit(result: Record<string, unknown>): void {
  process.stdout.write(`CHILD_JSON ${JSON.stringify(result)}\n`);
}

async function deliver(): Promise<void> {
  const config = readConfig(process.env, 'app');
  const logger = createLogger({ level: 'warn', secrets: secretsOf(config), write: () => {} });
  const app = await composeApp(config, logger, { port: 0 });
  const runOnce = async (configurationId: number) => {
    const { run } = app.engine.request({
      configurationId,
      endsAt: '2026-12-01',
      requestedBy: USER,
      source: 'command',
      channelId: CHANNEL,
    });
    const started = Date.now();
    for (;;) {
      const current = app.store.get(run.id)!;
      if (['done', 'failed', 'stalled', 'cancelled'].includes(current.state)) {
        return { state: current.state, ms: Date.now() - started, bytes: current.files[0]?.bytes ?? 0 };
      }
      await sleep(20);
    }
  };
  const warmUp = await runOnce(1);
  await app.notifier.drain();
  await sleep(500);
  collectGarbage();
  await sleep(200);
  const idleRss = process.memoryUsage.rss();
  const peakReset = resetPeak();
  const sampler = new RssSampler().start(20);
  const big = await runOnce(2);
  await app.notifier.drain();
  const sampledPeak = sampler.stop();
  const hwm = vmHwmBytes();
  await app.stop();
  emit({
    mode: 'deliver',
    warmUp,
    big,
    idleRss,
    sampledPeak,
    vmHwm: peakReset ? hwm : null,
    samples: sampler.samples,
  });
  process.exit(0);
}

async function csv(variant: 'stream' | 'string'): Promise<void> {
  const count = Number(process.env.ENTRIES ?? 200_000);
  // The JSON Lucca would send, parsed and converted as the client does (amount strings → hours).
  const raw = { data: { id: 1, entries: entriesFor(1, count, '2026-12-01') } };
  const details = { entries: toExportEntries(exportEntriesSchema.parse(raw)) };
  (raw.data as { entries: unknown }).entries = [];
  collectGarbage();
  await sleep(100);
  const idleRss = process.memoryUsage.rss();
  const peakReset = resetPeak();
  const sampler = new RssSampler().start(20);
  const file = path.join(tmpdir(), `bench-csv-${process.pid}.csv`);
  const started = performance.now();
  let bytes: number;
  if (variant === 'string') {
    // The way export-files.ts wrote it before it streamed: the whole text, then a Buffer, then the file.
    const whole = Buffer.from(renderEntriesCsv(details.entries), 'utf8');
    await writeFile(file, whole, { mode: 0o600 });
    bytes = whole.byteLength;
  } else {
    bytes = await writeEntriesCsv(details.entries, file);
  }
  const totalMs = performance.now() - started;
  const sampledPeak = sampler.stop();
  const hwm = vmHwmBytes();
  await rm(file, { force: true });
  emit({
    mode: 'csv',
    variant,
    entries: details.entries.length,
    bytes,
    totalMs,
    idleRss,
    sampledPeak,
    vmHwm: peakReset ? hwm : null,
  });
}

const mode = process.argv[2];
if (mode === 'deliver') await deliver();
else if (mode === 'csv') await csv(process.argv[3] === 'string' ? 'string' : 'stream');
else throw new Error(`unknown mode ${mode}`);
