import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, it } from 'node:test';
import { ManualClock } from '../../fakes/manual-clock.js';
import { DeliveryError } from '../../src/exports/delivery.js';
import type { Run, RunEvent } from '../../src/exports/types.js';
import { rateLimitedError, refusalError } from '../../src/lucca/errors.js';
import { entry, FakeLucca } from './fake-lucca.js';
import { createHarness, drive, type Harness, MINUTE, request } from './harness.js';

let harness: Harness | undefined;
afterEach(() => {
  harness?.close();
  harness = undefined;
});

function setup(behaviour: ConstructorParameters<typeof FakeLucca>[1] = {}, settings = {}) {
  const clock = new ManualClock();
  const lucca = new FakeLucca(clock, behaviour);
  const h = createHarness(lucca, { clock, settings });
  harness = h;
  const run = (id: number) => h.store.get(id)!;
  const types = (id: number) => h.store.eventsOf(id).map((e) => e.type);
  const go = (until?: () => boolean, limitMs?: number) =>
    drive(h.engine, h, { until, limitMs, waitingOnClock: () => lucca.holding > 0 });
  return { h, lucca, clock, run, types, go };
}

describe('ExportEngine with an in-memory Lucca', () => {
  it('runs an export end to end: baseline, POST, fetch, file on disk, delivery', async () => {
    const { h, lucca, run, types, go } = setup({ buildMs: 2_000 });
    const seen: RunEvent[] = [];
    h.engine.onEvent((event) => seen.push(event));
    const { run: created, outcome } = h.engine.request(request());
    assert.equal(outcome, 'created');
    await go();
    const done = run(created.id);
    assert.equal(done.state, 'done');
    assert.equal(lucca.posts().length, 1);
    assert.equal(lucca.posts()[0]?.endsAt, '2026-12-01');
    assert.equal(done.files.length, 1);
    assert.equal(done.files[0]?.origin, 'lucca');
    assert.ok(readFileSync(done.files[0]!.path, 'utf8').startsWith('file at /files/'));
    assert.equal(h.delivery.delivered.length, 1);
    assert.equal(h.delivery.delivered[0]?.files[0]?.name, done.files[0]?.name);
    assert.deepEqual(types(created.id), [
      'requested',
      'started',
      'triggered',
      'found',
      'fetched',
      'delivered',
    ]);
    assert.deepEqual(
      seen.map((e) => e.type),
      types(created.id),
      'listeners hear every event, in order',
    );
    assert.equal(done.lockedBy, null);
    assert.equal(lucca.count('findExport'), 0, 'Lucca answered the POST with the export: no polling');
  });

  it('polls after a POST held past the trigger timeout, and posts exactly once', async () => {
    const { h, lucca, run, types, go } = setup({ buildMs: 6 * MINUTE, postHoldMs: 10 * MINUTE });
    const { run: created } = h.engine.request(request());
    await go();
    assert.equal(run(created.id).state, 'done');
    assert.equal(lucca.posts().length, 1);
    const events = h.store.eventsOf(created.id);
    assert.equal(events.find((e) => e.type === 'trigger-pending')?.detail.reason, 'timeout');
    const found = events.find((e) => e.type === 'found')!;
    assert.ok((found.detail.waitedMs as number) >= 6 * MINUTE);
    assert.ok((found.detail.waitedMs as number) <= 6 * MINUTE * 1.1, 'noticed within 10 % of its age');
    assert.deepEqual(
      events.filter((e) => e.type === 'waiting').map((e) => e.detail.milestoneMs),
      [5 * MINUTE],
    );
    assert.ok(lucca.count('findExport') <= 26, `polls: ${lucca.count('findExport')}`);
    assert.ok(types(created.id).includes('delivered'));
  });

  it('stalls when the export never appears, then Retry looks once more and posts again', async () => {
    const { h, lucca, run, types, go } = setup({ buildMs: 'never' });
    const { run: created } = h.engine.request(request());
    await go(() => run(created.id).state === 'stalled');
    const stalled = run(created.id);
    assert.equal(stalled.state, 'stalled');
    assert.equal(
      stalled.nextAt,
      h.clock.now() + MINUTE,
      'still looked at once a minute, in case it is only slow',
    );
    const stalledEvent = h.store.eventsOf(created.id).find((e) => e.type === 'stalled')!;
    assert.ok((stalledEvent.detail.waitedMs as number) >= 60 * MINUTE);
    assert.equal(stalledEvent.detail.stallAfterMs, 60 * MINUTE, 'the limit the messages quote');
    const waits = h.store.eventsOf(created.id).filter((e) => e.type === 'waiting');
    assert.deepEqual(
      waits.map((e) => (e.detail.milestoneMs as number) / MINUTE),
      [5, 15, 30],
    );
    const pollsBeforeRetry = lucca.count('findExport');
    // The POST was cut at 5 s here; an hour of waiting costs one poll a minute once the interval is capped.
    assert.ok(pollsBeforeRetry <= 90, `polls in an hour: ${pollsBeforeRetry}`);

    lucca.configure(3, { buildMs: 90_000 });
    const retried = h.engine.retry(created.id, 'U123');
    assert.equal(retried.outcome, 'retrying');
    assert.equal(h.engine.retry(created.id, 'U123').outcome, 'not-needed', 'a second click changes nothing');
    await go();
    const done = run(created.id);
    assert.equal(done.state, 'done');
    assert.equal(done.attempt, 2);
    assert.equal(lucca.posts().length, 2);
    const recheck = lucca.calls.filter((c) => c.method === 'findExport')[pollsBeforeRetry]!;
    assert.equal(recheck.args[1], stalled.baselineId, 'the first look after Retry uses the old baseline');
    assert.equal(types(created.id).filter((t) => t === 'retried').length, 1);
  });

  it('on Retry, fetches an export that finished after the stall instead of posting again', async () => {
    const { h, lucca, run, go } = setup({ buildMs: 75 * MINUTE, postHoldMs: 1_000 });
    const { run: created } = h.engine.request(request());
    await go(() => run(created.id).state === 'stalled');
    await h.clock.advance(20 * MINUTE);
    assert.equal(h.engine.retry(created.id, 'U123').outcome, 'retrying');
    await go();
    assert.equal(run(created.id).state, 'done');
    assert.equal(run(created.id).attempt, 1);
    assert.equal(lucca.posts().length, 1);
  });

  it('keeps looking after a stall: an export that finishes late is delivered without a Retry', async () => {
    const { h, lucca, run, types, go } = setup({ buildMs: 75 * MINUTE, postHoldMs: 1_000 });
    const { run: created } = h.engine.request(request());
    await go();
    const done = run(created.id);
    assert.equal(done.state, 'done');
    assert.equal(lucca.posts().length, 1);
    assert.ok(types(created.id).indexOf('stalled') < types(created.id).indexOf('found'));
    const found = h.store.eventsOf(created.id).find((e) => e.type === 'found')!;
    assert.equal(found.detail.afterStall, true);
  });

  it('gives up one stall period after the stall: failed, configuration freed, Retry still offered', async () => {
    const { h, lucca, run, go } = setup({ buildMs: 'never' });
    const { run: created } = h.engine.request(request());
    await go();
    const stalled = run(created.id);
    assert.equal(stalled.state, 'failed');
    assert.equal(stalled.errorCode, 'export-never-appeared');
    assert.match(stalled.errorMessage ?? '', /Lucca produced no export in 2h/);
    assert.equal(stalled.nextAt, null);
    const lateLooks = lucca.count('findExport');
    await h.clock.advance(60 * MINUTE);
    await h.engine.tick();
    assert.equal(lucca.count('findExport'), lateLooks, 'no more requests');
    // A late look is a request a minute for one more hour, on top of the first hour's ~86.
    assert.ok(lateLooks <= 150, `looks: ${lateLooks}`);
    assert.equal(lucca.posts().length, 1);
    assert.equal(
      h.engine.request(request({ endsAt: '2027-01-01' })).outcome,
      'created',
      'the configuration is free again: the next export is not queued behind a dead one',
    );
  });

  it('spaces the polls of many runs in flight so that together they fit the request budget', async () => {
    const pollsOver10Minutes = async (runs: number, maxRequestsPerMinute: number) => {
      const { h, lucca } = setup({ buildMs: 30 * MINUTE, postHoldMs: 1_000 }, { maxRequestsPerMinute });
      for (let c = 1; c <= runs; c++) h.engine.request(request({ configurationId: c }));
      await drive(h.engine, h, { limitMs: 10 * MINUTE, waitingOnClock: () => lucca.holding > 0 });
      const polls = lucca.count('findExport');
      harness?.close();
      harness = undefined;
      return polls;
    };
    // Alone, a run polls every 5 s at first, then every tenth of its wait: about 36 looks in 10 min.
    const alone = await pollsOver10Minutes(1, 20);
    assert.ok(alone >= 30, `one run: ${alone} polls`);
    // A month-end morning: 12 runs share 3/4 of 20 requests a minute, 15 polls a minute at most.
    const monthEnd = await pollsOver10Minutes(12, 20);
    assert.ok(monthEnd <= 15 * 10 + 12, `12 runs: ${monthEnd} polls in 10 minutes`);
    assert.ok(monthEnd / 12 < alone / 2, 'each of 12 runs polls far less often than a run alone');
    // The budget is LUCCA_MAX_REQUESTS_PER_MINUTE: a larger one lets the same runs look more often.
    const largerBudget = await pollsOver10Minutes(12, 60);
    assert.ok(largerBudget > monthEnd * 1.5, `12 runs, 60/min: ${largerBudget} polls`);
  });

  it('ignores a newer export of the same configuration with another end date', async () => {
    const { h, lucca, run, go } = setup({ buildMs: 2 * MINUTE, postHoldMs: 1_000 });
    const { run: created } = h.engine.request(request());
    await go(() => run(created.id).state === 'polling');
    const foreign = lucca.addExport(3, '2026-11-01');
    await go();
    const done = run(created.id);
    assert.equal(done.state, 'done');
    assert.notEqual(done.exportId, foreign);
    assert.ok((done.exportId ?? 0) > (done.baselineId ?? 0));
    assert.equal(lucca.posts().length, 1);
  });

  for (const [status, code, where] of [
    [401, 'unauthorized', 'latestExportId'],
    [403, 'forbidden', 'triggerExport'],
    [404, 'not-found', 'latestExportId'],
    [400, 'bad-request', 'triggerExport'],
  ] as const) {
    it(`fails at once with a clear sentence on HTTP ${status} (${code})`, async () => {
      const { h, lucca, run, go } = setup();
      lucca.failNext(where, refusalError({ status }, { configurationId: 3, endsAt: '2026-12-01' }));
      const { run: created } = h.engine.request(request());
      await go();
      const failed = run(created.id);
      assert.equal(failed.state, 'failed');
      assert.equal(failed.errorCode, code);
      assert.ok(failed.errorMessage && failed.errorMessage.length > 20);
      assert.doesNotMatch(failed.errorMessage, /at .*\.ts|Error:/);
      const event = h.store.eventsOf(created.id).find((e) => e.type === 'failed')!;
      assert.deepEqual([event.detail.code, event.detail.message], [code, failed.errorMessage]);
      assert.ok(lucca.posts().length <= 1);
      assert.equal(h.delivery.attempts, 0);
    });
  }

  it("keeps a failure's facts with its code, on the run and its event, and drops them on Retry", async () => {
    const { h, lucca, run, go } = setup({ buildMs: 0 });
    lucca.failNext('latestExportId', refusalError({ status: 404 }, { configurationId: 3 }));
    const { run: created } = h.engine.request(request());
    await go();
    const failed = run(created.id);
    assert.equal(failed.errorCode, 'not-found');
    assert.deepEqual(failed.errorFacts, { configurationId: 3 });
    const event = h.store.eventsOf(created.id).find((e) => e.type === 'failed')!;
    assert.deepEqual(event.detail.facts, { configurationId: 3 });
    assert.equal(h.engine.retry(created.id, 'U1').outcome, 'retrying');
    assert.equal(run(created.id).errorFacts, null, 'a new attempt has no failure');
  });

  it('keeps how long it waited on a run that gave up after the stall', async () => {
    const { h, run, go } = setup({ buildMs: 'never' });
    const { run: created } = h.engine.request(request());
    await go();
    const failed = run(created.id);
    assert.equal(failed.errorCode, 'export-never-appeared');
    const waitedMs = failed.errorFacts?.waitedMs ?? 0;
    assert.ok(waitedMs >= 2 * 60 * MINUTE && waitedMs < 3 * 60 * MINUTE, `waited ${waitedMs} ms`);
  });

  it("keeps a delivery failure's facts on its events and the failed run", async () => {
    const { h, run, go } = setup({ buildMs: 0 });
    h.delivery.failNext(
      new DeliveryError('slack-missing-scope', 'The app lacks the Slack permission files:write.', {
        retryable: false,
        facts: { scope: 'files:write' },
      }),
    );
    const { run: created } = h.engine.request(request());
    await go();
    assert.deepEqual(run(created.id).errorFacts, { scope: 'files:write' });
    const events = h.store
      .eventsOf(created.id)
      .filter((e) => e.type === 'delivery-failed' || e.type === 'failed');
    assert.deepEqual(
      events.map((e) => [e.type, e.detail.facts]),
      [
        ['delivery-failed', { scope: 'files:write' }],
        ['failed', { scope: 'files:write' }],
      ],
    );
  });

  it('posts again after a 429 on the POST (nothing was created), once the limit has passed', async () => {
    const { h, lucca, run, types, go } = setup({ buildMs: 1_000 });
    lucca.failNext('triggerExport', rateLimitedError({ status: 429 }));
    const { run: created } = h.engine.request(request());
    await go();
    assert.equal(run(created.id).state, 'done');
    assert.equal(lucca.posts().length, 2);
    const [refused, accepted] = lucca.calls.filter((c) => c.method === 'triggerExport');
    assert.ok(accepted!.at - refused!.at >= 60_000, 'waited for the tenant window before posting again');
    assert.equal(types(created.id).filter((t) => t === 'failed').length, 0);
  });

  it("a 429 on the POST waits what Lucca's Retry-After says, not a fixed minute", async () => {
    const { h, lucca, run, go } = setup({ buildMs: 1_000 });
    lucca.failNext('triggerExport', rateLimitedError({ status: 429 }, 7_000));
    lucca.failNext('triggerExport', rateLimitedError({ status: 429 }, 300_000));
    const { run: created } = h.engine.request(request());
    await go();
    assert.equal(run(created.id).state, 'done');
    const posts = lucca.calls.filter((c) => c.method === 'triggerExport').map((c) => c.at);
    assert.equal(posts.length, 3);
    assert.ok(posts[1]! - posts[0]! >= 7_000 && posts[1]! - posts[0]! < 60_000, 'seven seconds, as asked');
    assert.ok(posts[2]! - posts[1]! >= 300_000, 'five minutes, as asked');
  });

  it('joins a duplicate request and queues another end date until the first is over', async () => {
    const { h, lucca, run, go } = setup({ buildMs: 2 * MINUTE, postHoldMs: 1_000 });
    const first = h.engine.request(request());
    const again = h.engine.request(request({ requestedBy: 'U999' }));
    assert.equal(again.outcome, 'joined');
    assert.equal(again.run.id, first.run.id);
    const other = h.engine.request(request({ endsAt: '2027-01-01' }));
    assert.equal(other.outcome, 'queued');
    await go(() => run(first.run.id).state === 'polling');
    assert.equal(run(other.run.id).state, 'queued');
    await go();
    assert.equal(run(first.run.id).state, 'done');
    assert.equal(run(other.run.id).state, 'done');
    const posts = lucca.calls.filter((c) => c.method === 'triggerExport');
    assert.deepEqual(
      posts.map((c) => (c.args[0] as { endsAt: string }).endsAt),
      ['2026-12-01', '2027-01-01'],
    );
    assert.ok(posts[1]!.at >= run(first.run.id).finishedAt!, 'the queued run waited for the first');
    assert.ok(h.store.eventsOf(first.run.id).some((e) => e.type === 'joined' && e.actor === 'U999'));
  });

  it('renders a CSV with every entry when the export has no file', async () => {
    const entries = [
      entry({ id: 1, owner: { id: 1, lastName: 'Lefèvre', firstName: 'Éloïse' }, amount: 7.5 }),
      entry({ id: 2, owner: { id: 2, lastName: 'Nguyễn', firstName: 'Đức' }, amount: 8 }),
      entry({ id: 3, owner: { id: 3, lastName: "O'Brien; Jr", firstName: 'Zoë' }, amount: 1.25 }),
    ];
    const { h, lucca, run, go } = setup({ buildMs: 1_000, files: 0, entries });
    const { run: created } = h.engine.request(request());
    await go();
    const done = run(created.id);
    assert.equal(done.state, 'done');
    assert.equal(done.files.length, 1);
    const [file] = done.files;
    assert.equal(file?.origin, 'csv');
    assert.equal(file!.name, 'configuration-3-2026-11.csv', 'named for the configuration and the month');
    const csv = readFileSync(file!.path, 'utf8');
    assert.ok(csv.startsWith('\uFEFF'));
    for (const name of ['Lefèvre;Éloïse', 'Nguyễn;Đức', `"O'Brien; Jr";Zoë`])
      assert.ok(csv.includes(name), name);
    assert.equal(csv.trimEnd().split('\r\n').length, 4);
    assert.equal(file!.bytes, Buffer.byteLength(csv));
    assert.equal(lucca.count('downloadFile'), 0);
    assert.deepEqual(done.summary?.people, 3);
    assert.deepEqual(done.summary?.totals, [{ timeType: 'Heures normales', unit: 'hours', amount: 16.75 }]);
  });

  it('gives downloaded files safe, distinct names that say what they hold', async () => {
    const { h, run, go } = setup({
      buildMs: 0,
      files: 3,
      fileNames: ['../../evil.csv', 'paie.csv', 'PAIE.csv'],
    });
    const { run: created } = h.engine.request(request({ configurationLabel: 'payroll' }));
    await go();
    const names = run(created.id).files.map((f) => f.name);
    assert.deepEqual(names, [
      'payroll-2026-11_evil.csv',
      'payroll-2026-11_paie.csv',
      'payroll-2026-11_PAIE (2).csv',
    ]);
    for (const file of run(created.id).files) assert.ok(file.path.startsWith(h.settings.filesDir));
  });

  it('retries a retryable delivery failure from disk, without asking Lucca again', async () => {
    const { h, lucca, run, types, go } = setup({ buildMs: 0 });
    h.delivery.failNext(
      new DeliveryError('slack-unavailable', 'Slack is not answering.', { retryable: true }),
      2,
    );
    const { run: created } = h.engine.request(request());
    await go(() => types(created.id).includes('fetched'));
    const luccaCalls = lucca.count();
    await go();
    assert.equal(run(created.id).state, 'done');
    assert.equal(lucca.count(), luccaCalls, 'no Lucca request after the files were on disk');
    assert.equal(h.delivery.attempts, 3);
    const failures = h.store.eventsOf(created.id).filter((e) => e.type === 'delivery-failed');
    assert.deepEqual(
      failures.map((e) => [e.detail.code, e.detail.willRetry]),
      [
        ['slack-unavailable', true],
        ['slack-unavailable', true],
      ],
    );
  });

  it('fails on a non-retryable delivery error, keeps the files, and Retry redelivers them', async () => {
    const { h, lucca, run, go } = setup({ buildMs: 0 });
    h.delivery.failNext(
      new DeliveryError('not-in-channel', 'Invite the bot to the channel.', { retryable: false }),
    );
    const { run: created } = h.engine.request(request());
    await go();
    const failed = run(created.id);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.errorCode, 'not-in-channel');
    assert.equal(failed.errorMessage, 'Invite the bot to the channel.');
    assert.ok(existsSync(failed.files[0]!.path));
    const luccaCalls = lucca.count();
    assert.equal(h.engine.retry(created.id, 'U123').outcome, 'redelivering');
    await go();
    assert.equal(run(created.id).state, 'done');
    assert.equal(lucca.count(), luccaCalls);
  });

  it('gives up delivering after the maximum attempts', async () => {
    const { h, run, go } = setup({ buildMs: 0 }, { maxDeliveryAttempts: 3 });
    h.delivery.failNext(
      new DeliveryError('slack-unavailable', 'Slack is not answering.', { retryable: true }),
      5,
    );
    const { run: created } = h.engine.request(request());
    await go();
    assert.equal(run(created.id).state, 'failed');
    assert.equal(h.delivery.attempts, 3);
  });

  it('refetches the finished export when its files vanished from disk', async () => {
    const { h, lucca, run, go } = setup({ buildMs: 0 });
    h.delivery.failNext(new DeliveryError('x', 'x', { retryable: false }));
    const { run: created } = h.engine.request(request());
    await go();
    await h.engine.sweepExpiredFiles(h.clock.now() + 30 * 86_400_000);
    assert.deepEqual(run(created.id).files, []);
    assert.equal(h.engine.retry(created.id, 'U123').outcome, 'retrying');
    await go();
    assert.equal(run(created.id).state, 'done');
    assert.equal(lucca.posts().length, 1);
    assert.equal(lucca.count('getExport'), 2);
  });

  it('cancels a polling run: no Lucca request after that, and the queue moves on', async () => {
    const { h, lucca, run, go } = setup({ buildMs: 30 * MINUTE, postHoldMs: 1_000 });
    const { run: created } = h.engine.request(request());
    const queued = h.engine.request(request({ endsAt: '2027-01-01' }));
    await go(() => run(created.id).polls >= 2);
    const calls = lucca.calls.filter((c) => c.args[0] === 3 && c.method === 'findExport').length;
    const cancelled = h.engine.cancel(created.id, 'U123');
    assert.equal(cancelled.outcome, 'cancelled');
    assert.equal(h.engine.cancel(created.id, 'U123').outcome, 'already-final');
    assert.equal(h.engine.retry(created.id, 'U123').outcome, 'not-needed');
    assert.equal(run(queued.run.id).state, 'baseline', 'the queued run takes the configuration');
    lucca.configure(3, { buildMs: 0 });
    await go();
    assert.equal(run(created.id).state, 'cancelled');
    assert.equal(run(queued.run.id).state, 'done');
    const pollsOfCancelled = lucca.calls.filter(
      (c) => c.method === 'findExport' && c.args[2] === '2026-12-01',
    ).length;
    assert.equal(pollsOfCancelled, calls);
    assert.ok(h.store.eventsOf(created.id).some((e) => e.type === 'cancelled' && e.actor === 'U123'));
  });

  it('cancels during the held POST: the POST is abandoned and its late answer changes nothing', async () => {
    const { h, lucca, run, go } = setup({ buildMs: 10 * MINUTE, postHoldMs: 10 * MINUTE });
    const { run: created } = h.engine.request(request());
    const ticking = h.engine.tick();
    while (lucca.holding === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    assert.equal(h.engine.cancel(created.id, 'U123').outcome, 'cancelled');
    await ticking;
    assert.equal(lucca.holding, 0, 'the held POST was aborted');
    await go();
    assert.equal(run(created.id).state, 'cancelled');
    assert.equal(lucca.count('findExport'), 0);
  });

  it('retries a step after unknown errors, and fails with a generic sentence when they persist', async () => {
    const first = setup({ buildMs: 2 * MINUTE, postHoldMs: 1_000 });
    first.lucca.failNext('findExport', new Error('socket hang up at /secret/path.ts'), 2);
    const { run: ok } = first.h.engine.request(request());
    await first.go();
    assert.equal(first.run(ok.id).state, 'done');
    first.h.close();

    const second = setup({ buildMs: 2 * MINUTE, postHoldMs: 1_000 }, { maxStepErrors: 3 });
    second.lucca.failNext('getExport', new TypeError('boom at /secret/path.ts'), 10);
    const { run: bad } = second.h.engine.request(request());
    await second.go();
    const failed = second.run(bad.id);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.errorCode, 'internal');
    assert.doesNotMatch(failed.errorMessage ?? '', /boom|secret/);
    assert.equal(second.lucca.count('getExport'), 3);
  });

  it('deletes files of runs finished longer ago than the retention', async () => {
    const { h, run, go } = setup({ buildMs: 0 }, { fileRetentionMs: 86_400_000 });
    const { run: created } = h.engine.request(request());
    await go();
    const file = run(created.id).files[0]!;
    assert.equal(await h.engine.sweepExpiredFiles(h.clock.now() + 3_600_000), 0);
    assert.ok(existsSync(file.path));
    assert.equal(await h.engine.sweepExpiredFiles(h.clock.now() + 86_400_000), 1);
    assert.equal(existsSync(file.path), false);
    assert.deepEqual(run(created.id).files, []);
    assert.equal(run(created.id).summary?.exportId, run(created.id).exportId, 'the summary stays');
  });

  it('refuses a request with an impossible date or configuration', () => {
    const { h } = setup();
    assert.throws(() => h.engine.request(request({ endsAt: '2026-02-30' })), /YYYY-MM-DD/);
    assert.throws(() => h.engine.request(request({ configurationId: 0 })), /configuration/);
    assert.equal(h.engine.recent(5).length, 0);
  });

  it('answers not-found for unknown runs', () => {
    const { h } = setup();
    assert.equal(h.engine.retry(42, 'U1').outcome, 'not-found');
    assert.equal(h.engine.cancel(42, 'U1').outcome, 'not-found');
  });

  it('says busy when a failed run cannot take its configuration back', async () => {
    const { h, lucca, run, go } = setup({ buildMs: 0 });
    lucca.failNext('latestExportId', refusalError({ status: 404 }, { configurationId: 3 }));
    const { run: failed } = h.engine.request(request());
    await go();
    assert.equal(run(failed.id).state, 'failed');
    lucca.configure(3, { buildMs: 'never' });
    h.engine.request(request({ endsAt: '2027-01-01' }));
    await go(() => h.store.activeRunOf(3)?.state === 'polling');
    assert.equal(h.engine.retry(failed.id, 'U1').outcome, 'busy');
    assert.equal(run(failed.id).state, 'failed');
  });
});

