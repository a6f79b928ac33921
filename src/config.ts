import path from 'node:path';
import { z } from 'zod';
import { isCommandWord } from './command/words.js';
import { AppError } from './errors.js';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from './i18n/language.js';
import { parseDuration } from './util/duration.js';
import type { LogLevel } from './util/log.js';

export interface Config {
  slack: {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    port: number;
    apiUrl: string;
  };
  lucca: {
    baseUrl: string;
    apiKey: string;
    maxRequestsPerMinute: number;
  };
  exports: {
    /** alias → Lucca export-configuration id */
    configurations: Record<string, number>;
    triggerTimeoutMs: number;
    pollMinMs: number;
    pollMaxMs: number;
    stallAfterMs: number;
    filesDir: string;
    fileRetentionMs: number;
    /**
     * How long a worker's claim on a run lasts unless renewed (EXPORT_LEASE, 30 s by default): after
     * a crash, the run is resumed once it runs out. Optional so that hand-built configs stay valid.
     */
    leaseMs?: number;
  };
  access: {
    /** `undefined`: the variable is unset, nobody may run exports. `'*'`: everyone. */
    allowedUsers: readonly string[] | '*' | undefined;
    allowedChannels: readonly string[] | undefined;
  };
  databasePath: string;
  schedule: {
    timezone: string;
    catchUpMs: number;
  };
  logLevel: LogLevel;
  /**
   * APP_LANGUAGE: the language of channel messages (everyone in the channel reads them), and of
   * personal replies when the reader's Slack locale is unknown.
   */
  language: Language;
}

export interface ConfigProblem {
  variable: string;
  problem: string;
  example: string;
  /** Another way out, said after the example (`or set SLACK_APP_TOKEN for Socket Mode`). */
  alternative?: string;
}

export class ConfigError extends AppError {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(
      'config-invalid',
      `The configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems
        .map(
          (p) =>
            `  - ${p.variable}: ${p.problem} (for example ${p.variable}=${p.example})${p.alternative ? `; ${p.alternative}` : ''}`,
        )
        .join('\n')}`,
    );
    this.problems = problems;
  }
}

/** Which parts of the app will run: the CLI needs no Slack credentials. */
export type ConfigPurpose = 'app' | 'cli';

type Env = Record<string, string | undefined>;

const duration = (min = 0) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `${quote(text)} is not a duration; write 90, 90s, 15m or 1h` });
      return z.NEVER;
    }
    if (ms < min) {
      ctx.addIssue({
        code: 'custom',
        message: `${quote(text)} is too short: it must be at least ${min / 1000}s`,
      });
      return z.NEVER;
    }
    return ms;
  });

const integer = (min: number, max: number) =>
  z.string().transform((text, ctx) => {
    const n = Number(text.trim());
    if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `${quote(text)} is not a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });

const httpUrl = z.string().transform((text, ctx) => {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    ctx.addIssue({ code: 'custom', message: `${quote(text)} is not a URL` });
    return z.NEVER;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    ctx.addIssue({ code: 'custom', message: `${quote(text)} must start with https://` });
    return z.NEVER;
  }
  if (url.username || url.password) {
    ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
    return z.NEVER;
  }
  return url.toString();
});

function splitIds(text: string, pattern: RegExp, what: string, ctx: z.RefinementCtx<string>): string[] {
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = ids.filter((id) => !pattern.test(id));
  if (bad.length) {
    ctx.addIssue({
      code: 'custom',
      message: `${bad.map(quote).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not ${what}`,
    });
  }
  return ids;
}

const channelList = z
  .string()
  .transform((text, ctx): readonly string[] | undefined =>
    splitIds(text, /^[CG][A-Z0-9]{2,}$/, 'a Slack channel id (C…)', ctx),
  );

const userList = z
  .string()
  .transform((text, ctx): readonly string[] | '*' | undefined =>
    text.trim() === '*'
      ? '*'
      : splitIds(text, /^[US][A-Z0-9]{2,}$/, 'a Slack user id (U…) or user-group id (S…)', ctx),
  );

