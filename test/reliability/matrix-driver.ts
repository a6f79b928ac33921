/**
 * Runs one fault-matrix cell against the real app: the Bolt HTTP receiver, engine, notifier and
 * SQLite store of `startHarness`, the Lucca simulator behind a fault proxy, the Slack stand-in.
 *
 * Time: the app runs on a ManualClock; the Lucca client gets a clock whose sleeps move that same
 * clock forward, so the client's retries and Retry-After waits cost no real time and are recorded.
 * got's own timeouts are real time: a cell whose proxy holds a Lucca answer shortens the one it needs
 * (2 s for GETs, 1 s for the POST); the others keep the app's. A short bound also cuts answers that a
 * busy machine merely slowed, and the client asks again: with 400 ms for every cell, "fetched from
 * Lucca once" counted 2 (and a refused call hit the retried one) whenever the machine was loaded.
 */
import { ManualClock } from '../../fakes/manual-clock.js';
import { type Harness, LUCCA_KEY, startHarness } from '../helpers/app-harness.js';
import { type FaultProxy, type ProxiedRequest, startFaultProxy } from '../helpers/fault-proxy.js';
import { type SteppingClock, steppingLuccaClient } from '../helpers/stepping-clock.js';

export const isBaseline = (r: ProxiedRequest) =>
  r.method === 'GET' && r.path === '/api/v3/timmiexports' && r.url.includes('paging=0,1');
export const isPoll = (r: ProxiedRequest) =>
  r.method === 'GET' && r.path === '/api/v3/timmiexports' && r.url.includes('id=greaterthan');
export const isTrigger = (r: ProxiedRequest) => r.method === 'POST' && r.path === '/api/v3/timmiexports/run';
export const isFetch = (r: ProxiedRequest) =>
  r.method === 'GET' && /^\/api\/v3\/timmiexports\/\d+$/.test(r.path);
export const isDownload = (r: ProxiedRequest) =>
  r.method === 'GET' && r.path.startsWith('/timmi-exports/files/');

export interface CellRig {
  h: Harness;
  proxy: FaultProxy;
  stepping: SteppingClock;
  close(): Promise<void>;
}

export async function startRig(options: {
  postAnswer: 408 | 'export';
  /** The proxy holds Lucca's answer to this: the client must give up on it quickly (in real time). */
  held?: 'trigger' | 'get';
}): Promise<CellRig> {
  const clock = new ManualClock(Date.UTC(2026, 11, 1, 8, 0, 0));
  let stepping: SteppingClock | undefined;
  const proxy = await startFaultProxy();
  const h = await startHarness({
    clock,
    rawLogs: true,
    env: {
      LUCCA_BASE_URL: proxy.url,
      EXPORT_TRIGGER_TIMEOUT: options.held === 'trigger' ? '1s' : '30s',
      EXPORT_STALL_AFTER: '2m',
    },
    lucca: { buildMs: 20_000, postHoldMs: 30, postAnswer: options.postAnswer, files: 1, fileBytes: 4096 },
    luccaClient: steppingLuccaClient({
      onClock: (created) => {
        stepping = created;
      },
      ...(options.held === 'get' ? { responseTimeoutMs: 2_000 } : {}),
    }),
  });
  proxy.setTarget(h.sim.url);
  return {
    h,
    proxy,
    stepping: stepping!,
    async close() {
      await h.close();
      await proxy.close();
    },
  };
}

/**
 * Moves the app's time forward in steps, letting the engine and the notifier finish their work at
 * each, until `done` holds. A proxy that refuses connections is opened again once a refused
 * attempt shows in the log (so the refusal hits exactly the call it was armed for).
 */
export async function driveUntil(
  rig: CellRig,
  done: () => boolean,
  what: string,
  budgetMs = 20 * 60_000,
  stepMs = 5_000,
): Promise<void> {
  for (let waited = 0; ; waited += stepMs) {
    await rig.h.settle();
    if (!rig.proxy.listening && refusedAttempts(rig).length > 0) await rig.proxy.reopen();
    if (done()) return;
    if (waited >= budgetMs) {
      const runs = rig.h.app.store.recent(5).map((r) => `run ${r.id}: ${r.state} ${r.errorMessage ?? ''}`);
      throw new Error(`not reached within ${budgetMs / 60_000} min: ${what} (${runs.join('; ')})`);
    }
    await rig.h.clock.advance(stepMs);
  }
}

/** Paths of Lucca requests the client logged as refused. */
export function refusedAttempts(rig: CellRig): string[] {
  return rig.h.logs
    .filter((line) => line.includes('"lucca request"') && line.includes('ECONNREFUSED'))
    .map((line) => String((JSON.parse(line) as { path?: unknown }).path ?? ''));
}

/** The Lucca key the harness uses, for direct reads from the simulator. */
export async function fileFromSimulator(rig: CellRig, fileId: number): Promise<Buffer> {
  const response = await fetch(`${rig.h.sim.url}/timmi-exports/files/${fileId}`, {
    headers: { authorization: `lucca application=${LUCCA_KEY}` },
  });
  return Buffer.from(await response.arrayBuffer());
}
