/**
 * `npm run demo`: the real app, offline, against the bundled Lucca simulator and Slack stand-in.
 * Nothing here changes how the app works: it is started as in production (`src/main.ts`, with
 * environment variables only) and is talked to the way Slack talks to it (signed HTTP requests).
 *
 *   Act 1: /timesheet-export payroll → Lucca builds the export in a few seconds → the file is posted.
 *   Act 2: Lucca never finishes → after the stall limit the thread offers Retry → "click" → delivered.
 *
 * Options: --out <folder> (or DEMO_OUTPUT_DIR) for the delivered files; default ./demo-output.
 *          --lang fr plays both acts in French (the app's APP_LANGUAGE); en by default.
 * Exits 0 when the demo completed, 1 (everything stopped) on any failure.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LuccaSimulator, startLuccaSimulator } from '../fakes/lucca-simulator/index.js';
import { type SlackMessage, type SlackStandIn, startSlackStandIn } from '../fakes/slack/index.js';
import type { Language } from '../src/i18n/language.js';
import { blockActionPayload, sendInteraction, sendSlashCommand } from '../test/helpers/slack-requests.js';
import { type AppProcess, freePort, startAppProcess } from './demo/app-process.js';
import { Conversation } from './demo/conversation.js';
import { demoLanguage, narration } from './demo/narration.js';
import { ansi, buttonsOf, clockLabel, formatBytes } from './demo/render.js';
import { DEMO } from './demo/settings.js';
import { Terminal } from './demo/terminal.js';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Variables of the app's contract: a value in the operator's shell must not leak into the demo. */
const APP_VARIABLES =
  /^(SLACK_|LUCCA_|EXPORT_|ALLOWED_|DATABASE_PATH$|SCHEDULE_|LOG_LEVEL$|APP_LANGUAGE$|PORT$|NODE_ENV$|DEMO_OUTPUT_DIR$)/;

class DemoError extends Error {}

const term = new Terminal();
const started = Date.now();
const say = (text: string) => term.print(ansi.color(33, `▶ ${text}`, term.color));
const note = (text: string) => term.print(ansi.dim(`  ${text}`, term.color));

interface Stage {
  sim?: LuccaSimulator;
  slack?: SlackStandIn;
  app?: AppProcess;
  tempDir?: string;
}
const stage: Stage = {};

function outputDir(argv: readonly string[]): string {
  const flag = argv.indexOf('--out');
  const chosen = flag >= 0 ? argv[flag + 1] : process.env.DEMO_OUTPUT_DIR;
  if (flag >= 0 && !chosen) throw new DemoError('--out needs a folder name');
  return path.resolve(chosen || 'demo-output');
}

