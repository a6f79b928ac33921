import type { App } from '@slack/bolt';
import { previewNote, todayIn } from '../../../calendar/end-date.js';
import { endDateProblem } from '../../../command/grammar.js';
import { userMessageOf } from '../../../errors.js';
import { describeError } from '../../../util/log.js';
import type { BotContext } from '../../context.js';
import { endDateProblemText } from '../../messages/command-text.js';
import {
  BLOCK_END_DATE,
  EXPORT_MODAL_ID,
  type ModalMetadata,
  readExportModal,
} from '../../messages/export-modal.js';
import { configurationName, periodName } from '../../messages/format.js';
import { startRunInSlack } from '../../start-run.js';
import { tellPerson } from '../../tell-person.js';

export function registerExportModal(app: App, ctx: BotContext): void {
  app.view(EXPORT_MODAL_ID, async ({ ack, body, view, client }) => {
    const userId = body.user.id;
    let metadata: ModalMetadata | undefined;
    try {
      metadata = JSON.parse(view.private_metadata) as ModalMetadata;
    } catch {
      metadata = undefined;
    }
    const today = todayIn(ctx.timezone, ctx.clock.now());
    const form = readExportModal(view.state?.values as never, { aliases: ctx.aliases, today });
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const dateProblem = endDateProblem(form.endsAt, today);
    if (dateProblem) {
      await ack({ response_action: 'errors', errors: { [BLOCK_END_DATE]: endDateProblemText(dateProblem) } });
      return;
    }
    const channelId = typeof metadata?.channelId === 'string' ? metadata.channelId : undefined;
    if (!channelId || !ctx.access.channelAllowed(channelId)) {
      await ack({
        response_action: 'errors',
        errors: { [BLOCK_END_DATE]: modalError(ctx.access.channelRefusal()) },
      });
      return;
    }
    // The submission is checked like a command (the modal could have been opened before access
    // changed), but Slack's 3 s run out while a user group is looked up: the answer goes in the modal
    // only when it is known at once; otherwise the modal closes first and the refusal follows.
    const known = ctx.access.decideNow(userId);
    if (known && !known.allowed) {
      await ack({ response_action: 'errors', errors: { [BLOCK_END_DATE]: modalError(known.reason) } });
      return;
    }
    await ack();
    const tell = (text: string) => tellPerson(client, ctx.logger, { channelId, userId, text });
    try {
      const decision = known ?? (await ctx.access.canRunExports(userId));
      if (!decision.allowed) {
        await tell(`:lock: ${decision.reason}`);
        return;
      }
      const started = await startRunInSlack(
        { ...ctx, client },
        {
          configurationId: form.configurationId,
          configurationLabel: form.configurationLabel,
          endsAt: form.endsAt,
          requestedBy: userId,
          source: 'modal',
          channelId,
        },
      );
      const preview = previewNote(started.run.endsAt, today);
      if (started.outcome === 'created' && preview) {
        const where = started.link ? ` <${started.link}|Follow it here>.` : '';
        await client.chat.postEphemeral({
          channel: channelId,
          user: userId,
          text: `Started run ${started.run.id} (${configurationName(started.run)}, ${periodName(started.run.endsAt)}). :warning: ${preview}${where}`,
        });
      } else if (started.outcome !== 'created') {
        const text =
          started.outcome === 'joined'
            ? `This export is already running (run ${started.run.id}).${started.link ? ` <${started.link}|Follow it here>.` : ''}`
            : `Another export of this configuration is running; yours starts when it ends.`;
        await tell(text);
      }
    } catch (error) {
      ctx.logger.error('modal submission failed', { ...describeError(error), user: userId });
      await tell(`:x: ${userMessageOf(error)}`);
    }
  });
}

/** Slack shows a field error as plain text: no backticks, and short. */
function modalError(reason: string): string {
  return reason.replace(/`/g, '').slice(0, 150);
}
