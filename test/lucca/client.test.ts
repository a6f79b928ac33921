import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { ManualClock } from '../../fakes/manual-clock.js';
import { createLuccaClient, RateLimiter } from '../../src/lucca/client.js';
import { LuccaError } from '../../src/lucca/errors.js';
import { API_KEY, rejectionOf, setUp, VirtualClock, waitFor } from './helpers.js';

const CONFIG = 3;
const ENDS_AT = '2026-12-01';

/** The error is a LuccaError with this code, and nothing about it reveals the API key. */
function assertLuccaError(error: unknown, code: string, httpStatus?: number): LuccaError {
  assert.ok(error instanceof LuccaError, `expected a LuccaError, got ${inspect(error)}`);
  assert.equal(error.code, code);
  if (httpStatus !== undefined) assert.equal(error.httpStatus, httpStatus);
  for (const view of [
    error.message,
    error.userMessage,
    error.stack ?? '',
    JSON.stringify(error),
    inspect(error),
  ]) {
    assert.ok(!view.includes(API_KEY), `the API key leaked into: ${view}`);
    assert.ok(
      !/lucca application=(?!\[redacted\])/i.test(view),
      `an Authorization header leaked into: ${view}`,
    );
  }
  return error;
}

describe('latestExportId (baseline)', () => {
  test('is 0 when the configuration has no export yet', async (t) => {
    const { client, sim } = await setUp(t);
    assert.equal(await client.latestExportId(CONFIG), 0);
    const [request] = sim.requests;
    assert.equal(request?.headers.authorization, `lucca application=${API_KEY}`);
    assert.equal(request?.headers.accept, 'application/json');
    assert.deepEqual(request?.query, {
      configurationId: '3',
      orderBy: 'createdAt,desc,id,desc',
      archivedAt: 'null',
      paging: '0,1',
      fields: 'id,createdAt',
    });
  });

  test('is the newest non-archived export of that configuration', async (t) => {
    const { client, sim } = await setUp(t);
    sim.addExport(CONFIG, '2026-10-01');
    const newest = sim.addExport(CONFIG, '2026-11-01');
    sim.addExport(CONFIG, '2026-11-15', { archived: true });
    sim.addExport(9, '2026-11-01');
    assert.equal(await client.latestExportId(CONFIG), newest);
  });
});

