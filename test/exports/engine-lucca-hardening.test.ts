import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import {
  type ConfigurationBehaviour,
  type FailAnswer,
  startLuccaSimulator,
} from '../../fakes/lucca-simulator/index.js';
import { ManualClock } from '../../fakes/manual-clock.js';
import { eventReply } from '../../src/bot/messages/event-reply.js';
import { eventText } from '../../src/cli/describe.js';
import { runFolder } from '../../src/exports/export-files.js';
import { createLuccaClient } from '../../src/lucca/client.js';
import { answerTooLargeError } from '../../src/lucca/errors.js';
import { type ProxiedRequest, startFaultProxy } from '../helpers/fault-proxy.js';
import { waitFor } from '../lucca/helpers.js';
import { FakeLucca } from './fake-lucca.js';
import { createHarness, drive, request } from './harness.js';

const API_KEY = 'luc-cancel-test-key';
const FILE_BYTES = 4096;
const isDownload = (r: ProxiedRequest) => r.path.startsWith('/timmi-exports/files/');

describe('the engine against hostile Lucca answers (issue #16)', () => {
  it('a download trickling when the run is cancelled is stopped at once: the step ends, no .part', async (t) => {
    const { h, proxy } = await onSimulator(t, { fileBytes: FILE_BYTES });
    // One byte every 50 ms: 4 KB would take more than three minutes.
    const rule = proxy.failNext(isDownload, { kind: 'trickle', everyMs: 50 });

    const { run } = h.engine.request(request());
    const ticking = h.engine.runUntilIdle();
    await rule.hit;
    const download = proxy.records.find((r) => r.outcome === 'trickle')!;
    await waitFor(() => (download.bytesSent ?? 0) > 0, 'the download to start');
    assert.equal(h.store.get(run.id)!.state, 'fetching');

    assert.equal(h.engine.cancel(run.id, 'U123').outcome, 'cancelled');
    await waitFor(() => download.hungUp === true, 'the app to hang up the download');
    await ticking;
    assert.ok(download.bytesSent! < FILE_BYTES, `bytes read after Cancel: ${download.bytesSent}`);
    assert.equal(proxy.records.filter(isDownload).length, 1, 'the download was not tried again');
    const folder = runFolder(h.settings.filesDir, run.id);
    const left = existsSync(folder) ? readdirSync(folder) : [];
    assert.deepEqual(left, [], 'nothing half-written is left');
    assert.equal(h.store.get(run.id)!.state, 'cancelled');
  });

  it('a poll under way when the run is cancelled is dropped at once, not waited for', async (t) => {
    const { h, proxy } = await onSimulator(t, { buildMs: 60_000, postAnswer: 408 });
    const isPoll = (r: ProxiedRequest) => r.url.includes('id=greaterthan');
    // Lucca (or a gateway) never answers the poll: before, only got's 60 s timeout ended it.
    const rule = proxy.failNext(isPoll, { kind: 'hold', forward: false });
    const { run } = h.engine.request(request());
    await h.engine.runUntilIdle();
    await h.clock.advance(5_000);
    let ended = false;
    const ticking = h.engine.runUntilIdle().then(() => {
      ended = true;
    });
    await rule.hit;
    assert.equal(h.engine.cancel(run.id, 'U123').outcome, 'cancelled');
    await waitFor(() => ended, 'the step to end');
    await ticking;
    assert.equal(proxy.records.filter(isPoll).length, 1, 'not asked again');
    assert.equal(h.store.get(run.id)!.state, 'cancelled');
  });

  it('an answer past the size cap fails the run at once with the clear sentence (point 4)', async (t) => {
    const clock = new ManualClock();
    const lucca = new FakeLucca(clock, { buildMs: 0, postHoldMs: 0 });
    const h = createHarness(lucca, { clock });
    t.after(() => h.close());
    lucca.failNext('getExport', answerTooLargeError('/api/v3/timmiexports/100', 100 * 1024 * 1024), 10);
    const { run } = h.engine.request(request());
    await drive(h.engine, h, { waitingOnClock: () => lucca.holding > 0 });
    const failed = h.store.get(run.id)!;
    assert.equal(failed.state, 'failed');
    assert.equal(failed.errorCode, 'answer-too-large');
    assert.match(failed.errorMessage!, /larger than 100 MB/);
    assert.equal(lucca.count('getExport'), 1, 'a 100 MB answer is not read eight times');
  });
});

