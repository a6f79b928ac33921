/**
 * `npm run doctor [-- --json]`: checks the environment, Slack, Lucca, the database and the time zone,
 * prints ✓/!/✗ lines with the exact fix for each problem, and exits 1 when any check failed.
 */
import { loadDotEnv } from '../util/env-file.js';
import { renderJson, renderText } from './render.js';
import { runDoctor } from './run-doctor.js';

const USAGE = `Usage: npm run doctor [-- --json] [-- --lucca]

Checks what timesheet-export needs before it can run: every environment variable, the Slack bot
token and its scopes (and the Socket Mode token if set), the Lucca host and API key for each
configuration alias, the database, and the schedules' time zone.

  --lucca  also read the newest export of each configuration and check the app's assumptions about
           Lucca's answers (file links, end dates, amounts, units); run it on a first deployment
  --json   one JSON document (ok, verdict, counts, checks[]) instead of the report
  --help   this text

Exit code: 0 when nothing failed (warnings allowed), 1 otherwise.
`;

async function main(argv: readonly string[]): Promise<number> {
  const unknown = argv.filter((a) => !['--json', '--lucca', '--help', '-h'].includes(a));
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (unknown.length) {
    process.stderr.write(`Unknown option ${unknown.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  // The app reads .env too: check what it will really see.
  const envFile = loadDotEnv();
  if (envFile) process.stderr.write(`Reading ${envFile} (variables already set in the environment win).\n`);
  const report = await runDoctor(process.env, { luccaShapes: argv.includes('--lucca') });
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  process.stdout.write(argv.includes('--json') ? renderJson(report) : renderText(report, { color }));
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Checks report their own failures; reaching here is a bug in the doctor, never a secret to print.
    process.stderr.write(`The doctor itself failed: ${error instanceof Error ? error.name : 'error'}\n`);
    process.exitCode = 1;
  },
);
