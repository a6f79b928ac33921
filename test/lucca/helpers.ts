import type { TestContext } from 'node:test';
import {
  type ConfigurationBehaviour,
  type LuccaSimulator,
  startLuccaSimulator,
} from '../../fakes/lucca-simulator/index.js';
import { createLuccaClient, type LuccaClientOptions } from '../../src/lucca/client.js';
import type { LuccaApi } from '../../src/lucca/types.js';
import type { Clock } from '../../src/util/clock.js';
import type { Logger } from '../../src/util/log.js';

/** A key that must never show up in an error or a log line. */
export const API_KEY = 'k3y-5ecret-9f41c2d7';

/** Time that jumps forward by whatever is slept, at once; it remembers every sleep. */
export class VirtualClock implements Clock {
  time = Date.UTC(2026, 11, 1, 9, 0, 0);
  readonly slept: number[] = [];

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.time += Math.max(0, ms);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export interface Setup {
  sim: LuccaSimulator;
  client: LuccaApi;
  clock: Clock;
  logLines: string[];
}

/** A simulator and a client pointed at it, closed when the test ends. */
export async function setUp(
  t: TestContext,
  options: {
    clock?: Clock;
    defaults?: Partial<ConfigurationBehaviour>;
    client?: Partial<LuccaClientOptions>;
  } = {},
): Promise<Setup> {
  const clock = options.clock ?? new VirtualClock();
  const sim = await startLuccaSimulator({ apiKey: API_KEY, clock, defaults: options.defaults });
  t.after(() => sim.close());
  const logLines: string[] = [];
  const client = createLuccaClient({
    baseUrl: sim.url,
    apiKey: API_KEY,
    maxRequestsPerMinute: 1000,
    clock,
    logger: capturingLogger(logLines),
    retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 },
    ...options.client,
  });
  return { sim, client, clock, logLines };
}

/** Awaits a promise that must reject, and returns what it rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Lets real I/O (the simulator's answers) happen until `condition` holds. */
export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Records raw lines, without the app logger's redaction, so that a leak by the client would show. */
export function capturingLogger(lines: string[]): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, message, ...fields }));
  };
  const logger: Logger = {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: () => logger,
  };
  return logger;
}
