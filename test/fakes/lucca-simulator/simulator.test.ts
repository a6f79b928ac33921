import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import { type LuccaSimulator, startLuccaSimulator } from '../../../fakes/lucca-simulator/index.js';
import { ManualClock } from '../../../fakes/manual-clock.js';

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

  test('serves files built from the entries: one header, whole CRLF lines, French CSV with a BOM', async (t) => {
    const { sim } = await start(t);
    sim.configure(3, { entries: 7, files: 2 });
    const id = sim.addExport(3, '2026-12-01');
    const { body } = await get(
      sim,
      `/api/v3/timmiexports/${id}?fields=exportFiles,entries[amount,owner[id]]`,
    );
    const files = await Promise.all(
      body.data.exportFiles.map(async (f) =>
        Buffer.from(await (await fetch(`${sim.url}${f.url}`, { headers: auth })).arrayBuffer()),
      ),
    );
    let rows = 0;
    let hours = 0;
    const people = new Set<string>();
    for (const file of files) {
      assert.deepEqual([...file.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
      const text = file.toString('utf8').slice(1);
      assert.ok(text.endsWith('\r\n'), 'a final newline');
      const lines = text.slice(0, -2).split('\r\n');
      assert.equal(lines[0], 'Matricule;Nom;Prénom;Code;Rubrique;Quantité;Unité');
      assert.equal(lines.filter((l) => l.startsWith('Matricule')).length, 1, 'one header row');
      for (const line of lines.slice(1)) {
        const cells = line.split(';');
        assert.equal(cells.length, 7, line);
        people.add(cells[0]!);
        hours += Number(cells[5]!.replace(',', '.'));
        rows++;
      }
    }
    const entries = body.data.entries as { amount: number | string; owner: { id: number } }[];
    assert.equal(rows, entries.length);
    assert.deepEqual(people, new Set(entries.map((e) => String(e.owner.id))));
    const timespanHours = (text: string) => {
      const [, d, h, m] = /^(?:(\d+)\.)?(\d+):(\d+)/.exec(text)!;
      return Number(d ?? 0) * 24 + Number(h) + Number(m) / 60;
    };
    const total = entries.reduce(
      (sum, e) => sum + (typeof e.amount === 'number' ? e.amount : timespanHours(e.amount)),
      0,
    );
    assert.equal(Math.round(hours * 100), Math.round(total * 100), 'the files add up to the entries');
  });

  test('a file padded to fileBytes for benchmarks still has whole lines and one header', async (t) => {
    const { sim } = await start(t);
    sim.configure(3, { fileBytes: 300_000 });
    const id = sim.addExport(3, '2026-12-01');
    const { body } = await get(sim, `/api/v3/timmiexports/${id}?fields=exportFiles`);
    const response = await fetch(`${sim.url}${body.data.exportFiles[0]?.url}`, { headers: auth });
    const text = await response.text();
    assert.ok(Buffer.byteLength(text) >= 300_000);
    assert.ok(text.endsWith('\r\n'));
    assert.equal(text.match(/Matricule;/g)?.length, 1);
  });
});

