import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { DEMO } from '../../scripts/demo/settings.js';
import { contentBlock } from '../fakes/lucca-simulator/content.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

/** The bytes the Lucca simulator serves for a file of `size` bytes: its content block, repeated. */
function simulatorBytes(size: number): Buffer {
  const block = contentBlock();
  const out = Buffer.alloc(size);
  for (let at = 0; at < size; at += block.length) block.copy(out, at, 0, Math.min(block.length, size - at));
  return out;
}

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
    assert.match(stdout, /✅ Delivered: payroll-\d{4}-\d\d_export-1-1\.csv/, 'named for the month it holds');
    assert.match(stdout, /\[ Retry \] \[ Cancel \]/, 'the stall shows the Retry button');
    assert.match(stdout, /↳ ⚠ Still no export from Lucca after 1\ds/);
    assert.match(stdout, /pressed Retry/);
    assert.match(stdout, /✅ Delivered: payroll-until-\d{4}-\d\d-\d\d_export-3-1\.csv/);
    assert.match(
      stdout,
      /📎 payroll-\d{4}-\d\d_export-1-1\.csv \(146\.5 KB\)/,
      "the shared file's name and size",
    );
    assert.match(stdout, /✓ Demo complete/);
    assert.match(stdout, /The app stopped cleanly on SIGTERM \(exit code 0\)/);

    const files = readdirSync(out).sort();
    assert.equal(files.length, 3, files.join(', '));
    assert.equal(files[0], 'app.log');
    assert.match(files[1]!, /^payroll-\d{4}-\d\d_export-1-1\.csv$/);
    assert.match(files[2]!, /^payroll-until-\d{4}-\d\d-\d\d_export-3-1\.csv$/);
    const expected = simulatorBytes(DEMO.fileBytes);
    for (const name of files.slice(1)) {
      assert.ok(readFileSync(path.join(out, name)).equals(expected), `${name} holds the simulator's bytes`);
    }
    const log = readFileSync(path.join(out, 'app.log'), 'utf8');
    assert.ok(!log.includes(DEMO.luccaKey) && !log.includes(DEMO.botToken), 'the app log holds no secret');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
