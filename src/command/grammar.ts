import { z } from 'zod';
import {
  addYears,
  daysInMonth,
  firstMondayOnOrAfterFirst,
  firstOfMonth,
  isValidIsoDate,
  parseIsoDate,
} from '../calendar/end-date.js';
import { isScheduleRule, parseTimeOfDay, type ScheduleRule } from '../schedule/rules.js';
import { aliasOf, configurationOfAlias } from './aliases.js';
import { commandWordOf, isCommandWord } from './words.js';

/**
 * The grammar of the export command (DESIGN §4), for the slash command and the CLI alike. Pure and
 * total: any text gives a command or a `CommandError` whose `code` says what was wrong, with the
 * words and numbers needed to say it, and an `example` that is a correct command. It speaks no
 * language and no markup: Slack (bot/messages/command-text.ts) and the CLI (cli/command-errors.ts)
 * each turn an error into their own sentence. Nothing here reaches Lucca.
 */

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
  | RunCommand
  | { kind: 'schedule-list' }
  | {
      kind: 'schedule-add';
      configurationId: number;
      /** The configuration's alias, or null when it has none. */
      configurationLabel: string | null;
      rule: ScheduleRule;
      timeOfDay: string;
      channelId?: string;
    }
  | { kind: 'schedule-remove'; scheduleId: number }
  | { kind: 'cancel'; runId: number }
  | { kind: 'retry'; runId: number };

export interface RunCommand {
  kind: 'run';
  configurationId: number;
  /** The configuration's alias, or null when it has none. */
  configurationLabel: string | null;
  endsAt: string;
}

/** Problems with the text as a whole. */
export type TextProblem = { code: 'too-long'; length: number; max: number } | { code: 'control-characters' };

/** The word in a configuration's place names none. */
export type ConfigurationProblem =
  /** Digits, or something number-like, outside 1…max; `sample` when the word only looks like a number. */
  | { code: 'not-a-configuration-number'; word: string; max: number; sample?: string }
  /** Neither a number nor an alias; `known` lists the aliases as [alias, id]. */
  | { code: 'unknown-configuration'; word: string; known: [string, number][] };

/** A real date that cannot be an end date (also said of a date picked in the modal). */
export type RangeProblem =
  | { code: 'end-date-too-early'; endsAt: string; earliest: string }
  | { code: 'end-date-too-far'; endsAt: string; latest: string };

export type EndDateProblem = { code: 'no-end-date' } | RangeProblem;

type EndWordProblem =
  /** `sample` is a correct date to suggest. */
  | { code: 'not-an-end-date'; word: string; sample: string }
  | { code: 'no-such-day'; word: string; year: number; month: number; days: number }
  | { code: 'no-such-month'; word: string }
  /** A date with a time that is not midnight; `date` is the date alone. */
  | { code: 'not-midnight'; word: string; date: string }
  | (RangeProblem & { word: string });

/** Problems with `<config> [<end>]`. */
export type RunProblem =
  | ConfigurationProblem
  | EndWordProblem
  /** A time of day after the end date. */
  | { code: 'time-after-end-date'; word: string }
  | { code: 'extra-run-word'; word: string };

export type ScheduleProblem =
  | { code: 'missing-schedule-configuration' }
  | { code: 'missing-schedule-rule' }
  | { code: 'unknown-schedule-rule'; word: string }
  | { code: 'option-given-twice'; option: 'at' | 'in' }
  | { code: 'missing-time-of-day' }
  | { code: 'not-a-time-of-day'; word: string }
  | { code: 'missing-channel' }
  /** The word after `in` names no channel, as the surface reads one (CommandContext.channelOf). */
  | { code: 'not-a-channel'; word: string }
  /** A time of day without `at` before it; `time` is it as HH:MM. */
  | { code: 'time-without-at'; word: string; time: string }
  | { code: 'unexpected-schedule-word'; word: string }
  | { code: 'unknown-schedule-command'; word: string };

export type IdProblem =
  | { code: 'missing-id'; of: 'run' | 'schedule' }
  | { code: 'not-an-id'; word: string; of: 'run' | 'schedule' };

export type CommandProblem =
  | TextProblem
  | RunProblem
  | ScheduleProblem
  | IdProblem
  /** `after` is the command so far, such as `status` or `cancel 12`. */
  | { code: 'nothing-more-expected'; word: string; after: string };

