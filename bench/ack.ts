/**
 * ack: how fast the app acknowledges slash commands under a burst. The real app process (compiled
 * src/main.ts, HTTP mode) against the Slack stand-in and the Lucca simulator, which run in a process
 * of their own; this process only sends 500 signed `/timesheet-export <config> 2026-12-01` commands,
 * 50 in flight at a time, each for another configuration so that each starts a real run (parent
 * message posted, run stored, engine woken), and times each answer client-side.
 *
 * Three rounds, each with a fresh app and database; the figure is the median round. A single
 * scheduling hiccup of the machine delays all 50 requests in flight, so one burst's p99 says more
 * about the machine than about the app: each round also sends the same burst to a Bolt app whose
 * listener only acks (bench/lib/ack-only-app.ts), the floor on this machine at that moment.
 * A probe preloaded into the app (bench/lib/loop-probe.ts) times each request inside the app, so a
 * slow ack can be placed: before the app parsed it, inside the app, or after it answered.
 * The 50 keep-alive connections are opened before each burst (ACK_COLD=1 to include their set-up).
 *
 * Target (issue 7): p99 ≤ 50 ms on a 2-core machine.
 *
 * Run: npx tsx bench/ack.ts   (ACK_COMMANDS, ACK_CONCURRENCY, ACK_ROUNDS to vary;
 * ACK_APP_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/ack-prof' to profile the app)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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
import { ensureBuild } from './lib/build.js';
import { type SignedRequest, sendBurst, signedCommand } from './lib/command-load.js';
import { appArgs, type Fakes, startApp, startFakes } from './lib/processes.js';
import { type Figure, formatMs, loadAverage, printTable, report, round, summarize } from './lib/report.js';

const COMMANDS = Number(process.env.ACK_COMMANDS ?? 500);
const CONCURRENCY = Number(process.env.ACK_CONCURRENCY ?? 50);
const ROUNDS = Number(process.env.ACK_ROUNDS ?? 3);
/** Open the 50 connections before the burst (see command-load.ts); ACK_COLD=1 times their set-up too. */
const WARM = process.env.ACK_COLD !== '1';
const TARGET_P99_MS = 50;

type Summary = ReturnType<typeof summarize>;

/** User + system CPU time of a process so far (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

interface Probe {
  p99: number;
  stalls: { at: number; ms: number }[];
  served: { at: number; ms: number; url: string; id?: string }[];
}

interface Round {
  app: Summary;
  floor: Summary;
  split: { before: number[]; inApp: number[]; after: number[] };
  burstMs: number;
  cpuMs: number;
  floorCpuMs: number;
  longestStallMs: number;
  ok: boolean;
  /** First round only: what the burst left the app to do. */
  after?: { stats: Awaited<ReturnType<Fakes['stats']>>; health: Record<string, unknown>; tailCpuMs: number };
}

const probeArgs = (buildDir: string) => [
  '--import',
  pathToFileURL(path.join(buildDir, 'bench/lib/loop-probe.js')).href,
];

