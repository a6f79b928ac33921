import { AppError } from '../errors.js';
import { describeError, redact } from '../util/log.js';
import { EXIT } from './exit-codes.js';
import { CliExit, type CliIo } from './io.js';
import {
  CANCEL_USAGE,
  PROGRAM,
  PROGRAM_USAGE,
  RETRY_USAGE,
  RUN_USAGE,
  SCHEDULES_USAGE,
  STATUS_USAGE,
  UsageError,
} from './usage.js';

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

// Each command is loaded when used: `status` or `--help` need not load the Lucca client or Slack.
const COMMANDS: Record<string, { load: () => Promise<Command>; usage: string }> = {
  run: { load: async () => (await import('./commands/run.js')).runCommand, usage: RUN_USAGE },
  status: { load: async () => (await import('./commands/status.js')).statusCommand, usage: STATUS_USAGE },
  retry: { load: async () => (await import('./commands/retry.js')).retryCommand, usage: RETRY_USAGE },
  cancel: { load: async () => (await import('./commands/cancel.js')).cancelCommand, usage: CANCEL_USAGE },
  schedules: {
    load: async () => (await import('./commands/schedules.js')).schedulesCommand,
    usage: SCHEDULES_USAGE,
  },
};

/**
 * `timesheet-export <command> …` → exit code. Never throws and never prints a stack trace: usage
 * errors show the usage (exit 2), app errors their sentence (exit 1).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const complain = (text: string) => io.stderr.write(`${text}\n`);
  if (name === undefined) {
    complain(PROGRAM_USAGE);
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic =
      name === 'help' && args[0] && Object.hasOwn(COMMANDS, args[0]) ? COMMANDS[args[0]] : undefined;
    say(topic?.usage ?? PROGRAM_USAGE);
    return EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    complain(`Unknown command "${name.slice(0, 40)}".\n\n${PROGRAM_USAGE}`);
    return EXIT.usage;
  }
  try {
    if (args.includes('--help') || args.includes('-h')) {
      say(command.usage);
      return EXIT.ok;
    }
    return await (await command.load())(args, io);
  } catch (error) {
    if (error instanceof CliExit) return error.exitCode;
    if (error instanceof UsageError) {
      complain(`${error.userMessage}\n\n${error.usage}`);
      return EXIT.usage;
    }
    if (error instanceof AppError) {
      complain(redact(error.userMessage));
      return EXIT.failed;
    }
    // A bug: a plain sentence for the person, the technical line (no stack) for whoever debugs it.
    complain(`${PROGRAM} stopped on an unexpected error: ${redact(describeError(error).error as string)}`);
    return EXIT.failed;
  }
}
