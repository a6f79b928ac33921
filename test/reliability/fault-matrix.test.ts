import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { FailAnswer } from '../../fakes/slack/index.js';
import { ACTION_RETRY } from '../../src/bot/messages/run-message.js';
import type { Run } from '../../src/exports/types.js';
import { BOT_TOKEN, eventually, LUCCA_KEY, PAYROLL, SIGNING_SECRET } from '../helpers/app-harness.js';
import {
  type FaultProxy,
  type ProxiedRequest,
  type ProxyFault,
  type ProxyRule,
  startFaultProxy,
} from '../helpers/fault-proxy.js';
import {
  type Cell,
  cells,
  HOSTILE_CELLS,
  LUCCA_RETRY_AFTER_S,
  type LuccaCall,
  type LuccaCell,
  renderMatrix,
  SLACK_RETRY_AFTER_S,
  type SlackCell,
  UPLOAD_STATUS,
  withMatrix,
} from './fault-matrix.cells.js';
import {
  type CellRig,
  driveUntil,
  fileFromSimulator,
  isBaseline,
  isDownload,
  isFetch,
  isPoll,
  isTrigger,
  refusedAttempts,
  startRig,
} from './matrix-driver.js';
import { SIMULATED_FILE_BYTES } from './world.js';

const MATCHERS: Record<LuccaCall, (r: ProxiedRequest) => boolean> = {
  baseline: isBaseline,
  trigger: isTrigger,
  poll: isPoll,
  fetch: isFetch,
  download: isDownload,
};
/** The request after which the listener closes, so that the next connection (the faulted call) is refused. */
const REFUSE_AFTER: Record<LuccaCall, ((r: ProxiedRequest) => boolean) | undefined> = {
  baseline: undefined,
  trigger: isBaseline,
  poll: isTrigger,
  fetch: isTrigger,
  download: isFetch,
};
/** The run state a step error of each call is recorded in. */
const STEP_STATE: Record<LuccaCall, string> = {
  baseline: 'baseline',
  trigger: 'triggering',
  poll: 'polling',
  fetch: 'fetching',
  download: 'fetching',
};

const MALFORMED_BODY = '{"data":{"items":[{"id":1,';
const WRONG_SHAPE_BODY = '{"data":{"items":"none","id":"none"}}';

const MAINTENANCE_PAGE = '<html><head><title>Maintenance</title></head><body>Back soon</body></html>';

/** Issue #16's hostile answers; `other` is another origin (a storage host). */
function hostileFault(cell: LuccaCell, rig: CellRig, other: FaultProxy): ProxyFault | undefined {
  switch (cell.fault) {
    case 'trickle':
      // One byte every 10 s of the app's clock (a few real ms apart): the download's deadline ends it.
      return {
        kind: 'trickle',
        everyMs: 2,
        onChunk: () => rig.h.clock.set(rig.h.clock.now() + 10_000),
      };
    case 'redirect-401':
      other.failNext((r) => r.path === '/storage/file.csv', {
        kind: 'answer',
        status: 401,
        headers: { 'content-type': 'text/html' },
        body: '<html>Unauthorized</html>',
        forward: false,
      });
      return {
        kind: 'answer',
        status: 302,
        headers: { location: `${other.url}/storage/file.csv?signature=expired` },
        forward: false,
      };
    case 'html-page-twice':
      return {
        kind: 'answer',
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: MAINTENANCE_PAGE,
        forward: false,
      };
    case 'null-data-twice':
      return { kind: 'answer', status: 200, body: '{"data":null}', forward: false };
    default:
      return undefined;
  }
}

