/**
 * Socket Mode with the app as operators run it (`src/main.ts` in a child process, real clock):
 * a command over the stand-in's WebSocket to a delivered file, a `refresh_requested` disconnect,
 * and a refused SLACK_APP_TOKEN at start-up.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ANA, PAYROLL } from '../../helpers/app-harness.js';
import {
  type AppProcess,
  freePort,
  readRuns,
  spawnApp,
  startApp,
  waitFor,
} from '../../helpers/app-process.js';
import type { ChildOwner } from '../../helpers/child-processes.js';
import { slashCommandPayload } from '../../helpers/slack-requests.js';
import { APP_TOKEN } from '../../helpers/socket-mode-app.js';
import { startWorld, type World, within } from '../../reliability/world.js';

const socketCommand = (world: World, text: string) =>
  world.slack.socketMode.send(
    'slash_commands',
    slashCommandPayload({ text, user_id: ANA, channel_id: PAYROLL, response_url: world.slack.responseUrl() }),
  );

describe('Socket Mode, real process', { timeout: 180_000 }, () => {
  let world: World;
  let app: AppProcess;
  // The app is shared by the suite's tests: its process group is killed in the suite's `after`.
  const ends: (() => unknown)[] = [];
  const suite: ChildOwner = { after: (end) => void ends.push(end) };
  before(async () => {
    world = await startWorld({ env: { SLACK_APP_TOKEN: APP_TOKEN } });
    // Ready = /healthz 200, which in Socket Mode means the app has had Slack's hello.
    app = await startApp(suite, world.env);
  });
  after(async () => {
    for (const end of ends) await end();
    await world.close();
  });

  test('a command arrives over the WebSocket; the file is delivered; a refresh loses nothing', async (t) => {
    const socket = world.slack.socketMode;
    const ack = await socketCommand(world, 'payroll 2026-12-01');
    t.diagnostic(`ack after ${ack.ms} ms`);
    const done = () => readRuns(world.env.DATABASE_PATH!).filter((run) => run.state === 'done');
    await waitFor(
      () => done().length === 1,
      'the first run delivered',
      30_000,
      () => app.output.join('\n'),
    );

    socket.disconnect('refresh_requested');
    const sent = socket.events.findLast((e) => e.kind === 'disconnect_sent')!;
    await socket.waitForConnection(20_000, 1);
    await waitFor(
      () => socket.events.some((e) => e.kind === 'open' && e.at > sent.at),
      'a new connection',
      20_000,
    );
    const reopened = socket.events.find((e) => e.kind === 'open' && e.at > sent.at)!;
    t.diagnostic(`real process: new connection ${reopened.at - sent.at} ms after refresh_requested`);
    await waitFor(
      () => app.output.some((line) => line.includes('"Socket Mode reconnected"')),
      'the reconnect in the log',
      5_000,
    );

    await socketCommand(world, 'payroll 2026-11-01');
    await waitFor(
      () => done().length === 2,
      'the second run delivered',
      30_000,
      () => app.output.join('\n'),
    );
    assert.equal(world.slack.uploads.filter((u) => u.completed).length, 2);

    // Events come the same way: opening the App Home publishes it.
    await socket.send('events_api', {
      type: 'event_callback',
      team_id: world.slack.teamId,
      api_app_id: 'A0TEST',
      event: {
        type: 'app_home_opened',
        user: ANA,
        channel: 'D0ANA',
        tab: 'home',
        event_ts: `${Date.now() / 1000}`,
      },
      event_id: 'Ev0HOME',
      event_time: Math.floor(Date.now() / 1000),
    });
    await waitFor(() => world.slack.views.published[ANA], 'the App Home published', 10_000);
    assert.deepEqual(socket.violations, []);
    assert.ok(!app.output.join('\n').includes(APP_TOKEN), 'the app token never reaches the log');
  });
});

describe('Socket Mode, real process: Slack refuses SLACK_APP_TOKEN', { timeout: 120_000 }, () => {
  test('start-up stops (exit 1) with a message naming SLACK_APP_TOKEN and the fix', async (t) => {
    const world = await startWorld({ env: { SLACK_APP_TOKEN: 'xapp-1-A0TEST-revoked-long-ago' } });
    const app = spawnApp(t, world.env, await freePort());
    try {
      const exit = await within(app.exited, 20_000, 'the app to stop');
      assert.equal(exit.code, 1);
      const output = app.output.join('\n');
      assert.match(output, /Slack refused SLACK_APP_TOKEN \(invalid_auth\)/);
      assert.match(output, /Basic Information page \(App-Level Tokens\)/);
      assert.doesNotMatch(output, /Something went wrong/);
      assert.ok(!output.includes('xapp-1-A0TEST-revoked-long-ago'), 'the token itself is not printed');
      assert.equal(world.slack.callsTo('apps.connections.open').length, 1);
    } finally {
      await app.kill('SIGKILL');
      await world.close();
    }
  });
});
