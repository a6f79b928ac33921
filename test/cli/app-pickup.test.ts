import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { ManualClock } from '../../fakes/manual-clock.js';
import { startHarness } from '../helpers/app-harness.js';
import { childEnv, PROCESS_TEST_TIMEOUT, runChild } from '../helpers/child-processes.js';
import { CLI_MAIN, TSX } from './cli-process.js';

it('a CLI run left to the Slack app (here: --no-wait) is saved to the CLI’s folder, not refused for lack of a channel', {
  timeout: PROCESS_TEST_TIMEOUT,
}, async (t) => {
  // The CLI child writes the run with its own (real) clock: the app's manual clock starts at the same
  // time, or the run's next poll lies in the app's future (or past) depending on today's date.
  const h = await startHarness({ clock: new ManualClock(Date.now()) });
  t.after(() => h.close());
  const out = path.join(h.dir, 'cli-out');

  const requested = await runChild(
    t,
    process.execPath,
    ['--import', TSX, CLI_MAIN, 'run', 'payroll', '2026-12-01', '--out', out, '--no-wait'],
    { cwd: h.dir, env: childEnv(h.env) },
  );
  assert.equal(requested.code, 0, requested.stderr);

  // The app's engine picks the run up and drives it; Lucca takes 90 s to build (manual clock).
  await h.advance(120_000);
  const run = h.app.store.get(1)!;
  assert.equal(run.state, 'done', `${run.state}: ${run.errorMessage}`);
  assert.equal(run.channelId, null);
  assert.deepEqual(readdirSync(out), ['payroll-2026-11_export-1-1.csv']);
  assert.equal(h.slack.uploads.length, 0, 'nothing is posted to Slack for a command-line run');
  assert.equal(h.sim.posts().length, 1);
});
