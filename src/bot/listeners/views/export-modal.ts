import type { App } from '@slack/bolt';
import { todayIn } from '../../../calendar/end-date.js';
import { endDateProblem } from '../../../command/grammar.js';
import { configurationName } from '../../../i18n/names.js';
import { periodName, previewNote } from '../../../i18n/periods.js';
import { describeError } from '../../../util/log.js';
import { refusalText } from '../../access.js';
import type { BotContext } from '../../context.js';
import { personalError } from '../../messages/catalogs/errors.js';
import { replyText } from '../../messages/catalogs/replies.js';
import { endDateProblemText } from '../../messages/command-text.js';
import {
  BLOCK_END_DATE,
  EXPORT_MODAL_ID,
  type ModalMetadata,
  modalLanguage,
  readExportModal,
} from '../../messages/export-modal.js';
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
    // The form's own language (set when it was opened): no Slack call before the 3-second ack.
    const language = modalLanguage(metadata, ctx.languages.known(userId));
    const reply = replyText[language];
    const today = todayIn(ctx.timezone, ctx.clock.now());
    const form = readExportModal(view.state?.values as never, { aliases: ctx.aliases, today, language });
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    const dateProblem = endDateProblem(form.endsAt, today);
    if (dateProblem) {
      await ack({
        response_action: 'errors',
        errors: { [BLOCK_END_DATE]: endDateProblemText(dateProblem, language) },
      });
      return;
    }
    const channelId = typeof metadata?.channelId === 'string' ? metadata.channelId : undefined;
    if (!channelId || !ctx.access.channelAllowed(channelId)) {
      await ack({
        response_action: 'errors',
        errors: { [BLOCK_END_DATE]: modalError(ctx.access.channelRefusal(language)) },
      });
      return;
    }
    // The submission is checked like a command (the modal could have been opened before access
    // changed), but Slack's 3 s run out while a user group is looked up: the answer goes in the modal
    // only when it is known at once; otherwise the modal closes first and the refusal follows.
    const known = ctx.access.decideNow(userId);
    if (known && !known.allowed) {
      await ack({
        response_action: 'errors',
        errors: { [BLOCK_END_DATE]: modalError(refusalText(known.refusal, language)) },
      });
      return;
    }
    await ack();
    const tell = (text: string) => tellPerson(client, ctx.logger, { channelId, userId, text, language });
    try {
      const decision = known ?? (await ctx.access.canRunExports(userId));
      if (!decision.allowed) {
        await tell(`:lock: ${refusalText(decision.refusal, language)}`);
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
      const preview = previewNote(started.run.endsAt, today, language);
      const where = started.link ? reply.followTail(started.link) : '';
      if (started.outcome === 'created' && preview) {
        const what = `${configurationName(started.run, language)}, ${periodName(started.run.endsAt, language)}`;
        await client.chat.postEphemeral({
          channel: channelId,
          user: userId,
          text: reply.modalStarted(started.run.id, what, preview, where),
        });
      } else if (started.outcome !== 'created') {
        await tell(
          started.outcome === 'joined' ? reply.modalJoined(started.run.id, where) : reply.modalQueued,
        );
      }
    } catch (error) {
      ctx.logger.error('modal submission failed', { ...describeError(error), user: userId });
      await tell(`:x: ${personalError(error, language, ctx.identity.userId)}`);
    }
  });
}

/** Slack shows a field error as plain text: no backticks, and short. */
function modalError(reason: string): string {
  return reason.replace(/`/g, '').slice(0, 150);
}
