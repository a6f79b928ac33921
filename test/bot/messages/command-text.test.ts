import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  commandErrorText,
  endDateProblemText,
  helpText,
  quoteForSlack,
} from '../../../src/bot/messages/command-text.js';
import { channelOfSlackText } from '../../../src/bot/slack-channel.js';
import { type CommandContext, endDateProblem, parseCommand } from '../../../src/command/grammar.js';

const context: CommandContext = {
  aliases: { payroll: 3, overtime: 7 },
  today: '2026-11-20',
  channelOf: channelOfSlackText,
};
const parse = (text: string, ctx: CommandContext = context) => parseCommand(text, ctx);

/** The refusal of `text`, as Slack shows it. */
function expectError(text: string, ctx: CommandContext = context): { message: string; example: string } {
  const result = parse(text, ctx);
  assert.equal(result.kind, 'error', `${JSON.stringify(text.slice(0, 60))} should be refused`);
  if (result.kind !== 'error') throw new Error('unreachable');
  return commandErrorText(result, 'en');
}

/** The modal's check of a picked date, as Slack shows it under the field. */
function validateEndDate(endsAt: string, today: string): string | undefined {
  const problem = endDateProblem(endsAt, today);
  return problem && endDateProblemText(problem, 'en');
}

describe('parseCommand: bad input is refused with the reason and a correct example', () => {
  const cases: [string, RegExp][] = [
    ['payroll 2026-12-01T08:00:00', /midnight/],
    ['payroll 2026-02-30', /`2026-02-30` is not a real date: February 2026 has 28 days/],
    ['payroll 2027-02-29', /February 2027 has 28 days/],
    ['payroll 2026-13-01', /month must be from 01 to 12/],
    ['payroll 01/12/2026', /`01\/12\/2026` is not an end date.*YYYY-MM-DD/],
    ['payroll 2026-12-1', /is not an end date/],
    ['payroll 2026-12-01T00:00:00Z', /is not an end date/],
    ['payroll 1999-12-01', /before 2000-01-01/],
    ['payroll 2027-11-21', /more than a year ahead.*2027-11-20/],
    ['payroll 2099-01-01', /more than a year ahead/],
    ['payroll 2026-12-01 08:00', /Unexpected `08:00`.*midnight/],
    ['payroll 2026-12-01 extra', /Unexpected `extra`/],
    ['-3', /`-3` is not a configuration number.*1 to 999999999/],
    ['0', /`0` is not a configuration number/],
    ['3.5', /`3.5` is not a configuration number/],
    ['3,5', /`3,5` is not a configuration number/],
    ['1000000000', /is not a configuration number/],
    [
      'unknown-alias',
      /`unknown-alias` is not a command or a known configuration.*`payroll` \(3\), `overtime` \(7\)/,
    ],
    ['stauts', /not a command or a known configuration/],
    ['pаyroll', /not a command or a known configuration/], // Cyrillic а
    ['status now', /Unexpected `now` after `status`/],
    ['doctor please', /Unexpected `please`/],
    ['schedule add', /which configuration/],
    ['schedule add nobody month-start', /`nobody` is not a command or a known configuration/],
    ['schedule add payroll', /`month-start`, `monday-after`, `last-business-day`/],
    ['schedule add payroll weekly', /`weekly` is not a schedule rule.*`month-start`/],
    ['schedule add payroll month-start at 25:00', /`25:00` is not a time of day.*00:00 to 23:59/],
    ['schedule add payroll month-start at 7h30', /`7h30` is not a time of day/],
    ['schedule add payroll month-start at', /`at` needs a time of day/],
    ['schedule add payroll month-start at 07:00 at 08:00', /`at` is given twice/],
    ['schedule add payroll month-start 07:30', /Unexpected `07:30`. Write `at 07:30`/],
    ['schedule add payroll month-start in #payroll', /`#payroll` is not a channel link/],
    ['schedule add payroll month-start in <@U123>', /is not a channel link/],
    ['schedule add payroll month-start in', /`in` needs a channel/],
    ['schedule add payroll month-start tomorrow', /Unexpected `tomorrow`/],
    ['schedule remove x', /`x` is not a schedule number/],
    ['schedule remove', /Give the schedule number/],
    ['schedule remove 0', /`0` is not a schedule number/],
    ['schedule remove 4 5', /Unexpected `5`/],
    ['schedule list all', /Unexpected `all`/],
    ['schedule pause 3', /`pause` is not a schedule command/],
    ['cancel', /Give the run number/],
    ['cancel -1', /`-1` is not a run number/],
    ['retry 1.5', /`1.5` is not a run number/],
    ['retry 3 4', /Unexpected `4`/],
    ['payroll\u0000 2026-12-01', /control characters/],
    ['payroll\u001b[31m', /control characters/],
  ];
  for (const [text, pattern] of cases) {
    it(`${JSON.stringify(text)}`, () => {
      const error = expectError(text);
      assert.match(error.message, pattern);
      assert.match(error.example, /^\/timesheet-export /);
    });
  }

  it('explains that Lucca exports up to midnight when a time is given', () => {
    const error = expectError('payroll 2026-12-01T08:00:00');
    assert.match(error.message, /`2026-12-01T08:00:00` is not midnight/);
    assert.match(error.message, /Lucca exports up to midnight/);
    assert.match(error.message, /`2026-12-01`/);
  });

  it('answers "too long" for 5 000 characters without looking further', () => {
    const error = expectError('x'.repeat(5000));
    assert.match(error.message, /too long \(5000 characters/);
    assert.equal(error.message.includes('xxxxx'), false);
    assert.match(expectError(`payroll ${'2'.repeat(4990)}`).message, /too long/);
  });

  it('uses a real alias and today’s month in examples', () => {
    assert.equal(expectError('nope').example, '/timesheet-export payroll 2026-11-01');
    assert.match(
      expectError('schedule add payroll weekly').example,
      /schedule add payroll month-start at 07:30/,
    );
  });

  it('says there are no aliases, and uses a number in the example, when none are set up', () => {
    const error = expectError('payroll', { aliases: {}, today: '2026-11-20' });
    assert.match(error.message, /No configuration aliases are set up \(EXPORT_CONFIGURATIONS\)/);
    assert.equal(error.example, '/timesheet-export 3 2026-11-01');
  });

  it('never throws on odd input', () => {
    const odd = [
      '\u0000',
      '\uffff',
      '😀 😀',
      '\ud83d', // lone surrogate
      '<!channel>',
      '&lt;!here&gt;',
      '`payroll`',
      '```',
      'schedule add payroll month-start at',
      'schedule schedule schedule',
      'constructor',
      '__proto__',
      'toString 2026-12-01',
      'payroll monday monday',
      '\n\n\n',
      'a'.repeat(500),
      'a'.repeat(501),
    ];
    for (const text of odd) {
      const result = parse(text);
      assert.ok(typeof result.kind === 'string');
      if (result.kind === 'error')
        assert.ok(commandErrorText(result, 'en').message.length < 400, JSON.stringify(text));
    }
    assert.equal(parse('__proto__').kind, 'error');
    assert.equal(parse('constructor').kind, 'error');
  });
});

describe('quoting user input in messages', () => {
  it('cannot be turned into a mention, a link or broken code formatting', () => {
    const error = expectError('<!channel>');
    assert.equal(error.message.includes('<!channel>'), false);
    assert.match(error.message, /`&lt;!channel&gt;`/);
    // Slack delivers a typed `<` already escaped; it is not escaped twice.
    assert.match(expectError('&lt;!here&gt;').message, /`&lt;!here&gt;`/);
    assert.match(expectError('`payroll`x').message, /^`payrollx`/);
  });

  it('truncates long words to about 40 characters, by character not by byte', () => {
    const long = `${'é'.repeat(30)}${'😀'.repeat(30)}`;
    const quoted = quoteForSlack(long);
    assert.equal(Array.from(quoted.slice(1, -1)).length, 40);
    assert.ok(quoted.endsWith('…`'));
    assert.equal(quoted.includes('\ud83d`'), false);
    const error = expectError(`${'z'.repeat(300)}`);
    assert.ok(error.message.length < 250);
  });

  it('drops invisible characters', () => {
    assert.equal(quoteForSlack('a\u202eb\u0007c'), '`abc`');
    assert.equal(quoteForSlack('\u200b'), '`(unprintable)`');
  });
});

describe('validateEndDate, for the date picker of the modal', () => {
  it('accepts dates from 2000 to a year from today', () => {
    assert.equal(validateEndDate('2026-12-01', '2026-11-20'), undefined);
    assert.equal(validateEndDate('2000-01-01', '2026-11-20'), undefined);
    assert.equal(validateEndDate('2027-11-20', '2026-11-20'), undefined);
  });

  it('explains in plain text what is wrong', () => {
    assert.equal(
      validateEndDate('2027-11-22', '2026-11-20'),
      'Mon 22 Nov 2027 is more than a year ahead. Lucca exports everything before the end date, so choose a date up to 2027-11-20.',
    );
    assert.match(validateEndDate('1999-12-31', '2026-11-20')!, /^Fri 31 Dec 1999 is before 2000-01-01/);
    assert.equal(validateEndDate('', '2026-11-20'), 'Pick an end date.');
    assert.equal(validateEndDate('2026-02-30', '2026-11-20'), 'Pick an end date.');
  });
});

describe('helpText', () => {
  it('lists the grammar, the aliases, the rules and examples using a real alias', () => {
    const text = helpText({ payroll: 3, overtime: 7 }, { timezone: 'Europe/Paris' }, 'en');
    for (const expected of [
      '`payroll` (3)',
      '`overtime` (7)',
      'last-month',
      'monday',
      'schedule add &lt;config&gt; &lt;rule&gt; [at HH:MM] [in #channel]',
      'schedule remove &lt;id&gt;',
      'month-start',
      'monday-after',
      'last-business-day',
      'preview',
      'Europe/Paris',
      '/timesheet-export payroll 2026-12-01',
      'doctor',
    ]) {
      assert.ok(text.includes(expected), `help should mention ${expected}`);
    }
    // Raw angle brackets would be read by Slack as links or mentions.
    assert.equal(/<(?!\/)|(?<!-)>/.test(text.replace(/&lt;|&gt;/g, '')), false);
  });

  it('tells how to use numbers when no alias is set up', () => {
    const text = helpText({}, {}, 'en');
    assert.match(text, /EXPORT_CONFIGURATIONS/);
    assert.match(text, /\/timesheet-export 3 2026-12-01/);
  });
});
