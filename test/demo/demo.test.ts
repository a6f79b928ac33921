import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { formatBytes } from '../../scripts/demo/render.js';
import { DEMO } from '../../scripts/demo/settings.js';
import { exportFileBytes } from '../fakes/lucca-simulator/content.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

/** The simulator's file for the demo's exports: one line per entry, the entries the thread sums up. */
const expected = exportFileBytes(DEMO.entries, 1, 0);

// The second act waits for EXPORT_STALL_AFTER's minimum (1 minute): this test takes about 80 s.
test('npm run demo completes offline, tells the story, and leaves the delivered files', {
  timeout: 240_000,
}, async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'demo-test-'));
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--out', out], {
      cwd: ROOT,
      // No terminal here, as in CI: plain progress lines and no colours.
      env: { ...process.env, NO_COLOR: '1', SLACK_BOT_TOKEN: 'xoxb-operator-token-must-not-be-used' },
      maxBuffer: 10 * 1024 * 1024,
    }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
      assert.fail(`the demo exited ${error.code}:\n${error.stdout}\n${error.stderr}`);
    });

    assert.ok(!stdout.includes('\u001b['), 'no colour codes without a terminal');
    assert.match(stdout, /@Ana \(payroll\): \/timesheet-export payroll\n/);
    assert.match(stdout, /│ Timesheet export: payroll \(#3\), /, 'the parent message');
    assert.match(stdout, /↳ 🚀 Asked Lucca to build the export/, 'a thread reply, indented');
    assert.match(stdout, /✎ edited: /, 'parent updates are shown as edits');
    assert.match(stdout, /✅ Delivered: export-1-1\.csv/);
    assert.match(stdout, /\[ Retry \] \[ Cancel \]/, 'the stall shows the Retry button');
    assert.match(stdout, /↳ ⚠ Still no export from Lucca after 1\ds/);
    assert.match(stdout, /pressed Retry/);
    assert.match(stdout, /✅ Delivered: export-3-1\.csv/);
    assert.ok(
      stdout.includes(`📎 export-1-1.csv (${formatBytes(expected.length)})`),
      "the shared file's name and size",
    );
    assert.match(stdout, /✓ Demo complete/);
    assert.match(stdout, /The app stopped cleanly on SIGTERM \(exit code 0\)/);

    assert.deepEqual(readdirSync(out).sort(), ['app.log', 'export-1-1.csv', 'export-3-1.csv']);
    for (const name of ['export-1-1.csv', 'export-3-1.csv']) {
      assert.ok(readFileSync(path.join(out, name)).equals(expected), `${name} holds the simulator's bytes`);
    }
    // The delivered file opens cleanly (one header, whole lines) and agrees with the thread's summary.
    const lines = readFileSync(path.join(out, 'export-1-1.csv'), 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    assert.equal(lines.pop(), '', 'a final newline');
    const rows = lines.slice(1).map((line) => line.split(';'));
    assert.ok(
      rows.every((row) => row.length === lines[0]!.split(';').length),
      'whole lines',
    );
    const people = new Set(rows.map((row) => row[0]));
    assert.ok(stdout.includes(`${people.size} people, ${rows.length} entries`), 'counts agree');
    const totals = new Map<string, number>();
    for (const row of rows)
      totals.set(row[4]!, (totals.get(row[4]!) ?? 0) + Number(row[5]!.replace(',', '.')));
    for (const [timeType, hours] of totals) {
      assert.ok(stdout.includes(`• ${timeType}: ${hours} hours`), `the thread's total for ${timeType}`);
    }
    const log = readFileSync(path.join(out, 'app.log'), 'utf8');
    assert.ok(!log.includes(DEMO.luccaKey) && !log.includes(DEMO.botToken), 'the app log holds no secret');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
