import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runFolder } from '../../src/exports/export-files.js';
import { createLuccaClient } from '../../src/lucca/client.js';
import { answerTooLargeError } from '../../src/lucca/errors.js';
import { ManualClock } from '../../src/util/clock.js';
import { startLuccaSimulator } from '../fakes/lucca-simulator/index.js';
import { type ProxiedRequest, startFaultProxy } from '../helpers/fault-proxy.js';
import { waitFor } from '../lucca/helpers.js';
import { FakeLucca } from './fake-lucca.js';
import { createHarness, drive, request } from './harness.js';

const API_KEY = 'luc-cancel-test-key';
const FILE_BYTES = 4096;
const isDownload = (r: ProxiedRequest) => r.path.startsWith('/timmi-exports/files/');

describe('the engine against hostile Lucca answers (issue #16)', () => {
  it('a download trickling when the run is cancelled is stopped at once: the step ends, no .part', async (t) => {
    const clock = new ManualClock();
    const sim = await startLuccaSimulator({
      apiKey: API_KEY,
      clock,
      defaults: { postHoldMs: 5, postAnswer: 'export', buildMs: 0, fileBytes: FILE_BYTES },
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
