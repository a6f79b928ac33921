import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ConfigurationBehaviour, startLuccaSimulator } from '../../fakes/lucca-simulator/index.js';
import { type ChildResult, childEnv, finished, spawnChild } from '../helpers/child-processes.js';

/** Runs the real CLI as a child process (`node --import tsx src/cli/main.ts …`) against the simulator. */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI_MAIN = path.join(ROOT, 'src/cli/main.ts');
// Resolved here: the child runs in a temporary folder, where `--import tsx` would not find tsx.
export const TSX = import.meta.resolve('tsx');

export const LUCCA_KEY = 'cli-lucca-key-DO-NOT-LEAK-5e1f';

export type CliResult = ChildResult;
export { finished };

export interface CliFixture {
  sim: Awaited<ReturnType<typeof startLuccaSimulator>>;
  dir: string;
  out: string;
  env: Record<string, string>;
  /** Runs the CLI to its end. */
  run(args: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  /** Starts the CLI and returns the child, for tests that interrupt it. */
  spawn(args: string[], env?: Record<string, string | undefined>): ChildProcess;
}

export async function cliFixture(
  t: TestContext,
  defaults: Partial<ConfigurationBehaviour> = {},
): Promise<CliFixture> {
  const sim = await startLuccaSimulator({
    apiKey: LUCCA_KEY,
    defaults: { buildMs: 300, postHoldMs: 50, postAnswer: 408, files: 1, ...defaults },
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'cli-test-'));
  t.after(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const env: Record<string, string> = {
    HOME: dir,
    LUCCA_BASE_URL: sim.url,
    LUCCA_API_KEY: LUCCA_KEY,
    DATABASE_PATH: path.join(dir, 'data', 'db.sqlite'),
    EXPORT_POLL_MIN: '1s',
    EXPORT_TRIGGER_TIMEOUT: '1s',
    EXPORT_CONFIGURATIONS: 'payroll=3',
  };
  // The test's environment (a faked clock reaches the CLI) with these settings, killed when the test ends.
  const spawnCli = (args: string[], extra: Record<string, string | undefined> = {}) =>
    spawnChild(t, process.execPath, ['--import', TSX, CLI_MAIN, ...args], {
      cwd: dir,
      env: childEnv({ ...env, ...extra }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  return {
    sim,
    dir,
    out: path.join(dir, 'out'),
    env,
    spawn: spawnCli,
    run: (args, extra) => finished(spawnCli(args, extra)),
  };
}

/** Resolves once the child's stdout contains `text`. */
export function waitForOutput(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer | string) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.on('close', () => reject(new Error(`the CLI ended before printing "${text}":\n${seen}`)));
  });
}
