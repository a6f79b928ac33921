import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ACTION_HOME_DISABLE, ACTION_HOME_RUN_NOW } from '../src/bot/messages/home-view.js';
import { localToUtc } from '../src/schedule/rules.js';
import type { CronFactory } from '../src/schedule/scheduler.js';
import { type ScheduleExtension, scheduleExtension } from '../src/schedule-extension.js';
import {
  ANA,
  eventually,
  type Harness,
  PAYROLL,
  SIGNING_SECRET,
  startHarness,
} from './helpers/app-harness.js';
import { blockActionPayload, sendEvent, sendInteraction } from './helpers/slack-requests.js';

const paris = (date: string, time: string) => localToUtc(date, time, 'Europe/Paris');

/** node-cron replaced: the test wakes the scheduler itself. */
const noCron: CronFactory = () => ({ stop: () => undefined, destroy: () => undefined });

// biome-ignore lint/suspicious/noExplicitAny: reading Block Kit JSON published to the stand-in
type AnyView = { blocks: any[] };

describe('schedules in the running app (signed HTTP requests, Slack stand-in, real store and engine)', () => {
  let h: Harness;
  let ext: ScheduleExtension;
  before(async () => {
    h = await startHarness({
      compose: {
        extend: (parts) => {
          ext = scheduleExtension(parts, { cron: noCron });
          return ext;
        },
      },
    });
  });
  after(() => h.close());

  async function answer(text: string, user = ANA): Promise<string> {
    const url = h.slack.responseUrl();
    await h.command(text, { responseUrl: url, user });
    const found = await eventually(
      () => h.slack.responses.find((r) => r.url === url),
      `an answer to ${text}`,
    );
    return `${found.body.text}\n${JSON.stringify(found.body.blocks ?? [])}`;
  }

  async function openHome(user: string): Promise<AnyView> {
    delete h.slack.views.published[user];
    const sent = await sendEvent(h.app.url!, SIGNING_SECRET, {
      type: 'app_home_opened',
      user,
      channel: 'D0HOME',
      tab: 'home',
    });
    assert.equal(sent.status, 200);
    return eventually(() => h.slack.views.published[user] as AnyView | undefined, 'a published Home tab');
  }

  async function press(actionId: string, value: string, user = ANA): Promise<AnyView> {
    delete h.slack.views.published[user];
    const sent = await sendInteraction(
      h.app.url!,
      SIGNING_SECRET,
      blockActionPayload({ actionId, value, userId: user, channelId: 'D0HOME', messageTs: '1.000' }),
    );
    assert.equal(sent.status, 200);
    return eventually(
      () => h.slack.views.published[user] as AnyView | undefined,
      'the re-published Home tab',
    );
  }

  test('schedule add, then list, through the slash command', async () => {
    const added = await answer('schedule add payroll month-start at 08:00');
    assert.match(added, /Schedule 1 added: payroll \(#3\) is exported in <#C0PAYROLL>/);
    assert.match(added, /Next: Fri 1 Jan 2027 at 08:00 \(Europe\/Paris\)/);
    const listed = await answer('schedule list');
    assert.match(listed, /\*Schedule 1\* · payroll \(#3\) → <#C0PAYROLL>/);
    const refused = await answer('schedule remove 1', 'U0EVE');
    assert.match(refused, /ALLOWED_USERS/);
  });

  test('App Home shows the schedule with buttons to an allowed person, without them to others', async () => {
    const mine = await openHome(ANA);
    assert.match(JSON.stringify(mine), /Schedule 1/);
    const ids = mine.blocks
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements.map((e: { action_id: string }) => e.action_id));
    assert.deepEqual(ids, [ACTION_HOME_RUN_NOW, ACTION_HOME_DISABLE]);

    const theirs = await openHome('U0EVE');
    assert.match(JSON.stringify(theirs), /Schedule 1/);
    assert.equal(theirs.blocks.filter((b) => b.type === 'actions').length, 0);
    assert.match(JSON.stringify(theirs), /:lock:/);
  });

  test('Run now from App Home starts the export in the schedule channel and says so at the top', async () => {
    const refused = await press(ACTION_HOME_RUN_NOW, '1:2026-12-01', 'U0EVE');
    assert.match(JSON.stringify(refused.blocks[1]), /:lock:/);
    assert.equal(h.app.store.recent(10).length, 0, 'nothing started for someone not allowed');

    const view = await press(ACTION_HOME_RUN_NOW, '1:2026-12-01');
    const run = await h.postedRun();
    assert.equal(run.source, 'home');
    assert.equal(run.scheduleId, 1);
    assert.equal(run.endsAt, '2026-12-01');
    assert.equal(run.requestedBy, ANA);
    assert.equal(run.channelId, PAYROLL);
    assert.equal(run.note, `Started from App Home by <@${ANA}>`);
    assert.match(JSON.stringify(view.blocks[1]), new RegExp(`Started run ${run.id}`));
    assert.ok(h.slack.messagesIn(PAYROLL).some((m) => m.ts === run.threadTs));
  });

  test('after a downtime over the 1st, the restarted app catches the occurrence up once, saying it is late', async () => {
    h.clock.set(paris('2027-01-02', '10:00'));
    await h.restart();
    const run = await h.postedRun((r) => r.source === 'schedule');
    assert.equal(run.endsAt, '2027-01-01');
    assert.equal(run.requestedBy, 'schedule:1');
    assert.match(
      run.note ?? '',
      /^Caught up late: this export was due at Fri 1 Jan 2027 at 08:00 \(Europe\/Paris\)/,
    );
    const posted = h.slack.callsTo('chat.postMessage').map((c) => String(c.args.text));
    assert.ok(posted.some((text) => /^Scheduled month-end export: payroll \(#3\), December 2026/.test(text)));
    const parent = h.slack.messagesIn(PAYROLL).find((m) => m.ts === run.threadTs);
    assert.match(JSON.stringify(parent?.blocks ?? parent?.text), /Scheduled month-end export/);
    await h.settle();
    const updated = h.slack.messagesIn(PAYROLL).find((m) => m.ts === run.threadTs);
    assert.match(JSON.stringify(updated?.blocks), /Caught up late: this export was due at Fri 1 Jan 2027/);
    assert.match(
      updated?.text ?? '',
      /^Caught up late: Timesheet export: payroll \(#3\), December 2026/,
      'in the headline',
    );

    await ext.scheduler.tick();
    await h.restart();
    await ext.scheduler.tick();
    assert.equal(h.app.store.recent(100).filter((r) => r.source === 'schedule').length, 1);
  });

  test('an occurrence missed past the catch-up window is announced in its channel with Run now', async () => {
    // Down from early January until 10 February: the 1 February occurrence is long past the window.
    h.clock.set(paris('2027-02-10', '10:00'));
    await h.restart();
    const missed = await eventually(
      () => h.slack.messagesIn(PAYROLL).find((m) => /was missed/.test(m.text ?? '')),
      'the announcement',
    );
    assert.match(
      missed.text ?? '',
      /payroll \(#3\), January 2027, was missed: it was due Mon 1 Feb 2027 at 08:00/,
    );
    const button = JSON.stringify(missed.blocks);
    assert.match(button, new RegExp(`"action_id":"${ACTION_HOME_RUN_NOW}"`));
    assert.match(button, /"value":"1:2027-02-01"/, 'Run now exports the missed month');
    assert.equal(
      h.app.store.recent(100).filter((r) => r.endsAt === '2027-02-01').length,
      0,
      'nothing started',
    );
  });

  test('Disable from App Home stops the schedule', async () => {
    const view = await press(ACTION_HOME_DISABLE, '1');
    assert.match(JSON.stringify(view.blocks[1]), /Schedule 1 is disabled/);
    assert.match(JSON.stringify(view), /No schedules yet/);
    h.clock.set(paris('2027-02-01', '08:00'));
    await ext.scheduler.tick();
    assert.equal(h.app.store.recent(100).filter((r) => r.source === 'schedule').length, 1);
  });
});
