/**
 * How every benchmark reports: a small table for people, then one JSON line (prefixed `BENCH_JSON `)
 * that bench/run-all.ts collects. Percentiles are nearest-rank on the sorted samples.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

export const JSON_PREFIX = 'BENCH_JSON ';

/** One line of the README "Performance" table. */
export interface Figure {
  figure: string;
  target: string;
  measured: string;
  /** null when there is no target to meet (context figures). */
  pass: boolean | null;
}

export interface BenchResult {
  bench: string;
  command: string;
  figures: Figure[];
  data: Record<string, unknown>;
  machine: Machine;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  memoryMb: number;
  loadAverage: number;
}

/** The 1-minute load average: above ~0.5 before a timing benchmark, something else is using the CPUs. */
export function loadAverage(): number {
  return round(os.loadavg()[0] ?? 0, 2);
}

export function machine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpuModel = line.split(':')[1]?.trim() ?? cpuModel;
  } catch {}
  return {
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel,
    node: process.version,
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    loadAverage: loadAverage(),
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(samples: readonly number[]): {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

export function formatMs(ms: number): string {
  if (ms >= 60_000) return `${round(ms / 60_000, 1)} min`;
  if (ms >= 1_000) return `${round(ms / 1_000, 1)} s`;
  return `${round(ms, 1)} ms`;
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, rows: readonly Record<string, unknown>[]): void {
  process.stdout.write(`\n${title}\n`);
  if (rows.length === 0) {
    process.stdout.write('  (no rows)\n');
    return;
  }
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => `  ${values.map((v, i) => v.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  process.stdout.write(`${line(columns)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((c) => cell(row[c])))}\n`);
}

/** The figures table, then the JSON line run-all.ts reads. */
export function report(result: Omit<BenchResult, 'machine'>): void {
  printTable(
    `${result.bench}: figures`,
    result.figures.map((f) => ({
      figure: f.figure,
      target: f.target,
      measured: f.measured,
      ok: f.pass === null ? '' : f.pass ? 'yes' : 'NO',
    })),
  );
  const full: BenchResult = { ...result, machine: machine() };
  process.stdout.write(`\n${JSON_PREFIX}${JSON.stringify(full)}\n`);
}
