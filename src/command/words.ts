/**
 * The words a command starts with. One list: the grammar dispatches on them, EXPORT_CONFIGURATIONS
 * may not use them as aliases (an alias `status` could never be run), and the CLI refuses them where
 * a configuration is expected.
 */
export const COMMAND_WORDS = [
  'help',
  'status',
  'schedule',
  'schedules',
  'doctor',
  'cancel',
  'retry',
] as const;
export type CommandWord = (typeof COMMAND_WORDS)[number];

/** Case does not matter, as in the grammar. */
export function isCommandWord(word: string): boolean {
  return (COMMAND_WORDS as readonly string[]).includes(word.toLowerCase());
}

/** The command word `word` is (any case), or undefined when it is none: the grammar switches on it. */
export function commandWordOf(word: string): CommandWord | undefined {
  const lower = word.toLowerCase();
  return (COMMAND_WORDS as readonly string[]).includes(lower) ? (lower as CommandWord) : undefined;
}
