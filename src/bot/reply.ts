import type { KnownBlock } from '@slack/types';

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
