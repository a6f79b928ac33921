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

import type { LuccaSimulator } from '../../fakes/lucca-simulator/index.js';
import type { ManualClock } from '../../fakes/manual-clock.js';
import type { ExportEngine } from '../../src/exports/engine.js';
import { RateLimiter } from '../../src/lucca/rate-limiter.js';
import type { LuccaApi, TriggerRequest, TriggerResult } from '../../src/lucca/types.js';
import type { RunStore } from '../../src/store/run-store.js';
import type { Clock } from '../../src/util/clock.js';

/** A clock for the Lucca client: the manual clock, with its sleeps visible to the driver. */
export class WatchedClock implements Clock {
  /** Wake-up time → sleepers waiting for it (two sleepers may share one). */
  private readonly wakeTimes = new Map<number, number>();
  /** Total ms the client slept (rate limiter, Retry-After, backoff). */
  sleptMs = 0;
  /** Sleepers waiting right now. */
  sleeping = 0;

  constructor(readonly base: ManualClock) {}

  now(): number {
    return this.base.now();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const until = this.base.now() + Math.max(0, ms);
    this.sleptMs += Math.max(0, ms);
    this.wakeTimes.set(until, (this.wakeTimes.get(until) ?? 0) + 1);
    this.sleeping++;
    try {
      await this.base.sleep(ms, signal);
    } finally {
      this.sleeping--;
      const left = (this.wakeTimes.get(until) ?? 1) - 1;
      if (left > 0) this.wakeTimes.set(until, left);
      else this.wakeTimes.delete(until);
    }
  }

  /** The earliest time something is waiting for, or null. */
  nextWake(): number | null {
    return this.wakeTimes.size ? Math.min(...this.wakeTimes.keys()) : null;
  }
}

/**
 * Wraps the real client: after the simulator's 408, the POST counts as held `holdMs` of clock time.
 * Counts the calls in progress, so that a driver can tell a call parked on the clock from one whose
 * HTTP exchange is still under way.
 */
export class HeldTrigger implements LuccaApi {
  /** Calls that have not returned yet. */
  inProgress = 0;

  constructor(
    private readonly inner: LuccaApi,
    private readonly sim: LuccaSimulator,
    private readonly clock: WatchedClock,
    private readonly holdMs: number,
  ) {}

  latestExportId(configurationId: number) {
    return this.track(() => this.inner.latestExportId(configurationId));
  }
  findExport(configurationId: number, baselineId: number, endsAt: string, createdAfter?: number) {
    return this.track(() => this.inner.findExport(configurationId, baselineId, endsAt, createdAfter));
  }
  getExport(exportId: number) {
    return this.track(() => this.inner.getExport(exportId));
  }
  getExportEntries(exportId: number) {
    return this.track(() => this.inner.getExportEntries(exportId));
  }
  downloadFile(url: string, destinationPath: string, options?: { maxBytes?: number }) {
    return this.track(() => this.inner.downloadFile(url, destinationPath, options));
  }

  triggerExport(request: TriggerRequest): Promise<TriggerResult> {
    return this.track(() => this.heldTrigger(request));
  }

  private async track<T>(call: () => Promise<T>): Promise<T> {
    this.inProgress++;
    try {
      return await call();
    } finally {
      this.inProgress--;
    }
  }

  private async heldTrigger(request: TriggerRequest): Promise<TriggerResult> {
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

/** The process-wide limiter, counting what it granted, who waits for it, and for how long. */
export class CountingLimiter extends RateLimiter {
  /** Callers inside acquire(): parked behind the limit. */
  waiting = 0;
  grants = 0;
  /** Clock ms each granted request waited for its turn: what a Retry or a new export would wait. */
  readonly waits: number[] = [];
  private readonly waitClock: Clock;

  constructor(options: { limit: number; windowMs?: number; clock: Clock }) {
    super(options);
    this.waitClock = options.clock;
  }

  override async acquire(signal?: AbortSignal): Promise<void> {
    const asked = this.waitClock.now();
    this.waiting++;
    try {
      await super.acquire(signal);
      if (!signal?.aborted) {
        this.grants++;
        this.waits.push(this.waitClock.now() - asked);
      }
    } finally {
      this.waiting--;
    }
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

/** What a loop-like drive watches to know that the process is parked on the clock. */
export interface ParkedProbe {
  lucca: HeldTrigger;
  limiter: CountingLimiter;
  /** The clock the limiter sleeps on (its own, so that its sleeps are not counted twice). */
  limiterClock: WatchedClock;
  /** The clock the client (retries) and the held POST sleep on. */
  clientClock: WatchedClock;
  /** Requests that reached Lucca's side (the tenant gate), refused ones included. */
  arrived: () => number;
  /** Steps the engine is running (runs it holds a lease on). */
  stepsInFlight: () => number;
}

/** Real ms a drive waits for in-flight HTTP before moving the clock anyway (counted, reported). */
const STUCK_MS = 2_000;

/**
 * Drives the engine as its background loop does — a due run is launched as soon as one of the
 * engine's slots is free, without waiting for the steps already running — on the manual clock.
 * The clock moves only when the process is parked on it: every step in flight is inside a Lucca call,
 * every such call waits in the limiter, holds the POST or sleeps before a retry, and every request
 * the limiter let through has reached Lucca's side. It then jumps to the earliest wake-up or due run. So each request reaches
 * "Lucca" at the clock time it was sent, and a request-rate figure measured there is exact.
 * Returns how often the clock had to be moved while a request was still under way (0 = exact).
 */
export async function driveLikeTheLoop(
  engine: ExportEngine,
  h: { clock: ManualClock; store: RunStore },
  probe: ParkedProbe,
  options: { until: () => boolean; limitAt: number },
): Promise<{ forcedAdvances: number }> {
  const { lucca, limiter, limiterClock, clientClock } = probe;
  const quiet = () =>
    lucca.inProgress === limiter.waiting + clientClock.sleeping &&
    limiter.grants <= probe.arrived() &&
    probe.stepsInFlight() <= lucca.inProgress;
  const ticks = new Set<Promise<number>>();
  let forcedAdvances = 0;
  let busySince: number | null = null;
  for (;;) {
    if (options.until()) break;
    const tick = engine.tick();
    ticks.add(tick);
    void tick.finally(() => ticks.delete(tick)).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (!quiet()) {
      busySince ??= Date.now();
      if (Date.now() - busySince < STUCK_MS) continue;
      forcedAdvances++;
    }
    busySince = null;
    const now = h.clock.now();
    const due = h.store.nextDueAt();
    const candidates = [clientClock.nextWake(), limiterClock.nextWake()].filter((t) => t !== null);
    if (due !== null && due > now) candidates.push(due);
    if (candidates.length === 0) {
      if (ticks.size === 0 && due === null) break;
      continue; // a step works off the clock (disk, delivery), or a due run is launched next turn
    }
    const target = Math.min(...candidates);
    if (target > options.limitAt) break;
    await h.clock.advance(target - now);
  }
  return { forcedAdvances };
}