async function oneRound(
  buildDir: string,
  fakes: Fakes,
  requests: SignedRequest[],
  first: boolean,
): Promise<Round> {
  const dir = appEnv({
    slackApiUrl: fakes.slackUrl,
    luccaUrl: fakes.luccaUrl,
    // A realistic handful of aliases; most commands name their configuration by number (also valid).
    extra: { PORT: String(await freePort()), EXPORT_CONFIGURATIONS: aliases(10) },
  });
  const probeOut = path.join(dir.dir, 'loop-probe.json');
  const nodeArgs = (process.env.ACK_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  try {
    const app = await startApp({ ...dir.env, LOOP_PROBE_OUT: probeOut }, [
      ...nodeArgs,
      ...probeArgs(buildDir),
      ...appArgs('compiled', buildDir),
    ]);
    let after: Round['after'];
    let burst: Awaited<ReturnType<typeof sendBurst>>;
    let cpu: number;
    try {
      const cpuBefore = cpuMs(app.child.pid!);
      burst = await sendBurst(app.url, requests, CONCURRENCY, { warmConnections: WARM });
      cpu = cpuMs(app.child.pid!) - cpuBefore;
      if (first) {
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        const health = (await fetch(`${app.url}/healthz`).then((r) => r.json())) as Record<string, unknown>;
        after = { stats: await fakes.stats(), health, tailCpuMs: cpuMs(app.child.pid!) - cpuBefore - cpu };
      }
    } finally {
      await app.stop();
    }
    const probe = JSON.parse(readFileSync(probeOut, 'utf8')) as Probe;
    const served = new Map(probe.served.filter((r) => r.id !== undefined).map((r) => [Number(r.id), r]));
    const split = { before: [] as number[], inApp: [] as number[], after: [] as number[] };
    burst.latencies.forEach((total, i) => {
      const s = served.get(i);
      if (!s) return;
      const before = s.at - burst.sentAt[i]!;
      split.before.push(before);
      split.inApp.push(s.ms);
      split.after.push(total - before - s.ms);
    });
    const start = burst.sentAt[0]!;
    const stalls = probe.stalls.filter((st) => st.at >= start && st.at <= start + burst.elapsedMs);

    // The floor: the same burst, at the same moment, against a Bolt app that only acks.
    const floorApp = await startApp(
      { ...dir.env, PORT: String(await freePort()), LOOP_PROBE_OUT: `${probeOut}.floor` },
      [...probeArgs(buildDir), path.join(buildDir, 'bench/lib/ack-only-app.js')],
    );
    const floorCpuBefore = cpuMs(floorApp.child.pid!);
    const floorBurst = await sendBurst(floorApp.url, requests, CONCURRENCY, { warmConnections: WARM });
    const floorCpuMs = cpuMs(floorApp.child.pid!) - floorCpuBefore;
    await floorApp.stop();
    return {
      app: summarize(burst.latencies),
      floor: summarize(floorBurst.latencies),
      split,
      burstMs: burst.elapsedMs,
      cpuMs: cpu,
      floorCpuMs,
      longestStallMs: Math.max(0, ...stalls.map((s) => s.ms)),
      ok: burst.statuses.get(200) === requests.length && floorBurst.statuses.get(200) === requests.length,
      ...(after ? { after } : {}),
    };
  } finally {
    dir.remove();
  }
}

async function main(): Promise<void> {
  const loadBefore = loadAverage();
  const buildDir = ensureBuild();
  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // New fakes each round: the stand-in's message list grows with every burst and slows it down.
    const fakes = await startFakes(
      {
        botToken: BOT_TOKEN,
        luccaKey: LUCCA_KEY,
        // Lucca holds the POST about 5 s, then cuts it with a 408 (DESIGN §1.2).
        lucca: {
          buildMs: 20_000,
          postHoldMs: 5_000,
          postAnswer: 408,
          files: 1,
          fileBytes: 4_096,
          entries: 10,
        },
      },
      buildDir,
    );
    try {
      const requests = Array.from({ length: COMMANDS }, (_, i) =>
        signedCommand(
          SIGNING_SECRET,
          { text: `${i < 10 ? `cfg${i + 1}` : i + 1} 2026-12-01`, userId: USER, channelId: CHANNEL },
          i,
        ),
      );
      rounds.push(await oneRound(buildDir, fakes, requests, r === 0));
    } finally {
      await fakes.close();
    }
  }
  const loadAfter = loadAverage();

  const ms = (v: number) => `${round(v, 1)} ms`;
  printTable(
    `Ack latency, ${COMMANDS} signed slash commands, ${CONCURRENCY} in flight over ${WARM ? 'open' : 'new'} connections (client-side), per round`,
    [
      ...rounds.flatMap((r, i) => [
        {
          round: i + 1,
          app: 'timesheet-export',
          p50: ms(r.app.p50),
          p95: ms(r.app.p95),
          p99: ms(r.app.p99),
          max: ms(r.app.max),
          burst: formatMs(r.burstMs),
          'CPU per command': ms(r.cpuMs / COMMANDS),
          'longest stall': ms(r.longestStallMs),
        },
        {
          round: '',
          app: 'Bolt, ack only',
          p50: ms(r.floor.p50),
          p95: ms(r.floor.p95),
          p99: ms(r.floor.p99),
          max: ms(r.floor.max),
          burst: '',
          'CPU per command': ms(r.floorCpuMs / COMMANDS),
          'longest stall': '',
        },
      ]),
    ],
  );
  const pooled = (pick: (r: Round) => number[]) => summarize(rounds.flatMap(pick));
  const split = {
    beforeApp: pooled((r) => r.split.before),
    inApp: pooled((r) => r.split.inApp),
    afterApp: pooled((r) => r.split.after),
  };
  const row = (label: string, s: Summary) => ({
    part: label,
    p50: ms(s.p50),
    p95: ms(s.p95),
    p99: ms(s.p99),
    max: ms(s.max),
  });
  printTable('Where the time went, all rounds', [
    row('before the app parsed the request', split.beforeApp),
    row('inside the app (request → answer sent)', split.inApp),
    row('after the app answered', split.afterApp),
  ]);
  const after = rounds[0]?.after;
  if (after) {
    process.stdout.write(
      `\nround 1, 5 s after the burst: ${JSON.stringify(after.health)}; Slack calls ${JSON.stringify(after.stats.slackByMethod)}; ` +
        `Lucca ${JSON.stringify(after.stats.luccaByKind)}; app CPU in those 5 s ${formatMs(after.tailCpuMs)}\n`,
    );
  }
  process.stdout.write(
    `machine load average (1 min) before ${loadBefore} / after ${loadAfter}` +
      (loadBefore > 0.5 ? ' — other work was running: timings are pessimistic\n' : '\n'),
  );

  const median = <T>(items: T[], key: (t: T) => number) =>
    [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)]!;
  const mid = median(rounds, (r) => r.app.p99);
  const midFloor = median(rounds, (r) => r.floor.p99);
  const ok = rounds.every((r) => r.ok);
  const figures: Figure[] = [
    {
      figure: `Ack latency p99, ${COMMANDS} commands, ${CONCURRENCY} in flight (median of ${ROUNDS} rounds)`,
      target: `≤ ${TARGET_P99_MS} ms`,
      measured:
        `${ms(mid.app.p99)} (p50 ${ms(mid.app.p50)}, p95 ${ms(mid.app.p95)}; rounds ${rounds.map((r) => round(r.app.p99, 0)).join('/')} ms; ` +
        `in the app p99 ${ms(split.inApp.p99)})${ok ? '' : ' NOT ALL 200'}`,
      pass: ok && mid.app.p99 <= TARGET_P99_MS,
    },
    {
      figure: 'Same bursts, Bolt app that only acks (floor on this machine)',
      target: 'context',
      measured: `p99 ${ms(midFloor.floor.p99)} (p50 ${ms(midFloor.floor.p50)}; rounds ${rounds.map((r) => round(r.floor.p99, 0)).join('/')} ms)`,
      pass: null,
    },
    {
      figure: 'Work left by a burst of 500',
      target: 'context',
      measured: after
        ? `${String(after.health.activeRuns ?? '?')} runs active; Lucca ${after.stats.luccaRequests} requests in the first ${formatMs(rounds[0]!.burstMs + 5_000)} (limit 20/min)`
        : '-',
      pass: null,
    },
  ];
  report({
    bench: 'ack',
    command: 'npm run bench:ack',
    figures,
    data: {
      commands: COMMANDS,
      concurrency: CONCURRENCY,
      app: 'node <build>/src/main.js (tsc output, as dist/main.js)',
      rounds: rounds.map(({ split: _, ...r }) => r),
      split,
      loadAverage: { before: loadBefore, after: loadAfter },
    },
  });
}

await main();
