import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { createEngine, defaultDeliveryFolder } from '../compose-engine.js';
import { type Config, secretsOf } from '../config.js';
import { DeliveryError } from '../exports/delivery.js';
import type { ExportEngine } from '../exports/engine.js';
import { type DeliveredFile, FolderDelivery } from '../exports/folder-delivery.js';
import { RoutingDelivery } from '../exports/routing-delivery.js';
import { openDatabase } from '../store/database.js';
import { DeliveryReceiptStore } from '../store/delivery-receipts.js';
import { RunStore } from '../store/run-store.js';
import { type Clock, systemClock } from '../util/clock.js';
import { createLogger, type Logger } from '../util/log.js';
import { workerId } from '../util/worker-id.js';
import type { CliIo } from './io.js';
import type { Terminal } from './terminal.js';

/** What the CLI talks to: its streams, environment, user and signals. */
/** The CLI's logs: stderr, `LOG_LEVEL` when set, else warnings only so that progress stays readable. */
export function cliLogger(config: Config, io: CliIo, terminal: Terminal): Logger {
  const level = io.env.LOG_LEVEL?.trim() ? config.logLevel : 'warn';
  return createLogger({ level, secrets: secretsOf(config), write: (line) => terminal.log(line) });
}

export interface CliSession {
  config: Config;
  db: BetterSqlite3.Database;
  store: RunStore;
  engine: ExportEngine;
  /**
   * The runs this process drives: the ones it started (or retried) without a Slack channel. A run
   * started in Slack that the CLI joined is only watched; the Slack app drives and delivers it.
   */
  scope: Set<number>;
  folder: FolderDelivery;
  /** Files this process delivered to a folder, by run id. */
  delivered: Map<number, DeliveredFile[]>;
  logger: Logger;
  clock: Clock;
  /** Stops the engine: steps in flight are interrupted and their leases released. */
  stopEngine(): Promise<void>;
  /** Stops the engine and closes the database. */
  close(): Promise<void>;
}

/**
 * The same store and engine as the Slack app (see compose-engine.ts). Runs without a channel are
 * delivered to the folder their note names (or `defaultFolder`); runs with one go to Slack.
 */
export function openSession(
  config: Config,
  io: CliIo,
  logger: Logger,
  options: { defaultFolder?: string } = {},
): CliSession {
  const clock = io.clock ?? systemClock;
  const db = openDatabase(config.databasePath);
  const store = new RunStore(db);
  const delivered = new Map<number, DeliveredFile[]>();
  const receipts = new DeliveryReceiptStore(db);
  const folder = new FolderDelivery({
    receipts,
    now: () => clock.now(),
    defaultFolder: options.defaultFolder ?? defaultDeliveryFolder(config),
    onDelivered: (run, files) => delivered.set(run.id, files),
    logger: logger.child({ component: 'folder-delivery' }),
  });
  const delivery = new RoutingDelivery({ channel: slackRunsElsewhere, noChannel: folder });
  const scope = new Set<number>();
  const { engine } = createEngine(config, {
    store,
    delivery,
    logger,
    clock,
    workerId: workerId('cli'),
    scope,
  });
  let closed = false;
  let stopping: Promise<unknown> | undefined;
  // A step stuck on a slow Lucca answer must not hold the terminal: its lease simply runs out.
  const stopEngine = async () => {
    stopping ??= Promise.race([engine.stop(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    await stopping;
  };
  return {
    config,
    db,
    store,
    engine,
    scope,
    folder,
    delivered,
    logger,
    clock,
    stopEngine,
    async close() {
      if (closed) return;
      closed = true;
      await stopEngine();
      db.close();
    },
  };
}

/** `./exports` by default, always absolute (it is stored in the run's note for other processes). */
export function outputFolder(value: string | boolean | undefined, cwd = process.cwd()): string {
  return path.resolve(cwd, typeof value === 'string' && value.trim() ? value : 'exports');
}

/** Never reached while the CLI drives only its own runs; a guard should a Slack run ever be claimed. */
const slackRunsElsewhere = {
  async deliver(): Promise<void> {
    throw new DeliveryError(
      'slack-elsewhere',
      'The command-line tool does not post to Slack; the Slack app delivers this run.',
      { retryable: true },
    );
  },
};
