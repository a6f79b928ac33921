/**
 * Runs every benchmark, one process each (so none inherits another's heap or timers), builds the app
 * once for those that run it compiled, prints each one's tables as it goes, then the README
 * "Performance" table in Markdown, and writes all results to bench/results/latest.json (git-ignored).
 *
 * Run: npm run bench   (or npx tsx bench/run-all.ts [name ...] to run some of them)
 * Timings need a quiet machine: the load average is printed with the results.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUILD_DIR_ENV, ensureBuild } from './lib/build.js';
import { ROOT } from './lib/child.js';
import { type BenchResult, formatMs, JSON_PREFIX, loadAverage, machine } from './lib/report.js';

const ALL = ['poll-cost', 'slack-calls', 'memory', 'concurrency', 'startup', 'ack', 'socket-mode'] as const;

async function runOne(
  name: string,
  env: Record<string, string>,
): Promise<BenchResult | { bench: string; error: string }> {
  process.stdout.write(`\n━━ ${name} ━━\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', `${name}.ts`)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let result: BenchResult | undefined;
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith(JSON_PREFIX)) result = JSON.parse(line.slice(JSON_PREFIX.length)) as BenchResult;
      else process.stdout.write(`${line}\n`);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (pending.startsWith(JSON_PREFIX)) result = JSON.parse(pending.slice(JSON_PREFIX.length)) as BenchResult;
  return result ?? { bench: name, error: `exited with ${code} without a result` };
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const names = asked.length ? ALL.filter((n) => asked.includes(n)) : [...ALL];
  const started = Date.now();
  const loadBefore = loadAverage();
  const buildDir = ensureBuild();
  const results: (BenchResult | { bench: string; error: string })[] = [];
  for (const name of names) results.push(await runOne(name, { [BUILD_DIR_ENV]: buildDir }));

  const m = machine();
  const lines = [
    '| Figure | Target | Measured | Met | Command |',
    '|---|---|---|---|---|',
    ...results.flatMap((r) =>
      'error' in r
        ? [`| ${r.bench} | | **failed**: ${cell(r.error)} | | \`npm run bench:${r.bench}\` |`]
        : r.figures.map(
            (f) =>
              `| ${cell(f.figure)} | ${cell(f.target)} | ${cell(f.measured)} | ${f.pass === null ? '' : f.pass ? 'yes' : '**no**'} | \`${r.command}\` |`,
          ),
    ),
  ];
  const machineLine = `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${Math.round(m.memoryMb / 1024)} GB, Node ${m.node}; load average ${loadBefore} at the start, ${loadAverage()} at the end; all runs took ${formatMs(Date.now() - started)}.`;
  process.stdout.write(`\n━━ Performance (README) ━━\n\n${lines.join('\n')}\n\n${machineLine}\n`);
  mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(
    path.join(ROOT, 'bench', 'results', 'latest.json'),
    `${JSON.stringify({ at: new Date().toISOString(), machine: m, loadBefore, results }, null, 2)}\n`,
  );
  const failed = results.filter((r) => 'error' in r).length;
  if (failed) process.exitCode = 1;
}

await main();