function luccaFault(cell: LuccaCell): ProxyFault | 'refuse' {
  const forward = cell.reachesLucca;
  const luccaError = (status: number, message: string) =>
    JSON.stringify({ Status: status, Message: message });
  const gatewayPage = (text: string) => `<html><body><h1>${text}</h1></body></html>`;
  switch (cell.fault) {
    case 'refused':
      return 'refuse';
    case 'reset-mid-body':
      return { kind: 'reset-mid-body' };
    case 'timeout':
      return { kind: 'hold', forward };
    case '408':
      return { kind: 'answer', status: 408, body: luccaError(408, 'Request Timeout'), forward };
    case '429':
      return {
        kind: 'answer',
        status: 429,
        headers: { 'retry-after': String(LUCCA_RETRY_AFTER_S) },
        body: luccaError(429, 'Too Many Requests'),
        forward,
      };
    case '500':
      return { kind: 'answer', status: 500, body: luccaError(500, 'Internal Server Error'), forward };
    case '502':
      return {
        kind: 'answer',
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: gatewayPage('502 Bad Gateway'),
        forward,
      };
    case '503':
      return {
        kind: 'answer',
        status: 503,
        headers: { 'content-type': 'text/html' },
        body: gatewayPage('503 Service Unavailable'),
        forward,
      };
    case 'malformed-json':
      return { kind: 'answer', status: 200, body: MALFORMED_BODY, forward };
    case 'wrong-shape':
      return { kind: 'answer', status: 200, body: WRONG_SHAPE_BODY, forward };
    default:
      throw new Error(`${cell.fault} is a hostile fault: see hostileFault`);
  }
}

const SLACK_METHOD: Record<Exclude<SlackCell['call'], 'upload-post'>, string> = {
  'post-parent': 'chat.postMessage',
  'post-reply': 'chat.postMessage',
  update: 'chat.update',
  'upload-url': 'files.getUploadURLExternal',
  complete: 'files.completeUploadExternal',
};
function slackAnswer(cell: SlackCell): FailAnswer {
  if (cell.fault === '429') return { status: 429, retryAfter: SLACK_RETRY_AFTER_S };
  if (cell.fault === '500') return { status: 500 };
  return { error: cell.fault };
}

// ── Reading the outcome ───────────────────────────────────────────────────────────────────────────

const parentOf = (rig: CellRig, run: Run) =>
  rig.h.slack.messagesIn(PAYROLL).find((m) => m.ts === run.threadTs);
const outboxEmpty = (rig: CellRig) => rig.h.app.outbox.unpublishedEvents(1).length === 0;
const runNow = (rig: CellRig, run: Run) => rig.h.app.store.get(run.id)!;

function settledDone(rig: CellRig, run: Run): boolean {
  return (
    runNow(rig, run).state === 'done' &&
    outboxEmpty(rig) &&
    /Delivered/.test(JSON.stringify(parentOf(rig, run)?.blocks ?? []))
  );
}

function waitingForPerson(rig: CellRig, run: Run): boolean {
  const state = runNow(rig, run).state;
  return (state === 'failed' || state === 'stalled') && outboxEmpty(rig);
}

function logsWith(rig: CellRig, message: string): Record<string, unknown>[] {
  return rig.h.logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => record.msg === message);
}

/** The POSTs the Lucca client logged, refused ones included (those never reach the proxy). */
function appPosts(rig: CellRig): { time: number }[] {
  return logsWith(rig, 'lucca request')
    .filter((record) => record.method === 'POST')
    .map((record) => ({ time: Date.parse(String(record.time)) }));
}

function assertNoSecrets(rig: CellRig): void {
  const everything = [
    ...rig.h.logs,
    ...rig.h.slack.calls.map((c) => JSON.stringify(c.args)),
    ...rig.h.slack.responses.map((r) => JSON.stringify(r.body)),
  ].join('\n');
  for (const secret of [LUCCA_KEY, BOT_TOKEN, SIGNING_SECRET]) {
    assert.ok(!everything.includes(secret), 'a secret appears in a log line or a Slack message');
  }
}

/** The file is shared exactly once, with the bytes Lucca served; the thread says so once. */
async function assertDeliveredOnce(rig: CellRig, run: Run, served: Buffer): Promise<void> {
  const completed = rig.h.slack.uploads.filter((u) => u.completed);
  assert.equal(completed.length, 1, 'the file is shared exactly once');
  assert.equal(completed[0]!.channel_id, PAYROLL);
  assert.deepEqual(completed[0]!.bytes, served, 'the bytes shared are the bytes Lucca served');
  const final = runNow(rig, run);
  assert.deepEqual(readFileSync(final.files[0]!.path), served);
  const delivered = rig.h.slack
    .threadOf(PAYROLL, run.threadTs!)
    .filter((m) => /Delivered to/.test(m.text ?? ''));
  assert.equal(delivered.length, 1, 'the thread says "Delivered" once');
}

