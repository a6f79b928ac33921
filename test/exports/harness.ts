import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../fakes/manual-clock.js';
import { type EngineSettings, ExportEngine } from '../../src/exports/engine.js';
import type { DeliveryPort, ExportRequest, Run } from '../../src/exports/types.js';
import type { LuccaApi } from '../../src/lucca/types.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import { RunStore } from '../../src/store/run-store.js';
import type { Logger } from '../../src/util/log.js';

export const MINUTE = 60_000;

/** A delivery port that records what it was given and fails on demand. */
export class RecordingDelivery implements DeliveryPort {
  readonly delivered: Run[] = [];
  attempts = 0;
  private failures: unknown[] = [];

  failNext(error: unknown, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(error);
  }

  async deliver(run: Run): Promise<void> {
    this.attempts++;
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    this.delivered.push(run);
  }
}

export function request(overrides: Partial<ExportRequest> = {}): ExportRequest {
  return {
    configurationId: 3,
    endsAt: '2026-12-01',
    requestedBy: 'U123',
    source: 'command',
    channelId: 'C1',
    ...overrides,
  };
}

export interface Harness {
  dir: string;
  dbPath: string;
  clock: ManualClock;
  db: Database;
  store: RunStore;
  delivery: RecordingDelivery;
  settings: EngineSettings;
  engine: ExportEngine;
  /** Another engine (own connection, own worker id) on the same database file. */
  secondEngine(workerId: string, lucca?: LuccaApi): ExportEngine;
  close(): void;
}

export function createHarness(
  lucca: LuccaApi,
  options: {
    clock?: ManualClock;
    settings?: Partial<EngineSettings>;
    workerId?: string;
    logger?: Logger;
  } = {},
): Harness {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'engine-test-'));
  const dbPath = path.join(dir, 'db', 'runs.sqlite');
  const clock = options.clock ?? new ManualClock();
  const databases: Database[] = [];
  const db = openDatabase(dbPath);
  databases.push(db);
  const store = new RunStore(db);
  const delivery = new RecordingDelivery();
  const settings: EngineSettings = {
    triggerTimeoutMs: 30_000,
    pollMinMs: 5_000,
    pollMaxMs: 60_000,
    stallAfterMs: 60 * MINUTE,
    filesDir: path.join(dir, 'files'),
    ...options.settings,
  };
  const engine = new ExportEngine({
    store,
    lucca,
    delivery,
    clock,
    settings,
    workerId: options.workerId ?? 'worker-a',
    logger: options.logger,
  });
  return {
    dir,
    dbPath,
    clock,
    db,
    store,
    delivery,
    settings,
    engine,
    secondEngine(workerId, otherLucca) {
      const otherDb = openDatabase(dbPath);
      databases.push(otherDb);
      return new ExportEngine({
        store: new RunStore(otherDb),
        lucca: otherLucca ?? lucca,
        delivery,
        clock,
        settings,
        workerId,
        logger: options.logger,
      });
    },
    close() {
      for (const database of databases) database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Drives engines the way the background loop would, on the manual clock: tick all of them, and
 * while a step waits on the clock (a held POST) move it a second at a time; then jump to the next
 * due time. Stops when `until()` holds, nothing is due any more, or `limitMs` of clock time passed.
 */
export async function drive(
  engines: ExportEngine | ExportEngine[],
  h: { clock: ManualClock; store: RunStore },
  options: { until?: () => boolean; limitMs?: number; waitingOnClock?: () => boolean } = {},
): Promise<void> {
  const list = Array.isArray(engines) ? engines : [engines];
  const until = options.until ?? (() => false);
  const waitingOnClock = options.waitingOnClock ?? (() => false);
  const end = h.clock.now() + (options.limitMs ?? 3 * 60 * MINUTE);
  for (;;) {
    if (until()) return;
    let settled = false;
    const ticking = Promise.all(list.map((engine) => engine.tick())).finally(() => {
      settled = true;
    });
    while (!settled) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (!settled && waitingOnClock()) await h.clock.advance(1_000);
    }
    const steps = (await ticking).reduce((a, b) => a + b, 0);
    if (until()) return;
    const next = h.store.nextDueAt();
    if (next === null) return;
    if (next > end) return;
    if (next > h.clock.now()) await h.clock.advance(next - h.clock.now());
    else if (steps === 0) await h.clock.advance(1_000);
  }
}