/** Problems of `<config> [<end>]` given on their own (the CLI's `run`). */
export type RunRequestProblem =
  | TextProblem
  | RunProblem
  | { code: 'command-word'; word: string }
  | { code: 'missing-configuration' };

/**
 * A refused command: the problem, and `example`, a correct command to copy (the words after the
 * command's name, such as `payroll 2026-12-01`), built from the real aliases and today's date.
 */
export type Refusal<P> = P & { kind: 'error'; example: string };
export type CommandError = Refusal<CommandProblem>;
export type RunRequestError = Refusal<RunRequestProblem>;

export interface CommandContext {
  /** alias (lower case) → Lucca export-configuration id, from EXPORT_CONFIGURATIONS. */
  aliases: Record<string, number>;
  /** Today's local date `YYYY-MM-DD` in the schedule time zone: the base of `last-month` and `monday`. */
  today: string;
  /**
   * Reads a channel as the surface writes it (Slack: `<#C0PAY|payroll>`), giving its id, or undefined
   * when the word is no channel. Without it, a bare channel id (`C0PAY`).
   */
  channelOf?: (word: string) => string | undefined;
}

const contextSchema = z.object({
  aliases: z.record(z.string(), z.number().int().min(1).max(MAX_CONFIGURATION_ID)),
  today: z.string().refine(isValidIsoDate, { message: 'must be a YYYY-MM-DD date' }),
});

function fail<P>(problem: P, example: string): Refusal<P> {
  return { kind: 'error', ...problem, example };
}

/** Examples built from the real aliases and today's date, so they can be copied as they are. */
function examplesFor(aliases: Record<string, number>, today: string) {
  const config = Object.keys(aliases)[0] ?? '3';
  return {
    config,
    run: `${config} ${firstOfMonth(today)}`,
    scheduleAdd: `schedule add ${config} month-start at 07:30`,
    scheduleRemove: 'schedule remove 2',
    scheduleList: 'schedule list',
    retry: 'retry 12',
    cancel: 'cancel 12',
    help: 'help',
  };
}
type Examples = ReturnType<typeof examplesFor>;

type Configuration = { configurationId: number; configurationLabel: string | null };

function parseConfiguration(
  word: string,
  aliases: Record<string, number>,
  example: string,
): Configuration | Refusal<ConfigurationProblem> {
  if (/^\d+$/.test(word)) {
    const id = word.length <= 9 ? Number(word) : Number.NaN;
    if (id >= 1 && id <= MAX_CONFIGURATION_ID)
      return { configurationId: id, configurationLabel: aliasOf(aliases, id) };
    return fail({ code: 'not-a-configuration-number', word, max: MAX_CONFIGURATION_ID }, example);
  }
  if (/^[+-]?[\d.,]*\d[\d.,]*$/.test(word)) {
    const sample = String(Object.values(aliases)[0] ?? 3);
    return fail({ code: 'not-a-configuration-number', word, max: MAX_CONFIGURATION_ID, sample }, example);
  }
  const lower = word.toLowerCase();
  const id = configurationOfAlias(aliases, lower);
  if (id !== undefined) return { configurationId: id, configurationLabel: lower };
  return fail({ code: 'unknown-configuration', word, known: Object.entries(aliases) }, example);
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/i;

function parseEndDate(word: string, today: string, ex: Examples): string | Refusal<EndWordProblem> {
  const lower = word.toLowerCase();
  let endsAt: string;
  if (lower === 'last-month') endsAt = firstOfMonth(today);
  else if (lower === 'monday') endsAt = firstMondayOnOrAfterFirst(today);
  else {
    const dateTime = DATE_TIME.exec(word);
    const date = dateTime ? dateTime[1]! : word;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      return fail({ code: 'not-an-end-date', word, sample: firstOfMonth(today) }, ex.run);
    }
    if (!isValidIsoDate(date)) return fail(notARealDate(word, date), ex.run);
    if (dateTime && (dateTime[2] !== '00' || dateTime[3] !== '00' || (dateTime[4] ?? '00') !== '00')) {
      return fail({ code: 'not-midnight', word, date }, ex.run);
    }
    endsAt = date;
  }
  const problem = rangeProblem(endsAt, today);
  if (problem) return fail({ ...problem, word }, ex.run);
  return endsAt;
}

