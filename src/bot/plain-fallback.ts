import type { KnownBlock } from '@slack/types';
import { SLACK_LIMITS, truncate } from './messages/limits.js';
import { slackErrorCode } from './slack-errors.js';

/** Slack refused the message for its blocks: the same words as plain text would still get through. */
const REFUSED_FOR_BLOCKS = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_blocks_too_long']);

export interface OutgoingMessage {
  text: string;
  /** undefined: a plain-text message (the fallback). */
  blocks: KnownBlock[] | undefined;
}

/**
 * Sends `message`; when Slack refuses its blocks, sends its `text` alone instead, so that the channel
 * still learns the outcome (the builders keep to the limits; this is the last line of defence).
 * `onFallback` is told the refusal, to log it: a builder then needs fixing.
 */
export async function sendWithPlainFallback<T>(
  message: OutgoingMessage,
  send: (message: OutgoingMessage) => Promise<T>,
  onFallback: (slackError: string) => void,
): Promise<T> {
  try {
    return await send(message);
  } catch (error) {
    const code = slackErrorCode(error);
    if (!code || !REFUSED_FOR_BLOCKS.has(code) || message.blocks === undefined) throw error;
    onFallback(code);
    return send({ text: truncate(message.text, SLACK_LIMITS.fallbackText), blocks: undefined });
  }
}
