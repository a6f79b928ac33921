import { type Clock, systemClock } from '../util/clock.js';

/**
 * A sliding window of `limit` requests per `windowMs`, on the injected clock. Lucca allows a tenant
 * about 50 requests per 60 s across all its integrations, then answers 429 (developers.lucca.fr,
 * limits): one instance is shared by every request of the process so that our share holds.
 * Waiters are served in arrival order.
 */
export class RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly clock: Clock;
  private readonly granted: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(options: { limit: number; windowMs?: number; clock?: Clock }) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new RangeError(`rate limit must be a whole number of at least 1, got ${options.limit}`);
    }
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Resolves when a request may be sent, counting it. When `signal` aborts first it resolves
   * without counting: callers check `signal.aborted` before sending.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot(signal));
    this.queue = turn.catch(() => {});
    return turn;
  }

  /** Requests counted in the current window. */
  get used(): number {
    this.forgetExpired(this.clock.now());
    return this.granted.length;
  }

  private async waitForSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) return;
      const now = this.clock.now();
      this.forgetExpired(now);
      const oldest = this.granted[0];
      if (oldest === undefined || this.granted.length < this.limit) {
        this.granted.push(now);
        return;
      }
      await this.clock.sleep(oldest + this.windowMs - now, signal);
    }
  }

  private forgetExpired(now: number): void {
    while (this.granted.length > 0 && this.granted[0]! <= now - this.windowMs) this.granted.shift();
  }
}