describe('triggerExport', () => {
  test('is done with the export id when Lucca answers within the time we hold the request', async (t) => {
    const { client, sim } = await setUp(t);
    const result = await client.triggerExport({ configurationId: CONFIG, endsAt: ENDS_AT, timeoutMs: 5000 });
    const [created] = sim.exportsOf(CONFIG);
    assert.deepEqual(result, { status: 'done', exportId: created?.id });
    const posts = sim.posts(CONFIG);
    assert.equal(posts.length, 1);
    assert.deepEqual(posts[0]?.body, { endsAt: '2026-12-01T00:00:00', configurationId: CONFIG });
    assert.deepEqual(posts[0]?.query, { fields: 'id' });
    assert.equal(posts[0]?.headers.authorization, `lucca application=${API_KEY}`);
  });

  test('is pending after timeoutMs, with exactly one POST, while Lucca goes on building', async (t) => {
    const { client, sim } = await setUp(t, { defaults: { postHoldMs: 5000, buildMs: 'never' } });
    const result = await client.triggerExport({ configurationId: CONFIG, endsAt: ENDS_AT, timeoutMs: 300 });
    assert.deepEqual(result, { status: 'pending', reason: 'timeout' });
    assert.equal(sim.posts().length, 1);
    assert.equal(sim.exportsOf(CONFIG).length, 1, 'the export was started all the same');
  });

  for (const answer of [408, 502, 504] as const) {
    test(`is pending when the gateway cuts the request with ${answer}`, async (t) => {
      const { client, sim } = await setUp(t, {
        defaults: { postHoldMs: 20, buildMs: 'never', postAnswer: answer },
      });
      const result = await client.triggerExport({
        configurationId: CONFIG,
        endsAt: ENDS_AT,
        timeoutMs: 5000,
      });
      assert.deepEqual(result, { status: 'pending', reason: 'gateway', httpStatus: answer });
      assert.equal(sim.posts().length, 1);
    });
  }

  for (const status of [500, 503]) {
    test(`is pending (not retried) when Lucca answers ${status}`, async (t) => {
      const { client, sim } = await setUp(t);
      sim.failNext({ method: 'POST' }, { status });
      const result = await client.triggerExport({
        configurationId: CONFIG,
        endsAt: ENDS_AT,
        timeoutMs: 5000,
      });
      assert.deepEqual(result, { status: 'pending', reason: 'unknown', httpStatus: status });
      assert.equal(sim.posts().length, 1);
    });
  }

  test('is pending when the connection is reset', async (t) => {
    const { client, sim } = await setUp(t);
    sim.failNext({ method: 'POST' }, 'reset');
    const result = await client.triggerExport({ configurationId: CONFIG, endsAt: ENDS_AT, timeoutMs: 5000 });
    assert.deepEqual(result, { status: 'pending', reason: 'reset' });
    assert.equal(sim.posts().length, 1);
  });

  test('is pending when a 2xx answer carries no export id', async (t) => {
    const { client, sim } = await setUp(t);
    sim.failNext({ method: 'POST' }, 'wrong-shape');
    const result = await client.triggerExport({ configurationId: CONFIG, endsAt: ENDS_AT, timeoutMs: 5000 });
    assert.deepEqual(result, { status: 'pending', reason: 'unknown', httpStatus: 200 });
  });

  test('is pending when the caller aborts it', async (t) => {
    const { client, sim } = await setUp(t, { defaults: { postHoldMs: 5000, buildMs: 'never' } });
    const controller = new AbortController();
    const result = client.triggerExport({
      configurationId: CONFIG,
      endsAt: ENDS_AT,
      timeoutMs: 5000,
      signal: controller.signal,
    });
    await waitFor(() => sim.posts().length === 1, 'the POST');
    controller.abort();
    assert.deepEqual(await result, { status: 'pending', reason: 'unknown' });
  });

  test('refuses with "unauthorized" on a wrong key, and says which variable to fix', async (t) => {
    const { sim } = await setUp(t);
    const client = createLuccaClient({
      baseUrl: sim.url,
      apiKey: `${API_KEY}-old`,
      maxRequestsPerMinute: 10,
    });
    const error = await rejectionOf(
      client.triggerExport({ configurationId: CONFIG, endsAt: ENDS_AT, timeoutMs: 5000 }),
    );
    const lucca = assertLuccaError(error, 'unauthorized', 401);
    assert.match(lucca.userMessage, /LUCCA_API_KEY/);
    assert.equal(sim.requests.length, 1);
  });

  test('refuses with "forbidden" when the key may not create exports', async (t) => {
    const { client, sim } = await setUp(t);
    sim.configure(CONFIG, { forbidden: true });
    const error = await rejectionOf(
      client.triggerExport({ configurationId: CONFIG, endsAt: ENDS_AT, timeoutMs: 5000 }),
    );
    assert.match(assertLuccaError(error, 'forbidden', 403).userMessage, /right to create exports/);
    assert.equal(sim.exportsOf(CONFIG).length, 0);
  });

  test('refuses with "not-found" for an unknown configuration, explaining where the id comes from', async (t) => {
    const { client, sim } = await setUp(t);
    sim.configure(42, { exists: false });
    const error = await rejectionOf(
      client.triggerExport({ configurationId: 42, endsAt: ENDS_AT, timeoutMs: 5000 }),
    );
    const lucca = assertLuccaError(error, 'not-found', 404);
    assert.match(lucca.userMessage, /configuration 42/);
    assert.match(lucca.userMessage, /second number/);
  });

  test('refuses with "bad-request" on a 400 and quotes Lucca\'s short message', async (t) => {
    const { client, sim } = await setUp(t);
    sim.failNext(
      { method: 'POST' },
      {
        status: 400,
        body: JSON.stringify({ Status: 400, Message: 'EndsAt must be after the last closed period' }),
      },
    );
    const error = await rejectionOf(
      client.triggerExport({ configurationId: CONFIG, endsAt: ENDS_AT, timeoutMs: 5000 }),
    );
    const lucca = assertLuccaError(error, 'bad-request', 400);
    assert.match(lucca.userMessage, /2026-12-01/);
    assert.match(lucca.userMessage, /EndsAt must be after the last closed period/);
  });

  test('refuses with "rate-limited" on a 429 and does not POST again', async (t) => {
    const { client, sim } = await setUp(t);
    sim.failNext({ method: 'POST' }, { status: 429 });
    const error = await rejectionOf(
      client.triggerExport({ configurationId: CONFIG, endsAt: ENDS_AT, timeoutMs: 5000 }),
    );
    assertLuccaError(error, 'rate-limited', 429);
    assert.equal(sim.posts().length, 1);
    assert.equal((error as LuccaError).retryAfterMs, 1_000, "the simulator's Retry-After: 1, for the engine");
  });

  test('a message echoing the key is redacted', async (t) => {
    const { client, sim } = await setUp(t);
    sim.failNext(
      { method: 'POST' },
      {
        status: 400,
        body: JSON.stringify({ Status: 400, Message: `bad header lucca application=${API_KEY}` }),
      },
    );
    const error = await rejectionOf(
      client.triggerExport({ configurationId: CONFIG, endsAt: ENDS_AT, timeoutMs: 5000 }),
    );
    assertLuccaError(error, 'bad-request', 400);
  });

  test('says "unavailable" at once when Lucca cannot be reached at all (nothing was started)', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const client = createLuccaClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: API_KEY,
      maxRequestsPerMinute: 10,
    });
    const error = await rejectionOf(
      client.triggerExport({ configurationId: CONFIG, endsAt: ENDS_AT, timeoutMs: 5000 }),
    );
    assertLuccaError(error, 'unavailable');
  });
});

