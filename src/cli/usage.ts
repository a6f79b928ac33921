import path from 'node:path';
import { AppError } from '../errors.js';

/** Bad command-line input: printed with the command's usage, exit 2. Nothing was started. */
export class UsageError extends AppError {
  constructor(
    message: string,
    /** The usage of the command concerned (or the program's). */
    readonly usage: string,
  ) {
    super('usage', message);
  }
}

/**
 * The CLI as the person started it, for the commands its messages suggest (`npm run cli -- retry 4`):
 * `timesheet-export` exists only after `npm link`. npm sets npm_lifecycle_event to the script's name
 * (`cli`, or `export`, whose hints still need `cli`); the built file is named by its path.
 */
export function invokedAs(
  env: Record<string, string | undefined>,
  script: string | undefined,
  cwd: string,
): string {
  if (env.npm_lifecycle_event === 'cli' || env.npm_lifecycle_event === 'export') return 'npm run cli --';
  if (script && script.split(path.sep).slice(-3).join('/') === 'dist/cli/main.js') {
    const relative = path.relative(cwd, script);
    return `node ${relative && !relative.startsWith('..') ? relative : script}`;
  }
  return 'timesheet-export';
}

export const PROGRAM = invokedAs(process.env, process.argv[1], process.cwd());

export const PROGRAM_USAGE = `Usage: ${PROGRAM} <command> [options]

Runs Lucca Timesheet exports from the command line, through the same engine and database as the
Slack app (DATABASE_PATH). Reads the same environment (see .env.example); no Slack token is needed.

Commands:
  run <config> [<end>]   run an export and save its files to a folder (./exports by default)
  status                 the latest runs
  retry <run>            retry a stalled or failed run (or pick up an interrupted one) and follow it
  cancel <run>           cancel a run
  schedules              the month-end schedules and when each runs next

Run \`${PROGRAM} <command> --help\` for a command's options.

Exit codes: 0 done, 1 failed, 2 bad command line or configuration, 3 stalled (retry it later),
130 interrupted with Ctrl-C (the run is kept and resumable).`;

export const RUN_USAGE = `Usage: ${PROGRAM} run <config> [<end>] [--out DIR] [--json] [--no-wait]

Exports everything before midnight of <end> for a Lucca export configuration, waits for Lucca to
build it and copies its files into DIR (never overwriting a file there).

  <config>        a configuration number, or an alias from EXPORT_CONFIGURATIONS
  <end>           YYYY-MM-DD, last-month (the 1st of this month, the default) or monday
                  (the first Monday on or after the 1st of this month)
  --out DIR       folder for the files (default ./exports)
  --json          one JSON object per line: each event, then a final result
  --no-wait       request the run and return at once (the Slack app, or
                  \`${PROGRAM} retry <run>\`, drives it)
  -h, --help      this help

Examples:
  ${PROGRAM} run payroll
  ${PROGRAM} run 3 2026-12-01 --out ~/payroll/exports`;

export const STATUS_USAGE = `Usage: ${PROGRAM} status [--limit N] [--json]

Lists the latest runs, newest first: id, configuration, end date, state, who asked, age, files.

  --limit N       how many runs (default 10, at most 200)
  --json          a JSON object { "runs": [...] }
  -h, --help      this help`;

export const RETRY_USAGE = `Usage: ${PROGRAM} retry <run> [--json] [--no-wait]

Retries a stalled run (one more look, then a new export in Lucca) or a failed one (from where it
failed: the files are delivered again without asking Lucca when they are still here), then follows
it like \`run\` does. A run interrupted with Ctrl-C is simply picked up again.

  --json          one JSON object per line: each event, then a final result
  --no-wait       do not follow the run
  -h, --help      this help`;

export const CANCEL_USAGE = `Usage: ${PROGRAM} cancel <run> [--json]

Cancels a run that has not finished. An export Lucca is already building is not stopped there,
but it is not downloaded.

  --json          a JSON object with the outcome
  -h, --help      this help`;

export const SCHEDULES_USAGE = `Usage: ${PROGRAM} schedules [--all] [--json]

Lists the month-end schedules (added from Slack) and when each runs next, in SCHEDULE_TIMEZONE.

  --all           include removed schedules
  --json          a JSON object { "timezone": ..., "schedules": [...] }
  -h, --help      this help`;