function assertCounts(rig: CellRig, run: Run, cell: Cell): void {
  const e = cell.expect;
  const final = runNow(rig, run);
  assert.equal(final.state, 'done');
  assert.equal(final.attempt, e.attempts, 'attempts');
  assert.equal(appPosts(rig).length, e.appPosts, 'POSTs sent by the app');
  assert.equal(rig.h.sim.exportsOf(3).length, e.exportsCreated, 'exports Lucca created');
  assert.equal(rig.h.sim.posts(3).length, e.exportsCreated, 'POSTs that reached Lucca');
}

// ── Lucca cells ───────────────────────────────────────────────────────────────────────────────────

async function runLuccaCell(cell: LuccaCell): Promise<void> {
  const rig = await startRig({
    postAnswer: cell.call === 'baseline' || cell.call === 'poll' ? 408 : 'export',
    ...(cell.fault === 'timeout' ? { held: cell.call === 'trigger' ? 'trigger' : 'get' } : {}),
  });
  const other = await startFaultProxy();
  try {
    const fault = hostileFault(cell, rig, other) ?? luccaFault(cell);
    let rule: ProxyRule | undefined;
    if (fault === 'refuse') {
      const after = REFUSE_AFTER[cell.call];
      void rig.proxy.refuseAfter(after);
    } else {
      rule = rig.proxy.failNext(MATCHERS[cell.call], fault, cell.times ?? 1);
    }

    await rig.h.command('payroll 2026-12-01');
    const run = await rig.h.postedRun();
    if (cell.handling === 'stall-retry') {
      await driveUntil(rig, () => waitingForPerson(rig, run), 'stalled');
      assert.equal(runNow(rig, run).state, 'stalled');
      assert.ok(
        rig.h.slack
          .threadOf(PAYROLL, run.threadTs!)
          .some((m) => JSON.stringify(m.blocks).includes(ACTION_RETRY)),
        'the thread offers Retry',
      );
      assert.equal(rig.h.sim.exportsOf(3).length, 0, 'nothing was built, and the app did not post again');
      assert.equal(rig.proxy.records.filter(isTrigger).length, 1);
      const click = await rig.h.click(ACTION_RETRY, run.id);
      assert.equal(click.status, 200);
      await eventually(() => runNow(rig, run).state !== 'stalled', 'the retry');
    }
    await driveUntil(rig, () => settledDone(rig, run), 'done');

    // The fault really happened, where it was aimed.
    if (fault === 'refuse') {
      const refused = refusedAttempts(rig);
      assert.ok(refused.length > 0, 'a connection was refused');
      const target = MATCHERS[cell.call];
      for (const path of refused) {
        const method = cell.call === 'trigger' ? 'POST' : 'GET';
        assert.ok(
          target({ method, path: path.split('?')[0]!, url: path }),
          `refused ${path}, not the ${cell.call}`,
        );
      }
    } else {
      const times = cell.times ?? 1;
      assert.equal(rule!.hits, times, `the fault was applied ${times === 1 ? 'once' : `${times} times`}`);
    }

    assertCounts(rig, run, cell);
    const final = runNow(rig, run);
    const exportId = final.exportId!;
    const served =
      cell.handling === 'as-served'
        ? Buffer.from(cell.fault === 'malformed-json' ? MALFORMED_BODY : WRONG_SHAPE_BODY)
        : await fileFromSimulator(rig, exportId * 1000 + 1);
    if (cell.handling !== 'as-served') assert.equal(served.length, SIMULATED_FILE_BYTES);
    await assertDeliveredOnce(rig, run, served);

    const stepFailures = logsWith(rig, 'step failed');
    const events = rig.h.app.store.eventsOf(run.id).map((e) => e.type);
    switch (cell.handling) {
      case 'client-retry':
        assert.equal(stepFailures.length, 0, 'the engine never saw the fault');
        assert.ok(rig.proxy.records.filter(MATCHERS[cell.call]).length >= 2, 'the request was sent again');
        break;
      case 'step-retry':
        assert.equal(stepFailures.length, 1, 'one step error');
        assert.equal(stepFailures[0]!.state, STEP_STATE[cell.call]);
        break;
      case 'poll':
        assert.ok(events.includes('trigger-pending'), 'the app went polling');
        assert.equal(stepFailures.length, 0);
        break;
      case 'ask-again': {
        assert.equal(logsWith(rig, 'export request not taken by Lucca; will ask again').length, 1);
        const posts = appPosts(rig);
        const gap = posts[1]!.time - posts[0]!.time;
        assert.ok(gap >= cell.expect.waitedAtLeastMs!, `posted again after ${gap} ms`);
        break;
      }
      case 'stall-retry':
        assert.ok(events.includes('stalled') && events.includes('retried'));
        break;
      case 'as-served':
        break;
      case 'told-keeps-trying': {
        assert.equal(stepFailures.length, cell.times, 'one step error per broken answer');
        const told = rig.h.slack
          .threadOf(PAYROLL, run.threadTs!)
          .filter((m) => new RegExp(cell.expect.message!).test(m.text ?? ''));
        assert.equal(told.length, 1, 'the thread is told once what Lucca answers');
        break;
      }
      default:
        assert.fail(`unexpected handling ${cell.handling} for a Lucca cell`);
    }
    if (cell.fault === 'redirect-401') {
      assert.equal(other.records.length, 1, 'the other host was asked once');
      const told = logsWith(rig, 'step failed')[0]!;
      assert.doesNotMatch(JSON.stringify(told), /refused the API key/);
      assert.ok(
        JSON.stringify(told).includes(new URL(other.url).host),
        'the log names the host that refused',
      );
    }
    if (cell.fault === 'trickle') {
      const trickled = rig.proxy.records.find((r) => r.outcome === 'trickle')!;
      assert.ok(
        trickled.hungUp && trickled.bytesSent! < 16,
        `read ${trickled.bytesSent} bytes, then hung up`,
      );
    }
    if (cell.expect.waitedAtLeastMs && cell.handling === 'client-retry') {
      assert.ok(
        rig.stepping.slept.some((ms) => ms >= cell.expect.waitedAtLeastMs!),
        `Retry-After honoured (slept ${rig.stepping.slept.join(', ')} ms)`,
      );
    }
    assertNoSecrets(rig);
  } finally {
    await rig.close();
    await other.close();
  }
}

