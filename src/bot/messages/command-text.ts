import { visibleExcerpt } from '../../command/echo.js';
import type { CommandError, EndDateProblem, RangeProblem } from '../../command/grammar.js';
import { commandErrorWords, runProblemText } from '../../i18n/command-errors.js';
import type { Language } from '../../i18n/language.js';
import { humanDate } from '../../i18n/periods.js';
import { SCHEDULE_RULES } from '../../schedule/rules.js';
import { scheduleWords } from '../../schedule/schedule-words.js';
import { usageText } from './catalogs/help.js';

/**
 * The command grammar's answers, said in Slack in the reader's language: mrkdwn, the slash command's
 * name in examples, and user input quoted so that it can never become a mention or a link. Pure
 * functions of the grammar's results; the sentences are in catalogs/command-errors.ts and help.ts.
 */

export const COMMAND_NAME = '/timesheet-export';

/**
 * Makes user input safe to echo in mrkdwn inside backticks: decodes Slack's own `&amp; &lt; &gt;`
 * escaping, drops control and invisible format characters and backticks, truncates to `max`
 * characters, then re-escapes `& < >` (Slack's rule) so `<!channel>` can never become a mention.
 */
export function quoteForSlack(input: string, max = 40): string {
  const decoded = input.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const short = visibleExcerpt(decoded, max);
  if (!short) return '`(unprintable)`';
  return '`' + short.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') + '`';
}

const q = quoteForSlack;

/** A refused command in Slack: what was wrong (mrkdwn), and a correct command to copy (plain text). */
export function commandErrorText(
  error: CommandError,
  language: Language,
): { message: string; example: string } {
  return { message: problemText(error, language), example: `${COMMAND_NAME} ${error.example}` };
}

/** The whole answer to a refused command: what was wrong, and the example to copy. */
export function commandErrorMessage(error: CommandError, language: Language): string {
  const { message, example } = commandErrorText(error, language);
  return `${message}\n${commandErrorWords[language].forExample(example)}`;
}

function problemText(error: CommandError, language: Language): string {
  const t = commandErrorWords[language];
  switch (error.code) {
    case 'too-long':
    case 'control-characters':
    case 'not-a-configuration-number':
    case 'unknown-configuration':
    case 'not-an-end-date':
    case 'no-such-day':
    case 'no-such-month':
    case 'not-midnight':
    case 'end-date-too-early':
    case 'end-date-too-far':
    case 'time-after-end-date':
    case 'extra-run-word':
      return runProblemText(error, language, q);
    case 'nothing-more-expected':
      return t.nothingMoreExpected(q(error.word), q(error.after));
    case 'missing-schedule-configuration':
      return t.missingScheduleConfiguration;
    case 'missing-schedule-rule':
      return t.missingScheduleRule(ruleList());
    case 'unknown-schedule-rule':
      return t.unknownScheduleRule(q(error.word), ruleList());
    case 'option-given-twice':
      return t.optionGivenTwice(q(error.option));
    case 'missing-time-of-day':
      return t.missingTimeOfDay(q('at'), q('at 07:30'));
    case 'not-a-time-of-day':
      return t.notATimeOfDay(q(error.word), q('07:30'));
    case 'missing-channel':
      return t.missingChannel(q('in'));
    case 'not-a-channel':
      return t.notAChannelLink(q(error.word));
    case 'time-without-at':
      return t.timeWithoutAt(q(error.word), q(`at ${error.time}`));
    case 'unexpected-schedule-word':
      return t.unexpectedScheduleWord(q(error.word), q('at HH:MM'), q('in #channel'));
    case 'unknown-schedule-command':
      return t.unknownScheduleCommand(
        q(error.word),
        q('schedule list'),
        q('schedule add …'),
        q('schedule remove <id>'),
      );
    case 'missing-id':
      return error.of === 'run' ? t.missingRunId : t.missingScheduleId;
    case 'not-an-id':
      return error.of === 'run' ? t.notARunId(q(error.word)) : t.notAScheduleId(q(error.word));
  }
}

function ruleList(): string {
  return SCHEDULE_RULES.map((rule) => q(rule)).join(', ');
}

function rangeText(problem: RangeProblem, language: Language): string {
  const t = commandErrorWords[language];
  return problem.code === 'end-date-too-early' ? t.tooEarly(problem.earliest) : t.tooFar(problem.latest);
}

/** A date picked in the modal that cannot be an end date, in plain text (view field errors are not mrkdwn). */
export function endDateProblemText(problem: EndDateProblem, language: Language): string {
  if (problem.code === 'no-end-date') return commandErrorWords[language].pickEndDate;
  return `${humanDate(problem.endsAt, language)} ${rangeText(problem, language)}`;
}

/**
 * The usage text shown by `help` (Slack mrkdwn: `<` and `>` are written `&lt;` `&gt;`). The command
 * words stay as typed (they are the grammar's); the explanations are in the reader's language.
 */
export function helpText(
  aliases: Record<string, number>,
  options: { timezone?: string },
  language: Language,
): string {
  const t = usageText[language];
  const rules = scheduleWords[language].rules;
  const entries = Object.entries(aliases);
  const config = entries[0]?.[0] ?? '3';
  const c = COMMAND_NAME;
  const aliasLine = entries.length
    ? t.aliases(entries.map(([alias, id]) => `\`${alias}\` (${id})`).join(', '))
    : t.noAliases;
  const zone = options.timezone ? t.zone(options.timezone) : '';
  return [
    t.intro(c),
    '',
    t.modal(c),
    t.run(c),
    t.endForms,
    `    ${aliasLine}`,
    t.status(c),
    t.schedules(c, zone),
    ...SCHEDULE_RULES.map((rule) => t.ruleLine(rule, rules[rule])),
    t.doctor(c),
    '',
    t.examples,
    `\`${c} ${config}\` · \`${c} ${config} 2026-12-01\` · \`${c} ${config} monday\` · \`${c} schedule add ${config} month-start at 07:30\``,
  ].join('\n');
}