describe('findExport (poll)', () => {
  test('asks for exports newer than the baseline and finds ours once it is built', async (t) => {
    const clock = new ManualClock();
    const { client, sim } = await setUp(t, { clock, defaults: { buildMs: 120_000, postHoldMs: 10 } });
    const baseline = sim.addExport(CONFIG, '2026-11-01');
    await client.triggerExport({ configurationId: CONFIG, endsAt: ENDS_AT, timeoutMs: 5000 });
    assert.equal(await client.findExport(CONFIG, baseline, ENDS_AT), null);
    const poll = sim.requests.at(-1);
    assert.deepEqual(poll?.query, {
      configurationId: '3',
      id: `greaterthan,${baseline}`,
      archivedAt: 'null',
      // Lists are paged by 10 unless asked (RestDrivenDomain): ours is the oldest, so oldest first.
      orderBy: 'id,asc',
      paging: '0,100',
      fields: 'id,createdAt,endsAt',
    });

    await clock.advance(120_000);
    const found = await client.findExport(CONFIG, baseline, ENDS_AT);
    assert.equal(found?.id, sim.exportsOf(CONFIG).at(-1)?.id);
    assert.equal(found?.endsAt, ENDS_AT);
  });

  test("ignores someone else's export with another end date", async (t) => {
    const { client, sim } = await setUp(t);
    sim.addExport(CONFIG, '2026-11-30');
    assert.equal(await client.findExport(CONFIG, 0, ENDS_AT), null);
    const ours = sim.addExport(CONFIG, ENDS_AT);
    assert.equal((await client.findExport(CONFIG, 0, ENDS_AT))?.id, ours);
  });

  test('takes the lowest id when several exports match our end date', async (t) => {
    const { client, sim } = await setUp(t);
    const first = sim.addExport(CONFIG, ENDS_AT);
    sim.addExport(CONFIG, ENDS_AT);
    assert.equal((await client.findExport(CONFIG, 0, ENDS_AT))?.id, first);
  });

  test('never returns an export at or below the baseline, even if Lucca ignored the filter', async (t) => {
    const { client, sim } = await setUp(t);
    sim.failNext(
      { pathIncludes: 'greaterthan' },
      {
        status: 200,
        body: JSON.stringify({
          data: { items: [{ id: 5, createdAt: null, endsAt: '2026-12-01T00:00:00' }] },
        }),
      },
    );
    assert.equal(await client.findExport(CONFIG, 5, ENDS_AT), null);
  });

  for (const form of ['offset', 'day-before'] as const) {
    test(`reads endsAt given in another form (${form}) and matches on it`, async (t) => {
      const { client, sim, logLines } = await setUp(t, { defaults: { shapes: { listEndsAt: form } } });
      sim.addExport(CONFIG, '2026-11-01');
      const ours = sim.addExport(CONFIG, ENDS_AT);
      const found = await client.findExport(CONFIG, 0, ENDS_AT);
      assert.deepEqual([found?.id, found?.matchedBy], [ours, 'endsAt']);
      assert.equal(logLines.filter((l) => /no end date the app can read/.test(l)).length, 0);
    });
  }

  test('items without endsAt: the first export created after our POST, said once in the log', async (t) => {
    const clock = new VirtualClock();
    const { client, sim, logLines } = await setUp(t, {
      clock,
      defaults: { shapes: { listEndsAt: 'absent' } },
    });
    const old = sim.addExport(CONFIG, '2026-11-01');
    clock.time += 3_600_000;
    const postedAt = clock.now();
    const ours = sim.addExport(CONFIG, ENDS_AT);
    sim.addExport(CONFIG, ENDS_AT);
    const found = await client.findExport(CONFIG, 0, ENDS_AT, postedAt);
    assert.deepEqual([found?.id, found?.matchedBy], [ours, 'id-and-time']);
    assert.notEqual(found?.id, old, 'created an hour before our POST: not ours');
    await client.findExport(CONFIG, 0, ENDS_AT, postedAt);
    assert.equal(logLines.filter((l) => /no end date the app can read/.test(l)).length, 1);
  });

  test("a tenant refusing endsAt in lists is polled with the guide's id,createdAt", async (t) => {
    const { client, sim } = await setUp(t);
    const ours = sim.addExport(CONFIG, ENDS_AT);
    sim.failNext(
      { pathIncludes: 'fields=id,createdAt,endsAt' },
      {
        status: 400,
        body: JSON.stringify({
          Status: 400,
          Message: 'Selected property endsAt does not exist on objet of type TimmiExport',
        }),
      },
    );
    const found = await client.findExport(CONFIG, 0, ENDS_AT);
    assert.deepEqual([found?.id, found?.matchedBy], [ours, 'id-and-time']);
    assert.equal(sim.requests.at(-1)?.query.fields, 'id,createdAt');
  });
});

