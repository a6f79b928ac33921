import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type ConfigurationBehaviour,
  type LuccaSimulator,
  startLuccaSimulator,
} from '../../fakes/lucca-simulator/index.js';
import { ManualClock } from '../../fakes/manual-clock.js';
import { type SlackStandIn, startSlackStandIn } from '../../fakes/slack/index.js';
import { type ComposeOptions, composeApp, type RunningApp } from '../../src/compose.js';
import { type Config, readConfig, secretsOf } from '../../src/config.js';
import type { Run } from '../../src/exports/types.js';
import type { LuccaApi } from '../../src/lucca/types.js';
import { createLogger, describeError, type Logger } from '../../src/util/log.js';
import { blockActionPayload, sendInteraction, sendSlashCommand } from './slack-requests.js';

export const SIGNING_SECRET = '5f3e1c2b9a8d7e6f5a4b3c2d1e0f9a8b';
/** Distinctive secrets: tests grep every log line and Slack message for them. */
export const LUCCA_KEY = 'lucca-key-DO-NOT-LEAK-7f3a9c';
export const BOT_TOKEN = 'xoxb-harness-DO-NOT-LEAK-1c2d3e';
export const PAYROLL = 'C0PAYROLL';
export const ANA = 'U0ANA';

export interface Harness {
  clock: ManualClock;
  sim: LuccaSimulator;
  slack: SlackStandIn;
  app: RunningApp;
  logs: string[];
  dir: string;
  env: Record<string, string>;
  command(
    text: string,
    options?: { user?: string; channel?: string; responseUrl?: string },
  ): Promise<{ status: number; body: string; ms: number }>;
  click(
    actionId: string,
    runId: number,
    options?: { user?: string; channel?: string },
  ): Promise<{ status: number; body: string; ms: number }>;
  /** The newest run (matching `filter`) once its parent message is posted: work continues after the ack. */
  postedRun(filter?: (run: Run) => boolean): Promise<Run>;
  /** Drives the engine and the notifier until nothing is due at the current (manual) time. */
  settle(): Promise<void>;
  /** Moves time forward in steps, settling at each, as the background loop would. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Stops the app only (same database and fakes stay), for restart tests. */
  restart(options?: ComposeOptions): Promise<RunningApp>;
  close(): Promise<void>;
}

/**
 * The real app (HTTP receiver, engine, notifier) against the Lucca simulator and the Slack stand-in,
 * with a manual clock: the engine is driven by settle()/advance(), so a one-hour stall takes milliseconds.
 */