// ── Slack cells ───────────────────────────────────────────────────────────────────────────────────

async function runSlackCell(cell: SlackCell): Promise<void> {
  const rig = await startRig({ postAnswer: 'export' });
  const { h } = rig;
  try {
    let armedAt = 0;
    const arm = () => {
      armedAt = h.slack.calls.length;
      if (cell.call === 'upload-post')
        h.slack.failUploadNext({ status: UPLOAD_STATUS[cell.fault] }, cell.times);
      else h.slack.failNext(SLACK_METHOD[cell.call], slackAnswer(cell), cell.times);
    };
    // A thread reply is the first chat.postMessage after the parent: armed once the parent is posted.
    if (cell.call !== 'post-reply') arm();

    const responseUrl = h.slack.responseUrl(`cell-${cell.call}-${cell.fault}`);
    const ack = await h.command('payroll 2026-12-01', { responseUrl });
    assert.equal(ack.status, 200);

    if (cell.handling === 'not-started') {
      const answer = await eventually(
        () => h.slack.responses.find((r) => r.url === responseUrl),
        'the reply',
      );
      assert.equal(answer.body.response_type, 'ephemeral');
      assert.match(String(answer.body.text), new RegExp(cell.expect.message!));
      assert.equal(h.app.store.recent(10).length, 0, 'no run');
      await h.settle();
      assert.equal(rig.proxy.records.length, 0, 'Lucca never called');
      assertNoSecrets(rig);
      return;
    }

    const run = await h.postedRun();
    if (cell.call === 'post-reply') arm();
    if (cell.handling === 'fail-then-retry') {
      await driveUntil(rig, () => waitingForPerson(rig, run), 'failed');
      const failed = runNow(rig, run);
      assert.equal(failed.state, 'failed');
      assert.match(failed.errorMessage ?? '', new RegExp(cell.expect.message!));
      const thread = h.slack.threadOf(PAYROLL, run.threadTs!);
      assert.ok(
        thread.some(
          (m) =>
            new RegExp(cell.expect.message!).test(m.text ?? '') &&
            JSON.stringify(m.blocks).includes(ACTION_RETRY),
        ),
        'the thread says what to fix, with a Retry button',
      );
      await h.click(ACTION_RETRY, run.id);
      await eventually(() => runNow(rig, run).state !== 'failed', 'the retry');
    }
    if (cell.handling === 'token-wait') {
      await driveUntil(rig, () => runNow(rig, run).state === 'done', 'the run done');
      assert.equal((await fetch(`${h.app.url}/healthz`)).status, 503);
      assert.ok(!outboxEmpty(rig), 'the messages wait in the outbox');
      await h.restart(); // with the token replaced
    }
    await driveUntil(rig, () => settledDone(rig, run), 'done');

    assertCounts(rig, run, cell);
    const exportId = runNow(rig, run).exportId!;
    await assertDeliveredOnce(rig, run, await fileFromSimulator(rig, exportId * 1000 + 1));
    // One fetch is two requests: header and files, then entries.
    assert.equal(rig.proxy.records.filter(isFetch).length, 2, 'the export was fetched from Lucca once');

    const method = cell.call === 'upload-post' ? undefined : SLACK_METHOD[cell.call];
    const failedCalls = method ? h.slack.callsTo(method) : [];
    const events = h.app.store.eventsOf(run.id);
    switch (cell.handling) {
      case 'client-retry': {
        // The stand-in records the refused call too; the client sent it again after Retry-After.
        const index = h.slack.calls.findIndex((c, i) => i >= armedAt && c.method === method);
        const retried = h.slack.calls.slice(index + 1).find((c) => c.method === method);
        assert.ok(retried, 'the call was sent again');
        assert.ok(
          retried.at - h.slack.calls[index]!.at >= cell.expect.waitedAtLeastMs!,
          'Retry-After waited out',
        );
        assert.equal(events.filter((e) => e.type === 'delivery-failed').length, 0);
        break;
      }
      case 'publish-later':
        assert.ok(logsWith(rig, 'Slack call failed; will try again').length >= 1);
        assert.ok(failedCalls.length >= cell.times + 1);
        if (cell.call === 'post-reply') {
          const replies = h.slack
            .threadOf(PAYROLL, run.threadTs!)
            .filter((m) => /Asked Lucca to build/.test(m.text ?? ''));
          assert.equal(replies.length, 1, 'the reply is posted once, later');
        }
        break;
      case 'dropped': {
        const dropped = logsWith(rig, 'Slack refused a run message; it is dropped');
        assert.equal(dropped.length, 1);
        assert.equal(dropped[0]!.slackError, cell.fault);
        break;
      }
      case 'token-wait': {
        const refused = h.logs.filter((line) =>
          line.includes(`Slack refused SLACK_BOT_TOKEN (${cell.fault})`),
        );
        assert.equal(refused.length, 1, 'logged once');
        break;
      }
      case 'redeliver': {
        const failures = events.filter((e) => e.type === 'delivery-failed');
        assert.equal(failures.length, 1);
        assert.equal(failures[0]!.detail.willRetry, true);
        if (cell.call !== 'upload-url') {
          assert.ok(h.slack.uploads.length >= 2, 'a fresh upload URL for the second try');
        }
        break;
      }
      case 'fail-then-retry': {
        const retried = events.find((e) => e.type === 'retried');
        assert.equal(retried?.detail.redeliver, true, 'Retry redelivered from disk');
        break;
      }
      default:
        assert.fail(`unexpected handling ${cell.handling} for a Slack cell`);
    }
    assertNoSecrets(rig);
  } finally {
    await rig.close();
  }
}

describe('fault matrix: every Lucca and Slack call under every fault', { concurrency: 4 }, () => {
  test('docs/RELIABILITY.md shows exactly these cells (regenerate: npx tsx test/reliability/write-matrix.ts)', () => {
    const document = readFileSync(new URL('../../docs/RELIABILITY.md', import.meta.url), 'utf8');
    assert.ok(document.includes(renderMatrix()), 'the matrix in docs/RELIABILITY.md is out of date');
    assert.equal(withMatrix(document), document);
  });

  test('every call × fault combination has exactly one cell', () => {
    assert.equal(cells.length, 80 + HOSTILE_CELLS.length);
    assert.equal(new Set(cells.map((c) => c.id)).size, cells.length);
  });

  for (const cell of cells) {
    test(`${cell.id}: ${cell.handling}`, () =>
      cell.service === 'lucca' ? runLuccaCell(cell) : runSlackCell(cell));
  }
});
