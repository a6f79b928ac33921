/**
 * Drives an ExportEngine on a ManualClock against the real Lucca simulator and the real got client,
 * so that an hour of Lucca time costs a second of real time while every request is a real HTTP one
 * that the simulator counts.
 *
 * Lucca holds the synchronous POST for about 5 s, then cuts it with a 408 (DESIGN §1.2). The
 * simulator holds it in real milliseconds; `HeldTrigger` adds the hold on the manual clock, so
 * polling starts at the age it would start at in production. While a step waits on the clock (the
 * held POST, the rate limiter, a retry's backoff) the driver moves the clock to that wake-up time;
 * otherwise the clock only jumps to the next due run, so no poll is shifted.
 */
import type { ExportEngine } from '../../src/exports/engine.js';
import type { LuccaApi, TriggerRequest, TriggerResult } from '../../src/lucca/types.js';
import type { RunStore } from '../../src/store/run-store.js';
import type { Clock, ManualClock } from '../../src/util/clock.js';
import type { LuccaSimulator } from '../../test/fakes/lucca-simulator/index.js';

/** A clock for the Lucca client: the manual clock, with its sleeps visible to the driver. */
export class WatchedClock implements Clock {
  private readonly wakeTimes = new Set<number>();
  /** Total ms the client slept (rate limiter, Retry-After, backoff). */
  sleptMs = 0;

  constructor(readonly base: ManualClock) {}

  now(): number {
    return this.base.now();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const until = this.base.now() + Math.max(0, ms);
    this.sleptMs += Math.max(0, ms);
    this.wakeTimes.add(until);
    try {
      await this.base.sleep(ms, signal);
    } finally {
      this.wakeTimes.delete(until);
    }
  }

  /** The earliest time something is waiting for, or null. */
  nextWake(): number | null {
    return this.wakeTimes.size ? Math.min(...this.wakeTimes) : null;
  }
}

/** Wraps the real client: after the simulator's 408, the POST counts as held `holdMs` of clock time. */
export class HeldTrigger implements LuccaApi {
  constructor(
    private readonly inner: LuccaApi,
    private readonly sim: LuccaSimulator,
    private readonly clock: WatchedClock,
    private readonly holdMs: number,
  ) {}

  latestExportId(configurationId: number) {
    return this.inner.latestExportId(configurationId);
  }
  findExport(configurationId: number, baselineId: number, endsAt: string) {
    return this.inner.findExport(configurationId, baselineId, endsAt);
  }
  getExport(exportId: number) {
    return this.inner.getExport(exportId);
  }
  downloadFile(url: string, destinationPath: string, options?: { maxBytes?: number }) {
    return this.inner.downloadFile(url, destinationPath, options);
  }

  async triggerExport(request: TriggerRequest): Promise<TriggerResult> {
    const before = new Set(this.sim.exportsOf(request.configurationId).map((e) => e.id));
    const answer = await this.inner.triggerExport(request);
    if (answer.status !== 'pending') return answer;
    const created = this.sim.exportsOf(request.configurationId).find((e) => !before.has(e.id));
    const until = this.clock.now() + Math.min(this.holdMs, request.timeoutMs);
    // Lucca answers the held POST with the export when it is built before the cut.
    while (this.clock.now() < until) {
      if (created && created.readyAt !== 'never' && created.readyAt <= this.clock.now()) {
        return { status: 'done', exportId: created.id };
      }
      const next = Math.min(until, created && created.readyAt !== 'never' ? created.readyAt : until);
      await this.clock.sleep(Math.max(1, next - this.clock.now()), request.signal);
      if (request.signal?.aborted) break;
    }
    if (created && created.readyAt !== 'never' && created.readyAt <= this.clock.now()) {
      return { status: 'done', exportId: created.id };
    }
    return answer;
  }
}

/**
 * Ticks the engine until `until()` holds or nothing is due before `limitAt`. Between ticks the clock
 * jumps to the next due time; during a tick it jumps only to the wake-up time of something waiting
 * on it (never past it), so steps see the time they would see in production.
 */
export async function driveManually(
  engine: ExportEngine,
  h: { clock: ManualClock; store: RunStore },
  watched: WatchedClock,
  options: { until: () => boolean; limitAt: number },
): Promise<void> {
  for (;;) {
    if (options.until()) return;
    let settled = false;
    const ticking = engine.tick().finally(() => {
      settled = true;
    });
    while (!settled) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const wake = watched.nextWake();
      if (!settled && wake !== null) await h.clock.advance(Math.max(0, wake - h.clock.now()));
    }
    const steps = await ticking;
    if (options.until()) return;
    const next = h.store.nextDueAt();
    if (next === null || next > options.limitAt) return;
    if (next > h.clock.now()) await h.clock.advance(next - h.clock.now());
    else if (steps === 0) await h.clock.advance(1_000);
  }
}