describe('GET retries', () => {
  test('429 is retried after the Retry-After seconds, slept on the injected clock', async (t) => {
    const clock = new VirtualClock();
    const { client, sim } = await setUp(t, { clock });
    sim.failNext({ method: 'GET' }, { status: 429, headers: { 'Retry-After': '7' } }, 2);
    assert.equal(await client.latestExportId(CONFIG), 0);
    assert.equal(sim.requests.length, 3);
    assert.equal(clock.slept.length, 2);
    for (const ms of clock.slept) assert.ok(ms >= 7000, `slept ${ms} ms, less than Retry-After`);
  });

  test('5xx answers and resets are retried, then the answer is used', async (t) => {
    const { client, sim } = await setUp(t);
    sim.failNext({ method: 'GET' }, { status: 503 });
    sim.failNext({ method: 'GET' }, 'reset');
    sim.failNext({ method: 'GET' }, { status: 502, body: '<html>Bad Gateway</html>' });
    const ours = sim.addExport(CONFIG, ENDS_AT);
    assert.equal(await client.latestExportId(CONFIG), ours);
    assert.equal(sim.requests.length, 4);
  });

  test('gives up with "unavailable" after the last attempt', async (t) => {
    const { client, sim } = await setUp(t, { client: { retry: { attempts: 3, baseDelayMs: 10 } } });
    sim.failNext({ method: 'GET' }, { status: 503 }, 10);
    assertLuccaError(await rejectionOf(client.latestExportId(CONFIG)), 'unavailable', 503);
    assert.equal(sim.requests.length, 3);
  });

  test('gives up with "rate-limited" when Lucca keeps answering 429', async (t) => {
    const { client, sim } = await setUp(t, { client: { retry: { attempts: 2 } } });
    sim.failNext({ method: 'GET' }, { status: 429 }, 10);
    assertLuccaError(await rejectionOf(client.findExport(CONFIG, 0, ENDS_AT)), 'rate-limited', 429);
    assert.equal(sim.requests.length, 2);
  });

  test('a refusal (401) is not retried', async (t) => {
    const { sim } = await setUp(t);
    const client = createLuccaClient({ baseUrl: sim.url, apiKey: 'wrong-key-123', maxRequestsPerMinute: 10 });
    assertLuccaError(await rejectionOf(client.latestExportId(CONFIG)), 'unauthorized', 401);
    assert.equal(sim.requests.length, 1);
  });

  test('malformed JSON and a wrong shape are "bad-response"', async (t) => {
    const { client, sim } = await setUp(t);
    sim.failNext({ method: 'GET' }, 'malformed');
    assertLuccaError(await rejectionOf(client.latestExportId(CONFIG)), 'bad-response');
    sim.failNext({ method: 'GET' }, 'wrong-shape');
    assertLuccaError(await rejectionOf(client.findExport(CONFIG, 0, ENDS_AT)), 'bad-response');
    sim.failNext({ method: 'GET' }, 'wrong-shape');
    assertLuccaError(await rejectionOf(client.getExport(1)), 'bad-response');
  });
});

