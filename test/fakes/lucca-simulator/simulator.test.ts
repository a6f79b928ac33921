import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import { ManualClock } from '../../../src/util/clock.js';
import { type LuccaSimulator, startLuccaSimulator } from './index.js';

const KEY = 'sim-test-key';
const auth = { authorization: `lucca application=${KEY}` };

async function start(t: TestContext, clock = new ManualClock()) {
  const sim = await startLuccaSimulator({ apiKey: KEY, clock });
  t.after(() => sim.close());
  return { sim, clock };
}

/** The parts of Lucca's wrapped answers these tests look at. */
interface Answer {
  status: number;
  headers: Headers;
  body: {
    data: {
      items: Record<string, unknown>[];
      entries: Record<string, unknown>[];
      exportFiles: { url: string }[];
    };
  };
}

async function get(
  sim: LuccaSimulator,
  path: string,
  headers: Record<string, string> = auth,
): Promise<Answer> {
  const response = await fetch(`${sim.url}${path}`, { headers });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Answer['body'],
  };
}

function post(sim: LuccaSimulator, body: unknown, signal?: AbortSignal) {
  return fetch(`${sim.url}/api/v3/timmiexports/run?fields=id`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
}

/** Lets the request reach the simulator before the test moves on. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  assert.ok(condition(), 'the condition never held');
}

const poll = (baseline: number) =>
  `/api/v3/timmiexports?configurationId=3&id=greaterthan,${baseline}&archivedAt=null&fields=id,createdAt,endsAt`;

describe('Lucca simulator', () => {
  test('wants the API key in the Authorization header', async (t) => {
    const { sim } = await start(t);
    const answer = await get(sim, '/api/v3/timmiexports?configurationId=3', {
      authorization: 'lucca application=other',
    });
    assert.equal(answer.status, 401);
    assert.deepEqual(answer.body, { Status: 401, Message: 'Unauthorized' });
  });

  test('a triggered export shows in the poll only once built, on the injected clock', async (t) => {
    const { sim, clock } = await start(t);
    sim.configure(3, { buildMs: 60_000, postHoldMs: 10 });
    const response = await post(sim, { endsAt: '2026-12-01T00:00:00', configurationId: 3 });
    assert.equal(response.status, 408);
    assert.deepEqual(await response.json(), { Status: 408, Message: 'Request Timeout' });

    assert.deepEqual((await get(sim, poll(0))).body, { data: { items: [] } });
    await clock.advance(60_000);
    const [item] = (await get(sim, poll(0))).body.data.items;
    assert.deepEqual(Object.keys(item ?? {}), ['id', 'createdAt', 'endsAt']);
    assert.equal(item?.endsAt, '2026-12-01T00:00:00');
  });

  test('answers the POST with the id when the export is built during the hold', async (t) => {
    const { sim, clock } = await start(t);
    sim.configure(3, { buildMs: 5000, postHoldMs: 5000 });
    const answer = post(sim, { endsAt: '2026-12-01T00:00:00', configurationId: 3 });
    await until(() => sim.posts().length === 1);
    await clock.advance(5000);
    const response = await answer;
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { data: { id: sim.exportsOf(3)[0]?.id } });
  });

  test('keeps building an export when the client hangs up', async (t) => {
    const { sim, clock } = await start(t);
    sim.configure(3, { buildMs: 1000 });
    const controller = new AbortController();
    const answer = post(sim, { endsAt: '2026-12-01T00:00:00', configurationId: 3 }, controller.signal);
    await until(() => sim.posts().length === 1);
    controller.abort();
    await assert.rejects(answer);
    await clock.advance(1000);
    assert.equal((await get(sim, poll(0))).body.data.items.length, 1);
  });

  test('refuses an endsAt that is not midnight, or a missing configurationId, with 400', async (t) => {
    const { sim } = await start(t);
    assert.equal((await post(sim, { endsAt: '2026-12-01', configurationId: 3 })).status, 400);
    assert.equal((await post(sim, { endsAt: '2026-12-01T08:00:00', configurationId: 3 })).status, 400);
    assert.equal((await post(sim, { endsAt: '2026-12-01T00:00:00' })).status, 400);
    assert.equal(sim.posts().length, 3);
    assert.equal(sim.exportsOf(3).length, 0);
  });

  test('baseline: newest first, archived left out, paging honoured', async (t) => {
    const { sim, clock } = await start(t);
    sim.addExport(3, '2026-10-01');
    await clock.advance(1000);
    const newest = sim.addExport(3, '2026-11-01');
    await clock.advance(1000);
    sim.addExport(3, '2026-11-15', { archived: true });
    const answer = await get(
      sim,
      '/api/v3/timmiexports?configurationId=3&orderBy=createdAt,desc,id,desc&archivedAt=null&paging=0,1&fields=id,createdAt',
    );
    assert.equal(answer.body.data.items.length, 1);
    assert.equal(answer.body.data.items[0]?.id, newest);
  });

  test('an unknown configuration is 404 on every call', async (t) => {
    const { sim } = await start(t);
    sim.configure(9, { exists: false });
    assert.equal((await get(sim, '/api/v3/timmiexports?configurationId=9')).status, 404);
    assert.equal((await post(sim, { endsAt: '2026-12-01T00:00:00', configurationId: 9 })).status, 404);
  });

  test('the fetch honours nested fields and the typo path of the guide is a 404', async (t) => {
    const { sim } = await start(t);
    const id = sim.addExport(3, '2026-12-01');
    const answer = await get(sim, `/api/v3/timmiexports/${id}?fields=id,entries[amount,owner[lastName]]`);
    assert.deepEqual(answer.body.data.entries[0], { amount: 7.5, owner: { lastName: 'Müller' } });
    assert.deepEqual(Object.keys(answer.body.data), ['id', 'entries']);
    assert.equal((await get(sim, `/api/v3/api/v3/timmiexports/${id}?fields=id`)).status, 404);
  });

  test('a 429 from failNext carries Retry-After', async (t) => {
    const { sim } = await start(t);
    sim.failNext({ method: 'GET' }, { status: 429 });
    const answer = await get(sim, '/api/v3/timmiexports?configurationId=3');
    assert.equal(answer.status, 429);
    assert.equal(answer.headers.get('retry-after'), '1');
    assert.equal((await get(sim, '/api/v3/timmiexports?configurationId=3')).status, 200);
  });

  test('closes without waiting for a held POST', async (t) => {
    const { sim } = await start(t);
    sim.configure(3, { buildMs: 'never', postHoldMs: 60_000 });
    const answer = post(sim, { endsAt: '2026-12-01T00:00:00', configurationId: 3 }).catch(() => 'cut');
    await until(() => sim.posts().length === 1);
    await sim.close();
    assert.equal(await answer, 'cut');
  });

  test('serves exactly fileBytes bytes of a file', async (t) => {
    const { sim } = await start(t);
    sim.configure(3, { fileBytes: 300_000 });
    const id = sim.addExport(3, '2026-12-01');
    const { body } = await get(sim, `/api/v3/timmiexports/${id}?fields=exportFiles[url]`);
    const response = await fetch(`${sim.url}${body.data.exportFiles[0]?.url}`, { headers: auth });
    assert.equal((await response.arrayBuffer()).byteLength, 300_000);
  });
});
