/** Starting and stopping the processes a benchmark measures: the fakes, and the real app (src/main.ts). */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './child.js';
import type { FakesMessage, FakesOptions, FakesStats } from './fakes-process.js';

export interface Fakes {
  slackUrl: string;
  luccaUrl: string;
  stats(): Promise<FakesStats>;
  close(): Promise<void>;
}

/** `buildDir`: run the compiled fakes; else through tsx. */
export async function startFakes(options: FakesOptions, buildDir?: string): Promise<Fakes> {
  const child = buildDir
    ? fork(path.join(buildDir, 'bench/lib/fakes-process.js'), [JSON.stringify(options)], { cwd: ROOT })
    : fork(path.join(ROOT, 'bench/lib/fakes-process.ts'), [JSON.stringify(options)], {
        cwd: ROOT,
        execArgv: ['--import', 'tsx'],
      });
  const ready = await new Promise<Extract<FakesMessage, { type: 'ready' }>>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the fakes exited early (${code})`)));
    child.on('message', (message: FakesMessage) => {
      if (message.type === 'ready') resolve(message);
    });
  });
  child.removeAllListeners('exit');
  return {
    slackUrl: ready.slackUrl,
    luccaUrl: ready.luccaUrl,
    stats: () =>
      new Promise((resolve) => {
        const onMessage = (message: FakesMessage) => {
          if (message.type !== 'stats') return;
          child.off('message', onMessage);
          resolve(message.stats);
        };
        child.on('message', onMessage);
        child.send({ cmd: 'stats' });
      }),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ cmd: 'close' });
      }),
  };
}

export interface AppProcess {
  child: ChildProcess;
  url: string;
  /** Log lines the app wrote to stdout so far. */
  logLines(): number;
  stderr(): string;
  /** SIGTERM, then the exit code and how long the clean stop took. */
  stop(): Promise<{ code: number | null; ms: number }>;
}

export type AppEntry = 'compiled' | 'tsx';

/** The argv of the real app: `node <build>/src/main.js` (as `node dist/main.js`) or `node --import tsx src/main.ts`. */
export function appArgs(entry: AppEntry, buildDir?: string): string[] {
  if (entry === 'compiled') {
    if (!buildDir) throw new Error('the compiled app needs a build folder');
    return [path.join(buildDir, 'src/main.js')];
  }
  return ['--import', 'tsx', path.join(ROOT, 'src/main.ts')];
}

/** Spawns the app and resolves once GET /healthz answers 200, with the time that took. */
export async function startApp(
  env: Record<string, string>,
  args: string[],
  options: { timeoutMs?: number } = {},
): Promise<AppProcess & { readyMs: number }> {
  const port = env.PORT;
  if (!port) throw new Error('PORT is required');
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lines = 0;
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) lines++;
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString('utf8')).slice(-4000);
  });
  const deadline = started + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${err}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app did not answer /healthz in time:\n${err}`);
    }
    const ok = await fetch(`${url}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const readyMs = performance.now() - started;
  return {
    child,
    url,
    readyMs,
    logLines: () => lines,
    stderr: () => err,
    stop: async () => {
      const stopping = performance.now();
      if (child.exitCode !== null) return { code: child.exitCode, ms: 0 };
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
      const code = await exited;
      clearTimeout(timer);
      return { code, ms: performance.now() - stopping };
    },
  };
}
