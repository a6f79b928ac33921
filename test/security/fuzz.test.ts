/**
 * Property-based fuzzing (fast-check) of everything a Slack user can type or click: the command
 * parser on 10 000 random and adversarial texts, then the real app (signed HTTP requests to Bolt's
 * receiver) with random commands, button payloads and modal submissions. Whatever arrives: no
 * crash, an answer, and Lucca hears only about real runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { COMMAND_NAME, commandErrorText } from '../../src/bot/messages/command-text.js';
import { EXPORT_MODAL_ID } from '../../src/bot/messages/export-modal.js';
import { ACTION_HOME_DISABLE, ACTION_HOME_RUN_NOW } from '../../src/bot/messages/home-view.js';
import { ACTION_CANCEL, ACTION_RETRY } from '../../src/bot/messages/run-message.js';
import { channelOfSlackText } from '../../src/bot/slack-channel.js';
import { type CommandError, type ParsedCommand, parseCommand } from '../../src/command/grammar.js';
import { scheduleExtension } from '../../src/schedule-extension.js';
import {
  ANA,
  eventually,
  type Harness,
  PAYROLL,
  SIGNING_SECRET,
  startHarness,
} from '../helpers/app-harness.js';
import {
  blockActionPayload,
  sendInteraction,
  sendSlashCommand,
  triggerId,
  viewSubmissionPayload,
} from '../helpers/slack-requests.js';

const ALIASES = { payroll: 3, overtime: 7 };
const TODAY = '2026-12-01';
const KINDS = new Set([
  'modal',
  'help',
  'status',
  'doctor',
  'run',
  'schedule-list',
  'schedule-add',
  'schedule-remove',
  'cancel',
  'retry',
  'error',
]);

/** Words of the grammar and near misses, so that random texts also walk the parser's real paths. */
const WORDS = [
  'payroll',
  'PAYROLL',
  'overtime',
  'unknown',
  '3',
  '7',
  '0',
  '-1',
  '1e3',
  '999999999',
  '9999999999',
  'last-month',
  'monday',
  '2026-12-01',
  '2026-02-30',
  '1999-12-01',
  '2099-01-01',
  '2026-12-01T00:00:00',
  'status',
  'help',
  'doctor',
  'schedule',
  'schedules',
  'add',
  'remove',
  'list',
  'month-start',
  'monday-after',
  'last-business-day',
  'at',
  '08:00',
  '25:61',
  'retry',
  'cancel',
  '12',
  'NaN',
  '<#C0PAYROLL|payroll>',
  '<#C0OTHER>',
  '<!channel>',
  '&lt;!everyone&gt;',
  '<@U0ANA>',
  '`rm -rf /`',
  "'; DROP TABLE runs; --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text a user might type
  '${process.env.LUCCA_API_KEY}',
  '{{7*7}}',
  '*bold*',
  '~strike~',
  '\u200bpayroll',
  '\u202epayroll',
  'payroll\u2014monday',
  '\u0000',
  '\u001b[31m',
  '\t',
  '\n',
  '🙂',
  'é',
  '𝟘',
];

const adversarialText = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'status',
      'schedule list',
      'schedule add overtime month-start at 07:00',
      'schedule remove 1',
      'retry 1',
      'cancel 2',
      'doctor',
      '',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('payroll', 'overtime', 'Payroll', '3', '7', '12'),
        fc.option(fc.constantFrom('last-month', 'monday', '2026-11-01', '2026-10-01', '2026-12-01'), {
          nil: undefined,
        }),
        fc.constantFrom('', ' ', '  \t'),
      )
      .map(([config, end, pad]) => `${pad}${config}${end ? ` ${end}` : ''}${pad}`),
  },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }).map((w) => w.join(' ')) },
  { weight: 2, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...WORDS), fc.nat({ max: 20_000 }))
      .map(([word, n]) => word.repeat(Math.max(1, Math.floor(n / Math.max(1, word.length))))),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u3000'), { maxLength: 10 })
      .map((a) => a.join('')),
  },
);

