import { formatHumanDate, monthName } from '../../calendar/end-date.js';
import { visibleExcerpt } from '../../command/echo.js';
import type { CommandError, EndDateProblem, RangeProblem } from '../../command/grammar.js';
import { RULE_DESCRIPTIONS, SCHEDULE_RULES } from '../../schedule/rules.js';

/**
 * The command grammar's answers, said in Slack: mrkdwn, the slash command's name in examples, and
 * user input quoted so that it can never become a mention or a link. Pure functions of the grammar's
 * results.
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
export function commandErrorText(error: CommandError): { message: string; example: string } {
  return { message: problemText(error), example: `${COMMAND_NAME} ${error.example}` };
}

/** The whole answer to a refused command: what was wrong, and the example to copy. */
export function commandErrorMessage(error: CommandError): string {
  const { message, example } = commandErrorText(error);
  return `${message}\nFor example: \`${example}\``;
}

function problemText(error: CommandError): string {
  switch (error.code) {
    case 'too-long':
      return `That command is too long (${error.length} characters; a command has at most ${error.max}).`;
    case 'control-characters':
      return 'The command contains invisible control characters: please type it again.';
    case 'not-a-configuration-number':
      return error.sample === undefined
        ? `${q(error.word)} is not a configuration number: it must be a whole number from 1 to ${error.max}.`
        : `${q(error.word)} is not a configuration number: it must be a whole number from 1 to ${error.max}, such as ${q(error.sample)}.`;
    case 'unknown-configuration': {
      const known = error.known.length
        ? `Known configurations: ${error.known.map(([alias, id]) => `${q(alias)} (${id})`).join(', ')}; or give a configuration number.`
        : 'No configuration aliases are set up (EXPORT_CONFIGURATIONS), so give the configuration number from Lucca.';
      return `${q(error.word)} is not a command or a known configuration. ${known}`;
    }
    case 'not-an-end-date':
      return `${q(error.word)} is not an end date. Write ${q('YYYY-MM-DD')} (such as ${q(error.sample)}), ${q('last-month')} or ${q('monday')}.`;
    case 'no-such-day':
      return `${q(error.word)} is not a real date: ${monthName(error.month)} ${error.year} has ${error.days} days.`;
    case 'no-such-month':
      return `${q(error.word)} is not a real date: the month must be from 01 to 12.`;
    case 'not-midnight':
      return `${q(error.word)} is not midnight. Lucca exports up to midnight (everything before the end date), so give the date alone, such as ${q(error.date)}.`;
    case 'end-date-too-early':
    case 'end-date-too-far':
      return `${q(error.word)} ${rangeText(error)}`;
    case 'time-after-end-date':
      return `Unexpected ${q(error.word)}: Lucca exports up to midnight (everything before the end date), so give the date alone.`;
    case 'extra-run-word':
      return `Unexpected ${q(error.word)}: give a configuration and at most one end date.`;
    case 'nothing-more-expected':
      return `Unexpected ${q(error.word)} after ${q(error.after)}: nothing more is needed.`;
    case 'missing-schedule-configuration':
      return 'Say which configuration to schedule.';
    case 'missing-schedule-rule':
      return `Say when it should run: ${ruleList()}.`;
    case 'unknown-schedule-rule':
      return `${q(error.word)} is not a schedule rule. Rules: ${ruleList()}.`;
    case 'option-given-twice':
      return `${q(error.option)} is given twice.`;
    case 'missing-time-of-day':
      return `${q('at')} needs a time of day, such as ${q('at 07:30')}.`;
    case 'not-a-time-of-day':
      return `${q(error.word)} is not a time of day: write HH:MM from 00:00 to 23:59, such as ${q('07:30')}.`;
    case 'missing-channel':
      return `${q('in')} needs a channel: type # and pick it from the list.`;
    case 'not-a-channel-link':
      return `${q(error.word)} is not a channel link: type # and pick the channel from Slack's list so that it becomes a link. (If it still fails, the Slack admin must turn on "Escape channels, users, and links" for the command.)`;
    case 'time-without-at':
      return `Unexpected ${q(error.word)}. Write ${q(`at ${error.time}`)}.`;
    case 'unexpected-schedule-word':
      return `Unexpected ${q(error.word)}. After the rule come only ${q('at HH:MM')} and ${q('in #channel')}.`;
    case 'unknown-schedule-command':
      return `${q(error.word)} is not a schedule command: use ${q('schedule list')}, ${q('schedule add …')} or ${q('schedule remove <id>')}.`;
    case 'missing-id':
      return `Give the ${error.of} number ${whereIdsAre(error.of)}.`;
    case 'not-an-id':
      return `${q(error.word)} is not a ${error.of} number: use the number ${whereIdsAre(error.of)}.`;
  }
}

