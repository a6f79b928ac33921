import type { ManualClock } from '../../fakes/manual-clock.js';
import type { Config } from '../../src/config.js';
import { createLuccaClient } from '../../src/lucca/client.js';
import type { LuccaApi } from '../../src/lucca/types.js';
import type { Clock } from '../../src/util/clock.js';
import type { Logger } from '../../src/util/log.js';

/**
 * A clock for the Lucca client of an app driven by a ManualClock: `sleep(ms)` moves that manual clock
 * forward by `ms` at once (time passes as the client asked, nothing waits for it), and is recorded.
 * Without it, the client's retry back-off would sleep on a clock nobody advances while the harness
 * waits for the step to finish.
 */
export class SteppingClock implements Clock {
  readonly slept: number[] = [];
  constructor(private readonly manual: ManualClock) {}

  now(): number {
    return this.manual.now();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    this.slept.push(ms);
    await this.manual.advance(Math.max(0, ms));
  }
}

/**
 * A `luccaClient` for startHarness: the app's own client, on a SteppingClock. got's timeouts are real
 * time: `responseTimeoutMs` shortens its wait for an answer, for tests where a proxy holds one. Only
 * there: on a loaded machine a short bound also cuts answers that are merely slow, and the client
 * sends the request again (a fetch counted twice).
 */
export function steppingLuccaClient(
  options: { baseUrl?: string; onClock?: (clock: SteppingClock) => void; responseTimeoutMs?: number } = {},
): (deps: { clock: ManualClock; logger: Logger; config: Config }) => LuccaApi {
  return ({ clock, logger, config }) => {
    const stepping = new SteppingClock(clock);
    options.onClock?.(stepping);
    const response = options.responseTimeoutMs;
    return createLuccaClient({
      baseUrl: options.baseUrl ?? config.lucca.baseUrl,
      apiKey: config.lucca.apiKey,
      maxRequestsPerMinute: config.lucca.maxRequestsPerMinute,
      clock: stepping,
      logger,
      ...(response ? { timeouts: { get: { response }, download: { response } } } : {}),
    });
  };
}
