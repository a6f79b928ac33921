import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { freePort } from '../../test/helpers/free-port.js';

/** The real app (`node --import tsx src/main.ts`) as a child process, its output in a log file. */
export interface AppProcess {
  pid: number;
  logFile: string;
  /** How it ended (`exit code 1`, `signal SIGKILL`), or null while it runs. */
  ended(): string | null;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  logTail(lines?: number): string;
}

export function startAppProcess(options: {
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
}): AppProcess {
  const fd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = { code, signal };
      resolve(ended);
    });
    child.once('error', () => {
      ended = { code: -1, signal: null };
      resolve(ended);
    });
  });
  return {
    pid: child.pid ?? -1,
    logFile: options.logFile,
    ended: () => (ended ? (ended.signal ? `signal ${ended.signal}` : `exit code ${ended.code}`) : null),
    exited,
    async stop(graceMs = 25_000) {
      if (ended) return ended;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    logTail(lines = 15) {
      try {
        return readFileSync(options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
  };
}

export { freePort };
