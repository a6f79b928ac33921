import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runFolder } from '../../src/exports/export-files.js';
import { createLuccaClient } from '../../src/lucca/client.js';
import { ManualClock } from '../../src/util/clock.js';
import { startLuccaSimulator } from '../fakes/lucca-simulator/index.js';
import { type ProxiedRequest, startFaultProxy } from '../helpers/fault-proxy.js';
import { waitFor } from '../lucca/helpers.js';
import { createHarness, request } from './harness.js';

const API_KEY = 'luc-cancel-test-key';
const FILE_BYTES = 4096;
const isDownload = (r: ProxiedRequest) => r.path.startsWith('/timmi-exports/files/');

describe('Cancel stops everything of its run (issue #16, point 3)', () => {
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
});
