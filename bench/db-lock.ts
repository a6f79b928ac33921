/**
 * db-lock: what people and a load balancer see while another process holds the database's write lock
 * (`BEGIN EXCLUSIVE` for 20 s; the README says two processes may share the file). The real app
 * (src/main.ts, HTTP mode) against the Slack stand-in and the Lucca simulator (in this process: the
 * load is six commands). During the lock: `/healthz` every 500 ms, five signed run commands and one
 * `help` (fifth), 0.8 s apart, each timed client-side until its HTTP answer (the ack). Afterwards: what
 * each person was told on their response_url and when, the runs recorded, and any placeholder left in
 * the channel without a run behind it.
 *
 * Run: npx tsx bench/db-lock.ts   (LOCK_MS to vary the lock, 20000 by default; NO_LOCK=1 for the
 * same requests without the lock, the floor of this machine at that moment)
 */
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { startLuccaSimulator } from '../fakes/lucca-simulator/index.js';
import { startSlackStandIn } from '../fakes/slack/index.js';
import { sendSlashCommand } from '../test/helpers/slack-requests.js';
import {
  aliases,
  appEnv,
  BOT_TOKEN,
  CHANNEL,
  freePort,
  LUCCA_KEY,
  SIGNING_SECRET,
  USER,
} from './lib/app-env.js';
import { ROOT } from './lib/child.js';
import { appArgs, startApp } from './lib/processes.js';
import { loadAverage, printTable, summarize } from './lib/report.js';

const LOCK_MS = Number(process.env.LOCK_MS ?? 20_000);
/** The same requests with nobody holding the lock: the floor on this machine at this moment. */
const NO_LOCK = process.env.NO_LOCK === '1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Another process takes the write lock and holds it; resolves once it holds it. */
async function holdLock(databasePath: string, ms: number) {
  const script = `const D=require('better-sqlite3');const db=new D(process.argv[1]);db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\\n');setTimeout(()=>{db.exec('ROLLBACK');db.close();process.exit(0)},Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, databasePath, String(ms)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  const released = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { released, kill: () => child.kill('SIGKILL') };
}

async function main(): Promise<void> {
  const sim = await startLuccaSimulator({
    apiKey: LUCCA_KEY,
    defaults: { buildMs: 3_000, postHoldMs: 300, postAnswer: 408, files: 1, fileBytes: 2_048 },
  });
  const slack = await startSlackStandIn({ botToken: BOT_TOKEN });
  const dir = appEnv({
    slackApiUrl: slack.url,
    luccaUrl: sim.url,
    extra: {
      PORT: String(await freePort()),
      EXPORT_CONFIGURATIONS: aliases(5),
      EXPORT_POLL_MIN: '1s',
      EXPORT_POLL_MAX: '2s',
      EXPORT_TRIGGER_TIMEOUT: '1s',
    },
  });
  const app = await startApp(dir.env, appArgs('tsx'));
  let lock: { released: Promise<unknown>; kill(): void } | undefined;
  try {
    await sleep(1_000);
    const held = NO_LOCK
      ? { released: sleep(LOCK_MS), kill: () => undefined }
      : await holdLock(dir.env.DATABASE_PATH!, LOCK_MS);
    lock = held;
    const lockedAt = performance.now();
    const health: { at: number; ms: number; status: number; body: string }[] = [];
    const probing = (async () => {
      while (performance.now() - lockedAt < LOCK_MS - 500) {
        const started = performance.now();
        const answer = await fetch(`${app.url}/healthz`, { signal: AbortSignal.timeout(15_000) })
          .then(async (r) => ({ status: r.status, body: await r.text() }))
          .catch((error: Error) => ({ status: 0, body: error.name }));
        health.push({ at: started - lockedAt, ms: performance.now() - started, ...answer });
        await sleep(500);
      }
    })();
    // When each person heard back (polled: the stand-in records the arrival order, not the time).
    const heard = new Map<string, number>();
    const watching = (async () => {
      while (performance.now() - lockedAt < LOCK_MS + 10_000) {
        for (const r of slack.responses) {
          const id = r.url.split('/').pop()!;
          if (!heard.has(id)) heard.set(id, performance.now() - lockedAt);
        }
        await sleep(20);
      }
    })();
    const sent: { text: string; at: number; ms: number; status: number; responseId: string }[] = [];
    // help after four run commands: the four waiting for the database hold every work-queue slot.
    const texts = ['cfg1', 'cfg2', 'cfg3', 'cfg4', 'help', 'cfg5'];
    await Promise.all(
      texts.map(async (text, i) => {
        await sleep(1_000 + i * 800);
        const responseId = `cmd${i}`;
        const started = performance.now();
        const answer = await sendSlashCommand(
          app.url,
          SIGNING_SECRET,
          {
            text: text === 'help' ? 'help' : `${text} 2026-12-01`,
            user_id: USER,
            channel_id: CHANNEL,
            response_url: slack.responseUrl(responseId),
          },
          {},
        ).catch(() => ({ status: 0, ms: performance.now() - started }));
        sent.push({ text, at: started - lockedAt, ms: answer.ms, status: answer.status, responseId });
      }),
    );
    await probing;
    await held.released;
    const releasedAt = performance.now() - lockedAt;
    await watching;

    const db = new Database(dir.env.DATABASE_PATH!, { readonly: true });
    const runs = db.prepare('SELECT id, state, thread_ts FROM runs').all() as {
      id: number;
      state: string;
      thread_ts: string | null;
    }[];
    db.close();
    const threads = new Set(runs.map((r) => r.thread_ts));
    const orphans = slack.messagesIn(CHANNEL).filter((m) => !m.thread_ts && !m.files && !threads.has(m.ts));

    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    printTable(
      `Commands during a ${LOCK_MS / 1000} s BEGIN EXCLUSIVE held by another process${NO_LOCK ? ' (NO_LOCK: nobody holds it)' : ''} (released at ${s(releasedAt)}); load average ${loadAverage()}`,
      sent
        .sort((a, b) => a.at - b.at)
        .map((c) => {
          const reply = slack.responses.find((r) => r.url.endsWith(`/${c.responseId}`));
          return {
            command: c.text,
            'sent at': s(c.at),
            ack: c.status === 200 ? `${Math.round(c.ms)} ms` : `no ack (${c.status})`,
            'answered at': heard.has(c.responseId) ? s(heard.get(c.responseId)!) : '—',
            told: String(reply?.body?.text ?? '(nothing)').slice(0, 70),
          };
        }),
    );
    const healthMs = summarize(health.map((h) => h.ms));
    printTable('/healthz during the lock', [
      {
        probes: health.length,
        'p50 ms': Math.round(healthMs.p50),
        'max ms': Math.round(healthMs.max),
        'over 100 ms': health.filter((h) => h.ms > 100).length,
        statuses: [...new Set(health.map((h) => `${h.status} ${h.body.slice(0, 60)}`))].join(' | '),
      },
    ]);
    console.log(`/healthz times (ms, in order): ${health.map((h) => Math.round(h.ms)).join(' ')}`);
    const acks = summarize(sent.map((c) => c.ms));
    console.log(
      `acks: max ${Math.round(acks.max)} ms; runs recorded: ${runs.length} (${runs.map((r) => r.state).join(', ')}); placeholders left without a run: ${orphans.length}`,
    );
  } finally {
    lock?.kill();
    await app.stop();
    await sim.close();
    await slack.close();
    dir.remove();
  }
}

await main();
