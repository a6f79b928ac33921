import { z } from 'zod';
import {
  addYears,
  daysInMonth,
  firstMondayOnOrAfterFirst,
  firstOfMonth,
  formatHumanDate,
  isValidIsoDate,
  monthName,
  parseIsoDate,
} from '../calendar/end-date.js';
import {
  isScheduleRule,
  parseTimeOfDay,
  RULE_DESCRIPTIONS,
  SCHEDULE_RULES,
  type ScheduleRule,
} from '../schedule/rules.js';

/**
 * Parser for the text of `/timesheet-export` (DESIGN §4). Pure and total: any text gives a command or a
 * `CommandError` whose message quotes the offending word (sanitised for Slack mrkdwn) and whose example
 * is a correct command. Nothing here reaches Lucca.
 */

export const COMMAND_NAME = '/timesheet-export';
/** A real command is well under 200 characters; longer text is refused before any other work. */
export const MAX_COMMAND_LENGTH = 500;
export const MAX_CONFIGURATION_ID = 999_999_999;
/** Lucca has no timesheets this old; an earlier date is a typo. */
export const EARLIEST_END_DATE = '2000-01-01';
export const DEFAULT_TIME_OF_DAY = '08:00';

export type ParsedCommand =
  | { kind: 'modal' }
  | { kind: 'help' }
  | { kind: 'status' }
  | { kind: 'doctor' }
  | { kind: 'run'; configurationId: number; configurationLabel: string; endsAt: string }
  | { kind: 'schedule-list' }
  | {
      kind: 'schedule-add';
      configurationId: number;
      configurationLabel: string;
      rule: ScheduleRule;
      timeOfDay: string;
      channelId?: string;
    }
  | { kind: 'schedule-remove'; scheduleId: number }
  | { kind: 'cancel'; runId: number }
  | { kind: 'retry'; runId: number };

export interface CommandError {
  kind: 'error';
  /** Slack mrkdwn; user input in it is quoted with `quoteForSlack`. */
  message: string;
  /** A correct command, plain text, e.g. `/timesheet-export payroll 2026-12-01`. */
  example: string;
}

export interface CommandContext {
  /** alias (lower case) → Lucca export-configuration id, from EXPORT_CONFIGURATIONS. */
  aliases: Record<string, number>;
  /** Today's local date `YYYY-MM-DD` in the schedule time zone: the base of `last-month` and `monday`. */
  today: string;
}

const contextSchema = z.object({
  aliases: z.record(z.string(), z.number().int().min(1).max(MAX_CONFIGURATION_ID)),
  today: z.string().refine(isValidIsoDate, { message: 'must be a YYYY-MM-DD date' }),
});

/**
 * Makes user input safe to echo in mrkdwn inside backticks: decodes Slack's own `&amp; &lt; &gt;`
 * escaping, drops control and invisible format characters and backticks, truncates to `max`
 * characters, then re-escapes `& < >` (Slack's rule) so `<!channel>` can never become a mention.
 */