describe('ExportEngine after a crash', () => {
  /** Leaves a run as a process that died right after sending the POST would have. */
  async function crashedDuringPost(h: Harness, lucca: FakeLucca): Promise<Run> {
    const now = h.clock.now();
    const { run } = h.store.createRun(request(), now);
    h.store.claimDue('dead-worker', now, 30_000, 1);
    const baselineId = await lucca.latestExportId(3);
    h.store.transition(
      run.id,
      { from: ['baseline'], workerId: 'dead-worker', now },
      { state: 'triggering', baselineId, triggeredAt: now, nextAt: now },
    );
    // The POST reached Lucca (the export is being built); the process died waiting for the answer.
    void lucca.triggerExport({ configurationId: 3, endsAt: '2026-12-01', timeoutMs: 0 });
    return h.store.get(run.id)!;
  }

  it('resumes a run left in triggering by polling, never by posting again', async () => {
    const { h, lucca, run, types } = setup({ buildMs: 3 * MINUTE, postHoldMs: 0 });
    const crashed = await crashedDuringPost(h, lucca);
    const fresh = h.secondEngine('worker-b');
    await drive(fresh, h, { waitingOnClock: () => lucca.holding > 0 });
    assert.equal(run(crashed.id).state, 'done');
    assert.equal(lucca.posts().length, 1);
    const resumed = h.store.eventsOf(crashed.id).find((e) => e.type === 'resumed')!;
    assert.equal(resumed.detail.state, 'triggering');
    assert.equal(resumed.detail.previousHolder, 'dead-worker');
    assert.ok(resumed.at >= crashed.lockedUntil!, 'only once the dead lease ran out');
    assert.ok(types(crashed.id).includes('delivered'));
  });

  it('resumes a run left in polling without posting again', async () => {
    const { h, lucca, run, go } = setup({ buildMs: 5 * MINUTE, postHoldMs: 1_000 });
    const { run: created } = h.engine.request(request());
    await go(() => run(created.id).polls >= 1);
    // The process dies in the middle of a poll: its lease stays in the database.
    h.store.claimDue('dying-worker', run(created.id).nextAt!, 30_000, 1);
    const fresh = h.secondEngine('worker-b');
    await drive(fresh, h, { waitingOnClock: () => lucca.holding > 0 });
    assert.equal(run(created.id).state, 'done');
    assert.equal(lucca.posts().length, 1);
    assert.ok(h.store.eventsOf(created.id).some((e) => e.type === 'resumed' && e.detail.state === 'polling'));
  });

  it('lets two engines share a database without ever driving the same run twice', async () => {
    const { h, lucca, run } = setup({ buildMs: 2 * MINUTE, postHoldMs: 3 * MINUTE }, { concurrency: 2 });
    const other = h.secondEngine('worker-b');
    const driver = new Map<number, Set<string>>();
    for (const engine of [h.engine, other]) {
      engine.onEvent((event) => {
        if (event.type === 'requested') return;
        const set = driver.get(event.runId) ?? new Set<string>();
        set.add(engine.workerId);
        driver.set(event.runId, set);
      });
    }
    const ids = [3, 4, 5, 6].map((configurationId) => h.engine.request(request({ configurationId })).run.id);
    await drive([h.engine, other], h, { waitingOnClock: () => lucca.holding > 0 });
    for (const id of ids) {
      assert.equal(run(id).state, 'done');
      assert.equal(driver.get(id)?.size, 1, `run ${id} was driven by one engine`);
      assert.equal(h.store.eventsOf(id).filter((e) => e.type === 'triggered').length, 1);
      assert.equal(h.store.eventsOf(id).filter((e) => e.type === 'resumed').length, 0);
    }
    const workers = new Set([...driver.values()].flatMap((set) => [...set]));
    assert.deepEqual([...workers].sort(), ['worker-a', 'worker-b'], 'both engines took work');
    for (const configurationId of [3, 4, 5, 6]) assert.equal(lucca.posts(configurationId).length, 1);
    assert.equal(lucca.count('latestExportId'), 4);
    assert.equal(h.delivery.attempts, 4);
  });
});

