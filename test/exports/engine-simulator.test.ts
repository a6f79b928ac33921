import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import { exportFileBytes } from '../../fakes/lucca-simulator/content.js';
import { type ConfigurationBehaviour, startLuccaSimulator } from '../../fakes/lucca-simulator/index.js';
import { ManualClock } from '../../fakes/manual-clock.js';
import { DeliveryError } from '../../src/exports/delivery.js';
import type { EngineSettings } from '../../src/exports/engine.js';
import { createLuccaClient } from '../../src/lucca/client.js';
import type { LuccaApi } from '../../src/lucca/types.js';
import type { Clock } from '../../src/util/clock.js';
import { createLogger } from '../../src/util/log.js';
import { createHarness, drive, MINUTE, request } from './harness.js';

/**
 * The engine against the real HTTP simulator and the real got client. Lucca's build times run on the
 * manual clock shared by the engine and the simulator; the POST hold is real (a few ms); the client's
 * own retry sleeps jump at once so that a Retry-After costs no real time.
 */
const API_KEY = 'luc-4e9b7c21-live-secret';
const SETTINGS: Partial<EngineSettings> = { triggerTimeoutMs: 60 };

class JumpingClock implements Clock {
  constructor(private readonly base: ManualClock) {}
  offset = 0;
  readonly slept: number[] = [];
  now(): number {
    return this.base.now() + this.offset;
  }
  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.offset += Math.max(0, ms);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function setup(
  t: TestContext,
  defaults: Partial<ConfigurationBehaviour> = {},
  options: { settings?: Partial<EngineSettings>; clientKey?: string } = {},
) {
  const clock = new ManualClock();
  const sim = await startLuccaSimulator({
    apiKey: API_KEY,
    clock,
    defaults: { postHoldMs: 2_000, buildMs: 0, entries: 4, ...defaults },
  });
  const logLines: string[] = [];
  const clientClock = new JumpingClock(clock);
  const newClient = (): LuccaApi =>
    createLuccaClient({
      baseUrl: sim.url,
      apiKey: options.clientKey ?? API_KEY,
      maxRequestsPerMinute: 1_000,
      clock: clientClock,
      retry: { attempts: 3, baseDelayMs: 1_000, maxDelayMs: 5_000 },
      logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
    });
  const lucca = newClient();
  const h = createHarness(lucca, {
    clock,
    settings: { ...SETTINGS, ...options.settings },
    logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
  });
  t.after(async () => {
    h.close();
    await sim.close();
  });
  const run = (id: number) => h.store.get(id)!;
  const go = (until?: () => boolean) => drive(h.engine, h, { until });
  /** Lucca requests other than file downloads, for one configuration. */
  const apiRequests = () => sim.requests.filter((r) => r.path.startsWith('/api/'));
  return { h, sim, lucca, newClient, clientClock, clock, run, go, logLines, apiRequests };
}

describe('ExportEngine against the Lucca simulator', () => {
  it('happy path: one POST answered with the export, file downloaded, delivered', async (t) => {
    const { h, sim, run, go } = await setup(t, { files: 1 });
    const { run: created } = h.engine.request(request());
    await go();
    const done = run(created.id);
    assert.equal(done.state, 'done');
    assert.equal(sim.posts(3).length, 1);
    assert.deepEqual(sim.posts(3)[0]?.body, { endsAt: '2026-12-01T00:00:00', configurationId: 3 });
    assert.equal(done.files.length, 1);
    assert.ok(readFileSync(done.files[0]!.path).equals(exportFileBytes(4, 1, 0)), "Lucca's file as served");
    assert.equal(done.files[0]?.bytes, exportFileBytes(4, 1, 0).length);
    assert.equal(done.summary?.entries, 4);
    assert.equal(done.summary?.people, 4);
    assert.equal(h.delivery.delivered.length, 1);
    // Baseline, POST, export header and files, one file, then the entries for the summary.
    assert.deepEqual(
      sim.requests.map((r) =>
        `${r.method} ${r.path} ${r.query.fields?.replace(/\[.*$/, '[…]') ?? ''}`.trim(),
      ),
      [
        'GET /api/v3/timmiexports id,createdAt',
        'POST /api/v3/timmiexports/run id',
        'GET /api/v3/timmiexports/1 id,name,createdAt,configurationId,startsAt,endsAt,exportFiles',
        'GET /timmi-exports/files/1001',
        'GET /api/v3/timmiexports/1 id,entries[…]',
      ],
    );
  });

  it('POST held past the trigger timeout → polling → done, with exactly one POST', async (t) => {
    const { h, sim, run, go } = await setup(t, { buildMs: 2 * MINUTE });
    const { run: created } = h.engine.request(request());
    await go();
    assert.equal(run(created.id).state, 'done');
    assert.equal(sim.posts().length, 1);
    const events = h.store.eventsOf(created.id);
    assert.ok(events.some((e) => e.type === 'trigger-pending'));
    const polls = sim.requests.filter(
      (r) => r.method === 'GET' && r.query.id?.startsWith('greaterthan,'),
    ).length;
    // The POST was cut within milliseconds here (as Lucca's 5 s cut would), so polling starts at the
    // 5 s minimum and widens by a tenth of the wait (one run: the budget has room): about twenty
    // looks for a 2-minute export, noticed within 10 % of its age.
    assert.ok(polls >= 15 && polls <= 21, `polls for a 2-minute export: ${polls}`);
    const found = events.find((e) => e.type === 'found')!;
    assert.ok((found.detail.waitedMs as number) <= 2 * MINUTE * 1.1, `waited ${found.detail.waitedMs} ms`);
  });

  it('export never appears → stalled after the limit; Retry → second POST → done', async (t) => {
    const { h, sim, run, go } = await setup(t, { buildMs: 'never' });
    const { run: created } = h.engine.request(request());
    await go(() => run(created.id).state === 'stalled');
    assert.equal(run(created.id).state, 'stalled');
    assert.ok(h.clock.now() - run(created.id).triggeredAt! >= 60 * MINUTE);
    sim.configure(3, { buildMs: 30_000 });
    assert.equal(h.engine.retry(created.id, 'U123').outcome, 'retrying');
    assert.equal(h.engine.retry(created.id, 'U123').outcome, 'not-needed');
    await go();
    assert.equal(run(created.id).state, 'done');
    assert.equal(run(created.id).attempt, 2);
    assert.equal(sim.posts().length, 2, 'the double click made one new POST');
  });

  it('a fresh engine resumes a run interrupted in triggering by polling: no second POST', async (t) => {
    const { h, sim, newClient, run } = await setup(t, { buildMs: 3 * MINUTE });
    const now = h.clock.now();
    const { run: created } = h.store.createRun(request(), now);
    h.store.claimDue('crashed-worker', now, 30_000, 1);
    const client = newClient();
    const baselineId = await client.latestExportId(3);
    h.store.transition(
      created.id,
      { from: ['baseline'], workerId: 'crashed-worker', now },
      { state: 'triggering', baselineId, triggeredAt: now, nextAt: now },
    );
    // The POST reached Lucca; the process died before the answer.
    const pending = await client.triggerExport({ configurationId: 3, endsAt: '2026-12-01', timeoutMs: 20 });
    assert.equal(pending.status, 'pending');

    const fresh = h.secondEngine('fresh-worker', newClient());
    await drive(fresh, h);
    assert.equal(run(created.id).state, 'done');
    assert.equal(sim.posts().length, 1);
    assert.ok(
      h.store.eventsOf(created.id).some((e) => e.type === 'resumed' && e.detail.state === 'triggering'),
    );
  });

  it('a fresh engine resumes a run interrupted in polling: no second POST', async (t) => {
    const { h, sim, newClient, run, go } = await setup(t, { buildMs: 4 * MINUTE });
    const { run: created } = h.engine.request(request());
    await go(() => run(created.id).polls >= 2);
    h.store.claimDue('crashed-worker', run(created.id).nextAt!, 30_000, 1);
    const fresh = h.secondEngine('fresh-worker', newClient());
    await drive(fresh, h);
    assert.equal(run(created.id).state, 'done');
    assert.equal(sim.posts().length, 1);
  });

  it('ignores a foreign export with another endsAt', async (t) => {
    const { h, sim, run, go } = await setup(t, { buildMs: 2 * MINUTE });
    const older = sim.addExport(3, '2026-12-01');
    const { run: created } = h.engine.request(request());
    await go(() => run(created.id).state === 'polling');
    const foreign = sim.addExport(3, '2026-11-01');
    await go();
    const done = run(created.id);
    assert.equal(done.state, 'done');
    assert.equal(done.baselineId, older, 'an older export with our endsAt is before the baseline');
    assert.notEqual(done.exportId, foreign);
    assert.notEqual(done.exportId, older);
    assert.equal(sim.posts().length, 1);
  });

  it('honours a 429 on a poll (Retry-After) and carries on', async (t) => {
    const { h, sim, clientClock, run, go } = await setup(t, { buildMs: MINUTE });
    const { run: created } = h.engine.request(request());
    await go(() => run(created.id).state === 'polling');
    sim.failNext(
      { method: 'GET', pathIncludes: 'greaterthan' },
      { status: 429, headers: { 'retry-after': '7' } },
    );
    await go();
    assert.equal(run(created.id).state, 'done');
    assert.ok(clientClock.slept.includes(7_000));
    assert.equal(sim.posts().length, 1);
  });

  const refusals: [
    string,
    number,
    string,
    (sim: Awaited<ReturnType<typeof startLuccaSimulator>>) => void,
    string?,
  ][] = [
    ['bad key', 401, 'unauthorized', () => {}, 'wrong-key-0000-secret'],
    ['no right to export', 403, 'forbidden', (sim) => sim.configure(3, { forbidden: true })],
    ['unknown configuration', 404, 'not-found', (sim) => sim.configure(3, { exists: false })],
    [
      'bad endsAt',
      400,
      'bad-request',
      (sim) =>
        sim.failNext(
          { method: 'POST' },
          { status: 400, body: JSON.stringify({ Status: 400, Message: 'endsAt is not valid' }) },
        ),
    ],
  ];
  for (const [what, status, code, arrange, clientKey] of refusals) {
    it(`fails with a clear message on ${status} (${what}), the key recorded nowhere`, async (t) => {
      const { h, sim, run, go, logLines } = await setup(t, {}, { clientKey });
      arrange(sim);
      const { run: created } = h.engine.request(request());
      await go();
      const failed = run(created.id);
      assert.equal(failed.state, 'failed');
      assert.equal(failed.errorCode, code);
      assert.ok((failed.errorMessage ?? '').length > 20);
      assert.ok(sim.posts().length <= 1);
      const key = clientKey ?? API_KEY;
      const recorded = JSON.stringify({
        run: failed,
        events: h.store.eventsOf(created.id),
        rows: h.db.prepare('SELECT * FROM runs').all(),
        eventRows: h.db.prepare('SELECT * FROM run_events').all(),
      });
      assert.ok(!recorded.includes(key), 'the key is not stored');
      assert.ok(!recorded.includes(API_KEY));
      assert.ok(
        logLines.some((line) => line.includes('run failed')),
        'the engine logged the failure',
      );
      assert.ok(!logLines.join('\n').includes(key), 'the key is not logged');
    });
  }

  it('renders a CSV of every entry when the export has no file', async (t) => {
    const { h, sim, run, go } = await setup(t, { files: 0, entries: 9 });
    const { run: created } = h.engine.request(request());
    await go();
    const [file] = run(created.id).files;
    assert.equal(file?.origin, 'csv');
    const csv = readFileSync(file!.path, 'utf8');
    assert.ok(csv.startsWith('\uFEFF'));
    assert.equal(csv.trimEnd().split('\r\n').length, 10, 'header and nine entries');
    for (const name of ['Müller;Élodie', 'Núñez;José', 'Brontë;Zoë', "O'Brien;Siobhán"])
      assert.ok(csv.includes(name));
    assert.ok(csv.includes('Établissement Lyon (LYO)'));
    assert.equal(sim.requests.filter((r) => r.path.startsWith('/timmi-exports/files')).length, 0);
  });

  it("a 408 on a large export's entries does not fail the run: the file is delivered without a summary", async (t) => {
    const { h, sim, run, go } = await setup(t, { files: 1, entries: 500, entriesCutAbove: 100 });
    const { run: created } = h.engine.request(request());
    await go();
    const done = run(created.id);
    assert.equal(done.state, 'done');
    assert.equal(done.files[0]?.origin, 'lucca');
    assert.equal(done.summary, null);
    const fetched = h.store.eventsOf(created.id).find((e) => e.type === 'fetched');
    assert.equal(fetched?.detail.summaryUnavailable, 'unavailable');
    const entriesAsked = sim.requests.filter((r) => r.query.fields?.startsWith('id,entries'));
    assert.equal(entriesAsked.length, 2, 'tried twice, not for ever');
  });

  it('the entries are not asked for the file: only the CSV needs them when no file can be had', async (t) => {
    const { h, sim, run, go } = await setup(t, { files: 0, entries: 500, entriesCutAbove: 100 });
    const { run: created } = h.engine.request(request());
    await go(() => sim.requests.filter((r) => r.query.fields?.startsWith('id,entries')).length >= 2);
    assert.notEqual(run(created.id).state, 'done', 'no file and no entries: nothing to deliver yet');
    assert.equal(run(created.id).files.length, 0);
  });

  it('files listed without a link: the CSV from the entries, and the skipped files reported', async (t) => {
    const { h, sim, run, go } = await setup(t, { files: 2, entries: 6, shapes: { exportFiles: 'id-only' } });
    const { run: created } = h.engine.request(request());
    await go();
    const done = run(created.id);
    assert.equal(done.state, 'done');
    assert.deepEqual(
      done.files.map((f) => f.origin),
      ['csv'],
    );
    const fetched = h.store.eventsOf(created.id).find((e) => e.type === 'fetched');
    assert.deepEqual(fetched?.detail.skipped, [
      // Named as a delivered file would be (#15): no alias here, so the configuration's number.
      { name: 'configuration-3-2026-11_export-1-1.csv', code: 'no-link' },
      { name: 'configuration-3-2026-11_export-1-2.csv', code: 'no-link' },
    ]);
    assert.equal(done.summary?.entries, 6);
    // One entries request serves both the CSV and the summary.
    assert.equal(sim.requests.filter((r) => r.query.fields?.startsWith('id,entries')).length, 1);
  });

  it('list items without endsAt: the export is found at once, matched on id and time, not after a stall', async (t) => {
    const { h, run, go } = await setup(t, { buildMs: 2 * MINUTE, shapes: { listEndsAt: 'absent' } });
    const { run: created } = h.engine.request(request());
    await go();
    assert.equal(run(created.id).state, 'done');
    const events = h.store.eventsOf(created.id);
    assert.ok(!events.some((e) => e.type === 'stalled'));
    assert.equal(events.find((e) => e.type === 'found')?.detail.matchedBy, 'id-and-time');
  });

  it('a web page where the file should be fails the run with the reason, and delivers nothing', async (t) => {
    const { h, sim, run, go } = await setup(t, { files: 1 });
    sim.failNext(
      { pathIncludes: '/timmi-exports/files/' },
      { status: 200, body: '<html>Connexion</html>', headers: { 'content-type': 'text/html' } },
    );
    const { run: created } = h.engine.request(request());
    await go();
    const failed = run(created.id);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.errorCode, 'not-a-file');
    assert.match(failed.errorMessage ?? '', /web page instead of the export file/);
    assert.equal(h.delivery.attempts, 0);
  });

  it('retries a failed delivery from disk without any new Lucca request', async (t) => {
    const { h, sim, run, go } = await setup(t);
    h.delivery.failNext(
      new DeliveryError('slack-unavailable', 'Slack is not answering.', { retryable: true }),
    );
    const { run: created } = h.engine.request(request());
    await go(() => h.delivery.attempts === 1);
    const requests = sim.requests.length;
    await go();
    assert.equal(run(created.id).state, 'done');
    assert.equal(h.delivery.attempts, 2);
    assert.equal(sim.requests.length, requests);
  });

  it('cancels while polling: no more requests for that run', async (t) => {
    const { h, sim, run, go } = await setup(t, { buildMs: 20 * MINUTE });
    const { run: created } = h.engine.request(request());
    await go(() => run(created.id).polls >= 3);
    assert.equal(h.engine.cancel(created.id, 'U123').outcome, 'cancelled');
    const requests = sim.requests.length;
    await h.clock.advance(30 * MINUTE);
    await go();
    assert.equal(run(created.id).state, 'cancelled');
    assert.equal(sim.requests.length, requests);
  });

  it('queues a second end date and runs it after the first', async (t) => {
    const { h, sim, run, go } = await setup(t, { buildMs: MINUTE });
    const first = h.engine.request(request());
    const second = h.engine.request(request({ endsAt: '2027-01-01' }));
    assert.equal(second.outcome, 'queued');
    assert.equal(h.engine.request(request({ requestedBy: 'U2' })).outcome, 'joined');
    await go();
    assert.equal(run(first.run.id).state, 'done');
    assert.equal(run(second.run.id).state, 'done');
    assert.deepEqual(
      sim.posts(3).map((p) => (p.body as { endsAt: string }).endsAt),
      ['2026-12-01T00:00:00', '2027-01-01T00:00:00'],
    );
  });

  it('two engines on one database: each run driven by one, one POST per run', async (t) => {
    const { h, sim, newClient, run } = await setup(t, { buildMs: 90_000 }, { settings: { concurrency: 2 } });
    const other = h.secondEngine('worker-b', newClient());
    const drivers = new Map<number, Set<string>>();
    for (const engine of [h.engine, other]) {
      engine.onEvent((event) => {
        if (event.type === 'requested') return;
        drivers.set(event.runId, (drivers.get(event.runId) ?? new Set()).add(engine.workerId));
      });
    }
    const ids = [3, 4, 5, 6].map((configurationId) => h.engine.request(request({ configurationId })).run.id);
    await drive([h.engine, other], h);
    for (const [index, id] of ids.entries()) {
      assert.equal(run(id).state, 'done');
      assert.equal(drivers.get(id)?.size, 1);
      assert.equal(sim.posts(3 + index).length, 1);
    }
  });
});
