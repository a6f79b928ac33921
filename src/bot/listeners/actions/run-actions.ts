import type { App, BlockButtonAction } from '@slack/bolt';
import { AppError } from '../../../errors.js';
import type { Language } from '../../../i18n/language.js';
import { whenNotBusy } from '../../../store/busy.js';
import { describeError } from '../../../util/log.js';
import { refusalText } from '../../access.js';
import type { BotContext } from '../../context.js';
import { personalError } from '../../messages/catalogs/errors.js';
import { replyText } from '../../messages/catalogs/replies.js';
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
  language: Language,
): Promise<Ephemeral> {
  const reply = replyText[language];
  const decision = await ctx.access.canRunExports(userId);
  if (!decision.allowed) return ephemeral(`:lock: ${refusalText(decision.refusal, language)}`);
  const existing = ctx.engine.get(runId);
  if (!existing) return ephemeral(reply.noSuchRun(runId));
  if (existing.channelId && !ctx.access.channelAllowed(existing.channelId)) {
    return ephemeral(`:lock: ${ctx.access.channelRefusal(language)}`);
  }

  if (action === 'cancel') {
    const { run, outcome } = await whenNotBusy(() => ctx.engine.cancel(runId, userId), ctx);
    ctx.notifier.wake();
    if (outcome === 'cancelled') {
      const started =
        existing.triggeredAt !== null && existing.state !== 'queued' && existing.state !== 'baseline';
      return ephemeral(reply.cancelled(runId, started));
    }
    return ephemeral(reply.alreadyEnded(runId, stateWords(run?.state ?? existing.state, language)));
  }

  const { run, outcome } = await whenNotBusy(() => ctx.engine.retry(runId, userId), ctx);
  ctx.notifier.wake();
  switch (outcome) {
    case 'retrying':
      // Say what this Retry will really do: a re-download never creates a new export in Lucca.
      return ephemeral(
        reply.retrying(
          runId,
          retryPlanWords({ refetch: run?.state === 'fetching', recheck: run?.recheck === true }, language),
        ),
      );
    case 'redelivering':
      return ephemeral(reply.redelivering(runId));
    case 'busy':
      return ephemeral(reply.retryBusy(runId));
    case 'not-needed':
      return ephemeral(reply.retryNotNeeded(runId, stateWords(run?.state ?? existing.state, language)));
    default:
      return ephemeral(reply.noSuchRunShort(runId));
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
        // After the ack: waiting a moment for the person's language costs them nothing.
        const language = await ctx.languages.of(body.user.id);
        const reply = replyText[language];
        try {
          if (await isReplay(ctx, clickKey(body, button))) {
            ctx.logger.warn('a click Slack already delivered was sent again; ignored', { actionId, runId });
            return;
          }
          if (!Number.isSafeInteger(runId) || runId < 1) {
            await respond(ephemeral(reply.buttonInvalid));
            return;
          }
          const answer = await answerRunAction(ctx, action, runId, body.user.id, language);
          await respond(answer);
        } catch (error) {
          ctx.logger.error('button failed', { ...describeError(error), actionId, runId });
          const why =
            error instanceof AppError ? personalError(error, language, ctx.identity.userId) : reply.tryAgain;
          await respond(ephemeral(`:x: ${why}`)).catch(() => undefined);
        }
      },
    );
  }
}