describe('Lucca simulator: as strict as RestDrivenDomain', () => {
  const detail = (id: number, fields: string) => `/api/v3/timmiexports/${id}?fields=${fields}`;

  test("an unknown selected property is a 400 with Lucca's message, nested ones too", async (t) => {
    const { sim } = await start(t);
    const id = sim.addExport(3, '2026-12-01');
    const unknown = await get(sim, detail(id, 'id,colour'));
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body, {
      Status: 400,
      Message: 'Selected property colour does not exist on objet of type TimmiExport',
    });
    const nested = await get(sim, detail(id, 'id,entries[id,owner[id,email]]'));
    assert.equal(nested.status, 400);
    assert.match(JSON.stringify(nested.body), /Selected property email does not exist on objet of type User/);
    const onValue = await get(sim, detail(id, 'id,name[first]'));
    assert.equal(onValue.status, 400, 'a sub-selection on a plain value');
  });

  test("exportFiles' item fields are whatever the shape has: [id,name,url] fails on another shape", async (t) => {
    const { sim } = await start(t);
    sim.configure(3, { shapes: { exportFiles: 'href' } });
    const id = sim.addExport(3, '2026-12-01');
    const invented = await get(sim, detail(id, 'exportFiles[id,name,url]'));
    assert.equal(invented.status, 400);
    assert.match(JSON.stringify(invented.body), /Selected property name does not exist/);
    const bare = await get(sim, detail(id, 'exportFiles'));
    assert.equal(bare.status, 200);
    assert.deepEqual(Object.keys(bare.body.data.exportFiles[0] ?? {}), ['id', 'fileName', 'href']);
  });

  test("names are case-insensitive, as in the guide's `fields=id,createdat`", async (t) => {
    const { sim } = await start(t);
    sim.addExport(3, '2026-12-01');
    const answer = await get(
      sim,
      '/api/v3/timmiexports?configurationId=3&fields=ID,createdat&ARCHIVEDAT=null',
    );
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.body.data.items[0] ?? {}), ['id', 'createdAt']);
  });

  test("the guide's own field list for the detail is accepted", async (t) => {
    const { sim } = await start(t);
    const id = sim.addExport(3, '2026-12-01');
    const guide =
      'id,name,createdAt,configurationId,startsAt,endsAt,exportFiles,entries[id,name,amount,amountUnit,externalCode,endsAt,owner[id,lastName,firstName],timeType[id,name,payTreatment],axisSections[id,name,code,axisId,active,startOn,endOn]]';
    assert.equal((await get(sim, detail(id, guide))).status, 200);
  });

  test('paging, orderBy and filters are checked; a list without paging gives 10 items', async (t) => {
    const { sim } = await start(t);
    for (let i = 0; i < 12; i++) sim.addExport(3, '2026-12-01');
    const list = (query: string) => get(sim, `/api/v3/timmiexports?configurationId=3&fields=id${query}`);
    assert.equal((await list('')).body.data.items.length, 10);
    assert.equal((await list('&paging=0,100')).body.data.items.length, 12);
    assert.equal((await list('&paging=2,3')).body.data.items[0]?.id, 3);
    assert.equal((await list('&paging=0,1001')).status, 400);
    assert.equal((await list('&paging=10')).status, 400);
    assert.equal((await list('&orderBy=id')).status, 400, 'a property without a direction');
    assert.equal((await list('&orderBy=id,down')).status, 400);
    assert.equal((await list('&orderBy=colour,asc')).status, 400);
    assert.equal((await list('&orderBy=id,desc')).body.data.items[0]?.id, 12);
    assert.equal((await list('&id=greaterthan,10')).body.data.items.length, 2);
    assert.equal((await list('&id=greaterthan,ten')).status, 400);
    assert.equal((await list('&colour=red')).status, 400, 'a filter on no property');
  });

  test('a fetch selecting the entries of a large export is cut with a 408; without them it answers', async (t) => {
    const { sim } = await start(t);
    sim.configure(3, { entries: 50, entriesCutAbove: 10 });
    const id = sim.addExport(3, '2026-12-01');
    assert.equal((await get(sim, detail(id, 'id,entries[id]'))).status, 408);
    assert.equal((await get(sim, detail(id, 'id,exportFiles'))).status, 200);
  });

  test('list items can come without endsAt, or with it in another form', async (t) => {
    const { sim } = await start(t);
    const forms = {
      absent: undefined,
      offset: '2026-12-01T00:00:00+01:00',
      'day-before': '2026-11-30T23:59:59',
    };
    for (const [form, expected] of Object.entries(forms)) {
      sim.configure(3, { shapes: { listEndsAt: form as 'absent' } });
      sim.addExport(3, '2026-12-01');
      const items = (await get(sim, poll(0))).body.data.items;
      assert.equal(items.at(-1)?.endsAt, expected, form);
    }
  });
});