describe('ExportEngine background loop and leases', () => {
  const realTick = () => new Promise((resolve) => setTimeout(resolve, 1));

  it('start() drives requests on its own; stop() releases every lease', async () => {
    const { h, lucca, run } = setup({ buildMs: 2 * MINUTE, postHoldMs: 1_000 });
    h.engine.start();
    const { run: created } = h.engine.request(request());
    for (let i = 0; i < 2_000 && run(created.id).state !== 'done'; i++) {
      await h.clock.advance(1_000);
      await realTick();
    }
    assert.equal(run(created.id).state, 'done');
    assert.equal(lucca.posts().length, 1);
    const second = h.engine.request(request({ configurationId: 4 }));
    await realTick();
    await h.engine.stop();
    assert.equal(h.db.prepare('SELECT count(*) FROM runs WHERE locked_by IS NOT NULL').pluck().get(), 0);
    // Stopped: nothing moves any more, whatever the clock does.
    const stateAfterStop = run(second.run.id).state;
    await h.clock.advance(10 * MINUTE);
    await realTick();
    assert.equal(run(second.run.id).state, stateAfterStop);
  });

  it('stop() during a held POST leaves the run polling, and the next process does not post again', async () => {
    const { h, lucca, run } = setup({ buildMs: 5 * MINUTE, postHoldMs: 10 * MINUTE });
    const { run: created } = h.engine.request(request());
    const ticking = h.engine.tick();
    while (lucca.holding === 0) await realTick();
    await h.engine.stop();
    await ticking;
    assert.equal(run(created.id).state, 'polling');
    assert.equal(run(created.id).lockedBy, null);
    const next = h.secondEngine('worker-b');
    await drive(next, h, { waitingOnClock: () => lucca.holding > 0 });
    assert.equal(run(created.id).state, 'done');
    assert.equal(lucca.posts().length, 1);
  });

  it('renews its lease while the POST is held, so another engine never takes the run', async () => {
    const { h, lucca, run } = setup({ buildMs: 2 * MINUTE, postHoldMs: 10 * MINUTE }, { leaseMs: 9_000 });
    const other = h.secondEngine('worker-b');
    const { run: created } = h.engine.request(request());
    const ticking = h.engine.tick();
    while (lucca.holding === 0) await realTick();
    let stolen = 0;
    while (lucca.holding > 0) {
      await h.clock.advance(1_000);
      stolen += await other.tick();
    }
    await ticking;
    assert.equal(stolen, 0);
    assert.equal(run(created.id).state, 'polling');
    assert.ok(!h.store.eventsOf(created.id).some((e) => e.type === 'resumed'));
  });
});
