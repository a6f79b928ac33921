import type { App, BlockButtonAction } from '@slack/bolt';
import { AppError, userMessageOf } from '../../../errors.js';
import { whenNotBusy } from '../../../store/busy.js';
import { describeError } from '../../../util/log.js';
import type { BotContext } from '../../context.js';
import { retryPlanWords } from '../../messages/event-reply.js';
import { ACTION_CANCEL, ACTION_RETRY } from '../../messages/run-message.js';
import { stateWords } from '../../messages/status-message.js';
import { clickKey, isReplay } from '../../replays.js';
import { type Ephemeral, ephemeral } from '../../reply.js';
import { respondOrPostEphemeral } from '../../respond-fallback.js';

/** Retry and Cancel, from a button or from `/timesheet-export retry 12`. Idempotent: a double click is harmless. */
export async function answerRunAction(
  ctx: BotContext,
  action: 'retry' | 'cancel',
  runId: number,
  userId: string,
): Promise<Ephemeral> {
  const decision = await ctx.access.canRunExports(userId);
  if (!decision.allowed) return ephemeral(`:lock: ${decision.reason}`);
  const existing = ctx.engine.get(runId);
  if (!existing)
    return ephemeral(`There is no run ${runId}. \`/timesheet-export status\` lists the latest runs.`);
  if (existing.channelId && !ctx.access.channelAllowed(existing.channelId)) {
    return ephemeral(`:lock: ${ctx.access.channelRefusal()}`);
  }

  if (action === 'cancel') {
    const { run, outcome } = await whenNotBusy(() => ctx.engine.cancel(runId, userId), ctx);
    ctx.notifier.wake();
    if (outcome === 'cancelled') {
      const started =
        existing.triggeredAt !== null && existing.state !== 'queued' && existing.state !== 'baseline';
      return ephemeral(
        `Run ${runId} is cancelled.${started ? ' An export Lucca was already building may still appear in Lucca.' : ''}`,
      );
    }
    return ephemeral(
      `Run ${runId} had already ended (${stateWords(run?.state ?? existing.state, 'en')}): nothing to cancel.`,
    );
  }

  const { run, outcome } = await whenNotBusy(() => ctx.engine.retry(runId, userId), ctx);
  ctx.notifier.wake();
  switch (outcome) {
    case 'retrying':
      // Say what this Retry will really do: a re-download never creates a new export in Lucca.
      return ephemeral(
        `Retrying run ${runId}: ${retryPlanWords({ refetch: run?.state === 'fetching', recheck: run?.recheck === true }, 'en')} Progress goes to its thread.`,
      );
    case 'redelivering':
      return ephemeral(`Uploading the files of run ${runId} again; Lucca is not asked again.`);
    case 'busy':
      return ephemeral(
        `Another export of this configuration is running now; retry run ${runId} once it has finished, or cancel it first.`,
      );
    case 'not-needed':
      return ephemeral(
        `Run ${runId} is already ${stateWords(run?.state ?? existing.state, 'en')}: nothing to retry.`,
      );
    default:
      return ephemeral(`There is no run ${runId}.`);
  }
}

export function registerRunActions(app: App, ctx: BotContext): void {
  for (const [actionId, action] of [
    [ACTION_RETRY, 'retry'],
    [ACTION_CANCEL, 'cancel'],
  ] as const) {
    app.action<BlockButtonAction>(
      actionId,
      async ({ ack, body, action: button, respond: viaUrl, client }) => {
        await ack();
        const to = { channel: body.channel?.id ?? body.container?.channel_id, user: body.user.id };
        const respond = respondOrPostEphemeral(viaUrl, client, to, ctx.logger);
        const runId = Number(button.value);
        try {
          if (await isReplay(ctx, clickKey(body, button))) {
            ctx.logger.warn('a click Slack already delivered was sent again; ignored', { actionId, runId });
            return;
          }
          if (!Number.isSafeInteger(runId) || runId < 1) {
            await respond(ephemeral('That button is no longer valid.'));
            return;
          }
          const answer = await answerRunAction(ctx, action, runId, body.user.id);
          await respond(answer);
        } catch (error) {
          ctx.logger.error('button failed', { ...describeError(error), actionId, runId });
          const why =
            error instanceof AppError
              ? userMessageOf(error)
              : 'That did not work. Please try again in a minute.';
          await respond(ephemeral(`:x: ${why}`)).catch(() => undefined);
        }
      },
    );
  }
}
