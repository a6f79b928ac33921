/**
 * `npm run lucca-sim`: a local Lucca to point the app or the CLI at; prints the lines to paste.
 *   PORT (4010), LUCCA_API_KEY ("sim-key"), SIM_BUILD (20s: how long an export takes to build),
 *   SIM_HOLD (5s: how long the POST is held before Lucca's 408, as the real gateway does),
 *   SIM_ENTRIES (3: entries per export), SIM_SEED (configuration ids, e.g. `3,7`: one existing export
 *   each, for `doctor --lucca` to read), SIM_SHAPES (answer forms where Lucca's guide is silent, e.g.
 *   `exportFiles=id-only,listEndsAt=absent,amounts=timespans,amountUnits=codes`; see content.ts).
 */
import { parseDuration } from '../../src/util/duration.js';
import { type AnswerShapes, DEFAULT_SHAPES } from './content.js';
import { startLuccaSimulator } from './index.js';

function shapesFrom(text: string): Partial<AnswerShapes> {
  const shapes: Record<string, string> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const [key, value] = pair.split('=').map((part) => part.trim());
    if (!key || !value || !(key in DEFAULT_SHAPES)) {
      console.error(
        `SIM_SHAPES: "${pair}" is not shape=form; shapes: ${Object.keys(DEFAULT_SHAPES).join(', ')}`,
      );
      process.exit(1);
    }
    shapes[key] = value;
  }
  return shapes as Partial<AnswerShapes>;
}

function durationFrom(variable: string, fallback: string): number {
  const text = process.env[variable] || fallback;
  const ms = parseDuration(text);
  if (ms === undefined) {
    console.error(`${variable}: "${text}" is not a duration; write 90, 90s, 15m or 1h`);
    process.exit(1);
  }
  return ms;
}

const port = Number(process.env.PORT || 4010);
const apiKey = process.env.LUCCA_API_KEY || 'sim-key';
const buildMs = durationFrom('SIM_BUILD', '20s');
const postHoldMs = durationFrom('SIM_HOLD', '5s');

const shapes = shapesFrom(process.env.SIM_SHAPES ?? '');
const entries = Number(process.env.SIM_ENTRIES || 3);
const simulator = await startLuccaSimulator({
  apiKey,
  port,
  defaults: { buildMs, postHoldMs, entries, shapes },
  log: (line) => console.log(line),
});
for (const id of (process.env.SIM_SEED ?? '').split(',').filter(Boolean)) {
  const firstOfMonth = `${new Date().toISOString().slice(0, 7)}-01`;
  simulator.addExport(Number(id), firstOfMonth);
}
if (Object.keys(shapes).length)
  console.log(`Answer shapes: ${JSON.stringify({ ...DEFAULT_SHAPES, ...shapes })}`);

// Lines an admin pastes as they are: every configuration number exists here, so the alias the
// README's examples use (payroll) is given one.
const lines = [
  `LUCCA_BASE_URL=${simulator.url}`,
  `LUCCA_API_KEY=${apiKey}`,
  'EXPORT_CONFIGURATIONS=payroll=3',
];
console.log(
  `Lucca simulator listening on ${simulator.url} (exports build in ${buildMs / 1000}s; the POST is cut with a 408 after ${postHoldMs / 1000}s, as Lucca's gateway does)`,
);
console.log('');
console.log('Point the command line or the app at it: paste these lines into .env');
for (const line of lines) console.log(line);
console.log('');
console.log('or, in another terminal, run an export against it at once:');
console.log(`${lines.join(' ')} npm run cli -- run payroll --out ./exports`);
console.log('');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void simulator.close().then(() => process.exit(0));
  });
}
