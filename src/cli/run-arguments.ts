import { parseRunRequest } from '../command/grammar.js';
import { runRequestErrorText } from './command-errors.js';

export interface RunArguments {
  configurationId: number;
  /** The alias when the configuration has one, else null (as the Slack command stores it). */
  configurationLabel: string | null;
  endsAt: string;
}

export interface RunArgumentsError {
  message: string;
  example: string;
}

/** `<config> [<end>]` by the command grammar (one grammar, one set of rules), its refusals said for a terminal. */
export function parseRunArguments(
  configWord: string,
  endWord: string | undefined,
  context: { aliases: Record<string, number>; today: string },
): RunArguments | RunArgumentsError {
  const text = endWord === undefined ? configWord : `${configWord} ${endWord}`;
  const parsed = parseRunRequest(text, context);
  if (parsed.kind === 'error') return runRequestErrorText(parsed);
  const { configurationId, configurationLabel, endsAt } = parsed;
  return { configurationId, configurationLabel, endsAt };
}
