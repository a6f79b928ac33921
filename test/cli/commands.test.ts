import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { nextOccurrence } from '../../src/schedule/rules.js';
import { openDatabase } from '../../src/store/database.js';
import { ScheduleStore } from '../../src/store/schedule-store.js';
import { PROCESS_TEST_TIMEOUT } from '../helpers/child-processes.js';
import { cliFixture, finished, waitForOutput } from './cli-process.js';

const ME = `cli:${userInfo().username}`;

describe('timesheet-export status, cancel, schedules, usage', { concurrency: 3 }, () => {
  it('cancel stops a run another CLI process is following; status --json shows both runs', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const f = await cliFixture(t, { buildMs: 'never' });
    const follower = f.spawn(['run', 'payroll', '2026-12-01', '--out', f.out]);
    const followed = finished(follower);
    await waitForOutput(follower, 'Lucca is building the export');

    const cancel = await f.run(['cancel', '1']);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.match(cancel.stdout, /Run #1 \(payroll \(#3\), November 2026\) cancelled; it was polling\./);

    const end = await followed;
    assert.equal(end.code, 1);
    assert.match(end.stderr, /Run #1 was cancelled by .+ \(command line\)\./);

    const queued = await f.run(['run', '3', '2026-11-01', '--no-wait', '--json']);
    assert.equal(queued.code, 0, queued.stderr);
    assert.deepEqual(JSON.parse(queued.stdout), {
      type: 'requested',
      runId: 2,
      outcome: 'created',
      state: 'baseline',
      outDir: `${f.dir}/exports`,
    });

    const status = await f.run(['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    const { runs } = JSON.parse(status.stdout);
    assert.deepEqual(
      runs.map((run: Record<string, unknown>) => [run.id, run.configurationLabel, run.endsAt, run.state]),
      [
        [2, 'payroll', '2026-11-01', 'baseline'],
        [1, 'payroll', '2026-12-01', 'cancelled'],
      ],
    );
    assert.equal(runs[1].requestedBy, ME);
    assert.equal(runs[1].source, 'cli');

    const again = await f.run(['cancel', '1', '--json']);
    assert.equal(again.code, 0);
    assert.equal(JSON.parse(again.stdout).outcome, 'already-final');
    const missing = await f.run(['cancel', '99']);
    assert.equal(missing.code, 2, 'a run number that names no run is a bad command line, as the README says');
    assert.match(missing.stderr, /There is no run #99\./);
    assert.equal(f.sim.posts().length, 1);
  });

  it('schedules lists each schedule with its next occurrence', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const f = await cliFixture(t);
    const db = openDatabase(f.env.DATABASE_PATH!);
    new ScheduleStore(db).create(
      {
        configurationId: 3,
        configurationLabel: 'payroll',
        rule: 'month-start',
        timeOfDay: '07:30',
        channelId: 'C0PAYROLL',
        createdBy: 'U0ANA',
      },
      Date.now(),
    );
    db.close();
    // The child reads its own clock somewhere between `before` and `after`; should an occurrence fire in
    // between, either next occurrence is right. Comparing with the test's clock alone fails at that instant.
    const before = Date.now();
    const result = await f.run(['schedules', '--json'], { SCHEDULE_TIMEZONE: 'Europe/Paris' });
    const after = Date.now();

    assert.equal(result.code, 0, result.stderr);
    const listed = JSON.parse(result.stdout);
    assert.equal(listed.timezone, 'Europe/Paris');
    assert.equal(listed.schedules.length, 1);
    const [schedule] = listed.schedules;
    assert.equal(schedule.rule, 'month-start');
    assert.equal(schedule.channelId, 'C0PAYROLL');
    const [atBefore, atAfter] = [before, after].map((now) =>
      nextOccurrence('month-start', now, '07:30', 'Europe/Paris'),
    );
    const expected = schedule.next.endsAt === atAfter!.endsAt ? atAfter! : atBefore!;
    assert.equal(schedule.next.endsAt, expected.endsAt);
    assert.equal(schedule.next.local, `${expected.localDate} 07:30`);
  });

  it('retry of a run that does not exist exits 2; hints name the command as invoked through npm', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const f = await cliFixture(t);
    // What `npm run cli -- retry 99` sets (npm 7+: npm_lifecycle_event is the script's name).
    const viaNpm = await f.run(['retry', '99'], { npm_lifecycle_event: 'cli', npm_command: 'run' });
    assert.equal(viaNpm.code, 2);
    assert.equal(viaNpm.stderr, 'There is no run #99. `npm run cli -- status` lists the runs.\n');
    const help = await f.run(['status', '--help'], { npm_lifecycle_event: 'export' });
    assert.match(help.stdout, /^Usage: npm run cli -- status /);
    // Installed with `npm link` (or run by a test): the command's own name.
    const direct = await f.run(['retry', '99']);
    assert.equal(direct.code, 2);
    assert.match(direct.stderr, /`timesheet-export status` lists the runs/);
    assert.equal(f.sim.requests.length, 0);

    // An end date in the future is a preview, and the CLI says so (on stderr, beside --json's lines).
    const future = new Date();
    future.setUTCMonth(future.getUTCMonth() + 3, 1);
    const endsAt = future.toISOString().slice(0, 10);
    const preview = await f.run(['run', 'payroll', endsAt, '--no-wait', '--json']);
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(preview.stderr, /^Note: Preview of a period that is not over: it runs until /);
    assert.equal(JSON.parse(preview.stdout).type, 'requested');
  });

  it('usage: --help exits 0; unknown commands and options exit 2 with the usage', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const f = await cliFixture(t);
    const help = await f.run(['run', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: timesheet-export run <config> \[<end>\]/);

    const unknown = await f.run(['export', '3']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown command "export"\.[\s\S]*Usage: timesheet-export <command>/);

    const flag = await f.run(['status', '--verbose']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /Unknown option '--verbose'\.[\s\S]*Usage: timesheet-export status/);

    // An output folder that cannot take the file is refused before Lucca builds anything.
    writeFileSync(path.join(f.dir, 'a-file'), '');
    const out = await f.run(['run', '3', '--out', path.join(f.dir, 'a-file', 'out')]);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /--out: .*a-file\/out is not a folder\./);
    assert.equal(f.sim.requests.length, 0);
  });
});
