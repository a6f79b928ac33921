import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { exportFileBytes } from '../../fakes/lucca-simulator/content.js';
import { LuccaError } from '../../src/lucca/errors.js';
import { DEFAULT_DOWNLOAD_PACE, downloadDeadlineMs } from '../../src/lucca/transport.js';
import { type FaultProxy, type ProxiedRequest, startFaultProxy } from '../helpers/fault-proxy.js';
import { rejectionOf, setUp, VirtualClock, waitFor } from './helpers.js';

const CONFIG = 3;
const FILE_BYTES = 4096;
const ENTRIES = 3;
/** The simulator pads its file with whole rows: at least FILE_BYTES, to the end of a row. */
const SIM_FILE_BYTES = exportFileBytes(ENTRIES, 1, 0, FILE_BYTES).length;
const isDownload = (r: ProxiedRequest) => r.path.startsWith('/timmi-exports/files/');

/** The simulator behind a fault proxy, and a client talking to the proxy. */
async function rig(t: TestContext, clock = new VirtualClock()) {
  const proxy = await startFaultProxy();
  t.after(() => proxy.close());
  const setup = await setUp(t, {
    clock,
    defaults: { fileBytes: FILE_BYTES, entries: ENTRIES, files: 1 },
    client: { baseUrl: proxy.url },
  });
  proxy.setTarget(setup.sim.url);
  const dir = await mkdtemp(path.join(tmpdir(), 'lucca-deadline-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const exportId = setup.sim.addExport(CONFIG, '2026-12-01');
  const [file] = (await setup.client.getExport(exportId)).exportFiles;
  return { ...setup, proxy, dir, url: file!.url!, clock };
}

function downloadRecord(proxy: FaultProxy) {
  return proxy.records.find((r) => isDownload(r) && r.outcome === 'trickle');
}

describe('download deadline (issue #16, point 3)', () => {
  test('the deadline grows with the size: a minute of grace, then 64 KiB/s', () => {
    assert.equal(downloadDeadlineMs(0, DEFAULT_DOWNLOAD_PACE), 60_000);
    assert.equal(downloadDeadlineMs(64 * 1024 * 60, DEFAULT_DOWNLOAD_PACE), 120_000);
    assert.ok(downloadDeadlineMs(500 * 1024 * 1024, DEFAULT_DOWNLOAD_PACE) > 2 * 3_600_000);
  });

  test('a file trickling at one byte per 10 s is stopped past its deadline, not read for ever', async (t) => {
    const clock = new VirtualClock();
    const { client, proxy, dir, url } = await rig(t, clock);
    // Each byte arrives 10 s after the previous one on the injected clock (a few real ms apart).
    proxy.failNext(isDownload, {
      kind: 'trickle',
      everyMs: 2,
      onChunk: () => {
        clock.time += 10_000;
      },
    });
    const error = await rejectionOf(client.downloadFile(url, path.join(dir, 'slow.csv')));
    assert.ok(error instanceof LuccaError, String(error));
    assert.equal(error.code, 'download-failed');
    assert.match(error.userMessage, /came too slowly from Lucca/);
    const record = downloadRecord(proxy)!;
    await waitFor(() => record.hungUp === true, 'the client to hang up');
    // 60 s of grace for 4 KB: the client gives up at the 7th byte, not at the 4096th.
    assert.ok(record.bytesSent! <= 8, `bytes sent before the client hung up: ${record.bytesSent}`);
    assert.equal(
      proxy.records.filter(isDownload).length,
      1,
      'a download that was too slow is not retried at once',
    );
    assert.deepEqual(await readdir(dir), [], 'no .part left behind');
  });

  test('a file arriving at a normal pace is not cut, however the clock moves between chunks', async (t) => {
    const clock = new VirtualClock();
    const { client, proxy, dir, url } = await rig(t, clock);
    // 4 KB in 64-byte chunks, one second of the injected clock apart: 64 s, within 60 s + 4 KB at 64 KiB/s.
    proxy.failNext(isDownload, {
      kind: 'trickle',
      everyMs: 1,
      bytesPerChunk: 64,
      onChunk: (sent) => {
        clock.time += sent < FILE_BYTES ? 900 : 0;
      },
    });
    assert.deepEqual(await client.downloadFile(url, path.join(dir, 'ok.csv')), { bytes: SIM_FILE_BYTES });
  });

  test('aborting the signal stops a download under way at once and leaves nothing on disk', async (t) => {
    const { client, proxy, dir, url } = await rig(t);
    const rule = proxy.failNext(isDownload, { kind: 'trickle', everyMs: 20 });
    const controller = new AbortController();
    const download = client.downloadFile(url, path.join(dir, 'x.csv'), { signal: controller.signal });
    await rule.hit;
    const record = downloadRecord(proxy)!;
    await waitFor(() => (record.bytesSent ?? 0) > 0, 'the first bytes');
    controller.abort();
    const error = await rejectionOf(download);
    assert.ok(error instanceof LuccaError, String(error));
    assert.equal(error.code, 'aborted');
    await waitFor(() => record.hungUp === true, 'the client to hang up');
    assert.ok(record.bytesSent! < FILE_BYTES);
    assert.equal(proxy.records.filter(isDownload).length, 1, 'not tried again');
    assert.deepEqual(await readdir(dir), []);
  });

  test('an API request stops when its signal aborts, and is not retried', async (t) => {
    const { client, proxy } = await rig(t);
    const rule = proxy.failNext((r) => r.path === '/api/v3/timmiexports', { kind: 'hold', forward: false });
    const controller = new AbortController();
    const poll = client.findExport(CONFIG, 0, '2026-12-01', undefined, { signal: controller.signal });
    await rule.hit;
    controller.abort();
    const error = await rejectionOf(poll);
    assert.ok(error instanceof LuccaError, String(error));
    assert.equal(error.code, 'aborted');
    assert.equal(proxy.records.filter((r) => r.path === '/api/v3/timmiexports').length, 1);
  });

  test('the streamed entries request stops when its signal aborts, and is not retried', async (t) => {
    const { client, proxy, sim } = await rig(t);
    const exportId = sim.addExport(CONFIG, '2026-11-01');
    const isEntries = (r: ProxiedRequest) => /[?&]fields=id%2Centries|[?&]fields=id,entries/.test(r.url);
    const rule = proxy.failNext(isEntries, { kind: 'hold', forward: false });
    const controller = new AbortController();
    const entries = client.getExportEntries(exportId, { signal: controller.signal });
    await rule.hit;
    controller.abort();
    const error = await rejectionOf(entries);
    assert.ok(error instanceof LuccaError, String(error));
    assert.equal(error.code, 'aborted');
    assert.equal(proxy.records.filter(isEntries).length, 1);
  });
});
