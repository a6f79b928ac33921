/**
 * Every message and view builder, fed extreme data, stays within Slack's limits (checked by the Slack
 * stand-in's own rules), shortens long content visibly ("…and N more"), and never lets text that came
 * from Lucca ping anyone or turn into a link.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type BlockKitViolation,
  checkMessageBlocks,
  checkView,
  describeViolation,
  messageTextViolation,
} from '../../../fakes/slack/block-kit-rules.js';
import { eventReply } from '../../../src/bot/messages/event-reply.js';
import { exportModal } from '../../../src/bot/messages/export-modal.js';
import { type HomeSchedule, homeView } from '../../../src/bot/messages/home-view.js';
import { fitList, truncate } from '../../../src/bot/messages/limits.js';
import { runParentMessage } from '../../../src/bot/messages/run-message.js';
import { statusMessage } from '../../../src/bot/messages/status-message.js';
import {
  RUN_EVENT_TYPES,
  RUN_STATES,
  type Run,
  type RunEvent,
  type StoredFile,
} from '../../../src/exports/types.js';
import { LANGUAGES } from '../../../src/i18n/language.js';
import type { OccurrenceRecord, Schedule } from '../../../src/store/schedule-store.js';
import { scheduleRecord } from '../../helpers/records.js';

/** Both languages: French sentences are longer, and the limits must hold in it too. */
const language = fc.constantFrom(...LANGUAGES);

function sampleRun(overrides: Partial<Run>): Run {
  const at = Date.UTC(2026, 11, 1, 9, 0);
  return {
    ...{ id: 12, configurationId: 3, configurationLabel: 'payroll', endsAt: '2026-12-01', state: 'polling' },
    ...{ attempt: 1, baselineId: 289, exportId: null, triggeredAt: at, nextAt: null, lockedBy: null },
    ...{ lockedUntil: null, errorCode: null, errorMessage: null, requestedBy: 'U0ANA', source: 'command' },
    ...{ channelId: 'C0PAY', threadTs: '1764000000.000100', scheduleId: null, files: [], summary: null },
    ...{ deliveryAttempts: 0, polls: 0, createdAt: at, updatedAt: at, finishedAt: null },
    ...overrides,
  };
}

/** Text Lucca could send: ordinary, very long, or carrying mrkdwn control sequences. */
const CONTROL = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U0BOSS>',
  '<https://evil.example|click me>',
  '<#C0HR>',
];
const luccaText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 150, maxLength: 260 }),
  fc.constantFrom(...CONTROL),
  fc
    .tuple(fc.string({ maxLength: 30 }), fc.constantFrom(...CONTROL), fc.string({ maxLength: 30 }))
    .map((p) => p.join('')),
  fc.constant('&'.repeat(200)),
  fc.constant('😀'.repeat(120)),
);
const errorText = fc.oneof(
  luccaText,
  fc.string({ minLength: 4000, maxLength: 5200 }),
  fc.constant(`<!channel> ${'x'.repeat(5000)}`),
);
// EXPORT_CONFIGURATIONS: an alias starts with a letter, then up to 31 of [a-z0-9_-] (config.ts).
const alias = fc.stringMatching(/^[a-z][a-z0-9_-]{0,31}$/);
const configId = fc.integer({ min: 1, max: 999_999_999 });

const file = fc
  .record({
    name: luccaText.map((n) => n || 'export.csv'),
    bytes: fc.nat({ max: 2 ** 40 }),
    origin: fc.constantFrom('lucca' as const, 'csv' as const),
  })
  .map((f): StoredFile => ({ ...f, path: '/tmp/x' }));
const files = fc.oneof(fc.array(file, { maxLength: 3 }), fc.array(file, { minLength: 40, maxLength: 45 }));
const summary = fc.record({
  exportId: fc.nat(),
  exportName: fc.option(luccaText),
  people: fc.nat(),
  entries: fc.nat(),
  totals: fc.oneof(
    fc.array(fc.record({ timeType: luccaText, unit: luccaText, amount: fc.double({ noNaN: true }) }), {
      maxLength: 3,
    }),
    fc.array(fc.record({ timeType: luccaText, unit: luccaText, amount: fc.double({ noNaN: true }) }), {
      minLength: 60,
      maxLength: 65,
    }),
  ),
});

