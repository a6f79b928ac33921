import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { LuccaError } from '../../src/lucca/errors.js';
import { type FaultProxy, type ProxiedRequest, startFaultProxy } from '../helpers/fault-proxy.js';
import { rejectionOf, setUp } from './helpers.js';

const CONFIG = 3;
const isDownload = (r: ProxiedRequest) => r.path.startsWith('/timmi-exports/files/');

/**
 * "Lucca" (the simulator behind a proxy) and another host (a second proxy, another origin) that
 * answers whatever the test says; the client talks to the first.
 */
async function rig(t: TestContext) {
  const lucca = await startFaultProxy();
  const other = await startFaultProxy();
  t.after(async () => {
    await lucca.close();
    await other.close();
  });
  const setup = await setUp(t, { client: { baseUrl: lucca.url } });
  lucca.setTarget(setup.sim.url);
  other.setTarget(setup.sim.url);
  const dir = await mkdtemp(path.join(tmpdir(), 'lucca-redirect-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const [file] = (await setup.client.getExport(setup.sim.addExport(CONFIG, '2026-12-01'))).exportFiles;
  return { ...setup, lucca, other, dir, url: file!.url! };
}

function redirect(from: FaultProxy, to: FaultProxy, status: number) {
  from.failNext(isDownload, {
    kind: 'answer',
    status: 302,
    headers: { location: `${to.url}/storage/file.csv?signature=abc` },
    forward: false,
  });
  return to.failNext((r) => r.path === '/storage/file.csv', {
    kind: 'answer',
    status,
    body: '<html>Unauthorized</html>',
    headers: { 'content-type': 'text/html' },
    forward: false,
  });
}

describe('download redirected to another host (issue #16, point 6)', () => {
  test('a 401 from the host Lucca redirected to names that host, not the API key', async (t) => {
    const { client, lucca, other, dir, url } = await rig(t);
    const refused = redirect(lucca, other, 401);
    const error = await rejectionOf(client.downloadFile(url, path.join(dir, 'x.csv')));
    assert.equal(refused.hits, 1, 'the other host was asked');
    assert.ok(error instanceof LuccaError, String(error));
    assert.notEqual(error.code, 'unauthorized');
    assert.doesNotMatch(error.userMessage, /refused the API key|LUCCA_API_KEY/);
    const host = new URL(other.url).host;
    assert.ok(error.userMessage.includes(host), error.userMessage);
    assert.match(error.userMessage, /redirected/);
    assert.match(error.userMessage, /HTTP 401/);
    assert.deepEqual(await readdir(dir), []);
  });

  test('a 403 from that host is named the same way', async (t) => {
    const { client, lucca, other, dir, url } = await rig(t);
    redirect(lucca, other, 403);
    const error = await rejectionOf(client.downloadFile(url, path.join(dir, 'x.csv')));
    assert.ok(error instanceof LuccaError);
    assert.ok(error.userMessage.includes(new URL(other.url).host), error.userMessage);
    assert.match(error.userMessage, /HTTP 403/);
  });

  test('a 401 from Lucca itself still says the API key was refused', async (t) => {
    const { client, lucca, dir, url } = await rig(t);
    lucca.failNext(isDownload, { kind: 'answer', status: 401, forward: false });
    const error = await rejectionOf(client.downloadFile(url, path.join(dir, 'x.csv')));
    assert.ok(error instanceof LuccaError);
    assert.equal(error.code, 'unauthorized');
  });
});
