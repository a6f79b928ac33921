/**
 * Every process a test starts (the app, the CLI, the doctor, the demo, fixtures) is started here:
 * - it inherits the test's environment, filtered: a faked clock (LD_PRELOAD, FAKETIME*), TZ, PATH and
 *   proxy settings reach it, the developer's own app settings do not;
 * - it leads its own process group, killed whole (grandchildren included) when the test ends, however
 *   it ends: passed, failed or timed out. A child left running keeps the test file's process, and so
 *   `npm test`, waiting for ever.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/** Whoever decides when the children die: a test's context (`t`), or anything with an `after`. */
export interface ChildOwner {
  after(fn: () => unknown): void;
}

/**
 * A bound for one test that starts processes: generous (a busy 2-core machine starts a tsx child in
 * seconds, not tens of seconds), so that a hang becomes a failure with a message instead of a wait.
 */
export const PROCESS_TEST_TIMEOUT = 180_000;

/**
 * The app's contract (DESIGN.md: its environment variables), the Lucca simulator's (SIM_*), `.env`
 * loading, node:test's own marker, and npm's variables (the CLI names itself after
 * npm_lifecycle_event; children are started with node, not npm): a value in the developer's shell or
 * from `npm test` would change what the child does.
 */
const NOT_INHERITED =
  /^(SLACK_|LUCCA_|EXPORT_|ALLOWED_|SCHEDULE_|DEMO_|SIM_|npm_)|^(DATABASE_PATH|PORT|LOG_LEVEL|NODE_ENV|DOTENV|NODE_TEST_CONTEXT)$/;

/** The test's environment minus app settings, no `.env`, then `overrides` (`undefined` removes one). */
export function childEnv(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = { DOTENV: 'off' };
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !NOT_INHERITED.test(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess): void {
  live.delete(child);
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left in the group.
  }
}

// Last resort, should a test file's process end before its tests' `after` hooks ran (Ctrl-C, a kill by
// the test runner): its children lead their own groups, so the terminal's signal never reaches them.
process.once('exit', () => {
  for (const child of live) killGroup(child);
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    for (const child of live) killGroup(child);
    process.kill(process.pid, signal);
  });
}

/** `spawn`, with the child's group killed when `owner` ends. `env` defaults to `childEnv()`. */
export function spawnChild(
  owner: ChildOwner,
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ChildProcess {
  const child = spawn(command, args, { env: childEnv(), ...options, detached: true });
  live.add(child);
  const exited = new Promise<void>((resolve) => {
    if (child.pid === undefined) resolve();
    child.once('error', () => resolve());
    child.once('exit', () => {
      // What the leader left behind in its group (a demo's app, say) goes with it. Done at once and
      // only once: later, the group's number may belong to someone else's process.
      if (live.has(child)) killGroup(child);
      resolve();
    });
  });
  owner.after(async () => {
    if (!live.has(child)) return;
    killGroup(child);
    await exited;
  });
  return child;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Resolves when the child has ended and its output is read to the end. */
export function finished(child: ChildProcess): Promise<ChildResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs a command to its end (killed with its group if the test ends first). */
export function runChild(
  owner: ChildOwner,
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<ChildResult> {
  return finished(spawnChild(owner, command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options }));
}
