#!/usr/bin/env node
import os from 'node:os';
import { loadDotEnv } from '../util/env-file.js';
import { runCli } from './cli.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

/** `timesheet-export`: process wiring only (streams, user, Ctrl-C, exit); see cli.ts. */

const interruptHandlers = new Set<() => void>();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts++;
  // Nothing to leave in order, or a second Ctrl-C: quit now (a run's state is always in SQLite).
  if (interruptHandlers.size === 0 || interrupts > 1) process.exit(EXIT.interrupted);
  for (const handler of interruptHandlers) handler();
});

try {
  // As the app does: `.env` in the working directory, the environment winning over it.
  loadDotEnv();
} catch (error) {
  process.stderr.write(`.env could not be read: ${(error as Error).message}\n`);
  process.exit(EXIT.usage);
}

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  user: userName(),
  onInterrupt(handler) {
    interruptHandlers.add(handler);
    return () => interruptHandlers.delete(handler);
  },
};

const code = await runCli(process.argv.slice(2), io);
exitAfterFlush(code);

function userName(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return process.env.USER || process.env.USERNAME || 'unknown';
  }
}

/** Exits once stdout and stderr are flushed (HTTP keep-alive sockets must not hold the process). */
function exitAfterFlush(exitCode: number): void {
  process.exitCode = exitCode;
  let pending = 2;
  const done = () => {
    pending--;
    if (pending === 0) process.exit(exitCode);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
