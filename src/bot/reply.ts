import type { KnownBlock } from '@slack/types';
import type { CommandError } from './command.js';

/** An ephemeral answer: only the person who typed the command sees it. */
export interface Ephemeral {
  response_type: 'ephemeral';
  replace_original?: false;
  text: string;
  blocks?: KnownBlock[];
}

export function ephemeral(text: string, blocks?: KnownBlock[]): Ephemeral {
  return { response_type: 'ephemeral', replace_original: false, text, ...(blocks ? { blocks } : {}) };
}

/** A bad command: what was wrong, and a correct example to copy. */
export function commandErrorReply(error: CommandError): Ephemeral {
  return ephemeral(`${error.message}\nFor example: \`${error.example}\``);
}
