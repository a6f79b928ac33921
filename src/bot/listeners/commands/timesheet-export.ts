import type { App, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { previewNote, todayIn } from '../../../calendar/end-date.js';
import { parseCommand } from '../../../command/grammar.js';
import { userMessageOf } from '../../../errors.js';
import { describeError } from '../../../util/log.js';
import type { BotContext } from '../../context.js';
import { COMMAND_NAME, commandErrorMessage, helpText } from '../../messages/command-text.js';
import { exportModal } from '../../messages/export-modal.js';
import { configurationName, periodName } from '../../messages/format.js';
import { statusMessage } from '../../messages/status-message.js';
import { commandKey, isReplay } from '../../replays.js';
import { ephemeral } from '../../reply.js';
import { respondOrPostEphemeral } from '../../respond-fallback.js';
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
    const input = {
      text: command.text ?? '',
      userId: command.user_id,
      channelId: command.channel_id,
      triggerId: command.trigger_id,
    };
    try {
      const task = () => handleCommand(ctx, client, respond, input);
      // The modal's trigger_id expires 3 s after the command, and a command that changes something may
      // wait for a locked database while it holds its place: help, status, the modal and the like must
      // not queue behind four of those.
      await (changesSomething(ctx, input.text) ? work.run(task) : task());
    } catch (error) {
      ctx.logger.error('command failed', { ...describeError(error), user: command.user_id });
      await respond(ephemeral(`:x: ${userMessageOf(error)}`)).catch(() => undefined);
    }
  });
}

const CHANGES_SOMETHING = new Set<string>(['run', 'cancel', 'retry', 'schedule-add', 'schedule-remove']);

function changesSomething(ctx: BotContext, text: string): boolean {
  const today = todayIn(ctx.timezone, ctx.clock.now());
  return CHANGES_SOMETHING.has(parseCommand(text, { aliases: ctx.aliases, today }).kind);
}

export async function handleCommand(
  ctx: BotContext,
  client: WebClient,
  respond: RespondFn,
  input: { text: string; userId: string; channelId: string; triggerId: string },
): Promise<void> {
  const today = todayIn(ctx.timezone, ctx.clock.now());
  const parsed = parseCommand(input.text, { aliases: ctx.aliases, today });
  switch (parsed.kind) {
    case 'error':
      await respond(ephemeral(commandErrorMessage(parsed)));
      return;
    case 'help':
      await respond(ephemeral(helpText(ctx.aliases, { timezone: ctx.timezone })));
      return;
    default:
      break;
  }

  // Everything below shows or acts on payroll data (`status` names requesters and links into the
  // payroll channel): only allowed people; and, to act, only in allowed channels.
  const decision = await ctx.access.canRunExports(input.userId);
  if (!decision.allowed) {
    await respond(ephemeral(`:lock: ${decision.reason}`));
    return;
  }
  if (parsed.kind === 'status') {
    const message = statusMessage(ctx.engine.recent(10), ctx.clock.now(), ctx.identity.workspaceUrl, 'en');
    await respond(ephemeral(message.text, message.blocks));
    return;
  }
  if (!ctx.access.channelAllowed(input.channelId)) {
    await respond(ephemeral(`:lock: ${ctx.access.channelRefusal()}`));
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
        view: exportModal({ aliases: ctx.aliases, today, channelId: input.channelId }),
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
      const what = `${configurationName(started.run)}, ${periodName(started.run.endsAt)}`;
      const where = started.link ? ` <${started.link}|Follow it here>.` : '';
      // A date in the future is allowed (a preview before month end) but never silently.
      const preview = previewNote(started.run.endsAt, today);
      const warning = preview ? ` :warning: ${preview}` : '';
      if (started.outcome === 'created' && preview) {
        await respond(ephemeral(`Started run ${started.run.id} (${what}).${warning}${where}`));
      } else if (started.outcome === 'joined') {
        await respond(
          ephemeral(`This export (${what}) is already running: run ${started.run.id}.${warning}${where}`),
        );
      } else if (started.outcome === 'queued') {
        await respond(
          ephemeral(
            `Another export of ${configurationName(started.run)} is running; yours (${periodName(started.run.endsAt)}) starts when it ends.${warning}${where}`,
          ),
        );
      }
      return;
    }
    case 'cancel':
    case 'retry':
      await respond(await answerRunAction(ctx, parsed.kind, parsed.runId, input.userId));
      return;
    case 'schedule-list':
    case 'schedule-add':
    case 'schedule-remove': {
      const handler = ctx.extensions?.schedule;
      if (!handler) {
        await respond(ephemeral('Schedules are not enabled in this app.'));
        return;
      }
      const reply = await handler(parsed, { userId: input.userId, channelId: input.channelId }, client);
      await respond(ephemeral(reply.text, reply.blocks as never));
      return;
    }
    case 'doctor': {
      const handler = ctx.extensions?.doctor;
      const reply = handler ? await handler() : { text: `Run \`npm run doctor\` on the app's host.` };
      await respond(ephemeral(reply.text, reply.blocks as never));
      return;
    }
  }
}
