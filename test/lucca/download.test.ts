import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { exportFileBytes } from '../../fakes/lucca-simulator/content.js';
import { createLuccaClient } from '../../src/lucca/client.js';
import { LuccaError } from '../../src/lucca/errors.js';
import { API_KEY, rejectionOf, setUp } from './helpers.js';

const CONFIG = 3;

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lucca-download-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function assertCode(error: unknown, code: string): void {
  assert.ok(error instanceof LuccaError, `expected a LuccaError, got ${String(error)}`);
  assert.equal(error.code, code);
}

describe('downloadFile', () => {
  test('streams a file with a relative URL to disk, with the key, and leaves no .part behind', async (t) => {
    const { client, sim } = await setUp(t, { defaults: { fileBytes: 100_000 } });
    const dir = await tempDir(t);
    const exportId = sim.addExport(CONFIG, '2026-12-01');
    const [file] = (await client.getExport(exportId)).exportFiles;
    assert.match(file?.url ?? '', /^\//, 'the simulator gives a relative URL');

    const destination = path.join(dir, 'payroll.csv');
    const expected = exportFileBytes(3, 1, 0, 100_000);
    assert.deepEqual(await client.downloadFile(file?.url ?? '', destination), { bytes: expected.length });
    assert.ok((await readFile(destination)).equals(expected));
    assert.match(await readFile(destination, 'utf8'), /^\uFEFFMatricule;Nom;Prénom/);
    assert.deepEqual(await readdir(dir), ['payroll.csv']);
    assert.equal(sim.requests.at(-1)?.headers.authorization, `lucca application=${API_KEY}`);
  });

  test('streams a large file (32 MB) through to disk', async (t) => {
    const size = 32 * 1024 * 1024;
    const { client, sim } = await setUp(t, { defaults: { fileBytes: size } });
    const dir = await tempDir(t);
    const exportId = sim.addExport(CONFIG, '2026-12-01');
    const [file] = (await client.getExport(exportId)).exportFiles;
    const destination = path.join(dir, 'big.csv');
    const { bytes } = await client.downloadFile(file?.url ?? '', destination);
    assert.ok(bytes >= size);
    assert.equal((await stat(destination)).size, bytes);
  });

  test('sends the key to the Lucca host only: a file on another host is fetched without it', async (t) => {
    const { client, sim } = await setUp(t, { defaults: { fileUrlMode: 'foreign' } });
    const dir = await tempDir(t);
    const exportId = sim.addExport(CONFIG, '2026-12-01');
    const [file] = (await client.getExport(exportId)).exportFiles;
    assert.ok(!file?.url?.startsWith(sim.url), 'the file lives on another origin');

    await client.downloadFile(file?.url ?? '', path.join(dir, 'foreign.csv'));
    const download = sim.requests.at(-1);
    assert.equal(download?.path.startsWith('/timmi-exports/files/'), true);
    assert.notEqual(download?.headers.host, new URL(sim.url).host);
    assert.equal(download?.headers.authorization, undefined);
    for (const request of sim.requests.slice(0, -1))
      assert.equal(request.headers.host, new URL(sim.url).host);
  });

  test('an absolute URL on the Lucca host gets the key', async (t) => {
    const { client, sim } = await setUp(t, { defaults: { fileUrlMode: 'absolute' } });
    const dir = await tempDir(t);
    const [file] = (await client.getExport(sim.addExport(CONFIG, '2026-12-01'))).exportFiles;
    assert.ok(file?.url?.startsWith(sim.url));
    await client.downloadFile(file?.url ?? '', path.join(dir, 'a.csv'));
    assert.equal(sim.requests.at(-1)?.headers.authorization, `lucca application=${API_KEY}`);
  });

  test('refuses a file larger than maxBytes and deletes what it wrote', async (t) => {
    const { client, sim } = await setUp(t, { defaults: { fileBytes: 10_000 } });
    const dir = await tempDir(t);
    const [file] = (await client.getExport(sim.addExport(CONFIG, '2026-12-01'))).exportFiles;
    const error = await rejectionOf(
      client.downloadFile(file?.url ?? '', path.join(dir, 'x.csv'), { maxBytes: 4096 }),
    );
    assertCode(error, 'file-too-large');
    assert.deepEqual(await readdir(dir), []);
  });

  test('counts bytes when no Content-Length is announced, and stops at the limit', async (t) => {
    const { client, sim } = await setUp(t);
    const dir = await tempDir(t);
    sim.failNext(
      { pathIncludes: '/files/' },
      {
        status: 200,
        body: 'x'.repeat(10_000),
        headers: { 'transfer-encoding': 'chunked', 'content-type': 'text/csv' },
      },
    );
    const error = await rejectionOf(
      client.downloadFile('/files/1', path.join(dir, 'x.csv'), { maxBytes: 4096 }),
    );
    assertCode(error, 'file-too-large');
    assert.deepEqual(await readdir(dir), []);
  });

  test('retries a 503 and a reset, then succeeds', async (t) => {
    const { client, sim } = await setUp(t);
    const dir = await tempDir(t);
    const [file] = (await client.getExport(sim.addExport(CONFIG, '2026-12-01'))).exportFiles;
    sim.failNext({ pathIncludes: '/timmi-exports/files/' }, { status: 503 });
    sim.failNext({ pathIncludes: '/timmi-exports/files/' }, 'reset');
    assert.deepEqual(await client.downloadFile(file?.url ?? '', path.join(dir, 'r.csv')), {
      bytes: exportFileBytes(3, 1, 0).length,
    });
    assert.equal(sim.requests.filter((r) => r.path.startsWith('/timmi-exports/files/')).length, 3);
  });

  test('a missing file is "download-failed" and leaves nothing on disk', async (t) => {
    const { client, sim } = await setUp(t);
    const dir = await tempDir(t);
    const error = await rejectionOf(
      client.downloadFile('/timmi-exports/files/999001', path.join(dir, 'm.csv')),
    );
    assertCode(error, 'download-failed');
    assert.equal((error as LuccaError).httpStatus, 404);
    assert.deepEqual(await readdir(dir), []);
    assert.equal(sim.requests.length, 1, 'a 404 is not retried');
  });

  test('refuses plain http to another host when Lucca is https, before any request', async () => {
    const client = createLuccaClient({
      baseUrl: 'https://example.invalid',
      apiKey: API_KEY,
      maxRequestsPerMinute: 5,
    });
    const error = await rejectionOf(
      client.downloadFile('http://files.example.org/x.csv', path.join(tmpdir(), 'never.csv')),
    );
    assertCode(error, 'bad-response');
  });
});

describe('downloads that are not files', () => {
  test('a 200 text/html answer (a login page) is refused and nothing is left on disk', async (t) => {
    const { client, sim } = await setUp(t);
    const dir = await tempDir(t);
    const [file] = (await client.getExport(sim.addExport(CONFIG, '2026-12-01'))).exportFiles;
    sim.failNext(
      { pathIncludes: '/timmi-exports/files/' },
      {
        status: 200,
        body: '<!doctype html><html><body>Connexion à Lucca</body></html>',
        headers: { 'content-type': 'text/html; charset=utf-8' },
      },
    );
    const error = await rejectionOf(client.downloadFile(file?.url ?? '', path.join(dir, 'paie.csv')));
    assertCode(error, 'not-a-file');
    assert.match((error as LuccaError).userMessage, /web page instead of the export file/);
    assert.deepEqual(await readdir(dir), []);
    assert.equal(
      sim.requests.filter((r) => r.path.startsWith('/timmi-exports/files/')).length,
      1,
      'not retried',
    );
  });

  test('a redirect from https to plain http is not followed', async (t) => {
    const { client, sim } = await setUp(t);
    const dir = await tempDir(t);
    const [file] = (await client.getExport(sim.addExport(CONFIG, '2026-12-01'))).exportFiles;
    const tls = await httpsRedirector(t, `${sim.url}${file?.url}`);
    const error = await rejectionOf(client.downloadFile(`${tls}/file.csv`, path.join(dir, 'paie.csv')));
    console.log('DEBUG', (error as Error).message, JSON.stringify((error as { cause?: unknown }).cause));
    assertCode(error, 'not-a-file');
    assert.match((error as LuccaError).userMessage, /unencrypted \(http\)/);
    assert.equal(sim.requests.filter((r) => r.path.startsWith('/timmi-exports/files/')).length, 0);
    assert.deepEqual(await readdir(dir), []);
  });
});

/** An https server (self-signed, made with openssl for the test) that redirects every request to `target`. */
async function httpsRedirector(t: TestContext, target: string): Promise<string> {
  const dir = await tempDir(t);
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1'].concat([
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]),
    { stdio: 'ignore' },
  );
  const pem = await readFile(cert);
  const server = https.createServer({ key: await readFile(key), cert: pem }, (_req, res) => {
    res.writeHead(302, { location: target });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The test's own certificate, trusted by this test process's default agent only (got uses it).
  const previous = https.globalAgent.options.ca;
  https.globalAgent.options.ca = pem;
  t.after(() => {
    https.globalAgent.options.ca = previous;
    server.closeAllConnections();
    server.close();
  });
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
