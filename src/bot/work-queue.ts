/**
 * Work that follows an ack, run a few at a time in arrival order.
 *
 * Slack waits at most 3 s for an ack, and acks and the work after them share one event loop. Run
 * unbounded, 50 commands arriving together each post a message, write SQLite and wake the notifier,
 * and every new request waits behind all of that before it is even parsed: bench/ack.ts measured a
 * p99 ack of 0.2–2 s for 500 commands, 50 at a time. With the work queued, a burst is acked first and
 * worked through right after; each task still starts after the acks that are ready (setImmediate).
 */
export class WorkQueue {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly concurrency = 4) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a whole number of at least 1, got ${concurrency}`);
    }
  }

  /** Tasks queued or running. */
  get size(): number {
    return this.active + this.waiting.length;
  }

  /** Runs `task` when a slot is free, after pending I/O (other acks); settles as the task does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