function ruleList(): string {
  return SCHEDULE_RULES.map((rule) => q(rule)).join(', ');
}

function whereIdsAre(of: 'run' | 'schedule'): string {
  return of === 'run' ? "shown in the run's message or by `status`" : 'shown by `schedule list`';
}

function rangeText(problem: RangeProblem): string {
  return problem.code === 'end-date-too-early'
    ? `is before ${problem.earliest}: that looks like a typo in the year.`
    : `is more than a year ahead. Lucca exports everything before the end date, so choose a date up to ${problem.latest}.`;
}

/** A date picked in the modal that cannot be an end date, in plain text (view field errors are not mrkdwn). */
export function endDateProblemText(problem: EndDateProblem): string {
  if (problem.code === 'no-end-date') return 'Pick an end date.';
  return `${formatHumanDate(problem.endsAt)} ${rangeText(problem)}`;
}

/** The usage text shown by `help` (Slack mrkdwn: `<` and `>` are written `&lt;` `&gt;`). */
export function helpText(aliases: Record<string, number>, options: { timezone?: string } = {}): string {
  const entries = Object.entries(aliases);
  const config = entries[0]?.[0] ?? '3';
  const c = COMMAND_NAME;
  const aliasLine = entries.length
    ? `Configurations: ${entries.map(([alias, id]) => `\`${alias}\` (${id})`).join(', ')}, or any configuration number.`
    : 'No aliases are set up (EXPORT_CONFIGURATIONS): use the configuration number from Lucca.';
  const zone = options.timezone ? ` (times are in ${options.timezone})` : '';
  return [
    `*${c}* runs a Lucca Timesheet export and posts the file here.`,
    '',
    `• \`${c}\` opens a form to pick the configuration and end date.`,
    `• \`${c} &lt;config&gt; [&lt;end&gt;]\` exports everything before midnight of \`&lt;end&gt;\`:`,
    `    \`YYYY-MM-DD\`, \`last-month\` (the 1st of this month, the default) or \`monday\` (the first Monday on or after the 1st, for weekly calculation rules).`,
    `    ${aliasLine}`,
    `• \`${c} status\` shows the latest runs; \`${c} retry &lt;run&gt;\` and \`${c} cancel &lt;run&gt;\` act on one.`,
    `• \`${c} schedule list\`, \`${c} schedule add &lt;config&gt; &lt;rule&gt; [at HH:MM] [in #channel]\`, \`${c} schedule remove &lt;id&gt;\` manage month-end schedules${zone}. Rules:`,
    ...SCHEDULE_RULES.map((rule) => `    \`${rule}\`: ${RULE_DESCRIPTIONS[rule]}.`),
    `• \`${c} doctor\` checks the connection to Lucca and the app's setup.`,
    '',
    '*Examples*',
    `\`${c} ${config}\` · \`${c} ${config} 2026-12-01\` · \`${c} ${config} monday\` · \`${c} schedule add ${config} month-start at 07:30\``,
  ].join('\n');
}
