import { type Config, ConfigError, type ConfigProblem, readConfig } from '../config.js';
import type { Language } from '../i18n/language.js';
import type { CheckResult } from './types.js';

type Env = Record<string, string | undefined>;

/** Where each value comes from: the part of a fix that `readConfig`'s example cannot say. */
const WHERE: Readonly<Record<string, string>> = {
  SLACK_BOT_TOKEN: "copy the Bot User OAuth Token from the Slack app's OAuth & Permissions page",
  SLACK_SIGNING_SECRET:
    "copy the Signing Secret from the Slack app's Basic Information page (App Credentials); or set SLACK_APP_TOKEN to use Socket Mode, which needs no signing secret",
  SLACK_APP_TOKEN:
    "generate an app-level token with the connections:write scope on the Slack app's Basic Information page (App-Level Tokens)",
  PORT: 'the port the app listens on in HTTP mode; your reverse proxy forwards /slack/events to it',
  SLACK_API_URL: 'leave it unset unless you test against a stand-in',
  LUCCA_BASE_URL: 'the address of your Lucca site, as in your browser',
  LUCCA_API_KEY:
    "ask your Lucca admin for an API key whose role may create Timesheet exports (Lucca's API keys administration page)",
  LUCCA_MAX_REQUESTS_PER_MINUTE:
    "the app's share of the tenant's 50 requests a minute, shared by every integration",
  EXPORT_CONFIGURATIONS:
    'alias=id pairs; the id is the second number in the export-configuration URL in Lucca (…/export/1/3/latest → 3)',
  EXPORT_TRIGGER_TIMEOUT: 'how long to hold the export request before polling',
  EXPORT_POLL_MIN: 'the shortest wait between two looks at Lucca',
  EXPORT_POLL_MAX: 'the longest wait between two looks at Lucca',
  EXPORT_STALL_AFTER: 'after this long without an export, the run offers Retry (at least 10s)',
  EXPORT_FILES_DIR: 'a folder only the app can read: payroll files are kept there until delivered',
  EXPORT_FILE_RETENTION: 'how long delivered files stay on disk (at least 1m)',
  EXPORT_LEASE:
    "how long a process's claim on a run lasts unless renewed: after a crash, runs resume once it runs out (at least 3s)",
  ALLOWED_USERS:
    'Slack member ids (profile → ⋯ → Copy member ID), user-group ids (S…), comma-separated, or * for everyone',
  ALLOWED_CHANNELS: "channel ids (the channel's name → About → Channel ID), comma-separated",
  DATABASE_PATH: 'a file in a folder only the app can read and write',
  SCHEDULE_TIMEZONE: 'an IANA zone name such as Europe/Paris',
  SCHEDULE_CATCH_UP: 'how far back missed schedules are caught up after downtime',
  LOG_LEVEL: 'debug, info, warn or error',
  APP_LANGUAGE:
    "en or fr: the language of channel messages, and of personal replies when a person's Slack language is unknown",
};

/**
 * Values good enough to build a Config when a required variable is missing or bad: they only let the
 * doctor run the checks that do not depend on that variable, and never reach a network call
 * (checks skip everything whose variable is in `unusable`).
 */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  SLACK_BOT_TOKEN: 'xoxb-doctor-placeholder',
  SLACK_SIGNING_SECRET: '00000000000000000000000000000000',
  LUCCA_BASE_URL: 'https://lucca.invalid',
  LUCCA_API_KEY: 'doctor-placeholder',
};

/** readConfig reports `EXPORT_POLL_MAX must not be shorter than EXPORT_POLL_MIN` on MAX alone. */
const RELATED: Readonly<Record<string, readonly string[]>> = { EXPORT_POLL_MAX: ['EXPORT_POLL_MIN'] };

export interface EnvironmentOutcome {
  results: CheckResult[];
  /** Every usable value; those of `unusable` variables are placeholders or defaults, not the operator's. */
  config: Config;
  /** Variables that are missing or bad: checks that need them are skipped. */
  unusable: ReadonlySet<string>;
  problems: readonly ConfigProblem[];
}

/** The fix for one problem `readConfig` reported: what to set, to what, and where to find it. */
export function fixFor(problem: ConfigProblem): string {
  const where = WHERE[problem.variable];
  const verb = problem.problem === 'is not set' ? 'Set' : 'Fix';
  return `${verb} ${problem.variable}${where ? `: ${where}` : ''}. For example ${problem.variable}=${problem.example}`;
}

/**
 * Reads the environment the way the app does and reports every problem at once, each with its fix,
 * then the settings that are valid but probably not what the operator wants. Works with no
 * environment at all. Pure: pass the env.
 */