// Every bad entry is reported, not only the first: an admin fixes the whole list in one go.
const aliases = z.string().transform((text, ctx) => {
  const out: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = /^([a-z][a-z0-9_-]{0,31})\s*=\s*(\d{1,9})$/i.exec(part);
    if (!match) {
      ctx.addIssue({
        code: 'custom',
        message: `${quote(part)} is not alias=id (an alias starts with a letter, the id is a number)`,
      });
      continue;
    }
    const alias = match[1]!.toLowerCase();
    // Own keys only: `constructor` or `toString` are aliases like any other, not Object.prototype's.
    if (Object.hasOwn(out, alias)) {
      ctx.addIssue({ code: 'custom', message: `the alias ${quote(alias)} is given twice` });
      continue;
    }
    if (isCommandWord(alias)) {
      ctx.addIssue({ code: 'custom', message: `${quote(alias)} is a command word and cannot be an alias` });
      continue;
    }
    out[alias] = Number(match[2]);
  }
  return out;
});

const timezone = z.string().superRefine((zone, ctx) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    const guess = suggestTimezone(zone);
    ctx.addIssue({
      code: 'custom',
      message: `${quote(zone)} is not an IANA time zone${guess ? ` — did you mean ${guess}?` : ' (Area/City, e.g. Europe/Paris)'}`,
    });
  }
});

/**
 * The IANA zone an admin probably meant: `Paris` → Europe/Paris, `new york` → America/New_York.
 * Only a zone whose city part matches exactly (case and spaces aside) is suggested.
 */
export function suggestTimezone(text: string): string | undefined {
  const wanted = text.trim().replace(/\s+/g, '_').toLowerCase();
  if (!wanted) return undefined;
  const zones = Intl.supportedValuesOf('timeZone');
  return (
    zones.find((zone) => zone.toLowerCase() === wanted) ??
    zones.find((zone) => zone.toLowerCase().split('/').at(-1) === wanted.split('/').at(-1))
  );
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const logLevel = z.string().transform((text, ctx): LogLevel => {
  const level = text.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  ctx.addIssue({ code: 'custom', message: `${quote(text)} is not one of ${LOG_LEVELS.join(', ')}` });
  return z.NEVER;
});

const appLanguage = z.string().transform((text, ctx): Language => {
  const wanted = text.trim().toLowerCase();
  if (isLanguage(wanted)) return wanted;
  ctx.addIssue({ code: 'custom', message: `${quote(text)} is not one of ${LANGUAGES.join(', ')}` });
  return z.NEVER;
});

/** A bad value as the admin wrote it, shortened: never used for secrets (tokens, keys). */
function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return `"${shown}"`;
}

interface VariableSpec<T> {
  schema: z.ZodType<T, string>;
  example: string;
  /** Returned when the variable is unset or blank; `required` reports it missing. */
  fallback: T | 'required';
}

function spec<T>(schema: z.ZodType<T, string>, example: string, fallback: T | 'required'): VariableSpec<T> {
  return { schema, example, fallback };
}

/**
 * Reads the environment of DESIGN §4 into a typed config. Pure: pass the env to test it.
 * Every problem is reported at once, by variable name, with an example of a good value.
 */
