import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  commandErrorMessage,
  commandErrorText,
  endDateProblemText,
  helpText,
} from '../../../src/bot/messages/command-text.js';
import { channelOfSlackText } from '../../../src/bot/slack-channel.js';
import { type CommandContext, endDateProblem, parseCommand } from '../../../src/command/grammar.js';
import { englishWordsIn } from '../../helpers/english-words.js';

const context: CommandContext = {
  aliases: { payroll: 3, overtime: 7 },
  today: '2026-11-20',
  channelOf: channelOfSlackText,
};

/** One text per refusal code the grammar has (command-text.ts switches on every one of them). */
const REFUSED = [
  'x'.repeat(600),
  'payroll\u0007',
  '-3',
  '1000000000',
  'unknown-alias',
  'payroll 01/12/2026',
  'payroll 2026-02-30',
  'payroll 2026-13-01',
  'payroll 2026-12-01T08:00:00',
  'payroll 1999-12-01',
  'payroll 2099-01-01',
  'payroll 2026-12-01 08:00',
  'payroll 2026-12-01 extra',
  'status now',
  'schedule add',
  'schedule add payroll',
  'schedule add payroll weekly',
  'schedule add payroll month-start at 07:00 at 08:00',
  'schedule add payroll month-start at',
  'schedule add payroll month-start at 25:00',
  'schedule add payroll month-start in',
  'schedule add payroll month-start in #payroll',
  'schedule add payroll month-start 07:30',
  'schedule add payroll month-start tomorrow',
  'schedule frobnicate',
  'retry',
  'cancel abc',
  'schedule remove',
  'schedule remove x',
];

function refusal(text: string) {
  const parsed = parseCommand(text, context);
  assert.equal(parsed.kind, 'error', `${JSON.stringify(text.slice(0, 40))} should be refused`);
  if (parsed.kind !== 'error') throw new Error('unreachable');
  return parsed;
}

describe('command refusals in French', () => {
  it('every refusal code is said in French, with no English word outside the quoted command syntax', () => {
    const codes = new Set<string>();
    for (const text of REFUSED) {
      const error = refusal(text);
      codes.add(error.code);
      const message = commandErrorMessage(error, 'fr');
      assert.deepEqual(englishWordsIn(message), [], `${error.code}: ${message}`);
      // The scan can fail: the English sentence of the same code is caught by it.
      assert.notDeepEqual(englishWordsIn(commandErrorMessage(error, 'en')), [], error.code);
      assert.match(message, /\nPar exemple : `\/timesheet-export /);
      // The example is the same command in both languages: the grammar's words are not translated.
      assert.equal(commandErrorText(error, 'fr').example, commandErrorText(error, 'en').example);
    }
    assert.ok(codes.size >= 25, `${codes.size} codes covered`);
  });

  it('says the month and the rule of the calendar in French', () => {
    assert.equal(
      commandErrorText(refusal('payroll 2026-02-30'), 'fr').message,
      "`2026-02-30` n'est pas une date réelle : février 2026 compte 28 jours.",
    );
    assert.match(
      commandErrorText(refusal('payroll 01/12/2026'), 'fr').message,
      /n'est pas une date de fin\. Écrivez `AAAA-MM-JJ` \(par exemple `2026-11-01`\), `last-month` ou `monday`\./,
    );
  });

  it('a date picked in the form is refused in French, written out', () => {
    const problem = endDateProblem('1999-12-31', '2026-11-20');
    assert.ok(problem);
    assert.match(
      endDateProblemText(problem, 'fr'),
      /^vendredi 31 décembre 1999 est antérieure au 2000-01-01/,
    );
    const none = endDateProblem('', '2026-11-20');
    assert.ok(none);
    assert.equal(endDateProblemText(none, 'fr'), 'Choisissez une date de fin.');
  });

  it('help is in French, keeps the command words, and has no raw angle brackets', () => {
    const text = helpText({ payroll: 3 }, { timezone: 'Europe/Paris' }, 'fr');
    assert.deepEqual(englishWordsIn(text), []);
    for (const word of ['status', 'schedule add', 'last-month', 'monday', 'month-start', 'Europe/Paris']) {
      assert.ok(text.includes(word), word);
    }
    assert.match(text, /lance un export Lucca Timesheet/);
    assert.equal(/<(?!\/)|(?<!-)>/.test(text.replace(/&lt;|&gt;/g, '')), false);
  });
});