const run = fc
  .record({
    state: fc.constantFrom(...RUN_STATES),
    configurationLabel: fc.option(alias),
    configurationId: fc.integer({ min: 1, max: 999_999_999 }),
    attempt: fc.integer({ min: 1, max: 1000 }),
    errorMessage: fc.option(errorText),
    files,
    note: fc.option(errorText),
    source: fc.constantFrom('command' as const, 'modal' as const, 'schedule' as const, 'home' as const),
  })
  .map((r) => sampleRun(r as Partial<Run>));

const skippedFile = fc.record({ name: luccaText, code: fc.constantFrom('file-too-large', 'not-found', 'x') });
const event = fc.record({
  type: fc.constantFrom(...RUN_EVENT_TYPES),
  actor: fc.constantFrom('U0ANA', 'engine', 'schedule:3', 'cli:ana'),
  detail: fc.record({
    message: errorText,
    summary,
    files,
    skipped: fc.oneof(
      fc.array(skippedFile, { maxLength: 2 }),
      fc.array(skippedFile, { minLength: 40, maxLength: 45 }),
    ),
    exportId: fc.nat(),
    willRetry: fc.boolean(),
    afterStall: fc.boolean(),
    waitedMs: fc.nat(),
    watchingMs: fc.nat(),
  }),
});

function assertWithinLimits(found: BlockKitViolation[], what: string) {
  assert.deepEqual(found.map(describeViolation), [], `${what} breaks a Slack limit`);
}

/** No Slack control sequence from Lucca's text survives: escaped, it shows as text and pings nobody. */
function assertNoControl(payload: unknown) {
  const json = JSON.stringify(payload);
  for (const sequence of CONTROL) assert.ok(!json.includes(sequence), `${sequence} reached Slack unescaped`);
}

function checkMessage(message: { text: string; blocks: unknown[] }, what: string) {
  assertWithinLimits(checkMessageBlocks(message as never), what);
  assert.equal(messageTextViolation(message as never), undefined, `${what}: text too long`);
  assertNoControl(message);
}

describe('message and view builders respect Slack limits whatever the data', () => {
  test('the parent message, for any run state, files, error and note', () => {
    fc.assert(
      fc.property(run, language, (r, lang) => {
        checkMessage(
          runParentMessage(r, {
            language: lang,
            stallAfterMs: 3_600_000,
            note: r.note ? `Note: ${r.note.replace(/[<>&]/g, '')}` : undefined,
          }),
          'parent',
        );
      }),
      { numRuns: 300, endOnFailure: true },
    );
  });

  test('every thread reply, for any event and Lucca answer', () => {
    fc.assert(
      fc.property(event, run, language, (e, r, lang) => {
        const message = eventReply(
          { ...e, id: 1, runId: r.id, at: 0, publishedAt: null } as RunEvent,
          r,
          lang,
        );
        if (message) checkMessage(message, `reply to ${e.type}`);
      }),
      { numRuns: 400, endOnFailure: true },
    );
  });

  test('the status answer, for 0 to 200 runs', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.array(run, { maxLength: 5 }), fc.array(run, { minLength: 150, maxLength: 200 })),
        (runs) => {
          for (const lang of LANGUAGES)
            checkMessage(
              statusMessage(runs, Date.UTC(2026, 11, 2), 'https://acme.slack.com/', lang),
              'status',
            );
        },
      ),
      { numRuns: 8, endOnFailure: true },
    );
  });

  test('the modal, for 0 to 150 configurations', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.dictionary(alias, configId, { maxKeys: 3 }),
          fc.dictionary(alias, configId, { minKeys: 101, maxKeys: 150 }),
        ),
        fc.constantFrom('en' as const, 'fr' as const),
        (aliases, language) => {
          const view = exportModal({ aliases, today: '2026-12-02', channelId: 'C0PAY', language });
          assertWithinLimits(checkView(view), 'modal');
        },
      ),
      { numRuns: 60, endOnFailure: true },
    );
  });

  test('the App Home tab, for 200 schedules with Lucca errors and 100 runs', () => {
    const schedule = (id: number, label: string | null): Schedule =>
      scheduleRecord({ id, configurationId: id, configurationLabel: label });
    const occurrence = {
      key: '2027-01',
      localDate: '2027-01-01',
      localTime: '08:00',
      firesAt: Date.UTC(2027, 0, 1, 7),
      endsAt: '2027-01-01',
    };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.option(alias), errorText), { minLength: 150, maxLength: 200 }),
        fc.array(run, { minLength: 90, maxLength: 100 }),
        fc.boolean(),
        fc.constantFrom('en' as const, 'fr' as const),
        (items, runs, canRun, language) => {
          const schedules: HomeSchedule[] = items.map(([label, error], i) => ({
            schedule: schedule(i + 1, label),
            next: occurrence,
            current: occurrence,
            last: {
              scheduleId: i + 1,
              key: '2026-12',
              firesAt: Date.UTC(2026, 11, 1, 7),
              endsAt: '2026-12-01',
              claimedAt: 0,
              claimedBy: 'w',
              runId: null,
              outcome: 'failed',
              errorCode: 'x',
              errorMessage: error,
              finishedAt: 0,
            } satisfies OccurrenceRecord,
          }));
          const view = homeView({
            runs,
            schedules,
            canRun,
            language,
            now: Date.UTC(2027, 0, 2),
            timezone: 'Europe/Paris',
            workspaceUrl: undefined,
          });
          assertWithinLimits(checkView(view), 'home');
          assertNoControl(view);
          const more = language === 'fr' ? /…et \d+ de plus/ : /…and \d+ more/;
          assert.match(JSON.stringify(view), more, 'the schedules not shown are counted');
        },
      ),
      { numRuns: 6, endOnFailure: true },
    );
  });
});