async function main(): Promise<void> {
  const outDir = outputDir(process.argv.slice(2));
  let language: Language;
  try {
    language = demoLanguage(process.argv.slice(2));
  } catch (error) {
    throw new DemoError(error instanceof Error ? error.message : String(error));
  }
  const story = narration[language];
  term.print(
    ansi.bold(
      'timesheet-export demo — offline: a simulated Lucca, a stand-in for Slack, the real app',
      term.color,
    ),
  );
  term.print('');

  // ── The stage ──────────────────────────────────────────────────────────────────────────────────
  const sim = await startLuccaSimulator({
    apiKey: DEMO.luccaKey,
    defaults: {
      buildMs: DEMO.buildMs,
      postHoldMs: DEMO.postHoldMs,
      postAnswer: 408,
      entries: DEMO.entries,
    },
  });
  stage.sim = sim;
  const slack = await startSlackStandIn({ botToken: DEMO.botToken });
  stage.slack = slack;
  slack.setScopes(['commands', 'chat:write', 'files:write', 'usergroups:read']);
  note(
    `Lucca simulator   ${sim.url}  (exports take ${DEMO.buildMs / 1000} s; the POST is cut with a 408 after ${DEMO.postHoldMs / 1000} s, as Lucca's gateway does)`,
  );
  note(`Slack stand-in    ${slack.url}`);

  const tempDir = mkdtempSync(path.join(tmpdir(), 'timesheet-export-demo-'));
  stage.tempDir = tempDir;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !APP_VARIABLES.test(name)),
  );
  Object.assign(env, {
    SLACK_BOT_TOKEN: DEMO.botToken,
    SLACK_SIGNING_SECRET: DEMO.signingSecret,
    SLACK_API_URL: slack.url,
    PORT: String(port),
    LUCCA_BASE_URL: sim.url,
    LUCCA_API_KEY: DEMO.luccaKey,
    // The simulated tenant has no other integrations: the demo may use Lucca's whole budget.
    LUCCA_MAX_REQUESTS_PER_MINUTE: '50',
    // A developer's own .env must not leak into the demo's app.
    DOTENV: 'off',
    EXPORT_CONFIGURATIONS: `${DEMO.alias}=${DEMO.configurationId}`,
    EXPORT_POLL_MIN: '1s',
    EXPORT_POLL_MAX: '5s',
    EXPORT_STALL_AFTER: DEMO.stallAfter,
    ALLOWED_USERS: DEMO.user,
    DATABASE_PATH: path.join(tempDir, 'timesheet-export.sqlite'),
    EXPORT_FILES_DIR: path.join(tempDir, 'exports'),
    LOG_LEVEL: 'info',
    APP_LANGUAGE: language,
  });
  const app = startAppProcess({ cwd: ROOT, env, logFile: path.join(tempDir, 'app.log') });
  stage.app = app;
  const appUrl = `http://127.0.0.1:${port}`;
  await waitFor(async () => healthy(appUrl), {
    what: 'the app to answer /healthz',
    timeoutMs: 60_000,
    progress: () => 'starting the app (node --import tsx src/main.ts)',
  });
  note(`The real app      ${appUrl}  (HTTP mode, pid ${app.pid}, database and files in ${tempDir})`);
  term.print('');

  const conversation = new Conversation(slack, DEMO.channel, {
    color: term.color,
    users: { [DEMO.user]: DEMO.userName, [slack.botUserId]: DEMO.botName },
    channels: { [DEMO.channel]: DEMO.channelName },
    botName: DEMO.botName,
  });
  const show = () => {
    for (const event of conversation.changes()) term.print(event.map((l) => `${stamp()} ${l}`));
  };
  const parents = () => slack.messagesIn(DEMO.channel).filter((m) => !m.thread_ts && !m.files);

  // ── Act 1 ──────────────────────────────────────────────────────────────────────────────────────
  say(story.act1);
  const first = await command(appUrl, slack, 'payroll');
  const parent1 = await waitFor(() => parents()[first], {
    what: 'the run message in the channel',
    timeoutMs: 15_000,
    onTick: show,
  });
  await waitFor(() => delivered(slack, parent1.ts), {
    what: 'the export to be delivered',
    timeoutMs: 90_000,
    onTick: show,
    progress: (ms) => story.building(seconds(ms)),
  });
  show();
  term.print('');

  // ── Act 2 ──────────────────────────────────────────────────────────────────────────────────────
  sim.configure(DEMO.configurationId, { buildMs: 'never' });
  say(story.act2);
  note(story.stallNote(DEMO.stallAfter));
  const second = await command(appUrl, slack, 'payroll monday');
  const parent2 = await waitFor(() => parents()[second], {
    what: 'the second run message',
    timeoutMs: 15_000,
    onTick: show,
  });
  const retry = await waitFor(
    () => buttonsOf(current(slack, parent2)).find((b) => b.actionId === 'run_retry'),
    {
      what: 'the stall and its Retry button',
      timeoutMs: 150_000,
      onTick: show,
      progress: (ms) => story.stalling(seconds(ms), DEMO.stallAfter),
    },
  );
  show();
  term.print('');

  sim.configure(DEMO.configurationId, { buildMs: DEMO.buildMs });
  say(story.retry(retry.label));
  const click = await sendInteraction(
    appUrl,
    DEMO.signingSecret,
    blockActionPayload({
      actionId: retry.actionId,
      value: retry.value,
      userId: DEMO.user,
      channelId: DEMO.channel,
      messageTs: parent2.ts,
      responseUrl: slack.responseUrl(),
      message: { blocks: current(slack, parent2).blocks ?? [] },
    }),
  );
  if (click.status !== 200) throw new DemoError(`The app answered the Retry click with HTTP ${click.status}`);
  await waitFor(() => delivered(slack, parent2.ts), {
    what: 'the retried export to be delivered',
    timeoutMs: 90_000,
    onTick: show,
    progress: (ms) => story.retrying(seconds(ms)),
  });
  show();
  term.print('');

  // ── Curtain ────────────────────────────────────────────────────────────────────────────────────
  mkdirSync(outDir, { recursive: true });
  const files = slack.uploads.filter((u) => u.completed);
  const written = files.map((upload) => {
    const target = path.join(outDir, path.basename(upload.filename));
    // Timesheets are payroll data, even simulated ones: owner-only, as the app keeps its own files.
    writeFileSync(target, upload.bytes, { mode: 0o600 });
    return { target, bytes: upload.bytes.length };
  });
  const stopping = await app.stop();
  copyFileSync(app.logFile, path.join(outDir, 'app.log'));
  if (stopping.code !== 0) {
    throw new DemoError(
      `The app did not stop cleanly on SIGTERM (${stopping.signal ?? `exit code ${stopping.code}`})`,
    );
  }
  const calls = (method: string) => slack.callsTo(method).length;
  term.print(
    ansi.color(
      32,
      ansi.bold(`✓ Demo complete in ${clockLabel(Date.now() - started)}`, term.color),
      term.color,
    ),
  );
  term.print([
    `  Runs:   2 — one delivered straight away; one stalled, retried by ${DEMO.userName}, then delivered`,
    `  Lucca:  ${sim.requests.length} requests, ${sim.posts().length} export POSTs (one per attempt; never retried automatically)`,
    `  Slack:  ${calls('chat.postMessage')} messages posted, ${calls('chat.update')} updates, ${files.length} files uploaded`,
    '  Files:',
    ...written.map((w) => `    ${shown(w.target)} (${formatBytes(w.bytes)})`),
    `  App log: ${shown(path.join(outDir, 'app.log'))}`,
    '  The app stopped cleanly on SIGTERM (exit code 0).',
    '',
    'Next: `npm run doctor` shows what your own environment still needs; the README walks through the Slack and Lucca set-up.',
  ]);
}

