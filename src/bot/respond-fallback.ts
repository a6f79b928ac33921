import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../util/log.js';

/**
 * `respond` (the request's response_url) with chat.postEphemeral as the way round when it fails: a
 * response_url can answer 500 or time out, and the person would otherwise see nothing at all. The
 * ephemeral goes to the same person in the same channel (it needs the bot in that channel, which a
 * run's channel has).
 */
export function respondOrPostEphemeral(
  respond: RespondFn,
  client: WebClient,
  to: { channel: string | undefined; user: string },
  logger: Logger,
): RespondFn {
  const fallback = async (message: string | RespondArguments): Promise<unknown> => {
    try {
      return await respond(message);
    } catch (error) {
      // Not the error itself: it carries the response_url, which lets anyone answer in this person's name.
      const status = (error as { statusCode?: unknown }).statusCode;
      if (!to.channel) throw error;
      logger.warn('the response_url refused the reply; sending it with chat.postEphemeral', {
        status: typeof status === 'number' ? status : undefined,
        user: to.user,
      });
      const reply = (typeof message === 'string' ? { text: message } : message) as {
        text?: string;
        blocks?: KnownBlock[];
      };
      return client.chat.postEphemeral({
        channel: to.channel,
        user: to.user,
        text: reply.text ?? '',
        ...(reply.blocks ? { blocks: reply.blocks } : {}),
      });
    }
  };
  // Callers only await it; what it resolves to is not used.
  return fallback as RespondFn;
}
