import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import type { AnswerShapes } from '../../fakes/lucca-simulator/content.js';
import { type ConfigurationBehaviour, startLuccaSimulator } from '../../fakes/lucca-simulator/index.js';
import { readConfig } from '../../src/config.js';
import { checkLuccaShapes } from '../../src/doctor/lucca-shapes.js';
import { renderText } from '../../src/doctor/render.js';
import { report } from '../../src/doctor/types.js';

const KEY = 'lucca-shapes-DO-NOT-LEAK-31c7';

async function doctorAgainst(t: TestContext, behaviour: Partial<ConfigurationBehaviour>, seed = true) {
  const sim = await startLuccaSimulator({ apiKey: KEY, defaults: { entries: 12, ...behaviour } });
  t.after(() => sim.close());
  if (seed) sim.addExport(3, '2026-12-01');
  const config = readConfig({
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: '0123456789abcdef0123',
    LUCCA_BASE_URL: sim.url,
    LUCCA_API_KEY: KEY,
    EXPORT_CONFIGURATIONS: 'payroll=3',
  });
  const results = await checkLuccaShapes(config);
  const text = renderText(report([{ title: 'Lucca answers', results }]));
  assert.ok(!text.includes(KEY), 'the key is never printed');
  return { sim, results, text };
}

const statuses = (results: { status: string; label: string }[]) =>
  results.map(
    (r) => `${r.status} ${r.label.replace(/^payroll \(#3\), export #\d+: /, '').replace(/ \(.*$/, '')}`,
  );

describe("doctor --lucca: the client's assumptions against what Lucca answers", () => {
  test("the shapes the client expects: every assumption holds, read with the guide's field lists", async (t) => {
    const { sim, results } = await doctorAgainst(t, {});
    assert.deepEqual(statuses(results), [
      'ok list items carry endsAt at midnight',
      'ok exportFiles items carry a link the app can download',
      "ok the entries are read within Lucca's ~5 s cut",
      'ok amount is a number of hours or a timespan',
      'ok amountUnit is a unit name the app knows',
    ]);
    assert.match(results[1]!.detail!, /item keys: id, name, url/);
    const fields = sim.requests.map((r) => r.query.fields);
    assert.ok(fields.includes('id,name,createdAt,configurationId,startsAt,endsAt,exportFiles'));
    assert.ok(fields.some((f) => f?.startsWith('id,entries[id,name,amount,amountUnit')));
  });

  test('other shapes: each difference named, with what the app will do', async (t) => {
    const shapes: Partial<AnswerShapes> = {
      exportFiles: 'id-only',
      listEndsAt: 'absent',
      amounts: 'numbers',
      amountUnits: 'codes',
    };
    const { results, text } = await doctorAgainst(t, { shapes });
    assert.deepEqual(statuses(results), [
      'warn list items carry endsAt at midnight',
      'warn exportFiles items carry a link the app can download',
      "ok the entries are read within Lucca's ~5 s cut",
      'ok amount is a number of hours or a timespan',
      'warn amountUnit is a unit name the app knows',
    ]);
    assert.match(text, /endsAt is absent from the items/);
    assert.match(text, /first export created after its request/);
    assert.match(text, /0 of 1 file\(s\) with a link; item keys: id, name/);
    assert.match(text, /a CSV it makes from the entries/);
    assert.match(text, /"unit 0" as Lucca sent it/);
  });

  test('another endsAt form the client reads still holds, and says which', async (t) => {
    const { results } = await doctorAgainst(t, {
      shapes: { listEndsAt: 'day-before', exportFiles: 'strings' },
    });
    assert.equal(results[0]!.status, 'ok');
    assert.match(results[0]!.detail!, /23:59:59/);
    assert.equal(results[1]!.status, 'ok');
    assert.match(results[1]!.detail!, /\(a URL string\)/);
  });

  test('a large export whose entries Lucca cuts: a warning saying the summary will be missing', async (t) => {
    const { results } = await doctorAgainst(t, { entries: 50, entriesCutAbove: 10 });
    const entries = results.find((r) => /entries are read/.test(r.label))!;
    assert.equal(entries.status, 'warn');
    assert.match(entries.fix!, /without the summary/);
  });

  test('no export yet: nothing to compare, and how to get one', async (t) => {
    const { results } = await doctorAgainst(t, {}, false);
    assert.equal(results.length, 1);
    assert.equal(results[0]!.status, 'warn');
    assert.match(results[0]!.fix!, /Run one export/);
  });
});
