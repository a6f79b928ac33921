import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventReply, summaryText } from '../../../src/bot/messages/event-reply.js';
import { codeSpan, luccaText } from '../../../src/bot/messages/lucca-text.js';
import { runParentMessage } from '../../../src/bot/messages/run-message.js';
import { sanitizeFileName } from '../../../src/exports/file-names.js';
import { summarizeExport } from '../../../src/exports/summary.js';
import type { Run, RunEvent, StoredFile } from '../../../src/exports/types.js';
import { luccaMessageOf } from '../../../src/lucca/errors.js';
import { entry } from '../../exports/fake-lucca.js';

/** The fields the message builders read. */
function sampleRun(overrides: Partial<Run> = {}): Run {
  const at = Date.UTC(2026, 11, 1, 9, 0);
  return {
    ...({} as Run),
    id: 12,
    configurationId: 3,
    configurationLabel: 'payroll',
    endsAt: '2026-12-01',
    state: 'fetching',
    attempt: 1,
    requestedBy: 'U0ANA',
    source: 'command',
    channelId: 'C0PAY',
    threadTs: '1764000000.000100',
    files: [],
    exportId: 290,
    triggeredAt: at,
    nextAt: null,
    createdAt: at,
    ...overrides,
  };
}

const FORGED = 'Heures normales: 1 h\n:white_check_mark: Delivered to #payroll: `fake.csv`';
const SPOOFED = 'salaires\u202Evsc.exe';

const fetched = (detail: Record<string, unknown>): RunEvent => ({
  id: 1,
  runId: 12,
  type: 'fetched',
  actor: 'engine',
  at: 0,
  detail,
  publishedAt: null,
});

const file = (name: string): StoredFile => ({ name, path: '/x', bytes: 2048, origin: 'lucca' });

/** The lines a reader sees in a mrkdwn text. */
const linesOf = (text: string) => text.split('\n');

describe('Lucca text in Slack messages (issue #16, point 8)', () => {
  test('a time-type name with a newline cannot forge a line in the summary', () => {
    const summary = summarizeExport(
      {
        id: 9,
        name: 'Paie',
        createdAt: null,
        configurationId: 3,
        startsAt: null,
        endsAt: null,
        exportFiles: [],
      },
      [entry({ timeType: { id: 1, name: FORGED, payTreatment: null }, amount: 2 })],
    );
    const lines = linesOf(summaryText(summary, 'en'));
    assert.equal(lines.length, 2, 'the head line and one total');
    assert.ok(!lines.some((line) => line.startsWith(':white_check_mark:')), lines.join(' | '));
    assert.match(lines[1]!, /^• Heures normales: 1 h :white_check_mark: Delivered/);
  });

  test('a summary stored before the fix is cleaned when shown', () => {
    const text = summaryText(
      {
        exportId: 9,
        exportName: null,
        people: 1,
        entries: 1,
        totals: [{ timeType: FORGED, unit: 'h\nours', amount: 2 }],
      },
      'en',
    );
    assert.equal(linesOf(text).length, 2);
  });

  test('a file name with a right-to-left override shows as stored, not reversed', () => {
    const reply = eventReply(fetched({ files: [file(SPOOFED)] }), sampleRun(), 'en');
    assert.ok(reply);
    assert.ok(!JSON.stringify(reply).includes('\\u202e') && !reply.text.includes('\u202E'));
    assert.match(reply.text, /salairesvsc\.exe/);
  });

  test('the saved file name itself loses bidi and zero-width characters', () => {
    assert.equal(sanitizeFileName(SPOOFED, 'x'), 'salairesvsc.exe');
    assert.equal(sanitizeFileName('pay\u200Broll\u2066.csv', 'x'), 'payroll.csv');
  });

  test('a backtick in a file name cannot close the code span', () => {
    const name = 'a`*b*` <!channel>.csv';
    for (const message of [
      eventReply(fetched({ files: [file(name)] }), sampleRun(), 'en')!,
      eventReply(fetched({ files: [], skipped: [{ name, code: 'not-found' }] }), sampleRun(), 'en')!,
      runParentMessage(sampleRun({ state: 'done', files: [file(name)] }), {
        language: 'en',
        stallAfterMs: 60_000,
      }),
    ]) {
      const mrkdwn = JSON.stringify(message.blocks);
      const spans = mrkdwn.match(/`[^`]*`/g) ?? [];
      assert.equal(spans.length, 1, mrkdwn);
      assert.match(spans[0]!, /a.\*b\*. &lt;!channel&gt;\.csv/);
    }
  });

  test('codeSpan and luccaText: one line, no bidi, escaped, never an empty span', () => {
    assert.equal(codeSpan('a`b'), '`a\u02CBb`');
    assert.equal(codeSpan('\u202E'), '`?`');
    assert.equal(luccaText('x\n<@U1>\u202E'), 'x &lt;@U1&gt;');
  });

  test("Lucca's error message is one line without bidi or zero-width characters", () => {
    const body = JSON.stringify({ Status: 400, Message: 'endsAt\u2028is\u202E wrong\u200B' });
    assert.equal(luccaMessageOf(body, []), 'endsAt is wrong');
  });
});
