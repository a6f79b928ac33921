/**
 * What a real-process test runs against: the Lucca simulator and the Slack stand-in (real clock), each
 * behind a fault proxy that can hold a chosen request and report its arrival, a temporary folder for
 * the database and the export files, and the environment to start the app with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportFileBytes } from '../../fakes/lucca-simulator/content.js';
import {
  type ConfigurationBehaviour,
  type LuccaSimulator,
  startLuccaSimulator,
} from '../../fakes/lucca-simulator/index.js';
import { type SlackStandIn, startSlackStandIn } from '../../fakes/slack/index.js';
import { occurrencesBetween } from '../../src/schedule/rules.js';
import { openDatabase } from '../../src/store/database.js';
import { ScheduleStore } from '../../src/store/schedule-store.js';
import { ANA, BOT_TOKEN, LUCCA_KEY, PAYROLL, SIGNING_SECRET } from '../helpers/app-harness.js';
import type { AppProcess } from '../helpers/app-process.js';
import { type FaultProxy, type ProxiedRequest, startFaultProxy } from '../helpers/fault-proxy.js';
import { sendSlashCommand } from '../helpers/slack-requests.js';

/** The simulator's file for these worlds: 3 entries padded with whole rows to at least 4096 bytes. */
export const SIMULATED_FILE_BYTES = exportFileBytes(3, 1, 0, 4096).length;

export interface World {
  sim: LuccaSimulator;
  slack: SlackStandIn;
  lucca: FaultProxy;
  slackProxy: FaultProxy;
  dir: string;
  databasePath: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startWorld(
  options: { lucca?: Partial<ConfigurationBehaviour>; env?: Record<string, string> } = {},
): Promise<World> {
  const sim = await startLuccaSimulator({
    apiKey: LUCCA_KEY,
    defaults: {
      buildMs: 2_000,
      postHoldMs: 300,
      postAnswer: 408,
      files: 1,
      fileBytes: 4096,
      ...options.lucca,
    },
  });
  const slack = await startSlackStandIn({ botToken: BOT_TOKEN });
  const lucca = await startFaultProxy({ target: sim.url });
  const slackProxy = await startFaultProxy({ target: slack.origin });
  const dir = mkdtempSync(path.join(tmpdir(), 'tsx-reliability-'));
  const databasePath = path.join(dir, 'app.sqlite');
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: `${slackProxy.url}/api/`,
    LUCCA_BASE_URL: lucca.url,
    LUCCA_API_KEY: LUCCA_KEY,
    DATABASE_PATH: databasePath,
    EXPORT_FILES_DIR: path.join(dir, 'exports'),
    EXPORT_CONFIGURATIONS: 'payroll=3',
    EXPORT_TRIGGER_TIMEOUT: '1s',
    EXPORT_POLL_MIN: '1s',
    EXPORT_POLL_MAX: '2s',
    EXPORT_LEASE: '3s',
    ALLOWED_USERS: ANA,
    LOG_LEVEL: 'debug',
    ...options.env,
  };
  return {
    sim,
    slack,
    lucca,
    slackProxy,
    dir,
    databasePath,
    env,
    async close() {
      await lucca.close();
      await slackProxy.close();
      await sim.close();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `/timesheet-export <text>` from Ana in #payroll, signed, to a running app. */
export function command(app: AppProcess, world: World, text = 'payroll 2026-12-01') {
  return sendSlashCommand(app.url, SIGNING_SECRET, {
    text,
    user_id: ANA,
    channel_id: PAYROLL,
    response_url: world.slack.responseUrl(),
  });
}

export const luccaCall = {
  // The baseline asks for one item (paging=0,1); the poll asks for a page of 100 (paging=0,100).
  baseline: (r: ProxiedRequest) =>
    r.method === 'GET' && r.path === '/api/v3/timmiexports' && /[?&]paging=0,1(&|$)/.test(r.url),
  trigger: (r: ProxiedRequest) => r.method === 'POST' && r.path === '/api/v3/timmiexports/run',
  poll: (r: ProxiedRequest) =>
    r.method === 'GET' && r.path === '/api/v3/timmiexports' && r.url.includes('id=greaterthan'),
  // The export's header and files; its entries are a request of their own (see `entries`).
  fetch: (r: ProxiedRequest) =>
    r.method === 'GET' && /^\/api\/v3\/timmiexports\/\d+$/.test(r.path) && !r.url.includes('entries'),
  entries: (r: ProxiedRequest) =>
    r.method === 'GET' && /^\/api\/v3\/timmiexports\/\d+$/.test(r.path) && r.url.includes('entries'),
  download: (r: ProxiedRequest) => r.method === 'GET' && r.path.startsWith('/timmi-exports/files/'),
};

export const slackMethod = (method: string) => (r: ProxiedRequest) => r.path === `/api/${method}`;

/** The parent message of the run's thread, and its replies. */
export function threadOf(world: World, threadTs: string) {
  const parent = world.slack.messagesIn(PAYROLL).find((m) => m.ts === threadTs);
  const replies = world.slack.threadOf(PAYROLL, threadTs);
  return { parent, replies };
}

/** Rejects after `ms` with `what`: a hold that never comes must fail the test, not hang it. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms).unref(),
    ),
  ]);
}

/**
 * A month-start schedule (payroll, 08:00 Paris, in PAYROLL) created a day before its latest occurrence,
 * as if the app had been down since: the first scheduler tick after start-up catches it up.
 * The world must use SCHEDULE_CATCH_UP ≥ 40d and SCHEDULE_TIMEZONE=Europe/Paris.
 */
export function seedDueSchedule(world: World): number {
  const now = Date.now();
  const due = occurrencesBetween('month-start', now - 40 * 86_400_000, now, '08:00', 'Europe/Paris').at(-1)!;
  const db = openDatabase(world.databasePath);
  try {
    const created = new ScheduleStore(db).create(
      {
        configurationId: 3,
        configurationLabel: 'payroll',
        rule: 'month-start',
        timeOfDay: '08:00',
        channelId: PAYROLL,
        createdBy: 'U0ANA',
      },
      due.firesAt - 86_400_000,
    );
    if (created.outcome !== 'created') throw new Error(`the schedule was not created: ${created.outcome}`);
    return created.schedule.id;
  } finally {
    db.close();
  }
}
