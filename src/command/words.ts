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
