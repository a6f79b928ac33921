import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventReply } from '../../../src/bot/messages/event-reply.js';
import { ACTION_CANCEL, ACTION_RETRY, runParentMessage } from '../../../src/bot/messages/run-message.js';
import { statusMessage } from '../../../src/bot/messages/status-message.js';
import { RUN_STATES, type Run } from '../../../src/exports/types.js';
import { runEvent } from '../../helpers/records.js';

export function sampleRun(overrides: Partial<Run> = {}): Run {
  return {
    id: 12,
    configurationId: 3,
    configurationLabel: 'payroll',
    endsAt: '2026-12-01',
    state: 'polling',
    attempt: 1,
    baselineId: 289,
    exportId: null,
    triggeredAt: Date.UTC(2026, 11, 1, 9, 0),
    nextAt: null,
    lockedBy: null,
    lockedUntil: null,
    errorCode: null,
    errorMessage: null,
    requestedBy: 'U0ANA',
    source: 'command',
    channelId: 'C0PAY',
    threadTs: '1764000000.000100',
    scheduleId: null,
    files: [],
    summary: null,
    deliveryAttempts: 0,
    polls: 0,
    createdAt: Date.UTC(2026, 11, 1, 9, 0),
    updatedAt: Date.UTC(2026, 11, 1, 9, 0),
    finishedAt: null,
    ...overrides,
  };
}

const actionIds = (message: { blocks: unknown[] }) =>
  JSON.stringify(message.blocks)
    .match(/"action_id":"[a-z_]+"/g)
    ?.map((m) => m.slice(13, -1)) ?? [];

