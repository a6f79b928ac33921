/**
 * What one oversized Lucca API answer costs the app's memory, with and without the 100 MB answer cap
 * (issue #16, point 4): a local server streams a ~300 MB JSON export detail (no Content-Length, so the
 * cap must cut a body under way); the real Lucca client asks for it. Each mode runs in its own child
 * process and reports its RSS before, its peak (VmHWM) and its RSS after a full GC.
 *
 *   npx tsx bench/answer-cap.ts
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createLuccaClient } from '../src/lucca/client.js';
import { DEFAULT_MAX_ANSWER_BYTES } from '../src/lucca/transport.js';
import { collectGarbage, resetPeak, vmHwmBytes } from './lib/rss.js';

const ANSWER_BYTES = 300 * 1024 * 1024;
const MB = 1024 * 1024;

async function child(mode: 'capped' | 'uncapped'): Promise<void> {
  const entry = JSON.stringify({
    id: 1,
    name: 'Élodie Müller — Heures normales',
    amount: 7.5,
    amountUnit: 'Hour',
    externalCode: 'HN',
    endsAt: '2026-12-01T00:00:00',
    owner: { id: 101, lastName: 'Müller', firstName: 'Élodie' },
    timeType: { id: 1, name: 'Heures normales', payTreatment: 'Normal' },
    axisSections: [{ id: 7, name: 'Établissement Lyon', code: 'LYO' }],
  });
  const block = Buffer.from(`${Array.from({ length: 200 }, () => entry).join(',')},`);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"data":{"id":1,"name":"big","entries":[');
    let sent = 0;
    const pump = () => {
      while (sent < ANSWER_BYTES) {
        sent += block.length;
        if (!res.write(block)) return void res.once('drain', pump);
      }
      res.end(`${entry}]}}`);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createLuccaClient({
    baseUrl: url,
    apiKey: 'bench-key',
    maxRequestsPerMinute: 1_000,
    // The app before the cap read any answer whole.
    ...(mode === 'uncapped' ? { maxAnswerBytes: Number.MAX_SAFE_INTEGER } : {}),
  });
  collectGarbage();
  const before = process.memoryUsage.rss();
  resetPeak();
  let outcome: string;
  try {
    const entries = await client.getExportEntries(1);
    outcome = `read ${entries.length} entries`;
  } catch (error) {
    outcome = `refused: ${(error as { code?: string }).code}`;
  }
  const peak = vmHwmBytes() ?? 0;
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 200));
  collectGarbage();
  const after = process.memoryUsage.rss();
  server.close();
  process.stdout.write(`${JSON.stringify({ mode, outcome, before, peak, after })}\n`);
  process.exit(0);
}

function main(): void {
  const self = fileURLToPath(import.meta.url);
  const rows: string[] = [];
  for (const mode of ['uncapped', 'capped'] as const) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', self, 'child', mode], {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
    });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    let result: { outcome: string; before: number; peak: number; after: number };
    try {
      result = JSON.parse(line);
    } catch {
      process.stderr.write(run.stderr);
      throw new Error(`the ${mode} child gave no result`);
    }
    const f = (bytes: number) => `${Math.round(bytes / MB)} MB`;
    rows.push(
      `| ${mode === 'capped' ? `cap ${DEFAULT_MAX_ANSWER_BYTES / MB} MB (now)` : 'no cap (before)'} | ${result.outcome} | ${f(result.before)} | ${f(result.peak)} | ${f(result.after)} |`,
    );
  }
  process.stdout.write(
    [
      `One ${ANSWER_BYTES / MB} MB JSON answer to GET /timmiexports/{id} (no Content-Length):`,
      '',
      '| client | outcome | RSS before | peak RSS | RSS after GC |',
      '|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
}

if (process.argv[2] === 'child') void child(process.argv[3] as 'capped' | 'uncapped');
else main();
