import path from 'node:path';
import type { Config } from './config.js';
import { type EngineSettings, ExportEngine } from './exports/engine.js';
import type { RunRepository } from './exports/run-repository.js';
import type { DeliveryPort } from './exports/types.js';
import { createLuccaClient } from './lucca/client.js';
import type { LuccaApi } from './lucca/types.js';
import { type Clock, systemClock } from './util/clock.js';
import type { Logger } from './util/log.js';

export interface EngineDeps {
  store: RunRepository;
  delivery: DeliveryPort;
  logger: Logger;
  clock?: Clock;
  workerId?: string;
  /** Tests pass their own; otherwise a client for LUCCA_BASE_URL with the process-wide limiter. */
  lucca?: LuccaApi;
  /** Drive only these runs (see ExportEngine's `scope`). */
  scope?: ReadonlySet<number>;
}

/** The engine's settings from the environment (DESIGN §4). */
export function engineSettingsOf(config: Config): EngineSettings {
  return {
    triggerTimeoutMs: config.exports.triggerTimeoutMs,
    pollMinMs: config.exports.pollMinMs,
    pollMaxMs: config.exports.pollMaxMs,
    maxRequestsPerMinute: config.lucca.maxRequestsPerMinute,
    stallAfterMs: config.exports.stallAfterMs,
    filesDir: config.exports.filesDir,
    fileRetentionMs: config.exports.fileRetentionMs,
    language: config.language,
    ...(config.exports.leaseMs !== undefined ? { leaseMs: config.exports.leaseMs } : {}),
  };
}

/**
 * Where runs without a Slack channel and without a folder in their note are delivered: beside the
 * runs' own folders (which the retention sweep deletes), but not among them (this one is kept).
 */
export function defaultDeliveryFolder(config: Config): string {
  return path.resolve(config.exports.filesDir, 'delivered');
}

/**
 * Lucca client + engine, built the same way by the Slack app and the command line, so that a run
 * started by one is driven identically by the other (they may share a database).
 */
export function createEngine(config: Config, deps: EngineDeps): { engine: ExportEngine; lucca: LuccaApi } {
  const clock = deps.clock ?? systemClock;
  const lucca =
    deps.lucca ??
    createLuccaClient({
      baseUrl: config.lucca.baseUrl,
      apiKey: config.lucca.apiKey,
      maxRequestsPerMinute: config.lucca.maxRequestsPerMinute,
      clock,
      logger: deps.logger.child({ component: 'lucca' }),
    });
  const engine = new ExportEngine({
    store: deps.store,
    lucca,
    delivery: deps.delivery,
    clock,
    logger: deps.logger.child({ component: 'engine' }),
    ...(deps.workerId ? { workerId: deps.workerId } : {}),
    ...(deps.scope ? { scope: deps.scope } : {}),
    settings: engineSettingsOf(config),
  });
  return { engine, lucca };
}
