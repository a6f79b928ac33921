/**
 * The process bench/concurrency.ts measures: the composed app (composeApp: Bolt HTTP receiver, store,
 * notifier, Slack delivery) whose engine drives RUNS runs at once, against the fakes in another process.
 * The engine is built like the composed one but with `concurrency: RUNS` and a Lucca client without
 * the 20/min limiter, so that all runs are really in flight (polling, downloading, uploading) instead
 * of waiting for their turn. Measures event-loop delay with perf_hooks.monitorEventLoopDelay from the
 * first request until every run is done or WINDOW_MS passed. Prints `CHILD_JSON {...}`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { composeApp } from '../../src/compose.js';
import { engineSettingsOf } from '../../src/compose-engine.js';
import { readConfig, secretsOf } from '../../src/config.js';
import { ExportEngine } from '../../src/exports/engine.js';
import type { DeliveryPort } from '../../src/exports/types.js';
import { createLuccaClient } from '../../src/lucca/client.js';
import { createLogger } from '../../src/util/log.js';
import { CHANNEL, USER } from './app-env.js';

const RUNS = Number(process.env.RUNS ?? 50);
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 40_000);

const config = readConfig(process.env, 'app');
const logger = createLogger({ level: 'warn', secrets: secretsOf(config), write: () => {} });
const lucca = createLuccaClient({
  baseUrl: config.lucca.baseUrl,
  apiKey: config.lucca.apiKey,
  maxRequestsPerMinute: 100_000,
  logger,
});
const app = await composeApp(config, logger, { port: 0, startEngine: false, lucca });
// The composed engine's delivery port (Slack upload with receipts), so the uploads go the way compose.ts wires them.
const delivery = (app.engine as unknown as { delivery: DeliveryPort }).delivery;
const engine = new ExportEngine({
  store: app.store,
  lucca,
  delivery,
  logger,
  workerId: 'bench-concurrency',
  settings: { ...engineSettingsOf(config), concurrency: RUNS },
});
engine.onEvent(() => app.notifier.wake());

const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
const started = Date.now();
const ids: number[] = [];
for (let i = 1; i <= RUNS; i++) {
  ids.push(
    engine.request({
      configurationId: i,
      endsAt: '2026-12-01',
      requestedBy: USER,
      source: 'command',
      channelId: CHANNEL,
    }).run.id,
  );
}
engine.start();
const states = () => ids.map((id) => app.store.get(id)!.state);
let peakInFlight = 0;
let busiestStates: Record<string, number> = {};
for (;;) {
  const now = states();
  const counts: Record<string, number> = {};
  for (const state of now) counts[state] = (counts[state] ?? 0) + 1;
  const working = now.filter((s) => s !== 'done' && s !== 'failed').length;
  if (working > peakInFlight) {
    peakInFlight = working;
    busiestStates = counts;
  }
  if (working === 0 || Date.now() - started > WINDOW_MS) break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}
histogram.disable();
const elapsedMs = Date.now() - started;
const final: Record<string, number> = {};
for (const state of states()) final[state] = (final[state] ?? 0) + 1;
const cpu = process.cpuUsage();
await engine.stop();
await app.stop();
process.stdout.write(
  `CHILD_JSON ${JSON.stringify({
    runs: RUNS,
    elapsedMs,
    eld: {
      p50: histogram.percentile(50) / 1e6,
      p99: histogram.percentile(99) / 1e6,
      max: histogram.max / 1e6,
      mean: histogram.mean / 1e6,
    },
    final,
    peakInFlight,
    busiestStates,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rss: process.memoryUsage.rss(),
  })}\n`,
);
process.exit(0);