export function quoteForSlack(input: string, max = 40): string {
  const decoded = input.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const visible = decoded.replace(/[\p{Cc}\p{Cf}`]/gu, '');
  const chars = Array.from(visible);
  const short = chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : visible;
  if (!short) return '`(unprintable)`';
  return '`' + short.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') + '`';
}

const q = quoteForSlack;

function fail(message: string, example: string): CommandError {
  return { kind: 'error', message, example };
}

/** Examples built from the real aliases and today's date, so they can be copied as they are. */
function examplesFor(aliases: Record<string, number>, today: string) {
  const config = Object.keys(aliases)[0] ?? '3';
  return {
    run: `${COMMAND_NAME} ${config} ${firstOfMonth(today)}`,
    scheduleAdd: `${COMMAND_NAME} schedule add ${config} month-start at 07:30`,
    scheduleRemove: `${COMMAND_NAME} schedule remove 2`,
    scheduleList: `${COMMAND_NAME} schedule list`,
    retry: `${COMMAND_NAME} retry 12`,
    cancel: `${COMMAND_NAME} cancel 12`,
    help: `${COMMAND_NAME} help`,
  };
}
type Examples = ReturnType<typeof examplesFor>;

function knownAliases(aliases: Record<string, number>): string {
  return Object.entries(aliases)
    .map(([alias, id]) => `${q(alias)} (${id})`)
    .join(', ');
}

/** The alias for an id, when one is configured, so messages say `payroll` rather than `3`. */
function labelFor(id: number, aliases: Record<string, number>): string {
  const alias = Object.entries(aliases).find(([, value]) => value === id)?.[0];
  return alias ?? `configuration ${id}`;
}

type Configuration = { configurationId: number; configurationLabel: string };

function parseConfiguration(
  word: string,
  aliases: Record<string, number>,
  example: string,
): Configuration | CommandError {
  const sample = String(Object.values(aliases)[0] ?? 3);
  if (/^\d+$/.test(word)) {
    const id = word.length <= 9 ? Number(word) : Number.NaN;
    if (id >= 1 && id <= MAX_CONFIGURATION_ID)
      return { configurationId: id, configurationLabel: labelFor(id, aliases) };
    return fail(
      `${q(word)} is not a configuration number: it must be a whole number from 1 to ${MAX_CONFIGURATION_ID}.`,
      example,
    );
  }
  if (/^[+-]?[\d.,]*\d[\d.,]*$/.test(word)) {
    return fail(
      `${q(word)} is not a configuration number: it must be a whole number from 1 to ${MAX_CONFIGURATION_ID}, such as ${q(sample)}.`,
      example,
    );
  }
  const lower = word.toLowerCase();
  const id = Object.hasOwn(aliases, lower) ? aliases[lower] : undefined;
  if (id !== undefined) return { configurationId: id, configurationLabel: lower };
  const known = Object.keys(aliases).length
    ? `Known configurations: ${knownAliases(aliases)}; or give a configuration number.`
    : 'No configuration aliases are set up (EXPORT_CONFIGURATIONS), so give the configuration number from Lucca.';
  return fail(`${q(word)} is not a command or a known configuration. ${known}`, example);
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/i;

function parseEndDate(word: string, today: string, ex: Examples): string | CommandError {
  const lower = word.toLowerCase();
  let endsAt: string;
  if (lower === 'last-month') endsAt = firstOfMonth(today);
  else if (lower === 'monday') endsAt = firstMondayOnOrAfterFirst(today);
  else {
    const dateTime = DATE_TIME.exec(word);
    const date = dateTime ? dateTime[1]! : word;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      return fail(
        `${q(word)} is not an end date. Write ${q('YYYY-MM-DD')} (such as ${q(firstOfMonth(today))}), ${q('last-month')} or ${q('monday')}.`,
        ex.run,
      );
    }
    if (!isValidIsoDate(date)) return fail(notARealDate(word, date), ex.run);
    if (dateTime && (dateTime[2] !== '00' || dateTime[3] !== '00' || (dateTime[4] ?? '00') !== '00')) {
      return fail(
        `${q(word)} is not midnight. Lucca exports up to midnight (everything before the end date), so give the date alone, such as ${q(date)}.`,
        ex.run,
      );
    }
    endsAt = date;
  }
  const problem = rangeProblem(endsAt, today);
  if (problem) return fail(`${q(word)} ${problem}`, ex.run);
  return endsAt;
}

/** Why a real date cannot be an end date (too old to be meant, or too far ahead), or undefined. */
function rangeProblem(endsAt: string, today: string): string | undefined {
  if (endsAt < EARLIEST_END_DATE)
    return `is before ${EARLIEST_END_DATE}: that looks like a typo in the year.`;
  const latest = addYears(today, 1);
  if (endsAt > latest) {
    return `is more than a year ahead. Lucca exports everything before the end date, so choose a date up to ${latest}.`;
  }
  return undefined;
}

/**
 * The same checks for a date picked in the modal: a plain-text problem (view field errors are not
 * mrkdwn), or undefined when `endsAt` is fine.
 */
export function validateEndDate(endsAt: string, today: string): string | undefined {
  if (!isValidIsoDate(endsAt)) return 'Pick an end date.';
  const problem = rangeProblem(endsAt, today);
  return problem ? `${formatHumanDate(endsAt)} ${problem}` : undefined;
}

function notARealDate(word: string, date: string): string {
  const [year, month] = date.split('-').map(Number) as [number, number];
  if (month >= 1 && month <= 12 && !parseIsoDate(date)) {
    return `${q(word)} is not a real date: ${monthName(month)} ${year} has ${daysInMonth(year, month)} days.`;
  }
  return `${q(word)} is not a real date: the month must be from 01 to 12.`;
}

function parsePositiveId(
  word: string | undefined,
  what: 'run' | 'schedule',
  ex: string,
): number | CommandError {
  const where = what === 'run' ? "shown in the run's message or by `status`" : 'shown by `schedule list`';
  if (word === undefined) return fail(`Give the ${what} number ${where}.`, ex);
  const digits = word.startsWith('#') ? word.slice(1) : word;
  const id = /^\d{1,9}$/.test(digits) ? Number(digits) : 0;
  if (id >= 1) return id;
  return fail(`${q(word)} is not a ${what} number: use the number ${where}.`, ex);
}

function noMoreWords(words: string[], after: string, ex: string): CommandError | undefined {
  const extra = words[0];
  if (extra === undefined) return undefined;
  return fail(`Unexpected ${q(extra)} after ${q(after)}: nothing more is needed.`, ex);
}

function parseRun(words: string[], context: CommandContext, ex: Examples): ParsedCommand | CommandError {
  const [configWord, endWord, extra] = words as [string, string?, string?];
  const config = parseConfiguration(configWord, context.aliases, ex.run);
  if ('kind' in config) return config;
  const endsAt =
    endWord === undefined ? firstOfMonth(context.today) : parseEndDate(endWord, context.today, ex);
  if (typeof endsAt !== 'string') return endsAt;
  if (extra !== undefined) {
    const time = parseTimeOfDay(extra);
    if (time !== undefined && time !== '00:00') {
      return fail(
        `Unexpected ${q(extra)}: Lucca exports up to midnight (everything before the end date), so give the date alone.`,
        ex.run,
      );
    }
    return fail(`Unexpected ${q(extra)}: give a configuration and at most one end date.`, ex.run);
  }
  return { kind: 'run', ...config, endsAt };
}

/**
 * Slack sends a channel as `<#C0PAY|payroll>` (or `<#C0PAY>`) only when the command has "Escape channels,
 * users, and links" on (`should_escape: true` in the manifest); otherwise it arrives as plain `#payroll`.
 */
const CHANNEL_MENTION = /^<#([CG][A-Z0-9]{2,})(?:\|[^>]*)?>$/;

function parseScheduleAdd(
  words: string[],
  context: CommandContext,
  ex: Examples,
): ParsedCommand | CommandError {
  const [configWord, ruleWord, ...rest] = words;
  const rules = SCHEDULE_RULES.map((rule) => q(rule)).join(', ');
  if (configWord === undefined) return fail('Say which configuration to schedule.', ex.scheduleAdd);
  const config = parseConfiguration(configWord, context.aliases, ex.scheduleAdd);
  if ('kind' in config) return config;
  if (ruleWord === undefined) return fail(`Say when it should run: ${rules}.`, ex.scheduleAdd);
  const rule = ruleWord.toLowerCase();
  if (!isScheduleRule(rule))
    return fail(`${q(ruleWord)} is not a schedule rule. Rules: ${rules}.`, ex.scheduleAdd);

  let timeOfDay: string | undefined;
  let channelId: string | undefined;
  while (rest.length) {
    const keyword = rest.shift()!;
    const value = rest.shift();
    const lower = keyword.toLowerCase();
    if (lower === 'at') {
      if (timeOfDay !== undefined) return fail(`${q('at')} is given twice.`, ex.scheduleAdd);
      if (value === undefined)
        return fail(`${q('at')} needs a time of day, such as ${q('at 07:30')}.`, ex.scheduleAdd);
      timeOfDay = parseTimeOfDay(value);
      if (timeOfDay === undefined) {
        return fail(
          `${q(value)} is not a time of day: write HH:MM from 00:00 to 23:59, such as ${q('07:30')}.`,
          ex.scheduleAdd,
        );
      }
    } else if (lower === 'in') {
      if (channelId !== undefined) return fail(`${q('in')} is given twice.`, ex.scheduleAdd);
      if (value === undefined)
        return fail(`${q('in')} needs a channel: type # and pick it from the list.`, ex.scheduleAdd);
      const match = CHANNEL_MENTION.exec(value);
      if (!match) {
        return fail(
          `${q(value)} is not a channel link: type # and pick the channel from Slack's list so that it becomes a link. (If it still fails, the Slack admin must turn on "Escape channels, users, and links" for the command.)`,
          ex.scheduleAdd,
        );
      }
      channelId = match[1]!;
    } else {
      const time = parseTimeOfDay(keyword);
      const hint = time
        ? ` Write ${q(`at ${time}`)}.`
        : ` After the rule come only ${q('at HH:MM')} and ${q('in #channel')}.`;
      return fail(`Unexpected ${q(keyword)}.${hint}`, ex.scheduleAdd);
    }
  }
  return {
    kind: 'schedule-add',
    ...config,
    rule,
    timeOfDay: timeOfDay ?? DEFAULT_TIME_OF_DAY,
    ...(channelId ? { channelId } : {}),
  };
}

function parseSchedule(words: string[], context: CommandContext, ex: Examples): ParsedCommand | CommandError {
  const [sub, ...rest] = words;
  const subcommand = sub?.toLowerCase();
  if (subcommand === undefined || subcommand === 'list') {
    return noMoreWords(rest, 'schedule list', ex.scheduleList) ?? { kind: 'schedule-list' };
  }
  if (subcommand === 'add') return parseScheduleAdd(rest, context, ex);
  if (subcommand === 'remove') {
    const id = parsePositiveId(rest[0], 'schedule', ex.scheduleRemove);
    if (typeof id !== 'number') return id;
    return (
      noMoreWords(rest.slice(1), `remove ${id}`, ex.scheduleRemove) ?? {
        kind: 'schedule-remove',
        scheduleId: id,
      }
    );
  }
  return fail(
    `${q(sub!)} is not a schedule command: use ${q('schedule list')}, ${q('schedule add …')} or ${q('schedule remove <id>')}.`,
    ex.scheduleAdd,
  );
}

/** Turns the command text into what to do. Never throws on user input. */
export function parseCommand(text: string, context: CommandContext): ParsedCommand | CommandError {
  const checked = contextSchema.safeParse(context);
  if (!checked.success) {
    throw new TypeError(`parseCommand: invalid context (${checked.error.issues[0]?.message ?? 'unknown'})`);
  }
  const aliases: Record<string, number> = {};
  for (const [alias, id] of Object.entries(checked.data.aliases)) aliases[alias.toLowerCase()] = id;
  const ctx: CommandContext = { aliases, today: checked.data.today };
  const ex = examplesFor(aliases, ctx.today);

  const raw = typeof text === 'string' ? text : '';
  if (raw.length > MAX_COMMAND_LENGTH) {
    return fail(
      `That command is too long (${raw.length} characters; a command has at most ${MAX_COMMAND_LENGTH}).`,
      ex.help,
    );
  }
  // Copy-paste brings zero-width spaces and typographic dashes; they are invisible or look like '-'.
  const cleaned = raw.replace(/\p{Cf}/gu, '').replace(/[\u2010-\u2015\u2212]/g, '-');
  if (/[\p{Cc}]/u.test(cleaned.replace(/[\t\n\r]/g, ' '))) {
    return fail('The command contains invisible control characters: please type it again.', ex.run);
  }
  const words = cleaned.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  if (first === undefined) return { kind: 'modal' };

  switch (first.toLowerCase()) {
    case 'help':
      // Whatever follows `help`, the usage is the answer.
      return { kind: 'help' };
    case 'status':
      return noMoreWords(rest, 'status', `${COMMAND_NAME} status`) ?? { kind: 'status' };
    case 'doctor':
      return noMoreWords(rest, 'doctor', `${COMMAND_NAME} doctor`) ?? { kind: 'doctor' };
    case 'schedule':
    case 'schedules':
      return parseSchedule(rest, ctx, ex);
    case 'cancel':
    case 'retry': {
      const kind = first.toLowerCase() as 'cancel' | 'retry';
      const example = kind === 'cancel' ? ex.cancel : ex.retry;
      const id = parsePositiveId(rest[0], 'run', example);
      if (typeof id !== 'number') return id;
      return noMoreWords(rest.slice(1), `${kind} ${id}`, example) ?? { kind, runId: id };
    }
    default:
      return parseRun(words, ctx, ex);
  }
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