// ── Helpers ──────────────────────────────────────────────────────────────────────────────────────

function stamp(): string {
  return ansi.dim(clockLabel(Date.now() - started).padStart(5), term.color);
}

/** Sends the slash command as Slack would; returns how many run messages existed before it. */
async function command(appUrl: string, slack: SlackStandIn, text: string): Promise<number> {
  const before = slack.messagesIn(DEMO.channel).filter((m) => !m.thread_ts && !m.files).length;
  term.print(`${stamp()} ${ansi.bold(`@${DEMO.userName}`, term.color)}: /timesheet-export ${text}`);
  const ack = await sendSlashCommand(appUrl, DEMO.signingSecret, {
    text,
    user_id: DEMO.user,
    user_name: 'ana',
    channel_id: DEMO.channel,
    channel_name: DEMO.channelName,
    response_url: slack.responseUrl(),
  });
  if (ack.status !== 200) throw new DemoError(`The app answered the slash command with HTTP ${ack.status}`);
  return before;
}

function current(slack: SlackStandIn, message: SlackMessage): SlackMessage {
  return slack.messagesIn(DEMO.channel).find((m) => m.ts === message.ts) ?? message;
}

/**
 * The parent says Delivered and the thread has the delivery reply. Told by the ✅ both begin with, so
 * that it holds in every language.
 */
function delivered(slack: SlackStandIn, ts: string): boolean {
  const parent = slack.messagesIn(DEMO.channel).find((m) => m.ts === ts);
  const thread = slack.threadOf(DEMO.channel, ts);
  return (
    JSON.stringify(parent?.blocks ?? '').includes(DELIVERED) &&
    thread.some(
      (m) => (m.text ?? '').includes(DELIVERED) || JSON.stringify(m.blocks ?? '').includes(DELIVERED),
    )
  );
}

const DELIVERED = ':white_check_mark:';

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** Relative to where the demo was started when inside it, else absolute. */
function shown(target: string): string {
  const relative = path.relative(process.cwd(), target);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : target;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`);
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Waits (in real time) for `check` to give a value, showing progress; fails with `what` when the
 * app exits or the time is up.
 */
async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: { what: string; timeoutMs: number; onTick?: () => void; progress?: (elapsedMs: number) => string },
): Promise<T> {
  const since = Date.now();
  try {
    for (;;) {
      options.onTick?.();
      const value = await check();
      if (value) return value;
      const ended = stage.app?.ended();
      if (ended) throw new DemoError(`The app stopped (${ended}) while the demo waited for ${options.what}.`);
      const elapsed = Date.now() - since;
      if (elapsed > options.timeoutMs) {
        throw new DemoError(`Timed out after ${Math.round(elapsed / 1000)} s waiting for ${options.what}.`);
      }
      if (options.progress) term.progress(options.progress(elapsed));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    term.stopProgress();
  }
}

let cleaning: Promise<void> | undefined;
/** Stops whatever was started, in reverse order; safe to call twice. A failed demo keeps its folder. */
function cleanUp(options: { keepTemp?: boolean } = {}): Promise<void> {
  cleaning ??= (async () => {
    term.close();
    await stage.app?.stop(5_000).catch(() => undefined);
    await stage.sim?.close().catch(() => undefined);
    await stage.slack?.close().catch(() => undefined);
    if (stage.tempDir && !options.keepTemp) rmSync(stage.tempDir, { recursive: true, force: true });
  })();
  return cleaning;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    term.print(`\nInterrupted (${signal}): stopping the app and the fakes…`);
    void cleanUp().then(() => process.exit(130));
  });
}

main().then(
  async () => {
    if (interrupted) return;
    await cleanUp();
    process.exit(0);
  },
  async (error: unknown) => {
    // Stopping the fakes under a waiting step makes it fail: that is the interruption, not news.
    if (interrupted) return;
    term.stopProgress();
    const message = error instanceof Error ? error.message : String(error);
    term.print(ansi.color(31, `✗ Demo failed: ${message}`, term.color));
    if (stage.app) {
      term.print(
        ansi.dim(`Last lines of the app's log (all of it stays in ${stage.app.logFile}):`, term.color),
      );
      term.print(stage.app.logTail());
    }
    await cleanUp({ keepTemp: true });
    process.exit(1);
  },
);
