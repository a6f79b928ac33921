/**
 * socket-mode: the real app (compiled, `node <build>/src/main.js`) in Socket Mode against the Slack
 * stand-in's WebSocket. Measures, on the wall clock:
 *   - start to ready: process start → /healthz 200 (the app has had Slack's `hello`), median of 3;
 *   - ack: a `help` command sent as a `slash_commands` envelope → its acknowledgement, 50 in a row;
 *   - reconnect: Slack's `disconnect` (refresh_requested) → the app's new connection open, median of 3.
 * The stand-in and the Lucca simulator run in this process: the app, measured, has a process of its own.
 *
 * Run: npx tsx bench/socket-mode.ts
 */
import { startLuccaSimulator } from '../fakes/lucca-simulator/index.js';
import { startSlackStandIn } from '../fakes/slack/index.js';
import { slashCommandPayload } from '../test/helpers/slack-requests.js';
import { appEnv, BOT_TOKEN, CHANNEL, freePort, LUCCA_KEY, USER } from './lib/app-env.js';
import { ensureBuild } from './lib/build.js';
import { appArgs, startApp } from './lib/processes.js';
import { type Figure, formatMs, loadAverage, printTable, report, round, summarize } from './lib/report.js';

const STARTS = 3;
const COMMANDS = 50;
const REFRESHES = 3;

async function main(): Promise<void> {
  const loadBefore = loadAverage();
  const buildDir = ensureBuild();
  const slack = await startSlackStandIn({ botToken: BOT_TOKEN });
  const sim = await startLuccaSimulator({ apiKey: LUCCA_KEY });
  const socket = slack.socketMode;
  const ready: number[] = [];
  const acks: number[] = [];
  const reconnects: number[] = [];
  try {
    for (let start = 0; start < STARTS; start++) {
      const dir = appEnv({
        slackApiUrl: slack.url,
        luccaUrl: sim.url,
        extra: {
          PORT: String(await freePort()),
          SLACK_APP_TOKEN: socket.appToken,
          EXPORT_CONFIGURATIONS: 'payroll=3',
        },
      });
      const app = await startApp(dir.env, appArgs('compiled', buildDir));
      try {
        ready.push(app.readyMs);
        if (start > 0) continue;
        for (let i = 0; i < COMMANDS; i++) {
          const ack = await socket.send(
            'slash_commands',
            slashCommandPayload({
              text: 'help',
              user_id: USER,
              channel_id: CHANNEL,
              response_url: slack.responseUrl(),
            }),
          );
          acks.push(ack.ms);
        }
        for (let i = 0; i < REFRESHES; i++) {
          const sentAt = Date.now();
          socket.disconnect('refresh_requested');
          for (;;) {
            const opened = socket.events.find((e) => e.kind === 'open' && e.at >= sentAt);
            if (opened) {
              reconnects.push(opened.at - sentAt);
              break;
            }
            if (Date.now() - sentAt > 60_000) throw new Error('no reconnection within 60 s');
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          // Let the client take Slack's hello before the next disconnect.
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      } finally {
        await app.stop();
        dir.remove();
      }
    }
  } finally {
    await sim.close();
    await slack.close();
  }
  if (socket.violations.length > 0)
    throw new Error(`stand-in violations: ${JSON.stringify(socket.violations)}`);

  const start = summarize(ready);
  const ack = summarize(acks);
  const reconnect = summarize(reconnects);
  printTable('Socket Mode, compiled app (ms)', [
    {
      figure: `start → /healthz 200 (connected), ${STARTS} starts`,
      p50: round(start.p50, 0),
      max: round(start.max, 0),
    },
    {
      figure: `ack of a slash_commands envelope, ${COMMANDS} in a row`,
      p50: round(ack.p50, 1),
      max: round(ack.max, 1),
    },
    {
      figure: `refresh_requested → new connection open, ${REFRESHES} times`,
      p50: round(reconnect.p50, 0),
      max: round(reconnect.max, 0),
    },
  ]);
  const loadAfter = loadAverage();
  process.stdout.write(`\nmachine load average before ${loadBefore} / after ${loadAfter}\n`);
  const figures: Figure[] = [
    {
      figure: 'Socket Mode: start to connected (/healthz 200), median of 3, `node dist/main.js`',
      target: 'report',
      measured: formatMs(start.p50),
      pass: null,
    },
    {
      figure: 'Socket Mode: ack of a command envelope, 50 in a row',
      target: '< 3 s (Slack)',
      measured: `p50 ${formatMs(ack.p50)}, max ${formatMs(ack.max)}`,
      pass: ack.max < 3_000,
    },
    {
      figure: 'Socket Mode: `refresh_requested` to the new connection, median of 3',
      target: 'report',
      measured: `${formatMs(reconnect.p50)} (max ${formatMs(reconnect.max)}; commands sent meanwhile find no connection)`,
      pass: null,
    },
  ];
  report({
    bench: 'socket-mode',
    command: 'npm run bench:socket-mode',
    figures,
    data: { ready, acks, reconnects, loadAverage: { before: loadBefore, after: loadAfter } },
  });
}

await main();
