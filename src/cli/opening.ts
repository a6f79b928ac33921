import { type Config, ConfigError, readConfig, secretsOf } from '../config.js';
import { type ParsedArgs, parseCommandArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { CliExit, type CliIo } from './io.js';
import { Terminal } from './terminal.js';

export interface CommandLine<Checked> {
  /** The command's usage: printed for `--help`, and with a usage error. */
  usage: string;
  /** The command's own options; `--json` and `-h/--help` every command has. */
  options?: Parameters<typeof parseCommandArgs>[1];
  positionals: Parameters<typeof parseCommandArgs>[3];
  /**
   * Reads the arguments before the environment is, so that a typo in them is named even when the
   * environment is wrong too. Throws a UsageError.
   */
  check?: (parsed: ParsedArgs) => Checked;
}

export interface OpenedCommand<Checked> {
  parsed: ParsedArgs;
  checked: Checked;
  terminal: Terminal;
  json: boolean;
  config: Config;
}

/**
 * How every CLI command starts: its arguments, `--help`, the environment, and the terminal told every
 * secret that environment holds (`secretsOf`, as the logger is), so that none can reach the screen.
 * `--help` and a bad environment end the command here (CliExit).
 */
export function openCommand<Checked = undefined>(
  args: readonly string[],
  io: CliIo,
  line: CommandLine<Checked>,
): OpenedCommand<Checked> {
  const parsed = parseCommandArgs(
    args,
    { json: { type: 'boolean' }, ...line.options },
    line.usage,
    line.positionals,
  );
  const terminal = new Terminal(io.stdout, io.stderr);
  if (parsed.help) {
    terminal.line(line.usage);
    throw new CliExit(EXIT.ok);
  }
  const checked = line.check?.(parsed) as Checked;
  const json = parsed.values.json === true;
  const config = loadConfig(io, terminal, json);
  terminal.addSecrets(secretsOf(config));
  return { parsed, checked, terminal, json, config };
}

/**
 * The environment, read as the app reads it (`readConfig(env, 'cli')`: no Slack needed). A bad or
 * missing variable is printed by name with an example, and the command ends with exit 2.
 */
function loadConfig(io: CliIo, terminal: Terminal, json: boolean): Config {
  try {
    return readConfig(io.env, 'cli');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    terminal.error(`${error.message}\nSet them in the environment or in .env (see .env.example).`);
    if (json) {
      terminal.line(
        JSON.stringify({ type: 'error', code: error.code, message: error.message, problems: error.problems }),
      );
    }
    throw new CliExit(EXIT.usage);
  }
}
