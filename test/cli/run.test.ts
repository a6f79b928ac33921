import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { exportFileBytes } from '../../fakes/lucca-simulator/content.js';
import { PROCESS_TEST_TIMEOUT } from '../helpers/child-processes.js';
import { cliFixture, finished, LUCCA_KEY, waitForOutput } from './cli-process.js';

/** `timesheet-export run` as a person or a script runs it: a real process against the Lucca simulator. */
describe('timesheet-export run', { concurrency: 3 }, () => {
  it('runs an export to the end, saves the file and exits 0, with exactly one POST to Lucca', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const f = await cliFixture(t);
    const result = await f.run(['run', 'payroll', '2026-12-01', '--out', f.out]);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(f.sim.posts().length, 1);
    assert.deepEqual(f.sim.posts()[0]!.body, { endsAt: '2026-12-01T00:00:00', configurationId: 3 });
    const saved = path.join(f.out, 'payroll-2026-11_export-1-1.csv');
    // The simulator's file: one line per entry, the 3 entries the summary counts.
    assert.deepEqual(readFileSync(saved), exportFileBytes(3, 1, 0));
    assert.match(result.stdout, /✓ Run #1 done: payroll \(#3\), November 2026/);
    assert.ok(result.stdout.includes(saved), 'prints where the file is');
    // Not a terminal: one timestamped line per step.
    assert.match(result.stdout, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}#1 {2}Asked Lucca to build the export\./);
  });

  it('--json prints one JSON object per line, events then a final result', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const f = await cliFixture(t);
    const result = await f.run(['run', 'payroll', '2026-12-01', '--out', f.out, '--json']);

    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const events = lines.filter((line) => line.type === 'event').map((line) => line.event);
    assert.deepEqual(events.slice(0, 3), ['requested', 'started', 'triggered']);
    assert.ok(events.includes('found') && events.includes('fetched') && events.includes('delivered'));
    const last = lines.at(-1);
    assert.equal(last.type, 'result');
    assert.equal(last.state, 'done');
    assert.equal(last.exitCode, 0);
    assert.equal(last.runId, 1);
    assert.deepEqual(
      last.files.map((file: { path: string; bytes: number }) => [file.path, file.bytes]),
      [[path.join(f.out, 'payroll-2026-11_export-1-1.csv'), exportFileBytes(3, 1, 0).length]],
    );
    assert.equal(last.summary.entries, 3);
  });

  it('a key Lucca refuses: exit 1 with the plain sentence, and the key appears nowhere', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const f = await cliFixture(t);
    const wrongKey = 'cli-wrong-key-DO-NOT-LEAK-9a8b';
    const result = await f.run(['run', '3', '--out', f.out], { LUCCA_API_KEY: wrongKey, LOG_LEVEL: 'debug' });

    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /Lucca refused the API key\. Ask your Lucca admin for a valid key and set LUCCA_API_KEY\./,
    );
    assert.match(result.stderr, /Retry with: timesheet-export retry 1/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    for (const key of [wrongKey, LUCCA_KEY]) {
      assert.ok(!result.stdout.includes(key) && !result.stderr.includes(key), 'the key is never printed');
    }
    assert.equal(f.sim.posts().length, 0);
  });

  it('a missing variable: exit 2 naming it, before anything reaches Lucca', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const f = await cliFixture(t);
    const result = await f.run(['run', '3'], { LUCCA_API_KEY: undefined });

    assert.equal(result.code, 2);
    assert.match(result.stderr, /LUCCA_API_KEY: is not set \(for example LUCCA_API_KEY=/);
    assert.equal(f.sim.requests.length, 0);
  });

  it('a bad end date: exit 2 with what was wrong and a correct example', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const f = await cliFixture(t);
    const result = await f.run(['run', 'payroll', '2026-02-30']);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /`2026-02-30` is not a real date: February 2026 has 28 days\./);
    assert.match(result.stderr, /For example: timesheet-export run payroll \d{4}-\d\d-01\n/);
    assert.equal(f.sim.requests.length, 0);
  });

  it('Ctrl-C leaves the run resumable; retry picks it up without a second POST', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const f = await cliFixture(t, { buildMs: 1_500 });
    const child = f.spawn(['run', '3', '2026-12-01', '--out', f.out]);
    const interrupted = finished(child);
    await waitForOutput(child, 'Lucca is building the export');
    child.kill('SIGINT');
    const stopped = await interrupted;

    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /Stopped following run #1; the run is kept \(polling\)\./);
    assert.match(stopped.stderr, /timesheet-export retry 1/);

    const resumed = await f.run(['retry', '1']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /already under way \(polling\), picking it up/);
    assert.equal(f.sim.posts().length, 1, 'resuming polls; it never posts again');
    assert.equal(readdirSync(f.out).length, 1);
  });
});
