/**
 * Export files come from Lucca, whose `exportFiles` shape is undocumented: their names and URLs are
 * untrusted. Through the whole app: names cannot escape the run's folder or smuggle characters into
 * Slack, the API key goes to the Lucca host only, a file above the size cap is refused before it is
 * downloaded (and the thread says so), and what is kept on disk is readable by the app's user only.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, test } from 'node:test';
import { LUCCA_KEY, PAYROLL, startHarness } from '../helpers/app-harness.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { steppingLuccaClient } from '../helpers/stepping-clock.js';

const HOSTILE_NAMES = [
  '../../etc/passwd',
  '..\\..\\Windows\\System32\\drivers\\etc\\hosts',
  '/var/lib/app/payroll.csv',
  'CON.csv',
  '.bashrc',
  'pay\u0000roll\u001b[31m.csv',
  '<!channel> `payroll` *bold*.csv',
  `${'x'.repeat(400)}.csv`,
  '',
];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? [full, ...walk(full)] : [full];
  });
}

describe('export files from Lucca', () => {
  test('hostile file names stay inside the run folder, are cleaned, and reach Slack cleaned', async () => {
    const h = await startHarness({
      lucca: { buildMs: 0, files: HOSTILE_NAMES.length, fileNames: HOSTILE_NAMES, fileBytes: 512 },
    });
    try {
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      const done = h.app.store.get(run.id)!;
      assert.equal(done.state, 'done');
      assert.equal(done.files.length, HOSTILE_NAMES.length, 'every file kept, none merged or lost');
      const folder = path.resolve(h.env.EXPORT_FILES_DIR!, `run-${run.id}`);
      for (const file of done.files) {
        assert.equal(path.dirname(file.path), folder, `${file.name} is directly in the run folder`);
        assert.doesNotMatch(file.name, /[/\\]|\.\.|[\u0000-\u001f]|^\./);
        assert.ok(file.name.length <= 120);
        assert.doesNotMatch(file.name, /^(con|prn|aux|nul)(\.|$)/i);
      }
      assert.equal(
        new Set(done.files.map((f) => f.name.toLowerCase())).size,
        done.files.length,
        'unique names',
      );
      // Nothing was written anywhere but the run folder.
      const written = walk(h.dir).filter((p) => !p.endsWith('.sqlite') && !p.includes('.sqlite-'));
      for (const p of written) {
        assert.ok(p === path.resolve(h.env.EXPORT_FILES_DIR!) || p.startsWith(folder), `unexpected ${p}`);
      }
      const uploaded = h.slack.uploads.filter((u) => u.completed).map((u) => u.filename);
      assert.deepEqual(uploaded.sort(), done.files.map((f) => f.name).sort());
      const thread = JSON.stringify(h.slack.threadOf(PAYROLL, run.threadTs!));
      assert.doesNotMatch(thread, /<!channel>/, 'a file name cannot ping the channel');
    } finally {
      await h.close();
    }
  });

  test('the API key goes to the Lucca host only: a file hosted elsewhere is fetched without it', async () => {
    const h = await startHarness({ lucca: { buildMs: 0, fileUrlMode: 'foreign' } });
    try {
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      assert.equal(h.app.store.get(run.id)!.state, 'done');
      const downloads = h.sim.requests.filter((r) => r.path.startsWith('/timmi-exports/files/'));
      assert.equal(downloads.length, 1);
      assert.equal(downloads[0]!.query.signature?.startsWith('sim-'), true, 'the foreign host was asked');
      assert.equal(downloads[0]!.headers.authorization, undefined, 'without the key');
      assert.ok(!JSON.stringify(downloads[0]!.headers).includes(LUCCA_KEY));
      // Every request to Lucca itself carried it.
      const api = h.sim.requests.filter((r) => r.path.startsWith('/api/'));
      assert.ok(api.length >= 3);
      assert.ok(api.every((r) => r.headers.authorization === `lucca application=${LUCCA_KEY}`));
    } finally {
      await h.close();
    }
  });

  test('a download Lucca redirects to another host is followed without the key', async () => {
    const seen: Record<string, string | string[] | undefined>[] = [];
    const elsewhere = http.createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end('Matricule;Nom\n1;Müller\n');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const other = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    const proxy = await startFaultProxy();
    const h = await startHarness({
      env: { LUCCA_BASE_URL: proxy.url },
      lucca: { buildMs: 0 },
      luccaClient: steppingLuccaClient(),
    });
    proxy.setTarget(h.sim.url);
    try {
      proxy.failNext((r) => r.path.startsWith('/timmi-exports/files/'), {
        kind: 'answer',
        status: 302,
        headers: { location: `${other}/storage/export.csv?sig=abc` },
        forward: false,
      });
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      assert.equal(h.app.store.get(run.id)!.state, 'done');
      assert.equal(seen.length, 1, 'the redirect was followed');
      assert.equal(seen[0]!.authorization, undefined, 'without the key');
      assert.ok(!JSON.stringify(seen).includes(LUCCA_KEY));
      assert.equal(h.slack.uploads.find((u) => u.completed)?.bytes.toString(), 'Matricule;Nom\n1;Müller\n');
    } finally {
      await h.close();
      await proxy.close();
      await new Promise((resolve) => elsewhere.close(resolve));
    }
  });

  test('a file announced above the size cap is not downloaded; the entries come as CSV and the thread says why', async () => {
    // 600 MB announced (the cap is 500 MB): refused on the Content-Length, before the body is read.
    const h = await startHarness({
      lucca: { buildMs: 0, fileBytes: 600 * 1024 * 1024, fileNames: ['paie-novembre.txt'] },
    });
    try {
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      const done = h.app.store.get(run.id)!;
      assert.equal(done.state, 'done');
      assert.deepEqual(
        done.files.map((f) => f.origin),
        ['csv'],
      );
      assert.ok(done.files[0]!.bytes < 100_000, 'the big file was not kept');
      const thread = h.slack
        .threadOf(PAYROLL, run.threadTs!)
        .map((m) => m.text ?? '')
        .join('\n');
      assert.match(thread, /paie-novembre\.txt/, 'the thread names the file that was not downloaded');
      assert.match(thread, /larger than/);
    } finally {
      await h.close();
    }
  });

  test('the database, the export folders and files are readable by the app’s user only', async () => {
    const h = await startHarness({ lucca: { buildMs: 0, files: 1 }, env: {} });
    try {
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      const done = h.app.store.get(run.id)!;
      const mode = (p: string) => statSync(p).mode & 0o777;
      const db = h.env.DATABASE_PATH!;
      assert.equal(mode(db).toString(8), '600', 'database file');
      for (const suffix of ['-wal', '-shm']) {
        assert.equal(mode(`${db}${suffix}`).toString(8), '600', `database ${suffix} file`);
      }
      const folder = path.resolve(h.env.EXPORT_FILES_DIR!, `run-${run.id}`);
      assert.equal(mode(folder).toString(8), '700', 'run folder');
      for (const file of done.files) assert.equal(mode(file.path).toString(8), '600', `file ${file.name}`);
    } finally {
      await h.close();
    }
  });

  test('a database folder that does not exist yet is created owner-only', async () => {
    const h = await startHarness();
    try {
      const nested = path.join(h.dir, 'new', 'data', 'app.sqlite');
      const other = await startHarness({
        env: { DATABASE_PATH: nested, EXPORT_FILES_DIR: path.join(h.dir, 'new', 'exports') },
      });
      await other.close();
      assert.equal((statSync(path.dirname(nested)).mode & 0o777).toString(8), '700');
      assert.equal((statSync(nested).mode & 0o777).toString(8), '600');
    } finally {
      await h.close();
    }
  });
});
