import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { exportFileBytes } from '../../fakes/lucca-simulator/content.js';
import { formatBytes } from '../../scripts/demo/render.js';
import { DEMO } from '../../scripts/demo/settings.js';
import { childEnv, runChild } from '../helpers/child-processes.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The simulator's file for the demo's exports: one line per entry, the entries the thread sums up. */
const expected = exportFileBytes(DEMO.entries, 1, 0);

// The second act waits for EXPORT_STALL_AFTER's minimum (1 minute): this test takes about 80 s.
test('npm run demo completes offline, tells the story, and leaves the delivered files', {
  timeout: 240_000,
}, async (t) => {
  const out = mkdtempSync(path.join(tmpdir(), 'demo-test-'));
  try {
    const { code, stdout, stderr } = await runChild(
      t,
      process.execPath,
      ['--import', 'tsx', 'scripts/demo.ts', '--out', out],
      {
        cwd: ROOT,
        // No terminal here, as in CI: plain progress lines and no colours. An operator's token in the
        // shell must not reach the demo's app (the demo filters the environment itself).
        env: { ...childEnv({ NO_COLOR: '1' }), SLACK_BOT_TOKEN: 'xoxb-operator-token-must-not-be-used' },
      },
    );
    assert.equal(code, 0, `the demo exited ${code}:\n${stdout}\n${stderr}`);

    assert.ok(!stdout.includes('\u001b['), 'no colour codes without a terminal');
    assert.match(stdout, /@Ana \(payroll\): \/timesheet-export payroll\n/);
    assert.match(stdout, /│ Timesheet export: payroll \(#3\), /, 'the parent message');
    assert.match(stdout, /↳ 🚀 Asked Lucca to build the export/, 'a thread reply, indented');
    assert.match(stdout, /✎ edited: /, 'parent updates are shown as edits');
    assert.match(stdout, /✅ Delivered: payroll-\d{4}-\d\d_export-1-1\.csv/, 'named for the month it holds');
    assert.match(stdout, /\[ Retry \] \[ Cancel \]/, 'the stall shows the Retry button');
    assert.match(stdout, /↳ ⚠ Still no export from Lucca after 1\ds/);
    assert.match(stdout, /pressed Retry/);
    // Act 2 asks for `monday`: the first Monday on or after the 1st. When the 1st is a Monday (March
    // 2027, say) that end date is a whole month and the file is named for it; otherwise "until".
    const mondayFile = /^payroll-(until-\d{4}-\d\d-\d\d|\d{4}-\d\d)_export-3-1\.csv$/;
    assert.match(stdout, new RegExp(`✅ Delivered: ${mondayFile.source.slice(1, -1)}`));
    const shared = /📎 payroll-\d{4}-\d\d_export-1-1\.csv \(([^)]+)\)/.exec(stdout);
    assert.equal(shared?.[1], formatBytes(expected.length), "the shared file's name and size");
    assert.match(stdout, /✓ Demo complete/);
    assert.match(stdout, /The app stopped cleanly on SIGTERM \(exit code 0\)/);

    const files = readdirSync(out).sort();
    assert.equal(files.length, 3, files.join(', '));
    assert.equal(files[0], 'app.log');
    assert.match(files[1]!, /^payroll-\d{4}-\d\d_export-1-1\.csv$/);
    assert.match(files[2]!, mondayFile);
    for (const name of files.slice(1)) {
      assert.ok(readFileSync(path.join(out, name)).equals(expected), `${name} holds the simulator's bytes`);
    }
    // The delivered file opens cleanly (one header, whole lines) and agrees with the thread's summary.
    const lines = readFileSync(path.join(out, files[1]!), 'utf8')
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
    // The README's sample thread is what the app posts: each of its lines is in the demo's output,
    // once the dates are today's (the README was written on 2 December 2026).
    const before = /everything before (\w{3} \d{1,2} \w{3} \d{4}) \((\w+ \d{4})\) · run 1/.exec(stdout);
    const month = /payroll-(\d{4}-\d\d)_export-1-1\.csv/.exec(stdout);
    assert.ok(before && month, 'the demo names the period and the file');
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const sample = readme.split('What the channel sees for one run')[1]!.split('```')[1]!;
    const sampleLines = sample
      .split('\n')
      .map((line) => line.trim().replace(/^└ /, ''))
      .filter((line) => line && !/^Timesheet Export {2}APP/.test(line));
    assert.ok(sampleLines.length >= 10, `the README sample has ${sampleLines.length} lines`);
    for (const line of sampleLines) {
      const today = line
        .replaceAll('Tue 1 Dec 2026', before[1]!)
        .replaceAll('November 2026', before[2]!)
        .replaceAll('2026-11', month[1]!);
      assert.ok(stdout.includes(today), `the README's sample line is not what the app posts: ${today}`);
    }

    const log = readFileSync(path.join(out, 'app.log'), 'utf8');
    assert.ok(!log.includes(DEMO.luccaKey) && !log.includes(DEMO.botToken), 'the app log holds no secret');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
