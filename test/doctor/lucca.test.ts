import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type LuccaSimulator, startLuccaSimulator } from '../../fakes/lucca-simulator/index.js';
import { readConfig } from '../../src/config.js';
import { checkLucca } from '../../src/doctor/lucca.js';

const KEY = 'lucca-doctor-DO-NOT-LEAK-9f8e';

describe('Lucca check against the Lucca simulator', () => {
  let sim: LuccaSimulator;
  const config = (env: Record<string, string> = {}) =>
    readConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: '0123456789abcdef0123',
      LUCCA_BASE_URL: sim.url,
      LUCCA_API_KEY: KEY,
      EXPORT_CONFIGURATIONS: 'payroll=3,overtime=7',
      ...env,
    });

  before(async () => {
    sim = await startLuccaSimulator({ apiKey: KEY });
    sim.addExport(3, '2026-11-01');
  });
  after(() => sim.close());

  test('each alias gets one baseline request; all pass', async () => {
    const before = sim.requests.length;
    const results = await checkLucca(config());
    assert.deepEqual(
      results.map((r) => [r.status, r.label.split(':')[0]]),
      [
        ['ok', 'payroll (#3)'],
        ['ok', 'overtime (#7)'],
      ],
    );
    assert.equal(results[0]!.detail, 'newest export #1');
    assert.equal(results[1]!.detail, 'no export of it yet');
    const made = sim.requests.slice(before);
    assert.deepEqual(
      made.map((r) => [r.method, r.path, r.query.configurationId]),
      [
        ['GET', '/api/v3/timmiexports', '3'],
        ['GET', '/api/v3/timmiexports', '7'],
      ],
    );
  });

  test('401: a wrong key fails once (not per alias) with the LUCCA_API_KEY fix', async () => {
    const results = await checkLucca(config({ LUCCA_API_KEY: 'not-the-key' }));
    assert.equal(results.length, 1);
    assert.equal(results[0]!.status, 'fail');
    assert.equal(results[0]!.label, 'Lucca refused LUCCA_API_KEY (HTTP 401)');
    assert.match(results[0]!.fix!, /^Set LUCCA_API_KEY to a valid key/);
  });

  test("403: the key's role lacks export rights", async () => {
    sim.failNext({ method: 'GET', pathIncludes: 'timmiexports' }, { status: 403 });
    const results = await checkLucca(config());
    assert.equal(results.length, 1);
    assert.equal(results[0]!.status, 'fail');
    assert.match(results[0]!.label, /its role may not use Timesheet exports \(HTTP 403\)/);
    assert.match(results[0]!.fix!, /role the right to create Timesheet exports/);
  });

  test('404: the alias whose configuration does not exist fails with how to find the id; the others pass', async () => {
    sim.configure(7, { exists: false });
    const results = await checkLucca(config());
    sim.configure(7, { exists: true });
    assert.deepEqual(
      results.map((r) => r.status),
      ['ok', 'fail'],
    );
    assert.equal(results[1]!.label, 'overtime (#7): Lucca has no such export configuration (HTTP 404)');
    assert.match(results[1]!.fix!, /EXPORT_CONFIGURATIONS.*second number in the export-configuration URL/);
  });

  test('an unreachable host fails with the LUCCA_BASE_URL fix, after one attempt', async () => {
    const results = await checkLucca(config({ LUCCA_BASE_URL: 'http://127.0.0.1:9' }));
    assert.equal(results.length, 1);
    assert.equal(results[0]!.status, 'fail');
    assert.match(results[0]!.label, /could not be reached at http:\/\/127\.0\.0\.1:9/);
    assert.match(results[0]!.fix!, /LUCCA_BASE_URL/);
  });

  test('no alias: not contacted, and says what to set', async () => {
    const before = sim.requests.length;
    const results = await checkLucca(config({ EXPORT_CONFIGURATIONS: '' }));
    assert.equal(results[0]!.status, 'warn');
    assert.match(results[0]!.fix!, /EXPORT_CONFIGURATIONS=payroll=3/);
    assert.equal(sim.requests.length, before);
  });

  test('the key never appears in any result', async () => {
    sim.failNext({ method: 'GET' }, { status: 401, body: `{"Status":401,"Message":"bad key ${KEY}"}` });
    const text = JSON.stringify(await checkLucca(config()));
    assert.ok(!text.includes(KEY));
  });
});