describe('getExport and getExportEntries (fetch)', () => {
  test("ask for the guide's field list, to the letter, in two requests: header and files, then entries", async (t) => {
    const { client, sim } = await setUp(t, { defaults: { entries: 4, files: 2 } });
    const id = sim.addExport(CONFIG, ENDS_AT);
    const result = await client.getExport(id);

    const header = sim.requests.at(-1);
    assert.equal(header?.path, `/api/v3/timmiexports/${id}`);
    assert.equal(header?.query.fields, 'id,name,createdAt,configurationId,startsAt,endsAt,exportFiles');
    assert.equal(result.id, id);
    assert.equal(result.configurationId, CONFIG);
    assert.equal(result.endsAt, '2026-12-01T00:00:00');
    assert.equal(result.exportFiles.length, 2);
    assert.match(result.exportFiles[0]?.url ?? '', /^\/timmi-exports\/files\/\d+$/);

    const entries = await client.getExportEntries(id);
    const second = sim.requests.at(-1);
    assert.equal(
      second?.query.fields,
      'id,entries[id,name,amount,amountUnit,externalCode,endsAt,owner[id,lastName,firstName],timeType[id,name,payTreatment],axisSections[id,name,code,axisId,active,startOn,endOn]]',
    );
    // Together: the guide's list ("Retrieve the export content"), nothing invented.
    assert.equal(
      `${header?.query.fields},${second?.query.fields.slice('id,'.length)}`,
      'id,name,createdAt,configurationId,startsAt,endsAt,exportFiles,entries[id,name,amount,amountUnit,externalCode,endsAt,owner[id,lastName,firstName],timeType[id,name,payTreatment],axisSections[id,name,code,axisId,active,startOn,endOn]]',
    );
    assert.deepEqual(
      entries.map((e) => [e.rawAmount, e.amount]),
      [
        ['7.5', 7.5],
        ['0.07:30:00', 7.5],
        ['2', 2],
        ['1.02:30:00', 26.5],
      ],
    );
    assert.equal(entries[0]?.owner?.firstName, 'Élodie');
    assert.equal(entries[1]?.timeType?.name, 'Heures supplémentaires 25 %');
  });

  for (const shape of ['url', 'href', 'path', 'strings'] as const) {
    test(`finds the file link whatever the shape of exportFiles items (${shape})`, async (t) => {
      const { client, sim } = await setUp(t, { defaults: { shapes: { exportFiles: shape } } });
      const [file] = (await client.getExport(sim.addExport(CONFIG, ENDS_AT))).exportFiles;
      assert.match(file?.url ?? '', /\/timmi-exports\/files\/\d+$/);
      assert.equal(sim.requests.at(-1)?.headers.authorization !== undefined, true);
    });
  }

  test('an item with no link has url null and its keys recorded (never its values)', async (t) => {
    const { client, sim } = await setUp(t, { defaults: { shapes: { exportFiles: 'id-only' } } });
    const [file] = (await client.getExport(sim.addExport(CONFIG, ENDS_AT))).exportFiles;
    assert.equal(file?.url, null);
    assert.deepEqual(file?.keys, ['id', 'name']);
  });

  test('turns missing optional fields into null and reads every amount format', async (t) => {
    const { client, sim } = await setUp(t);
    const body = {
      data: {
        id: 77,
        somethingNew: { nested: true },
      },
    };
    sim.failNext({ pathIncludes: 'fields=id,name' }, { status: 200, body: JSON.stringify(body) });
    const result = await client.getExport(77);
    assert.deepEqual(result, {
      id: 77,
      name: null,
      createdAt: null,
      configurationId: null,
      startsAt: null,
      endsAt: null,
      exportFiles: [],
    });
    const entriesBody = {
      data: {
        id: 77,
        entries: [
          { amount: '07:30:00' },
          { amount: '-0.01:15:00', owner: { id: 1 } },
          { amount: 3.25, axisSections: [{ id: 4 }] },
          { amount: 'n/a' },
          {},
        ],
      },
    };
    sim.failNext({ pathIncludes: 'fields=id,entries' }, { status: 200, body: JSON.stringify(entriesBody) });
    const entries = await client.getExportEntries(77);
    assert.deepEqual(
      entries.map((e) => [e.amount, e.rawAmount]),
      [
        [7.5, '07:30:00'],
        [-1.25, '-0.01:15:00'],
        [3.25, '3.25'],
        [null, 'n/a'],
        [null, null],
      ],
    );
    assert.deepEqual(entries[1]?.owner, { id: 1, lastName: null, firstName: null });
    assert.deepEqual(entries[2]?.axisSections, [{ id: 4, name: null, code: null }]);
    assert.equal(entries[4]?.timeType, null);
  });

  test('a 408 on the entries is tried twice, not four times, then "unavailable"', async (t) => {
    const { client, sim } = await setUp(t, { defaults: { entries: 50, entriesCutAbove: 10 } });
    const id = sim.addExport(CONFIG, ENDS_AT);
    assert.equal((await client.getExport(id)).id, id, 'the header still answers');
    const before = sim.requests.length;
    assertLuccaError(await rejectionOf(client.getExportEntries(id)), 'unavailable', 408);
    assert.equal(sim.requests.length - before, 2);
  });

  test('entries are parsed as they arrive: a body that is not JSON, or an unreadable entry, is "bad-response"', async (t) => {
    const { client, sim } = await setUp(t);
    sim.failNext({ pathIncludes: 'fields=id,entries' }, 'malformed');
    assertLuccaError(await rejectionOf(client.getExportEntries(1)), 'bad-response');
    const body = JSON.stringify({ data: { entries: [{ amount: 1 }, { amount: { secret: 'Müller' } }] } });
    sim.failNext({ pathIncludes: 'fields=id,entries' }, { status: 200, body });
    const error = assertLuccaError(await rejectionOf(client.getExportEntries(1)), 'bad-response');
    assert.match(error.message, /entries\.1/);
    assert.ok(!error.message.includes('Müller'), 'payroll values stay out of errors');
  });

  test('an unknown export is "not-found", naming the export', async (t) => {
    const { client } = await setUp(t);
    const error = assertLuccaError(await rejectionOf(client.getExport(999)), 'not-found', 404);
    assert.match(error.userMessage, /export 999/);
  });
});

