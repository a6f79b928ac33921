import { COMMAND_NAME, parseCommand } from '../bot/command.js';
import { PROGRAM } from './usage.js';

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

/**
 * `<config> [<end>]` by the slash command's own parser (one grammar, one set of rules), with its
 * answers made fit for a terminal: Slack's `&lt; &gt; &amp;` escapes undone and examples written as
 * CLI commands.
 */
export function parseRunArguments(
  configWord: string,
  endWord: string | undefined,
  context: { aliases: Record<string, number>; today: string },
): RunArguments | RunArgumentsError {
  const text = endWord === undefined ? configWord : `${configWord} ${endWord}`;
  const parsed = parseCommand(text, context);
  if (parsed.kind === 'run') {
    const aliased = Object.hasOwn(context.aliases, parsed.configurationLabel);
    return {
      configurationId: parsed.configurationId,
      configurationLabel: aliased ? parsed.configurationLabel : null,
      endsAt: parsed.endsAt,
    };
  }
  const example = `${PROGRAM} run ${Object.keys(context.aliases)[0] ?? '3'}`;
  if (parsed.kind === 'error') {
    return { message: fromMrkdwn(parsed.message), example: toCliExample(parsed.example, example) };
  }
  // A command word (`status`, `help`…) in the configuration's place: aliases can never be one.
  return {
    message: `"${configWord}" is a command word, not a configuration: give a configuration number or alias.`,
    example,
  };
}

function fromMrkdwn(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function toCliExample(example: string, fallback: string): string {
  const prefix = `${COMMAND_NAME} `;
  if (!example.startsWith(prefix)) return fallback;
  const rest = example.slice(prefix.length);
  // The slash command's non-run examples (`help`, `schedule …`) have no CLI twin worth showing.
  return /^(help|schedule|status|retry|cancel|doctor)\b/.test(rest) ? fallback : `${PROGRAM} run ${rest}`;
}