/** Why a real date cannot be an end date (too old to be meant, or too far ahead), or undefined. */
function rangeProblem(endsAt: string, today: string): RangeProblem | undefined {
  if (endsAt < EARLIEST_END_DATE) return { code: 'end-date-too-early', endsAt, earliest: EARLIEST_END_DATE };
  const latest = addYears(today, 1);
  if (endsAt > latest) return { code: 'end-date-too-far', endsAt, latest };
  return undefined;
}

/** The same checks for a date picked in the modal: the problem, or undefined when `endsAt` is fine. */
export function endDateProblem(endsAt: string, today: string): EndDateProblem | undefined {
  if (!isValidIsoDate(endsAt)) return { code: 'no-end-date' };
  return rangeProblem(endsAt, today);
}

function notARealDate(word: string, date: string): EndWordProblem {
  const [year, month] = date.split('-').map(Number) as [number, number];
  if (month >= 1 && month <= 12 && !parseIsoDate(date)) {
    return { code: 'no-such-day', word, year, month, days: daysInMonth(year, month) };
  }
  return { code: 'no-such-month', word };
}

function parsePositiveId(
  word: string | undefined,
  of: 'run' | 'schedule',
  ex: string,
): number | Refusal<IdProblem> {
  if (word === undefined) return fail({ code: 'missing-id', of }, ex);
  const digits = word.startsWith('#') ? word.slice(1) : word;
  const id = /^\d{1,9}$/.test(digits) ? Number(digits) : 0;
  if (id >= 1) return id;
  return fail({ code: 'not-an-id', word, of }, ex);
}

function noMoreWords(words: string[], after: string, ex: string): CommandError | undefined {
  const extra = words[0];
  if (extra === undefined) return undefined;
  return fail({ code: 'nothing-more-expected', word: extra, after }, ex);
}

function parseRun(words: string[], context: CommandContext, ex: Examples): RunCommand | Refusal<RunProblem> {
  const [configWord, endWord, extra] = words as [string, string?, string?];
  const config = parseConfiguration(configWord, context.aliases, ex.run);
  if ('kind' in config) return config;
  const endsAt =
    endWord === undefined ? firstOfMonth(context.today) : parseEndDate(endWord, context.today, ex);
  if (typeof endsAt !== 'string') return endsAt;
  if (extra !== undefined) {
    const time = parseTimeOfDay(extra);
    if (time !== undefined && time !== '00:00')
      return fail({ code: 'time-after-end-date', word: extra }, ex.run);
    return fail({ code: 'extra-run-word', word: extra }, ex.run);
  }
  return { kind: 'run', ...config, endsAt };
}

/** A bare channel id (`C0PAY`, `G0HR`): how a channel is written where no surface says otherwise. */
function channelIdOf(word: string): string | undefined {
  return /^[CG][A-Z0-9]{2,}$/.test(word) ? word : undefined;
}