/** The engine and the real client against the simulator behind a fault proxy, on one manual clock. */
async function onSimulator(t: TestContext, defaults: Partial<ConfigurationBehaviour> = {}) {
  const clock = new ManualClock();
  const sim = await startLuccaSimulator({
    apiKey: API_KEY,
    clock,
    defaults: { postHoldMs: 5, postAnswer: 'export', buildMs: 0, ...defaults },
  });
  const proxy = await startFaultProxy({ target: sim.url });
  const lucca = createLuccaClient({
    baseUrl: proxy.url,
    apiKey: API_KEY,
    maxRequestsPerMinute: 1_000,
    clock,
  });
  const h = createHarness(lucca, { clock });
  t.after(async () => {
    await proxy.close();
    h.close();
    await sim.close();
  });
  return { h, sim, proxy };
}

const NOT_JSON_PAGE: FailAnswer = {
  status: 200,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: '<html><head><title>Maintenance\u202E en cours</title></head><body>Back soon</body></html>',
};

describe('broken Lucca answers reach the thread promptly (issue #16, point 5)', () => {
  const cases = [
    {
      what: '{"data":null} on every detail request',
      pathIncludes: '/timmiexports/1?',
      answer: { status: 200, body: '{"data":null}' },
      expected: /GET \/api\/v3\/timmiexports\/1: JSON of an unexpected shape \(data: invalid_type\)/,
      // Lucca answers the POST with the export: the detail request comes next.
      lucca: {},
    },
    {
      what: 'an HTML page on every poll',
      pathIncludes: 'greaterthan',
      answer: NOT_JSON_PAGE,
      expected:
        /GET \/api\/v3\/timmiexports: an HTML page \(HTTP 200, text\/html\) titled "Maintenance en cours", not JSON/,
      // The POST times out and the export takes a minute: the app polls.
      lucca: { buildMs: 60_000, postAnswer: 408 as const },
    },
  ];
  for (const { what, pathIncludes, answer, expected, lucca } of cases) {
    it(`${what}: the thread says what Lucca answers after the second failure, and the run goes on`, async (t) => {
      const { h, sim } = await onSimulator(t);
      sim.configure(3, lucca);
      sim.failNext({ method: 'GET', pathIncludes }, answer, 3);
      const { run } = h.engine.request(request());
      const errorsOf = () => h.store.eventsOf(run.id).filter((e) => e.type === 'step-error');
      await drive(h.engine, h, { until: () => errorsOf().length >= 3 });

      const errors = errorsOf();
      assert.deepEqual(
        errors.map((e) => [e.detail.failures, e.detail.notify]),
        [
          [1, false],
          [2, true],
          [3, false],
        ],
        'told once, at the second identical failure',
      );
      const told = eventReply(errors[1]!, h.store.get(run.id)!, 'en');
      assert.ok(told, 'a thread reply');
      assert.match(told.text, expected);
      assert.match(told.text, /I keep trying/);
      assert.ok(!told.text.includes('\u202E'), 'Lucca text is cleaned');
      assert.equal(
        eventReply(errors[0]!, h.store.get(run.id)!, 'en'),
        null,
        'nothing after the first failure',
      );
      const line = eventText(errors[1]!, h.store.get(run.id)!);
      assert.match(line ?? '', expected, 'the command line says it too');
      assert.equal(eventText(errors[0]!, h.store.get(run.id)!), null);
      assert.equal(eventReply(errors[2]!, h.store.get(run.id)!, 'en'), null, 'said once');

      // Lucca mends: the run carries on to the end without anyone pressing anything.
      await drive(h.engine, h);
      assert.equal(h.store.get(run.id)!.state, 'done');
    });
  }

  it('two different failures in a row are not "the same answer": nothing is said yet', async (t) => {
    const { h, sim } = await onSimulator(t);
    sim.failNext({ method: 'GET', pathIncludes: '/timmiexports/1?' }, { status: 200, body: '{"data":null}' });
    sim.failNext({ method: 'GET', pathIncludes: '/timmiexports/1?' }, NOT_JSON_PAGE);
    const { run } = h.engine.request(request());
    await drive(h.engine, h);
    assert.equal(h.store.get(run.id)!.state, 'done');
    const errors = h.store.eventsOf(run.id).filter((e) => e.type === 'step-error');
    assert.equal(errors.length, 2);
    assert.ok(errors.every((e) => e.detail.notify === false));
  });
});