export async function startHarness(
  options: {
    env?: Record<string, string>;
    lucca?: Partial<ConfigurationBehaviour>;
    compose?: ComposeOptions;
    /** The app's clock, when the test needs it before the app starts. */
    clock?: ManualClock;
    /** Builds the Lucca client the app uses (e.g. through a fault proxy), with the harness's logger. */
    luccaClient?: (deps: { clock: ManualClock; logger: Logger; config: Config }) => LuccaApi;
    /**
     * Logs exactly as the code wrote them, without the logger's redaction of secrets: a test that
     * greps them for a secret then proves the code never handed one to the logger.
     */
    rawLogs?: boolean;
  } = {},
): Promise<Harness> {
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 11, 1, 8, 0, 0));
  const sim = await startLuccaSimulator({
    apiKey: LUCCA_KEY,
    clock,
    defaults: { postHoldMs: 30, postAnswer: 408, buildMs: 90_000, ...options.lucca },
  });
  const slack = await startSlackStandIn({ botToken: BOT_TOKEN });
  slack.setScopes(['commands', 'chat:write', 'files:write', 'usergroups:read']);
  const dir = mkdtempSync(path.join(tmpdir(), 'tsx-harness-'));
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    LUCCA_BASE_URL: sim.url,
    LUCCA_API_KEY: LUCCA_KEY,
    DATABASE_PATH: path.join(dir, 'app.sqlite'),
    EXPORT_FILES_DIR: path.join(dir, 'exports'),
    EXPORT_CONFIGURATIONS: 'payroll=3,overtime=7',
    EXPORT_TRIGGER_TIMEOUT: '2s',
    ALLOWED_USERS: ANA,
    LOG_LEVEL: 'debug',
    ...options.env,
  };
  const config = readConfig(env);
  const logs: string[] = [];
  const logger = options.rawLogs
    ? rawLogger(logs, () => clock.now())
    : createLogger({
        level: 'debug',
        secrets: secretsOf(config),
        write: (line) => logs.push(line),
        now: () => clock.now(),
      });
  const lucca = options.luccaClient?.({ clock, logger: logger.child({ component: 'lucca' }), config });
  const compose = (extra?: ComposeOptions) =>
    composeApp(config, logger, {
      clock,
      port: 0,
      startEngine: false,
      ...(lucca ? { lucca } : {}),
      ...options.compose,
      ...extra,
    });
  let app = await compose();

  const harness: Harness = {
    clock,
    sim,
    slack,
    get app() {
      return app;
    },
    logs,
    dir,
    env,
    command: (text, o = {}) =>
      sendSlashCommand(app.url!, SIGNING_SECRET, {
        text,
        user_id: o.user ?? ANA,
        channel_id: o.channel ?? PAYROLL,
        response_url: o.responseUrl ?? slack.responseUrl(),
      }),
    click: (actionId, runId, o = {}) => {
      const run = app.store.get(runId);
      return sendInteraction(
        app.url!,
        SIGNING_SECRET,
        blockActionPayload({
          actionId,
          value: String(runId),
          userId: o.user ?? ANA,
          channelId: o.channel ?? run?.channelId ?? PAYROLL,
          messageTs: run?.threadTs ?? '1.000',
          responseUrl: slack.responseUrl(),
        }),
      );
    },
    postedRun: (filter = () => true) =>
      eventually(
        () => app.store.recent(100).find((run) => run.threadTs !== null && filter(run)),
        'a posted run',
        undefined,
        // A command that failed after its ack leaves no run: say what the person was told and why.
        () =>
          [
            ...slack.responses.map((r) => `answered: ${String(r.body?.text ?? JSON.stringify(r.body))}`),
            ...logs.filter((line) => /"level":"(warn|error)"/.test(line)),
          ].join('\n'),
      ),
    async settle() {
      for (let i = 0; i < 50; i++) {
        const steps = await app.engine.runUntilIdle();
        await app.notifier.drain();
        if (steps === 0) break;
      }
    },
    async advance(ms, stepMs = 5_000) {
      let left = ms;
      while (left > 0) {
        const step = Math.min(stepMs, left);
        await clock.advance(step);
        left -= step;
        await harness.settle();
      }
    },
    async restart(extra) {
      await app.stop();
      app = await compose(extra);
      return app;
    },
    async close() {
      await app.stop();
      await sim.close();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * Waits (in real time) for work that continues after Slack's ack. The bound is an outer one for a
 * loaded machine, not an expectation: 5 s was missed when Slack's client waited out three 500s.
 */
export async function eventually<T>(
  check: () => T | undefined | false,
  what = 'condition',
  timeoutMs = 60_000,
  /** What the failure message should add: what happened instead. */
  explain?: () => string,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) {
      const detail = explain?.();
      throw new Error(`timed out waiting for ${what}${detail ? `\n${detail}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** JSON lines like the app's logger writes, minus its redaction (see `rawLogs`). */
function rawLogger(lines: string[], now: () => number, base: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    const record: Record<string, unknown> = { time: new Date(now()).toISOString(), level, msg, ...base };
    for (const [key, value] of Object.entries(fields ?? {})) {
      record[key] = value instanceof Error ? describeError(value) : value;
    }
    try {
      lines.push(JSON.stringify(record));
    } catch {
      lines.push(JSON.stringify({ level, msg, note: 'fields not serialisable' }));
    }
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => rawLogger(lines, now, { ...base, ...fields }),
  };
}