describe('long content is shortened visibly, never silently dropped', () => {
  test('40 files and 60 time types: the summary reply and the parent say how many more there are', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      name: `timesheet-export-payroll-2026-11-part-${String(i).padStart(2, '0')}-${'x'.repeat(60)}.csv`,
      path: '/tmp/x',
      bytes: 12_345,
      origin: 'lucca' as const,
    }));
    const totals = Array.from({ length: 60 }, (_, i) => ({
      timeType: `Time type ${i} ${'y'.repeat(100)}`,
      unit: 'hours',
      amount: i,
    }));
    const r = sampleRun({ state: 'done', files: many });
    const reply = eventReply(
      {
        id: 1,
        runId: r.id,
        type: 'fetched',
        actor: 'engine',
        at: 0,
        publishedAt: null,
        detail: {
          summary: { exportId: 5, exportName: null, people: 80, entries: 4000, totals },
          files: many,
        },
      },
      r,
      'en',
    )!;
    checkMessage(reply, 'summary reply');
    const replyText = JSON.stringify(reply.blocks);
    assert.match(replyText, /…and 5\d more time types/);
    assert.match(replyText, /…and \d+ more files/);
    const parent = runParentMessage(r, { language: 'en', stallAfterMs: 3_600_000 });
    checkMessage(parent, 'parent');
    assert.match(JSON.stringify(parent.blocks), /Delivered: .*…and \d+ more files/);
  });

  test('a 5 000-character Lucca error is cut with a visible ellipsis, its start kept', () => {
    const r = sampleRun({ state: 'failed', errorMessage: `Lucca said: ${'z'.repeat(5000)}` });
    const parent = runParentMessage(r, { language: 'en', stallAfterMs: 1 });
    checkMessage(parent, 'failed parent');
    assert.match(JSON.stringify(parent.blocks), /Failed: Lucca said: z+…/);
  });

  test('fitList and truncate keep to the budget and count what is left out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 300 }), { maxLength: 80 }),
        fc.integer({ min: 40, max: 3000 }),
        (items, max) => {
          const more = (n: number) => `…and ${n} more`;
          const out = fitList(items, { max, separator: '\n', more });
          assert.ok(out.length <= max, `${out.length} > ${max}`);
          const shown =
            out === '' ? 0 : out.split('\n').filter((line) => !/^…and \d+ more$/.test(line)).length;
          const left = /…and (\d+) more$/.exec(out);
          if (left) assert.equal(Number(left[1]), items.length - Math.min(shown, items.length));
          else assert.equal(out, items.join('\n'));
        },
      ),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), fc.integer({ min: 2, max: 400 }), (text, max) => {
        const out = truncate(text, max);
        assert.ok(out.length <= max);
        if (text.length <= max) assert.equal(out, text);
        else assert.ok(out.endsWith('…'));
      }),
    );
  });
});
