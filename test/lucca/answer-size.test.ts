import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import { LuccaError } from '../../src/lucca/errors.js';
import { DEFAULT_MAX_ANSWER_BYTES } from '../../src/lucca/transport.js';
import { type ProxiedRequest, startFaultProxy } from '../helpers/fault-proxy.js';
import { rejectionOf, setUp, waitFor } from './helpers.js';

const CONFIG = 3;
const CAP = 64 * 1024;
const isFetch = (r: ProxiedRequest) => /^\/api\/v3\/timmiexports\/\d+$/.test(r.path);

/** The simulator behind a fault proxy; the client reads API answers up to CAP bytes. */
async function rig(t: TestContext) {
  const proxy = await startFaultProxy();
  t.after(() => proxy.close());
  // 2 000 entries: an entries answer of several hundred KB, well past CAP (the header is small).
  const setup = await setUp(t, {
    defaults: { entries: 2_000 },
    client: { baseUrl: proxy.url, maxAnswerBytes: CAP },
  });
  proxy.setTarget(setup.sim.url);
  return { ...setup, proxy, exportId: setup.sim.addExport(CONFIG, '2026-12-01') };
}

function assertTooLarge(error: unknown): void {
  assert.ok(error instanceof LuccaError, String(error));
  assert.equal(error.code, 'answer-too-large');
  assert.match(error.userMessage, /^Lucca sent an answer larger than 64 KB/);
  assert.match(error.userMessage, /LUCCA_BASE_URL/);
}

describe('API answers have a size cap (issue #16, point 4)', () => {
  test("the default cap is Lucca's own limit, 100 MB", () => {
    assert.equal(DEFAULT_MAX_ANSWER_BYTES, 100 * 1024 * 1024);
  });

  test('an answer announcing more than the cap is refused with a clear error, and not asked again', async (t) => {
    const { client, proxy, exportId } = await rig(t);
    const error = await rejectionOf(client.getExportEntries(exportId));
    assertTooLarge(error);
    assert.equal(proxy.records.filter(isFetch).length, 1, 'not retried');
  });

  test('an answer without Content-Length stops being read at the cap', async (t) => {
    const { client, proxy, exportId } = await rig(t);
    const rule = proxy.failNext(isFetch, {
      kind: 'trickle',
      everyMs: 1,
      bytesPerChunk: 8 * 1024,
      unannounced: true,
    });
    const error = await rejectionOf(client.getExportEntries(exportId));
    assertTooLarge(error);
    assert.equal(rule.hits, 1);
    const record = proxy.records.find((r) => r.outcome === 'trickle')!;
    await waitFor(() => record.hungUp === true, 'the client to hang up');
    // What the client read before hanging up: the cap and a chunk or two in flight, not the answer.
    assert.ok(record.bytesSent! <= CAP + 4 * 8 * 1024, `bytes sent: ${record.bytesSent}`);
    assert.equal(proxy.records.filter(isFetch).length, 1, 'not retried');
  });

  test('an answer under the cap is read as before', async (t) => {
    const { client, proxy, sim } = await rig(t);
    sim.configure(CONFIG, { entries: 3 });
    const small = sim.addExport(CONFIG, '2026-11-01');
    assert.equal((await client.getExportEntries(small)).length, 3);
    assert.equal(proxy.records.filter(isFetch).length, 1);
  });
});
