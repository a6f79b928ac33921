import type { App, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { todayIn } from '../../../calendar/end-date.js';
import { parseCommand } from '../../../command/grammar.js';
import type { Language } from '../../../i18n/language.js';
import { configurationName } from '../../../i18n/names.js';
import { periodName, previewNote } from '../../../i18n/periods.js';
import { describeError } from '../../../util/log.js';
import { refusalText } from '../../access.js';
import type { BotContext } from '../../context.js';
import { personalError } from '../../messages/catalogs/errors.js';
import { replyText } from '../../messages/catalogs/replies.js';
import { COMMAND_NAME, commandErrorMessage, helpText } from '../../messages/command-text.js';
import { exportModal } from '../../messages/export-modal.js';
import { statusMessage } from '../../messages/status-message.js';
import { commandKey, isReplay } from '../../replays.js';
import { ephemeral } from '../../reply.js';
import { respondOrPostEphemeral } from '../../respond-fallback.js';
import { channelOfSlackText } from '../../slack-channel.js';
import { startRunInSlack } from '../../start-run.js';
import { WorkQueue } from '../../work-queue.js';
import { answerRunAction } from '../actions/run-actions.js';

export function registerCommand(app: App, ctx: BotContext): void {
  // A burst of commands is acked first, then worked through a few at a time (see work-queue.ts).
  const work = new WorkQueue(4);
  app.command(COMMAND_NAME, async ({ command, ack, respond: viaResponseUrl, client }) => {
    // Slack allows 3 s for the ack: answer first, work after.
    await ack();
    const to = { channel: command.channel_id, user: command.user_id };
    const respond = respondOrPostEphemeral(viaResponseUrl, client, to, ctx.logger);
    // After the ack, and bounded: the modal's trigger_id (3 s) still has time to be used.
    const language = await ctx.languages.of(command.user_id);
    const input = {
      text: command.text ?? '',
      userId: command.user_id,
      channelId: command.channel_id,
      triggerId: command.trigger_id,
      language,
    };
    try {
      const task = () => handleCommand(ctx, client, respond, input);
      // The modal's trigger_id expires 3 s after the command, and a command that changes something may
      // wait for a locked database while it holds its place: help, status, the modal and the like must
      // not queue behind four of those.
      await (changesSomething(ctx, input.text) ? work.run(task) : task());
    } catch (error) {
      ctx.logger.error('command failed', { ...describeError(error), user: command.user_id });
      const why = personalError(error, language, ctx.identity.userId);
      await respond(ephemeral(`:x: ${why}`)).catch(() => undefined);
    }
  });
}

const CHANGES_SOMETHING = new Set<string>(['run', 'cancel', 'retry', 'schedule-add', 'schedule-remove']);

function changesSomething(ctx: BotContext, text: string): boolean {
  const today = todayIn(ctx.timezone, ctx.clock.now());
  return CHANGES_SOMETHING.has(
    parseCommand(text, { aliases: ctx.aliases, today, channelOf: channelOfSlackText }).kind,
  );
}

export async function handleCommand(
  ctx: BotContext,
  client: WebClient,
  respond: RespondFn,
  input: { text: string; userId: string; channelId: string; triggerId: string; language: Language },
): Promise<void> {
  const { language } = input;
  const reply = replyText[language];
  const today = todayIn(ctx.timezone, ctx.clock.now());
  const parsed = parseCommand(input.text, { aliases: ctx.aliases, today, channelOf: channelOfSlackText });
  switch (parsed.kind) {
    case 'error':
      await respond(ephemeral(commandErrorMessage(parsed, language)));
      return;
    case 'help':
      await respond(ephemeral(helpText(ctx.aliases, { timezone: ctx.timezone }, language)));
      return;
    default:
      break;
  }

  // Everything below shows or acts on payroll data (`status` names requesters and links into the
  // payroll channel): only allowed people; and, to act, only in allowed channels.
  const decision = await ctx.access.canRunExports(input.userId);
  if (!decision.allowed) {
    await respond(ephemeral(`:lock: ${refusalText(decision.refusal, language)}`));
    return;
  }
  if (parsed.kind === 'status') {
    const message = statusMessage(
      ctx.engine.recent(10),
      ctx.clock.now(),
      ctx.identity.workspaceUrl,
      language,
    );
    await respond(ephemeral(message.text, message.blocks));
    return;
  }
  if (!ctx.access.channelAllowed(input.channelId)) {
    await respond(ephemeral(`:lock: ${ctx.access.channelRefusal(language)}`));
    return;
  }
  // Only commands that change something are checked for replays: that takes the database, which
  // another process may be holding, and help or status must still answer then.
  if (CHANGES_SOMETHING.has(parsed.kind) && (await isReplay(ctx, commandKey(input.triggerId)))) {
    ctx.logger.warn('a command Slack already delivered was sent again; ignored', { user: input.userId });
    return;
  }

  switch (parsed.kind) {
    case 'modal':
      await client.views.open({
        trigger_id: input.triggerId,
        view: exportModal({ aliases: ctx.aliases, today, channelId: input.channelId, language }),
      });
      return;
    case 'run': {
      const started = await startRunInSlack(
        { ...ctx, client },
        {
          configurationId: parsed.configurationId,
          configurationLabel: parsed.configurationLabel,
          endsAt: parsed.endsAt,
          requestedBy: input.userId,
          source: 'command',
          channelId: input.channelId,
        },
      );
      const configuration = configurationName(started.run, language);
      const period = periodName(started.run.endsAt, language);
      const what = `${configuration}, ${period}`;
      const where = started.link ? reply.followTail(started.link) : '';
      // A date in the future is allowed (a preview before month end) but never silently.
      const preview = previewNote(started.run.endsAt, today, language);
      const warning = preview ? reply.previewTail(preview) : '';
      if (started.outcome === 'created' && preview) {
        await respond(ephemeral(reply.started(started.run.id, what, warning, where)));
      } else if (started.outcome === 'joined') {
        await respond(ephemeral(reply.joined(started.run.id, what, warning, where)));
      } else if (started.outcome === 'queued') {
        await respond(ephemeral(reply.queued(configuration, period, warning, where)));
      }
      return;
    }
    case 'cancel':
    case 'retry':
      await respond(await answerRunAction(ctx, parsed.kind, parsed.runId, input.userId, language));
      return;
    case 'schedule-list':
    case 'schedule-add':
    case 'schedule-remove': {
      const handler = ctx.extensions?.schedule;
      if (!handler) {
        await respond(ephemeral(reply.schedulesDisabled));
        return;
      }
      const answer = await handler(
        parsed,
        { userId: input.userId, channelId: input.channelId, language },
        client,
      );
      await respond(ephemeral(answer.text, answer.blocks as never));
      return;
    }
    case 'doctor': {
      const handler = ctx.extensions?.doctor;
      const answer = handler ? await handler() : { text: reply.doctorOnHost };
      await respond(ephemeral(answer.text, answer.blocks as never));
      return;
    }
  }
}