export function checkEnvironment(env: Env): EnvironmentOutcome {
  const problems = problemsOf(env);
  const { config, unusable } = usableConfig(env, problems);
  const results: CheckResult[] = problems.map((problem) => ({
    status: 'fail',
    label: `${problem.variable} ${problem.problem}`,
    fix: fixFor(problem),
  }));
  if (problems.length === 0) {
    results.push({ status: 'ok', label: 'All settings are valid', detail: describeSettings(config) });
  }
  results.push(...configWarnings(config, unusable));
  return { results, config, unusable, problems };
}

/** Settings that work but leave the app useless or too open; shared with the in-Slack doctor. */
export function configWarnings(config: Config, unusable: ReadonlySet<string> = new Set()): CheckResult[] {
  const results: CheckResult[] = [];
  if (!unusable.has('ALLOWED_USERS')) {
    const users = config.access.allowedUsers;
    if (users === undefined || (users !== '*' && users.length === 0)) {
      results.push({
        status: 'warn',
        label: 'ALLOWED_USERS is not set: nobody can run exports',
        fix: `Set ALLOWED_USERS to the people who may run exports: ${WHERE.ALLOWED_USERS}. For example ALLOWED_USERS=U012ABCDEF,S0PAYROLL`,
      });
    } else if (users === '*') {
      results.push({
        status: 'warn',
        label: 'ALLOWED_USERS=* lets everyone in the workspace run payroll exports',
        fix: 'List the payroll team instead, for example ALLOWED_USERS=U012ABCDEF,S0PAYROLL',
      });
    }
  }
  if (!unusable.has('ALLOWED_CHANNELS') && !config.access.allowedChannels?.length) {
    results.push({
      status: 'warn',
      label: 'ALLOWED_CHANNELS is not set: payroll files may be posted in any channel the bot is in',
      fix: `Set ALLOWED_CHANNELS to the payroll channels: ${WHERE.ALLOWED_CHANNELS}. For example ALLOWED_CHANNELS=C012PAYROLL`,
    });
  }
  if (!unusable.has('EXPORT_CONFIGURATIONS') && Object.keys(config.exports.configurations).length === 0) {
    results.push({
      status: 'warn',
      label: 'EXPORT_CONFIGURATIONS has no aliases: people must type configuration numbers',
      detail: 'The Lucca check needs at least one configuration id to ask about.',
      fix: `Set EXPORT_CONFIGURATIONS: ${WHERE.EXPORT_CONFIGURATIONS}. For example EXPORT_CONFIGURATIONS=payroll=3`,
    });
  }
  return results;
}

/** The doctor speaks English to the operator; it names the language the team will read. */
const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', fr: 'French' };

function describeSettings(config: Config): string {
  const mode = config.slack.appToken ? 'Socket Mode' : `HTTP mode on port ${config.slack.port}`;
  const aliases = Object.entries(config.exports.configurations).map(([alias, id]) => `${alias}=${id}`);
  return [
    mode,
    `Lucca at ${config.lucca.baseUrl}`,
    aliases.length ? `configurations ${aliases.join(', ')}` : 'no configuration aliases',
    `database ${config.databasePath}`,
    `channel messages in ${LANGUAGE_NAMES[config.language]} (APP_LANGUAGE=${config.language})`,
  ].join(' · ');
}

function problemsOf(env: Env): readonly ConfigProblem[] {
  try {
    readConfig(env, 'app');
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/**
 * A Config built from the variables that are fine: bad optional ones fall back to their defaults,
 * missing or bad required ones get placeholders, and all of them are marked unusable. Fixing one
 * variable can surface another (a bad SLACK_APP_TOKEN makes the signing secret required), so this
 * repeats until readConfig accepts the patched environment.
 */
function usableConfig(
  env: Env,
  problems: readonly ConfigProblem[],
): { config: Config; unusable: Set<string> } {
  const unusable = new Set(problems.map((p) => p.variable));
  const patched: Env = { ...env };
  for (let round = 0; round < 5; round++) {
    for (const variable of unusable) {
      if (variable in PLACEHOLDERS) patched[variable] = PLACEHOLDERS[variable];
      else delete patched[variable];
    }
    const more = problemsOf(patched);
    if (more.length === 0) return { config: readConfig(patched, 'app'), unusable };
    for (const problem of more) {
      unusable.add(problem.variable);
      // A rule between two variables stays broken when only the one it names is dropped.
      for (const related of RELATED[problem.variable] ?? []) unusable.add(related);
    }
  }
  throw new Error(`the doctor could not build a configuration from the valid variables`);
}
