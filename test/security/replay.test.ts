/**
 * A replayed request: the same signed bytes sent again while Slack's signature is still valid
 * (5 minutes). Slack gives every real click and command its own trigger_id (and every click its own
 * action_ts), so a second delivery of the same ones is a replay: it must do nothing, even when the
 * run it names is stalled again and a genuine Retry would start a new export in Lucca.
 * Real processes: the app as operators run it, signed requests over HTTP.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACTION_RETRY } from '../../src/bot/messages/run-message.js';
import { ANA, PAYROLL, SIGNING_SECRET } from '../helpers/app-harness.js';
import { type AppProcess, readEvents, readRuns, startApp, waitFor } from '../helpers/app-process.js';
import { PROCESS_TEST_TIMEOUT } from '../helpers/child-processes.js';
import {
  blockActionPayload,
  sendInteraction,
  sendSlashCommand,
  triggerId,
} from '../helpers/slack-requests.js';
import { startWorld } from '../reliability/world.js';

const ignored = (app: AppProcess) =>
  app.output.filter((line) => line.includes('already delivered was sent again')).length;

describe('replayed Slack requests', () => {
  test('a Retry click replayed, even once the run has stalled again, retries once: no extra export in Lucca', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    // Lucca never finishes: the run stalls 10 s after each POST, and each Retry would POST again.
    const world = await startWorld({ lucca: { buildMs: 3_600_000 }, env: { EXPORT_STALL_AFTER: '10s' } });
    let app: AppProcess | undefined;
    try {
      app = await startApp(t, world.env);
      const commandTrigger = triggerId();
      const sendCommand = () =>
        sendSlashCommand(
          app!.url,
          SIGNING_SECRET,
          {
            text: 'payroll 2026-12-01',
            user_id: ANA,
            channel_id: PAYROLL,
            response_url: world.slack.responseUrl('command'),
            trigger_id: commandTrigger,
          },
          { timestampSec: Math.floor(Date.now() / 1000) },
        );
      assert.equal((await sendCommand()).status, 200);
      const stalled = () => readRuns(world.databasePath).find((run) => run.state === 'stalled');
      const run = await waitFor(stalled, 'the run to stall', 30_000);
      assert.equal(world.sim.posts(3).length, 1);

      const click = blockActionPayload({
        actionId: ACTION_RETRY,
        value: String(run.id),
        userId: ANA,
        channelId: PAYROLL,
        messageTs: run.thread_ts!,
        responseUrl: world.slack.responseUrl('click'),
      });
      const signedAt = Math.floor(Date.now() / 1000);
      const sendClick = () => sendInteraction(app!.url, SIGNING_SECRET, click, { timestampSec: signedAt });
      assert.equal((await sendClick()).status, 200);
      await waitFor(() => world.sim.posts(3).length === 2, 'the Retry to ask Lucca again', 30_000);

      // Replayed at once, then again once the new attempt has stalled too.
      for (let i = 0; i < 3; i++) assert.equal((await sendClick()).status, 200);
      await waitFor(() => stalled(), 'the run to stall again', 30_000);
      assert.equal((await sendClick()).status, 200);
      // The command replayed too: it must not start a run or answer again.
      assert.equal((await sendCommand()).status, 200);
      await waitFor(
        () => ignored(app!) === 5,
        'the five replays to be ignored',
        10_000,
        () => app!.output.slice(-10).join('\n'),
      );

      const retried = readEvents(world.databasePath, run.id).filter((e) => e.type === 'retried');
      assert.equal(retried.length, 1, 'one Retry');
      assert.equal(world.sim.posts(3).length, 2, 'one new export in Lucca, not one per replay');
      assert.equal(readRuns(world.databasePath)[0]!.state, 'stalled', 'the run waits for a real click');
      assert.equal(
        world.slack.responses.filter((r) => r.url.endsWith('/click')).length,
        1,
        'one answer to the one click',
      );
      assert.equal(readRuns(world.databasePath).length, 1, 'the replayed command started nothing');
    } finally {
      await app?.kill('SIGKILL');
      await world.close();
    }
  });
});
