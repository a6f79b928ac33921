/**
 * A calibration for bench/ack.ts: a Bolt app in HTTP mode, configured like src/bot/app.ts (same
 * receiver, same signature check, token with known bot ids so no auth.test), whose command listener
 * only acks. Its latency under the same burst is the floor any Bolt app reaches on this machine.
 * Listens on PORT; serves /healthz like the real app.
 */
import { App, LogLevel } from '@slack/bolt';

const app = new App({
  token: process.env.SLACK_BOT_TOKEN ?? 'xoxb-bench',
  botId: 'B0BENCH',
  botUserId: 'U0BOT',
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  port: Number(process.env.PORT),
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status":"ok"}');
      },
    },
  ],
});
app.command('/timesheet-export', async ({ ack }) => {
  await ack();
});
await app.start(Number(process.env.PORT));
process.on('SIGTERM', () => {
  void app.stop().finally(() => process.exit(0));
});
