import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CommandContext,
  endDateProblem,
  type ParsedCommand,
  parseCommand,
  parseRunRequest,
} from '../../src/command/grammar.js';
import { COMMAND_WORDS } from '../../src/command/words.js';

const context: CommandContext = { aliases: { payroll: 3, overtime: 7 }, today: '2026-11-20' };
const parse = (text: string, ctx: CommandContext = context) => parseCommand(text, ctx);

describe('parseCommand: good input', () => {
  const cases: [string, ParsedCommand][] = [
    ['', { kind: 'modal' }],
    ['   \t ', { kind: 'modal' }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['help me please', { kind: 'help' }],
    ['status', { kind: 'status' }],
    ['doctor', { kind: 'doctor' }],
    [
      '3 2026-12-01',
      { kind: 'run', configurationId: 3, configurationLabel: 'payroll', endsAt: '2026-12-01' },
    ],
    ['12 2026-12-01', { kind: 'run', configurationId: 12, configurationLabel: null, endsAt: '2026-12-01' }],
    [
      '999999999',
      {
        kind: 'run',
        configurationId: 999999999,
        configurationLabel: null,
        endsAt: '2026-11-01',
      },
    ],
    ['payroll', { kind: 'run', configurationId: 3, configurationLabel: 'payroll', endsAt: '2026-11-01' }],
    [
      'payroll last-month',
      { kind: 'run', configurationId: 3, configurationLabel: 'payroll', endsAt: '2026-11-01' },
    ],
    [
      'PAYROLL monday',
      { kind: 'run', configurationId: 3, configurationLabel: 'payroll', endsAt: '2026-11-02' },
    ],
    [
      'Overtime MONDAY',
      { kind: 'run', configurationId: 7, configurationLabel: 'overtime', endsAt: '2026-11-02' },
    ],
    [
      'payroll 2026-12-01T00:00:00',
      { kind: 'run', configurationId: 3, configurationLabel: 'payroll', endsAt: '2026-12-01' },
    ],
    [
      'payroll 2026-12-01T00:00',
      { kind: 'run', configurationId: 3, configurationLabel: 'payroll', endsAt: '2026-12-01' },
    ],
    [
      '  payroll\u00a0 2026-12-01  ',
      { kind: 'run', configurationId: 3, configurationLabel: 'payroll', endsAt: '2026-12-01' },
    ],
    [
      'pay\u200broll 2026-12-01',
      { kind: 'run', configurationId: 3, configurationLabel: 'payroll', endsAt: '2026-12-01' },
    ],
    [
      'payroll last\u2011month',
      { kind: 'run', configurationId: 3, configurationLabel: 'payroll', endsAt: '2026-11-01' },
    ],
    [
      'payroll 2027-11-20',
      { kind: 'run', configurationId: 3, configurationLabel: 'payroll', endsAt: '2027-11-20' },
    ],
    [
      'payroll 2000-01-01',
      { kind: 'run', configurationId: 3, configurationLabel: 'payroll', endsAt: '2000-01-01' },
    ],
    ['schedule list', { kind: 'schedule-list' }],
    ['schedule', { kind: 'schedule-list' }],
    ['schedules LIST', { kind: 'schedule-list' }],
    [
      'schedule add payroll month-start at 07:30 in C0PAY',
      {
        kind: 'schedule-add',
        configurationId: 3,
        configurationLabel: 'payroll',
        rule: 'month-start',
        timeOfDay: '07:30',
        channelId: 'C0PAY',
      },
    ],
    [
      'schedule add payroll monday-after',
      {
        kind: 'schedule-add',
        configurationId: 3,
        configurationLabel: 'payroll',
        rule: 'monday-after',
        timeOfDay: '08:00',
      },
    ],
    [
      'schedule add 7 LAST-BUSINESS-DAY in G0PRIV at 7',
      {
        kind: 'schedule-add',
        configurationId: 7,
        configurationLabel: 'overtime',
        rule: 'last-business-day',
        timeOfDay: '07:00',
        channelId: 'G0PRIV',
      },
    ],
    ['schedule remove 4', { kind: 'schedule-remove', scheduleId: 4 }],
    ['schedule remove #4', { kind: 'schedule-remove', scheduleId: 4 }],
    ['cancel 12', { kind: 'cancel', runId: 12 }],
    ['retry #12', { kind: 'retry', runId: 12 }],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${expected.kind}`, () => assert.deepEqual(parse(text), expected));
  }

  it('resolves "monday" to the 1st when the month starts on a Monday', () => {
    assert.deepEqual(parse('payroll monday', { ...context, today: '2027-02-15' }), {
      kind: 'run',
      configurationId: 3,
      configurationLabel: 'payroll',
      endsAt: '2027-02-01',
    });
  });

  it('accepts 29 February in a leap year', () => {
    const result = parse('payroll 2028-02-29', { ...context, today: '2028-03-05' });
    assert.equal(result.kind === 'run' && result.endsAt, '2028-02-29');
  });

  it('takes "last-month" across the year end', () => {
    const result = parse('payroll', { ...context, today: '2027-01-03' });
    assert.equal(result.kind === 'run' && result.endsAt, '2027-01-01');
  });

  it('matches aliases configured in upper case', () => {
    const result = parse('payroll', { aliases: { Payroll: 3 }, today: '2026-11-20' });
    assert.equal(result.kind === 'run' && result.configurationId, 3);
  });
});

describe('parseCommand: refusals carry a code, the words to quote and a correct example', () => {
  it('says which word is wrong and what it should be, in no language', () => {
    assert.deepEqual(parse('payroll 2026-02-30'), {
      kind: 'error',
      code: 'no-such-day',
      word: '2026-02-30',
      year: 2026,
      month: 2,
      days: 28,
      example: 'payroll 2026-11-01',
    });
    assert.deepEqual(parse('nope'), {
      kind: 'error',
      code: 'unknown-configuration',
      word: 'nope',
      known: [
        ['payroll', 3],
        ['overtime', 7],
      ],
      example: 'payroll 2026-11-01',
    });
    assert.deepEqual(parse('status now'), {
      kind: 'error',
      code: 'nothing-more-expected',
      word: 'now',
      after: 'status',
      example: 'status',
    });
    assert.deepEqual(parse('schedule add payroll month-start 07:30'), {
      kind: 'error',
      code: 'time-without-at',
      word: '07:30',
      time: '07:30',
      example: 'schedule add payroll month-start at 07:30',
    });
  });

  it('has every example parse as a command', () => {
    for (const text of [
      'nope',
      'status now',
      'cancel x',
      'schedule remove',
      'schedule pause',
      'x'.repeat(600),
    ]) {
      const refused = parse(text);
      assert.equal(refused.kind, 'error');
      if (refused.kind === 'error') assert.notEqual(parse(refused.example).kind, 'error', refused.example);
    }
  });
});

describe('endDateProblem, for the date picker of the modal', () => {
  it('accepts dates from 2000 to a year from today and names the limit it crosses', () => {
    assert.equal(endDateProblem('2027-11-20', '2026-11-20'), undefined);
    assert.deepEqual(endDateProblem('2027-11-22', '2026-11-20'), {
      code: 'end-date-too-far',
      endsAt: '2027-11-22',
      latest: '2027-11-20',
    });
    assert.deepEqual(endDateProblem('1999-12-31', '2026-11-20'), {
      code: 'end-date-too-early',
      endsAt: '1999-12-31',
      earliest: '2000-01-01',
    });
    assert.deepEqual(endDateProblem('2026-02-30', '2026-11-20'), { code: 'no-end-date' });
  });
});

describe('parseRunRequest: `<config> [<end>]` alone, as the CLI takes it', () => {
  it('runs like the command does', () => {
    assert.deepEqual(parseRunRequest('7 monday', context), {
      kind: 'run',
      configurationId: 7,
      configurationLabel: 'overtime',
      endsAt: '2026-11-02',
    });
  });

  it('refuses a command word in the configuration’s place, and anything but a run', () => {
    for (const word of ['status', 'HELP', 'schedule', 'cancel', 'retry', 'doctor']) {
      const refused = parseRunRequest(word, context);
      assert.equal(refused.kind === 'error' && refused.code, 'command-word', word);
    }
    assert.equal(parseRunRequest('retry 4', context).kind, 'error');
    const empty = parseRunRequest('  ', context);
    assert.equal(empty.kind === 'error' && empty.code, 'missing-configuration');
    // Every example is a run.
    const long = parseRunRequest('x'.repeat(600), context);
    assert.equal(long.kind === 'error' && long.example, 'payroll 2026-11-01');
  });
});

describe('COMMAND_WORDS', () => {
  it('each starts a command of its own, never a run: that is why no alias may be one', () => {
    for (const word of COMMAND_WORDS) {
      const parsed = parse(word, { aliases: {}, today: '2026-11-20' });
      assert.notEqual(parsed.kind, 'run', word);
      assert.ok(
        parsed.kind !== 'error' || parsed.code === 'missing-id',
        `${word}: ${JSON.stringify(parsed)}`,
      );
    }
  });
});