function parseScheduleAdd(
  words: string[],
  context: CommandContext,
  ex: Examples,
): ParsedCommand | CommandError {
  const [configWord, ruleWord, ...rest] = words;
  if (configWord === undefined) return fail({ code: 'missing-schedule-configuration' }, ex.scheduleAdd);
  const config = parseConfiguration(configWord, context.aliases, ex.scheduleAdd);
  if ('kind' in config) return config;
  if (ruleWord === undefined) return fail({ code: 'missing-schedule-rule' }, ex.scheduleAdd);
  const rule = ruleWord.toLowerCase();
  if (!isScheduleRule(rule)) return fail({ code: 'unknown-schedule-rule', word: ruleWord }, ex.scheduleAdd);

  let timeOfDay: string | undefined;
  let channelId: string | undefined;
  while (rest.length) {
    const keyword = rest.shift()!;
    const value = rest.shift();
    const lower = keyword.toLowerCase();
    if (lower === 'at') {
      if (timeOfDay !== undefined) return fail({ code: 'option-given-twice', option: 'at' }, ex.scheduleAdd);
      if (value === undefined) return fail({ code: 'missing-time-of-day' }, ex.scheduleAdd);
      timeOfDay = parseTimeOfDay(value);
      if (timeOfDay === undefined) return fail({ code: 'not-a-time-of-day', word: value }, ex.scheduleAdd);
    } else if (lower === 'in') {
      if (channelId !== undefined) return fail({ code: 'option-given-twice', option: 'in' }, ex.scheduleAdd);
      if (value === undefined) return fail({ code: 'missing-channel' }, ex.scheduleAdd);
      channelId = (context.channelOf ?? channelIdOf)(value);
      if (channelId === undefined) return fail({ code: 'not-a-channel', word: value }, ex.scheduleAdd);
    } else {
      const time = parseTimeOfDay(keyword);
      return fail(
        time
          ? { code: 'time-without-at', word: keyword, time }
          : { code: 'unexpected-schedule-word', word: keyword },
        ex.scheduleAdd,
      );
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
  return fail({ code: 'unknown-schedule-command', word: sub! }, ex.scheduleAdd);
}

/** The checked context and the words of `text`, or what is wrong with the text as a whole. */
function readWords(
  text: string,
  context: CommandContext,
  /** What a too-long text gets as its example: the usage, or (for a run alone) a run. */
  tooLongExample: 'help' | 'run',
): { words: string[]; ctx: CommandContext; ex: Examples } | Refusal<TextProblem> {
  const checked = contextSchema.safeParse(context);
  if (!checked.success) {
    throw new TypeError(`parseCommand: invalid context (${checked.error.issues[0]?.message ?? 'unknown'})`);
  }
  const aliases: Record<string, number> = {};
  for (const [alias, id] of Object.entries(checked.data.aliases)) aliases[alias.toLowerCase()] = id;
  const ctx: CommandContext = {
    aliases,
    today: checked.data.today,
    ...(context.channelOf ? { channelOf: context.channelOf } : {}),
  };
  const ex = examplesFor(aliases, ctx.today);

  const raw = typeof text === 'string' ? text : '';
  if (raw.length > MAX_COMMAND_LENGTH) {
    return fail({ code: 'too-long', length: raw.length, max: MAX_COMMAND_LENGTH }, ex[tooLongExample]);
  }
  // Copy-paste brings zero-width spaces and typographic dashes; they are invisible or look like '-'.
  const cleaned = raw.replace(/\p{Cf}/gu, '').replace(/[\u2010-\u2015\u2212]/g, '-');
  if (/[\p{Cc}]/u.test(cleaned.replace(/[\t\n\r]/g, ' '))) {
    return fail({ code: 'control-characters' }, ex.run);
  }
  return { words: cleaned.trim().split(/\s+/).filter(Boolean), ctx, ex };
}

/** Turns the command text into what to do. Never throws on user input. */
export function parseCommand(text: string, context: CommandContext): ParsedCommand | CommandError {
  const read = readWords(text, context, 'help');
  if ('kind' in read) return read;
  const { words, ctx, ex } = read;
  const [first, ...rest] = words;
  if (first === undefined) return { kind: 'modal' };

  const word = commandWordOf(first);
  if (word === undefined) return parseRun(words, ctx, ex);
  // Exhaustive over COMMAND_WORDS: a word added to the list without a case here does not compile.
  switch (word) {
    case 'help':
      // Whatever follows `help`, the usage is the answer.
      return { kind: 'help' };
    case 'status':
      return noMoreWords(rest, 'status', 'status') ?? { kind: 'status' };
    case 'doctor':
      return noMoreWords(rest, 'doctor', 'doctor') ?? { kind: 'doctor' };
    case 'schedule':
    case 'schedules':
      return parseSchedule(rest, ctx, ex);
    case 'cancel':
    case 'retry': {
      const kind = word;
      const example = kind === 'cancel' ? ex.cancel : ex.retry;
      const id = parsePositiveId(rest[0], 'run', example);
      if (typeof id !== 'number') return id;
      return noMoreWords(rest.slice(1), `${kind} ${id}`, example) ?? { kind, runId: id };
    }
    default:
      return unreachable(word);
  }
}

/**
 * `<config> [<end>]` alone, as the CLI's `run` takes it: the same words and rules as the command's run,
 * and a command word in the configuration's place is refused (an alias can never be one).
 */
export function parseRunRequest(text: string, context: CommandContext): RunCommand | RunRequestError {
  const read = readWords(text, context, 'run');
  if ('kind' in read) return read;
  const { words, ctx, ex } = read;
  const first = words[0];
  if (first === undefined) return fail({ code: 'missing-configuration' }, ex.run);
  if (isCommandWord(first)) return fail({ code: 'command-word', word: first }, ex.config);
  return parseRun(words, ctx, ex);
}

function unreachable(word: never): never {
  throw new Error(`no case for the command word ${String(word)}`);
}