export function readConfig(env: Env = process.env, purpose: ConfigPurpose = 'app'): Config {
  const problems: ConfigProblem[] = [];
  const read = <T>(variable: string, s: VariableSpec<T>): T => {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === '') {
      if (s.fallback === 'required') {
        problems.push({ variable, problem: 'is not set', example: s.example });
        return undefined as T;
      }
      return s.fallback;
    }
    const result = s.schema.safeParse(raw.trim());
    if (!result.success) {
      const messages = result.error.issues.map((issue) => issue.message);
      for (const message of messages.length ? messages : ['is not valid'])
        problems.push({ variable, problem: message, example: s.example });
      return undefined as T;
    }
    return result.data;
  };

  const needSlack = purpose === 'app';
  const botToken = read(
    'SLACK_BOT_TOKEN',
    spec(
      z.string().regex(/^xoxb-/, { message: 'must be a bot token starting with xoxb-' }),
      'xoxb-…',
      needSlack ? 'required' : '',
    ),
  );
  const appToken = read(
    'SLACK_APP_TOKEN',
    spec<string | undefined>(
      z.string().regex(/^xapp-/, { message: 'must be an app-level token starting with xapp-' }),
      'xapp-…',
      undefined,
    ),
  );
  const signingSecret = read(
    'SLACK_SIGNING_SECRET',
    spec<string | undefined>(
      z
        .string()
        .regex(/^[0-9a-f]{16,}$/i, { message: 'must be the hexadecimal signing secret of the Slack app' }),
      '8f742231b10e8888abcd99bb77aa85a5',
      needSlack && !appToken ? 'required' : undefined,
    ),
  );
  const signingSecretProblem = problems.find((p) => p.variable === 'SLACK_SIGNING_SECRET');
  if (signingSecretProblem?.problem === 'is not set') {
    // The set-up leads with Socket Mode: the signing secret is only HTTP mode's.
    signingSecretProblem.alternative =
      'or set SLACK_APP_TOKEN for Socket Mode, which needs no signing secret (see .env.example)';
  }
  const databasePath = read(
    'DATABASE_PATH',
    spec(z.string(), 'data/timesheet-export.sqlite', 'data/timesheet-export.sqlite'),
  );
  const pollMinMs = read('EXPORT_POLL_MIN', spec(duration(1000), '5s', 5000));
  const pollMaxMs = read('EXPORT_POLL_MAX', spec(duration(1000), '60s', 60_000));
  if (pollMinMs !== undefined && pollMaxMs !== undefined && pollMinMs > pollMaxMs) {
    problems.push({
      variable: 'EXPORT_POLL_MAX',
      problem: `${quote(env.EXPORT_POLL_MAX?.trim() || '60s')} must not be shorter than EXPORT_POLL_MIN (${quote(env.EXPORT_POLL_MIN?.trim() || '5s')})`,
      example: '60s',
    });
  }

  const config: Config = {
    slack: {
      botToken,
      signingSecret,
      appToken,
      port: read('PORT', spec(integer(1, 65535), '3000', 3000)),
      apiUrl: read('SLACK_API_URL', spec(httpUrl, 'https://slack.com/api/', 'https://slack.com/api/')),
    },
    lucca: {
      baseUrl: read('LUCCA_BASE_URL', spec(httpUrl, 'https://example.ilucca.net', 'required')),
      apiKey: read(
        'LUCCA_API_KEY',
        spec(z.string().regex(/^\S+$/, { message: 'must not contain spaces' }), '0f1e2d3c-…', 'required'),
      ),
      maxRequestsPerMinute: read('LUCCA_MAX_REQUESTS_PER_MINUTE', spec(integer(1, 50), '20', 20)),
    },
    exports: {
      configurations: read('EXPORT_CONFIGURATIONS', spec(aliases, 'payroll=3,overtime=7', {})),
      triggerTimeoutMs: read('EXPORT_TRIGGER_TIMEOUT', spec(duration(1000), '30s', 30_000)),
      pollMinMs,
      pollMaxMs,
      stallAfterMs: read('EXPORT_STALL_AFTER', spec(duration(10_000), '60m', 3_600_000)),
      filesDir: read(
        'EXPORT_FILES_DIR',
        spec(z.string(), 'data/exports', path.join(path.dirname(databasePath ?? 'data/x'), 'exports')),
      ),
      fileRetentionMs: read('EXPORT_FILE_RETENTION', spec(duration(60_000), '7d', 7 * 86_400_000)),
      leaseMs: read('EXPORT_LEASE', spec(duration(3_000), '30s', 30_000)),
    },
    access: {
      allowedUsers: read('ALLOWED_USERS', spec(userList, 'U012ABCDEF,S0PAYROLL', undefined)),
      allowedChannels: read('ALLOWED_CHANNELS', spec(channelList, 'C012PAYROLL', undefined)),
    },
    databasePath,
    schedule: {
      timezone: read('SCHEDULE_TIMEZONE', spec(timezone, 'Europe/Paris', 'Europe/Paris')),
      catchUpMs: read('SCHEDULE_CATCH_UP', spec(duration(0), '3d', 3 * 86_400_000)),
    },
    logLevel: read('LOG_LEVEL', spec(logLevel, 'info', 'info')),
    language: read('APP_LANGUAGE', spec(appLanguage, 'fr', DEFAULT_LANGUAGE)),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** Secrets to scrub from every log line and message. */
export function secretsOf(config: Config): string[] {
  return [
    config.lucca.apiKey,
    config.slack.botToken,
    config.slack.appToken,
    config.slack.signingSecret,
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);
}
