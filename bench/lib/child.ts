/**
 * Runs a file of the repository in a fresh node process and returns its `<PREFIX> {json}` line:
 * the compiled JavaScript when a build is given (production-like: no loader), else through tsx.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function runChild<T>(
  file: string,
  args: string[],
  options: {
    env?: Record<string, string>;
    nodeArgs?: string[];
    prefix?: string;
    timeoutMs?: number;
    buildDir?: string;
  } = {},
): Promise<T> {
  const prefix = options.prefix ?? 'CHILD_JSON ';
  const entry = options.buildDir
    ? [path.join(options.buildDir, file.replace(/\.ts$/, '.js'))]
    : ['--import', 'tsx', path.join(ROOT, file)];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const line = out.split('\n').find((l) => l.startsWith(prefix));
  if (!line) {
    throw new Error(
      `${file} ${args.join(' ')} exited ${code} without a result:\n${err.slice(-2000)}\n${out.slice(-2000)}`,
    );
  }
  return JSON.parse(line.slice(prefix.length)) as T;
}
