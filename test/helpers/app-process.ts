/**
 * The app as operators run it: `node --import tsx src/main.ts` in a child process, HTTP mode, on the
 * test's wall clock (real, or faked for the whole suite by libfaketime), configured only through its
 * environment. For crash tests (SIGKILL, SIGTERM) and for two processes on one database. The Lucca
 * simulator and the Slack stand-in run in the test process.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RunState } from '../../src/exports/types.js';
import { type ChildOwner, childEnv, spawnChild } from './child-processes.js';
import { freePort } from './free-port.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface AppProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** stdout and stderr lines, in order (JSON log lines and start-up messages). */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the app, killed when `owner` (the test) ends; does not wait for it (see `waitUntilReady`). */
export function spawnApp(owner: ChildOwner, env: Record<string, string>, port: number): AppProcess {
  const child = spawnChild(owner, process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    // The test's environment (a faked clock reaches the app) minus the developer's settings and .env.
    env: childEnv({ ...env, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (stream: NodeJS.ReadableStream | null) => {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      output.push(...lines.filter(Boolean));
    });
    stream?.on('end', () => {
      if (pending) output.push(pending);
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * How long a wait on something the app will do (start, finish a run) may take before the test fails:
 * an outer bound for a machine under load, not an expectation (a start takes ~1 s on an idle machine).
 */
export const PATIENCE_MS = 90_000;

/** Starts the app (killed when `owner` ends) and waits until /healthz answers 200. */
export async function startApp(
  owner: ChildOwner,
  env: Record<string, string>,
  timeoutMs = PATIENCE_MS,
): Promise<AppProcess> {
  const app = spawnApp(owner, env, await freePort());
  await waitUntilReady(app, timeoutMs);
  return app;
}

export async function waitUntilReady(app: AppProcess, timeoutMs = PATIENCE_MS): Promise<void> {
  const started = Date.now();
  let gone = false;
  void app.exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone) throw new Error(`the app exited during start-up:\n${app.output.join('\n')}`);
    try {
      const response = await fetch(`${app.url}/healthz`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) {
      await app.kill('SIGKILL');
      throw new Error(`the app did not start within ${timeoutMs} ms:\n${app.output.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface RunRowView {
  id: number;
  state: RunState;
  attempt: number;
  locked_by: string | null;
  locked_until: number | null;
  error_message: string | null;
  thread_ts: string | null;
  channel_id: string | null;
}

/** Reads the runs table without taking part (read-only connection), as an operator would look. */
export function readRuns(databasePath: string): RunRowView[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        'SELECT id, state, attempt, locked_by, locked_until, error_message, thread_ts, channel_id FROM runs ORDER BY id',
      )
      .all() as RunRowView[];
  } finally {
    db.close();
  }
}

export function readEvents(
  databasePath: string,
  runId: number,
): { type: string; actor: string; detail: string }[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT type, actor, detail FROM run_events WHERE run_id = ? ORDER BY id')
      .all(runId) as { type: string; actor: string; detail: string }[];
  } finally {
    db.close();
  }
}

/** Polls (real time) until `check` returns a value, or throws with `describe()` after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false,
  what: string,
  timeoutMs = PATIENCE_MS,
  describe: () => string = () => '',
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export { freePort };
