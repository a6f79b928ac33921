import type { WebClient } from '@slack/web-api';
import type { Language } from '../i18n/language.js';
import { describeError, type Logger } from '../util/log.js';
import { replyText } from './messages/catalogs/replies.js';
import { slackErrorCode } from './slack-errors.js';

/**
 * Tells one person something about what they just asked for: an ephemeral message in the channel
 * they asked from, or, when that channel refuses the bot (a private channel it is not in, an archived
 * one), a direct message from the app (chat.postMessage to their user id lands in the app's Messages
 * tab: manifest.yml enables it, read-only). Never throws: how it went is returned and logged.
 */
export async function tellPerson(
  client: WebClient,
  logger: Logger,
  message: { channelId: string; userId: string; text: string; language: Language },
): Promise<'ephemeral' | 'direct-message' | 'lost'> {
  const { channelId, userId, text, language } = message;
  try {
    await client.chat.postEphemeral({ channel: channelId, user: userId, text });
    return 'ephemeral';
  } catch (error) {
    const refusedBy = slackErrorCode(error);
    try {
      await client.chat.postMessage({
        channel: userId,
        text: replyText[language].aboutYourExport(`<#${channelId}>`, text),
        unfurl_links: false,
      });
      logger.info('the channel refused the bot; the person was told in a direct message', {
        channel: channelId,
        user: userId,
        slackError: refusedBy,
      });
      return 'direct-message';
    } catch (dmError) {
      logger.warn('could not tell the person, neither in the channel nor in a direct message', {
        channel: channelId,
        user: userId,
        slackError: refusedBy,
        ...describeError(dmError),
      });
      return 'lost';
    }
  }
}