function isError(parsed: ParsedCommand | CommandError): parsed is CommandError {
  return parsed.kind === 'error';
}

describe('parseCommand on 10 000 random and adversarial texts', () => {
  test('never throws, always a command or an explanation with a correct example; never a mention', () => {
    let runs = 0;
    fc.assert(
      fc.property(adversarialText, (text) => {
        const parsed = parseCommand(text, { aliases: ALIASES, today: TODAY, channelOf: channelOfSlackText });
        assert.ok(KINDS.has(parsed.kind), parsed.kind);
        if (isError(parsed)) {
          const said = commandErrorText(parsed, 'en');
          assert.ok(said.message.trim().length > 0, 'an explanation');
          assert.ok(said.example.startsWith(COMMAND_NAME), said.example);
          // Echoed input is re-escaped: it can never ping a channel or a person (in French too).
          assert.doesNotMatch(said.message, /<[!@#]/);
          assert.doesNotMatch(commandErrorText(parsed, 'fr').message, /<[!@#]/);
          // The example itself must be a command that parses.
          assert.notEqual(
            parseCommand(said.example.slice(COMMAND_NAME.length), {
              aliases: ALIASES,
              today: TODAY,
              channelOf: channelOfSlackText,
            }).kind,
            'error',
          );
        }
        if (parsed.kind === 'run') {
          runs++;
          assert.ok(Number.isSafeInteger(parsed.configurationId) && parsed.configurationId > 0);
          assert.match(parsed.endsAt, /^\d{4}-\d{2}-\d{2}$/);
        }
      }),
      { numRuns: 10_000, seed: 20_261_201 },
    );
    assert.ok(runs > 50, `the generator reaches valid runs too (${runs})`);
  });
});

// ── The real app ─────────────────────────────────────────────────────────────────────────────────

const OUTSIDER = 'U0MALLORY';
/** No cron timers in tests: the scheduler is only woken by start(). */
const noCron = () => ({ stop() {}, destroy() {} });

describe('the real app under random input', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      compose: { extend: (parts) => scheduleExtension(parts, { cron: noCron }) },
    });
  });
  after(() => h.close());

  test('300 random signed commands: each acked 200 and answered; Lucca hears only of runs', async () => {
    const texts = fc.sample(adversarialText, { numRuns: 300, seed: 7 });
    let previousLuccaRequests = 0;
    let answered = 0;
    for (const [i, text] of texts.entries()) {
      const user = i % 10 === 9 ? OUTSIDER : ANA;
      const parsed = parseCommand(text, { aliases: ALIASES, today: TODAY, channelOf: channelOfSlackText });
      const responseUrl = h.slack.responseUrl(`fuzz-${i}`);
      const views = h.slack.views.opened.length;
      const runs = h.app.store.recent(1000).length;
      const ack = await sendSlashCommand(h.app.url!, SIGNING_SECRET, {
        text,
        user_id: user,
        channel_id: PAYROLL,
        response_url: responseUrl,
        trigger_id: triggerId(),
      });
      assert.equal(ack.status, 200, `ack for ${JSON.stringify(text.slice(0, 60))}`);
      // The answer: an ephemeral reply, the modal, or (a run started) its message in the channel.
      await eventually(
        () =>
          h.slack.responses.some((r) => r.url === responseUrl) ||
          h.slack.views.opened.length > views ||
          h.app.store.recent(1000).length > runs,
        `an answer to ${JSON.stringify(text.slice(0, 60))}`,
      );
      answered++;
      const reply = h.slack.responses.find((r) => r.url === responseUrl);
      if (reply) assert.equal(reply.body.response_type, 'ephemeral');
      await h.settle();
      const luccaRequests = h.sim.requests.length;
      if (luccaRequests > previousLuccaRequests) {
        assert.ok(
          // `doctor` checks the key with Lucca: allowed people only, like runs and retries.
          user === ANA && ['run', 'retry', 'doctor'].includes(parsed.kind),
          `Lucca was called after ${JSON.stringify(text.slice(0, 60))} (${parsed.kind})`,
        );
      }
      previousLuccaRequests = luccaRequests;
    }
    assert.equal(answered, 300);
    const kinds = texts.map(
      (text) => parseCommand(text, { aliases: ALIASES, today: TODAY, channelOf: channelOfSlackText }).kind,
    );
    assert.ok(kinds.filter((k) => k === 'run').length >= 5, 'the sample starts real runs too');
    assert.ok(new Set(kinds).size >= 6, `the sample walks many paths (${[...new Set(kinds)].join(', ')})`);
    for (const [i] of texts.entries()) {
      assert.ok(h.slack.responses.filter((r) => r.url.endsWith(`/fuzz-${i}`)).length <= 1, 'one answer each');
    }
    const healthy = await fetch(`${h.app.url}/healthz`);
    assert.equal(healthy.status, 200);
  });

  test('random button payloads (missing fields, wrong types, runs that do not exist): no crash, no Lucca', async () => {
    const lucca = h.sim.requests.length;
    const runs = JSON.stringify(h.app.store.recent(1000).map((r) => [r.id, r.state, r.attempt]));
    const value = fc.oneof(
      fc.constantFrom(
        '',
        '0',
        '-1',
        'NaN',
        'Infinity',
        '1e309',
        '999999999999999999999',
        '0x10',
        ' 1',
        '١',
        'null',
        '{}',
        '1.5',
      ),
      fc.string({ maxLength: 30 }),
      fc.integer().map(String),
      fc.constant(undefined),
    );
    const payloads = fc.sample(
      fc.record({
        actionId: fc.constantFrom(ACTION_RETRY, ACTION_CANCEL, ACTION_HOME_RUN_NOW, ACTION_HOME_DISABLE),
        value,
        user: fc.constantFrom(ANA, OUTSIDER, '', '<!channel>'),
        withResponseUrl: fc.boolean(),
        mutate: fc.constantFrom(
          'none',
          'no-user',
          'value-number',
          'value-object',
          'huge-value',
          'no-container',
        ),
      }),
      { numRuns: 120, seed: 11 },
    );
    for (const [i, p] of payloads.entries()) {
      // Run ids far above any the store holds: clicking them must change nothing.
      const runValue =
        p.value === undefined ? undefined : /^\d+$/.test(p.value) ? `9${p.value}00000` : p.value;
      const responseUrl = h.slack.responseUrl(`button-${i}`);
      const payload = blockActionPayload({
        actionId: p.actionId,
        value: runValue ?? '',
        userId: p.user || 'U0NOBODY',
        channelId: PAYROLL,
        messageTs: '1.000',
        responseUrl,
      }) as Record<string, unknown> & { actions: Record<string, unknown>[] };
      if (p.withResponseUrl === false) delete payload.response_url;
      if (runValue === undefined) delete payload.actions[0]!.value;
      switch (p.mutate) {
        case 'no-user':
          delete payload.user;
          break;
        case 'value-number':
          payload.actions[0]!.value = Number(runValue ?? 0);
          break;
        case 'value-object':
          payload.actions[0]!.value = { id: runValue };
          break;
        case 'huge-value':
          payload.actions[0]!.value = '7'.repeat(50_000);
          break;
        case 'no-container':
          delete payload.container;
          delete payload.channel;
          break;
      }
      const ack = await sendInteraction(h.app.url!, SIGNING_SECRET, payload);
      if (p.mutate === 'no-user') {
        // Slack never sends an action without its user; Bolt itself refuses it before any listener runs.
        assert.ok(ack.status === 200 || ack.status === 500, `answer for ${JSON.stringify(p)}`);
        continue;
      }
      assert.equal(ack.status, 200, `ack for ${JSON.stringify(p)}`);
      if (p.withResponseUrl && (p.actionId === ACTION_RETRY || p.actionId === ACTION_CANCEL)) {
        const reply = await eventually(() => h.slack.responses.find((r) => r.url === responseUrl), 'a reply');
        assert.equal(reply.body.response_type, 'ephemeral');
      }
    }
    await h.settle();
    assert.equal(h.sim.requests.length, lucca, 'no Lucca request');
    assert.equal(
      JSON.stringify(h.app.store.recent(1000).map((r) => [r.id, r.state, r.attempt])),
      runs,
      'no run changed',
    );
    assert.equal((await fetch(`${h.app.url}/healthz`)).status, 200);
  });

  test('random modal submissions: answered (errors or accepted), never a crash; Lucca only for valid forms', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('3', '7', '-1', 'NaN', '1e3', '99999999999', '<!channel>', ''),
    );
    const anything = fc.oneof(
      text,
      fc.integer(),
      fc.constant(null),
      fc.constant({}),
      fc.array(fc.integer(), { maxLength: 3 }),
    );
    const submissions = fc.sample(
      fc.record({
        user: fc.constantFrom(ANA, OUTSIDER),
        alias: fc.oneof(
          fc.constantFrom('payroll', 'overtime', 'nope', 'constructor', '__proto__', 'toString'),
          anything,
        ),
        number: fc.option(anything),
        choice: fc.oneof(fc.constantFrom('last-month', 'monday', 'custom'), anything),
        date: fc.oneof(fc.constantFrom('2026-11-01', '2026-13-45', '1999-01-01', '2099-12-01'), anything),
        metadata: fc.oneof(
          fc.constant(JSON.stringify({ channelId: PAYROLL })),
          fc.constant(JSON.stringify({ channelId: 'C0ELSEWHERE' })),
          fc.constant('{not json'),
          fc.constant(JSON.stringify(['x'])),
          text,
        ),
        shape: fc.constantFrom('normal', 'no-values', 'values-null', 'block-null'),
      }),
      { numRuns: 150, seed: 23 },
    );
    for (const s of submissions) {
      const values: Record<string, unknown> = {
        config_alias: { value: { type: 'static_select', selected_option: { value: s.alias } } },
        end_choice: { value: { type: 'radio_buttons', selected_option: { value: s.choice } } },
        end_date: { value: { type: 'datepicker', selected_date: s.date } },
      };
      if (s.number !== null) values.config_number = { value: { type: 'plain_text_input', value: s.number } };
      const payload = viewSubmissionPayload({
        callbackId: EXPORT_MODAL_ID,
        userId: s.user,
        values: values as Record<string, Record<string, unknown>>,
        privateMetadata: s.metadata,
      }) as { view: { state: Record<string, unknown> | null } };
      if (s.shape === 'no-values') payload.view.state = {};
      if (s.shape === 'values-null') payload.view.state = { values: null };
      if (s.shape === 'block-null')
        payload.view.state = { values: { config_alias: null, config_number: null } };
      const before = h.sim.requests.length;
      const runs = h.app.store.recent(1000).length;
      const ack = await sendInteraction(h.app.url!, SIGNING_SECRET, payload);
      assert.equal(ack.status, 200, `ack for ${JSON.stringify(s)}`);
      if (ack.body) {
        const answer = JSON.parse(ack.body) as { response_action?: string; errors?: Record<string, string> };
        assert.equal(answer.response_action, 'errors');
        assert.ok(Object.values(answer.errors ?? {}).every((m) => typeof m === 'string' && m.length > 0));
      }
      await h.settle();
      if (h.sim.requests.length > before || h.app.store.recent(1000).length > runs) {
        assert.equal(s.user, ANA, 'only an allowed person starts a run');
        assert.equal(JSON.parse(s.metadata).channelId, PAYROLL);
      }
    }
    assert.equal((await fetch(`${h.app.url}/healthz`)).status, 200);
  });
});
