import { type ParseArgsConfig, parseArgs } from 'node:util';
import { PROGRAM, UsageError } from './usage.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  help: boolean;
}

/**
 * `node:util` parseArgs, strict, with `-h/--help` on every command; its errors (unknown option,
 * missing value) become UsageErrors carrying the command's usage.
 */
export function parseCommandArgs(
  args: readonly string[],
  options: Options,
  usage: string,
  positionals: { min: number; max: number; names: string },
): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error), usage);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  if (!help && parsed.positionals.length < positionals.min) {
    throw new UsageError(`Missing ${positionals.names}.`, usage);
  }
  if (!help && parsed.positionals.length > positionals.max) {
    const extra = parsed.positionals[positionals.max]!;
    throw new UsageError(`Unexpected "${extra}".`, usage);
  }
  return { values, positionals: parsed.positionals, help };
}

/** parseArgs says `Unknown option '--x'. To specify a positional argument starting with a '-', …`: keep the first sentence. */
function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split(/\.\s/)[0] ?? message;
  return first.endsWith('.') ? first : `${first}.`;
}

/** `12` or `#12` → 12; anything else is a usage error naming the word. */
export function parseRunId(word: string, usage: string): number {
  const digits = word.startsWith('#') ? word.slice(1) : word;
  const id = /^\d{1,9}$/.test(digits) ? Number(digits) : 0;
  if (id >= 1) return id;
  throw new UsageError(
    `"${word}" is not a run number: use the number shown by \`${PROGRAM} status\`.`,
    usage,
  );
}

/** A whole number in [min, max] for an option such as `--limit`. */
export function parseCount(
  value: string | boolean | undefined,
  option: string,
  bounds: { min: number; max: number; fallback: number },
  usage: string,
): number {
  if (value === undefined) return bounds.fallback;
  const n = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (n >= bounds.min && n <= bounds.max) return n;
  throw new UsageError(
    `${option} must be a whole number from ${bounds.min} to ${bounds.max}, not "${String(value)}".`,
    usage,
  );
}
