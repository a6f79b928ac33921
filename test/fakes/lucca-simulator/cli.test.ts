import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLI_MAIN, TSX } from '../../cli/cli-process.js';
import { childEnv, PROCESS_TEST_TIMEOUT, runChild, spawnChild } from '../../helpers/child-processes.js';

const SIM_CLI = fileURLToPath(new URL('../../../fakes/lucca-simulator/cli.ts', import.meta.url));

test('npm run lucca-sim prints the lines that make the README command line work as written', {
  timeout: PROCESS_TEST_TIMEOUT,
}, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sim-cli-test-'));
  const sim = spawnChild(t, process.execPath, ['--import', TSX, SIM_CLI], {
    env: childEnv({ PORT: '0', SIM_BUILD: '1s', SIM_HOLD: '1s' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let printed = '';
  await new Promise<void>((resolve, reject) => {
    sim.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      printed += chunk;
      if (/npm run cli -- run payroll/.test(printed)) resolve();
    });
    sim.on('close', () => reject(new Error(`the simulator stopped:\n${printed}`)));
  });

  // The block meant for .env: KEY=value lines, nothing else, as printed.
  const block = printed.split('paste these lines into .env\n')[1]!.split('\n\n')[0]!.split('\n');
  assert.deepEqual(
    block.map((line) => line.split('=')[0]),
    ['LUCCA_BASE_URL', 'LUCCA_API_KEY', 'EXPORT_CONFIGURATIONS'],
  );
  const pasted = Object.fromEntries(
    block.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

  // `npm run cli -- run payroll --out ./exports` with only those lines (and a fresh folder).
  const result = await runChild(
    t,
    process.execPath,
    ['--import', TSX, CLI_MAIN, 'run', 'payroll', '--out', './exports'],
    { cwd: dir, env: childEnv({ HOME: dir, EXPORT_POLL_MIN: '1s', ...pasted }) },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /✓ Run #1 done: payroll \(#3\)/);
  assert.equal(readdirSync(path.join(dir, 'exports')).length, 1);
});
