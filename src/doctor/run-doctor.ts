import type { Config } from '../config.js';
import type { LuccaApi } from '../lucca/types.js';
import { checkDatabase } from './database.js';
import { checkEnvironment, configWarnings } from './environment.js';
import { checkLucca } from './lucca.js';
import { checkLuccaShapes } from './lucca-shapes.js';
import { checkSlack } from './slack.js';
import { checkTimezone } from './timezone.js';
import { type DoctorReport, report } from './types.js';

export interface DoctorOptions {
  now?: number;
  /** Per Slack call. */
  slackTimeoutMs?: number;
  /** The running app's Lucca client; the command-line doctor makes its own. */
  lucca?: LuccaApi;
  /** Also read the newest exports and compare their shapes with the client's assumptions (`--lucca`). */
  luccaShapes?: boolean;
}

/** `npm run doctor`: everything, from the raw environment; works with none at all. */
export async function runDoctor(
  env: Record<string, string | undefined>,
  options: DoctorOptions = {},
): Promise<DoctorReport> {
  const environment = checkEnvironment(env);
  return report([
    { title: 'Environment', results: environment.results },
    ...(await connectedChecks(environment.config, environment.unusable, options)),
  ]);
}

/** `/timesheet-export doctor`: the running app's configuration is valid by construction. */
export async function runDoctorForApp(config: Config, options: DoctorOptions = {}): Promise<DoctorReport> {
  return report([
    {
      title: 'Environment',
      results: [
        { status: 'ok', label: 'The app started with a valid configuration' },
        ...configWarnings(config),
      ],
    },
    ...(await connectedChecks(config, new Set(), options)),
  ]);
}

async function connectedChecks(config: Config, unusable: ReadonlySet<string>, options: DoctorOptions) {
  // Slack and Lucca are independent: ask both at once.
  const [slack, lucca] = await Promise.all([
    checkSlack(config, {
      unusable,
      ...(options.slackTimeoutMs ? { timeoutMs: options.slackTimeoutMs } : {}),
    }),
    checkLucca(config, { unusable, ...(options.lucca ? { lucca: options.lucca } : {}) }),
  ]);
  // After the basic check: its answer (key, host, configuration) explains a failure here.
  const shapes = options.luccaShapes
    ? [
        {
          title: "Lucca's answers (the client's assumptions)",
          results: await checkLuccaShapes(config, {
            unusable,
            ...(options.lucca ? { lucca: options.lucca } : {}),
          }),
        },
      ]
    : [];
  return [
    { title: 'Slack', results: slack },
    { title: 'Lucca', results: lucca },
    ...shapes,
    {
      title: 'Database',
      results: checkDatabase(config.databasePath, { filesDir: config.exports.filesDir, unusable }),
    },
    {
      title: 'Time zone',
      results: [checkTimezone(config.schedule.timezone, options.now ?? Date.now(), { unusable })],
    },
  ];
}