describe('parent message', () => {
  test('names the configuration, the month exported and who asked', () => {
    const message = runParentMessage(sampleRun(), { language: 'en', stallAfterMs: 3_600_000 });
    const text = JSON.stringify(message.blocks);
    assert.match(text, /payroll \(#3\)/);
    assert.match(text, /November 2026/);
    assert.match(text, /<@U0ANA>/);
    assert.match(message.text, /Lucca is building the export/);
  });

  test('a run asked for before its period is over says it is a preview, judged on the day it was asked', () => {
    const asked = Date.UTC(2026, 11, 1, 23, 30); // 2 Dec 00:30 in Paris
    const preview = runParentMessage(sampleRun({ endsAt: '2027-06-01', createdAt: asked }), {
      language: 'en',
      stallAfterMs: 3_600_000,
      timezone: 'Europe/Paris',
    });
    assert.match(
      JSON.stringify(preview.blocks),
      /:warning: Preview of a period that is not over: it runs until Mon 31 May 2027 and today is Wed 2 Dec 2026/,
    );
    const upToToday = runParentMessage(sampleRun({ endsAt: '2026-12-02', createdAt: asked }), {
      language: 'en',
      stallAfterMs: 3_600_000,
      timezone: 'Europe/Paris',
    });
    assert.doesNotMatch(JSON.stringify(upToToday.blocks), /Preview/, 'in Paris, 1 Dec is over');
    const closedMonth = runParentMessage(sampleRun(), {
      language: 'en',
      stallAfterMs: 3_600_000,
      timezone: 'Europe/Paris',
    });
    assert.doesNotMatch(JSON.stringify(closedMonth.blocks), /Preview/);
  });

  test('offers Cancel while active, Retry once stalled or failed, nothing when final', () => {
    const expected: Record<string, string[]> = {
      queued: [ACTION_CANCEL],
      baseline: [ACTION_CANCEL],
      triggering: [ACTION_CANCEL],
      polling: [ACTION_CANCEL],
      fetching: [ACTION_CANCEL],
      delivering: [ACTION_CANCEL],
      stalled: [ACTION_RETRY, ACTION_CANCEL],
      failed: [ACTION_RETRY],
      done: [],
      cancelled: [],
    };
    for (const state of RUN_STATES) {
      assert.deepEqual(
        actionIds(runParentMessage(sampleRun({ state }), { language: 'en', stallAfterMs: 1 })),
        expected[state],
        state,
      );
    }
  });

  test('a failed run shows the reason in plain words, escaped for Slack', () => {
    const message = runParentMessage(
      sampleRun({ state: 'failed', errorMessage: 'Lucca refused the API key <script>' }),
      { language: 'en', stallAfterMs: 1 },
    );
    assert.match(JSON.stringify(message.blocks), /Lucca refused the API key &lt;script&gt;/);
  });

  test('a scheduled run says so instead of naming a person', () => {
    const message = runParentMessage(sampleRun({ source: 'schedule', requestedBy: 'schedule:4' }), {
      language: 'en',
      stallAfterMs: 1,
    });
    assert.match(JSON.stringify(message.blocks), /Scheduled month-end export/);
  });
});

describe('thread replies', () => {
  const event = runEvent;

  test('the found export is summarised: people, entries, totals by time type', () => {
    const reply = eventReply(
      event('fetched', {
        exportId: 290,
        summary: {
          exportId: 290,
          exportName: 'Nov',
          people: 2,
          entries: 5,
          totals: [{ timeType: 'Overtime 25%', unit: 'hours', amount: 7.5 }],
        },
        files: [{ name: 'payroll.csv', path: '/x', bytes: 2048, origin: 'lucca' }],
      }),
      sampleRun(),
      'en',
    );
    const text = JSON.stringify(reply);
    assert.match(text, /\*2\* people, \*5\* entries/);
    assert.match(text, /Overtime 25%: 7.5 hours/);
    assert.match(text, /payroll.csv/);
    assert.match(text, /2.0 KB/);
  });

  test('a file without its summary says why, and files without a link are named', () => {
    const reply = eventReply(
      event('fetched', {
        exportId: 290,
        files: [{ name: 'export-290.csv', path: '/x', bytes: 2048, origin: 'csv' }],
        skipped: [{ name: 'paie.csv', code: 'no-link' }],
        summaryUnavailable: 'unavailable',
      }),
      sampleRun(),
      'en',
    );
    assert.match(reply!.text, /summary is unavailable: Lucca did not list this export's entries in time/);
    assert.match(reply!.text, /paie.csv.* was not downloaded: Lucca listed it without a link/);
    assert.match(reply!.text, /attached as a CSV made by the app/);
  });

  test('an export recognised without its end date says how, so the period is checked', () => {
    const reply = eventReply(event('found', { exportId: 290, matchedBy: 'id-and-time' }), sampleRun(), 'en');
    assert.match(
      reply!.text,
      /export #290 was taken as ours because it is the first one created after the request/,
    );
    assert.equal(
      eventReply(event('found', { exportId: 290 }), sampleRun(), 'en'),
      null,
      'the usual case stays quiet',
    );
  });

  test('a stall explains why and carries Retry and Cancel', () => {
    const reply = eventReply(
      event('stalled', { waitedMs: 3_600_000 }),
      sampleRun({ state: 'stalled' }),
      'en',
    );
    assert.ok(reply);
    assert.match(reply.text, /1h/);
    assert.deepEqual(actionIds(reply), [ACTION_RETRY, ACTION_CANCEL]);
  });

  test('a stall quotes the same limit as the parent message, not the time the last poll landed', () => {
    const run = sampleRun({ state: 'stalled', nextAt: 1 });
    const detail = { waitedMs: 15_600, polls: 4, watchingMs: 15_000, stallAfterMs: 15_000 };
    const reply = eventReply(event('stalled', detail), run, 'en')!;
    const parent = runParentMessage(run, { language: 'en', stallAfterMs: 15_000 });
    assert.match(reply.text, /Still no export from Lucca after 15s\./);
    assert.match(parent.text, /no export after 15s\./);
    assert.doesNotMatch(reply.text, /16s/);
  });

  test('a retry names who pressed it', () => {
    const reply = eventReply(event('retried', { attempt: 1, recheck: true }, 'U0BOB'), sampleRun(), 'en');
    assert.match(reply!.text, /<@U0BOB> pressed Retry: one more look for the earlier export/);
  });

  test('state-only events make no reply', () => {
    assert.equal(eventReply(event('started'), sampleRun(), 'en'), null);
    assert.equal(eventReply(event('trigger-pending'), sampleRun(), 'en'), null);
  });
});

describe('status', () => {
  test('lists runs with state, age and a thread link built from the workspace URL', () => {
    const now = Date.UTC(2026, 11, 1, 11, 0);
    const message = statusMessage([sampleRun({ state: 'done' })], now, 'https://acme.slack.com/', 'en');
    const text = JSON.stringify(message.blocks);
    assert.match(text, /delivered/);
    assert.match(text, /2h ago/);
    assert.match(text, /https:\/\/acme.slack.com\/archives\/C0PAY\/p1764000000000100\|thread/);
  });

  test('says how to start when there is nothing yet', () => {
    assert.match(statusMessage([], 0, undefined, 'en').text, /No exports yet/);
  });
});