describe('rate limiter', () => {
  test('with 3 requests a minute, the 4th waits until the window frees', async (t) => {
    const clock = new ManualClock();
    const { client, sim } = await setUp(t, { clock, client: { maxRequestsPerMinute: 3 } });
    for (let i = 0; i < 3; i++) await client.latestExportId(CONFIG);
    await clock.advance(10_000);

    const fourth = client.findExport(CONFIG, 0, ENDS_AT);
    await waitFor(() => clock.pending === 1, 'the 4th request to wait on the clock');
    assert.equal(sim.requests.length, 3);
    await clock.advance(49_999);
    assert.equal(sim.requests.length, 3, 'still inside the window');
    await clock.advance(1);
    assert.equal(await fourth, null);
    assert.equal(sim.requests.length, 4);
  });

  test('one limiter shared by two clients counts both', async (t) => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ limit: 2, clock });
    const { client, sim } = await setUp(t, { clock, client: { limiter } });
    const other = createLuccaClient({
      baseUrl: sim.url,
      apiKey: API_KEY,
      maxRequestsPerMinute: 50,
      clock,
      limiter,
    });
    await client.latestExportId(CONFIG);
    await other.latestExportId(CONFIG);
    const third = other.latestExportId(CONFIG);
    await waitFor(() => clock.pending === 1, 'the 3rd request to wait');
    assert.equal(sim.requests.length, 2);
    await clock.advance(60_000);
    await third;
    assert.equal(sim.requests.length, 3);
  });
});

describe('logging', () => {
  test('logs method, path, status and attempt at debug level, never the key', async (t) => {
    const { client, sim, logLines } = await setUp(t);
    sim.failNext({ method: 'GET' }, { status: 503 });
    await client.latestExportId(CONFIG);
    await client.triggerExport({ configurationId: CONFIG, endsAt: ENDS_AT, timeoutMs: 5000 });
    const records = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      records.map((r) => [r.level, r.method, r.status, r.attempt]),
      [
        ['debug', 'GET', 503, 1],
        ['debug', 'GET', 200, 2],
        ['debug', 'POST', 200, 1],
      ],
    );
    assert.match(String(records[0]?.path), /^\/api\/v3\/timmiexports\?configurationId=3/);
    for (const line of logLines) assert.ok(!line.includes(API_KEY));
  });
});
