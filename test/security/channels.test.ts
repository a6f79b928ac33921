/**
 * ALLOWED_CHANNELS: payroll data goes to the listed channels and nowhere else, for every kind of post
 * (parent message, thread replies, parent updates, file upload), including runs whose channel is
 * taken off the list while they are under way.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { EXPORT_MODAL_ID } from '../../src/bot/messages/export-modal.js';
import { eventually, PAYROLL, SIGNING_SECRET, startHarness } from '../helpers/app-harness.js';
import { sendInteraction, viewSubmissionPayload } from '../helpers/slack-requests.js';

const OTHER = 'C0OTHER';

function readRun(
  databasePath: string,
  id: number,
): { state: string; error_code: string | null; error_message: string | null } {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db.prepare('SELECT state, error_code, error_message FROM runs WHERE id = ?').get(id) as never;
  } finally {
    db.close();
  }
}

/** Every Slack call that names a channel, with the channel it names. */
function channelsWritten(calls: { method: string; args: Record<string, unknown> }[]): string[] {
  return calls
    .filter((c) => /^chat\.|^files\.completeUploadExternal/.test(c.method))
    .map((c) => String(c.args.channel ?? c.args.channel_id ?? ''));
}

describe('ALLOWED_CHANNELS', () => {
  test('a command, or a modal, from another channel is refused there: nothing posted, Lucca never called', async () => {
    const h = await startHarness({ env: { ALLOWED_CHANNELS: PAYROLL } });
    try {
      const url = h.slack.responseUrl();
      await h.command('payroll', { channel: OTHER, responseUrl: url });
      const answer = await eventually(() => h.slack.responses.find((r) => r.url === url), 'the refusal');
      assert.equal(answer.body.response_type, 'ephemeral');
      assert.match(String(answer.body.text), new RegExp(`only posted in <#${PAYROLL}>`));

      const ack = await sendInteraction(
        h.app.url!,
        SIGNING_SECRET,
        viewSubmissionPayload({
          callbackId: EXPORT_MODAL_ID,
          userId: 'U0ANA',
          values: {
            config_alias: { value: { type: 'static_select', selected_option: { value: 'payroll' } } },
          },
          privateMetadata: JSON.stringify({ channelId: OTHER }),
        }),
      );
      assert.equal(JSON.parse(ack.body).response_action, 'errors');
      await h.settle();
      assert.deepEqual(channelsWritten(h.slack.calls), []);
      assert.equal(h.app.store.recent(10).length, 0);
      assert.equal(h.sim.requests.length, 0);
    } finally {
      await h.close();
    }
  });

  test('a channel taken off the list mid-run: no further post, update or upload there; the run fails saying why', async () => {
    const h = await startHarness({
      env: { ALLOWED_CHANNELS: `${PAYROLL},${OTHER}` },
      lucca: { buildMs: 60_000 },
    });
    try {
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      const before = h.slack.calls.length;
      // The admin narrows ALLOWED_CHANNELS and restarts the app (same database, same Slack and
      // Lucca) while Lucca is still building.
      await h.app.stop();
      const restarted = await startHarness({
        clock: h.clock,
        env: {
          DATABASE_PATH: h.env.DATABASE_PATH!,
          EXPORT_FILES_DIR: h.env.EXPORT_FILES_DIR!,
          LUCCA_BASE_URL: h.sim.url,
          SLACK_API_URL: h.slack.url,
          ALLOWED_CHANNELS: OTHER,
        },
      });
      try {
        await restarted.advance(10 * 60_000, 10_000);
      } finally {
        await restarted.close();
      }

      const after = h.slack.calls.slice(before);
      assert.deepEqual(
        channelsWritten(after).filter((c) => c === PAYROLL),
        [],
        'nothing more was posted in the channel',
      );
      assert.equal(h.slack.uploads.filter((u) => u.completed).length, 0, 'the file was not uploaded');
      const final = readRun(h.env.DATABASE_PATH!, run.id);
      assert.equal(final.state, 'failed');
      assert.equal(final.error_code, 'channel-not-allowed');
      assert.match(final.error_message ?? '', /ALLOWED_CHANNELS/);
      assert.equal(h.sim.posts(3).length, 1, 'Lucca built the export once; only its delivery was refused');
    } finally {
      await h.close();
    }
  });
});
