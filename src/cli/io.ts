import type { Clock } from '../util/clock.js';
import type { OutStream } from './terminal.js';

// Its own module, importing nothing heavy: cli.ts needs these before it knows which command runs, and
// `status` or `--help` must not load the engine and the Lucca client (session.ts does).

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  /** The operating-system user, recorded as `cli:<user>`. */
  user: string;
  /** Calls `handler` on Ctrl-C; returns the unsubscribe. */
  onInterrupt(handler: () => void): () => void;
  clock?: Clock;
}

/** Ends the command with an exit code, after its message was printed. */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
