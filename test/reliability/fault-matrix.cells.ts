/**
 * The fault matrix as data: every Lucca call × every network/gateway fault, every Slack call × every
 * Slack failure, each with the outcome the app is designed to reach. `fault-matrix.test.ts` runs each
 * cell against the real app and asserts that outcome; `write-matrix.ts` renders the same cells into
 * docs/RELIABILITY.md, and the test fails when the document no longer matches them.
 */

export const LUCCA_CALLS = ['baseline', 'trigger', 'poll', 'fetch', 'download'] as const;
export const LUCCA_FAULTS = [
  'refused',
  'reset-mid-body',
  'timeout',
  '408',
  '429',
  '500',
  '502',
  '503',
  'malformed-json',
  'wrong-shape',
] as const;
/**
 * Hostile answers (issue #16): not every call × every one of these makes sense, so each is a cell
 * of its own, listed in HOSTILE_CELLS and shown in a table of its own.
 */
export const HOSTILE_FAULTS = ['trickle', 'redirect-401', 'html-page-twice', 'null-data-twice'] as const;
export const SLACK_CALLS = [
  'post-parent',
  'post-reply',
  'update',
  'upload-url',
  'upload-post',
  'complete',
] as const;
export const SLACK_FAULTS = ['429', '500', 'not_in_channel', 'channel_not_found', 'invalid_auth'] as const;

export type LuccaCall = (typeof LUCCA_CALLS)[number];
export type LuccaFault = (typeof LUCCA_FAULTS)[number];
export type HostileFault = (typeof HOSTILE_FAULTS)[number];
export type SlackCall = (typeof SLACK_CALLS)[number];
export type SlackFault = (typeof SLACK_FAULTS)[number];

/** How the app gets over the fault. */
export type Handling =
  /** The Lucca or Slack client's own retry loop tries the same request again; nothing else notices. */
  | 'client-retry'
  /** The engine records a step error and does the step again after a back-off. */
  | 'step-retry'
  /** Whether Lucca started the export is unknown: the app polls (never posts again) and finds it. */
  | 'poll'
  /** The POST provably never reached Lucca (refused connection, 429): asked again later, new baseline. */
  | 'ask-again'
  /** Nothing was created and nothing appears: stalled, Retry button; Retry starts one new attempt. */
  | 'stall-retry'
  /** The Slack notifier keeps the event in its outbox and publishes it later. */
  | 'publish-later'
  /** Delivery fails, is retried by the engine from the file on disk (Lucca is not asked again). */
  | 'redeliver'
  /** The run fails with a sentence saying what to fix and a Retry button; Retry delivers from disk. */
  | 'fail-then-retry'
  /** The parent message could not be posted: the person is told why, no run, Lucca never asked. */
  | 'not-started'
  /** A permanent Slack refusal of a progress message: dropped and logged; the run completes. */
  | 'dropped'
  /** Slack refused the bot token: logged once, /healthz 503, messages wait for the restart with a new token. */
  | 'token-wait'
  /** The app does not interpret export files: they are delivered byte for byte as Lucca served them. */
  | 'as-served'
  /** The same unusable answer twice in a row: the thread says what Lucca answers; the step is retried. */
  | 'told-keeps-trying';

export interface Expectation {
  final: 'done' | 'not-started';
  /** POSTs the app sent to Lucca. */
  appPosts: number;
  /** Exports Lucca created (POSTs that reached it). */
  exportsCreated: number;
  /** The run's attempt number at the end. */
  attempts: number;
  /** A sentence (regular expression source) the person is shown: failure reason or refusal. */
  message?: string;
  /** A wait the app must have honoured, at least this long (Retry-After, rate-limit back-off). */
  waitedAtLeastMs?: number;
}

export interface LuccaCell {
  id: string;
  service: 'lucca';
  call: LuccaCall;
  fault: LuccaFault | HostileFault;
  /** Whether Lucca received (and acted on) the faulted request. */
  reachesLucca: boolean;
  /** How many matching requests in a row are broken; 1 when unset. */
  times?: number;
  handling: Handling;
  expect: Expectation;
}

export interface SlackCell {
  id: string;
  service: 'slack';
  call: SlackCall;
  fault: SlackFault;
  /** How many answers in a row are broken (500s outlast the Slack client's own 3 retries). */
  times: number;
  handling: Handling;
  expect: Expectation;
}

export type Cell = LuccaCell | SlackCell;

/** The upload host answers HTTP only: Slack's refusals become the statuses such a host would send. */
export const UPLOAD_STATUS: Record<SlackFault, number> = {
  '429': 429,
  '500': 500,
  not_in_channel: 403,
  channel_not_found: 404,
  invalid_auth: 401,
};

/** Retry-After the faulted 429s carry (Lucca: seconds; Slack's client waits in real time, so 1 s). */
export const LUCCA_RETRY_AFTER_S = 7;
export const SLACK_RETRY_AFTER_S = 1;
/** The engine waits a whole rate-limit window before posting again after a 429 (engine.ts). */
export const POST_RATE_LIMIT_BACKOFF_MS = 60_000;

const GET_CALLS: ReadonlySet<LuccaCall> = new Set(['baseline', 'poll', 'fetch']);

function luccaCell(call: LuccaCall, fault: LuccaFault): LuccaCell {
  const id = `lucca/${call}/${fault}`;
  const once = { final: 'done' as const, appPosts: 1, exportsCreated: 1, attempts: 1 };
  if (call === 'trigger') {
    switch (fault) {
      case 'refused':
        return {
          id,
          service: 'lucca',
          call,
          fault,
          reachesLucca: false,
          handling: 'ask-again',
          expect: { ...once, appPosts: 2, waitedAtLeastMs: POST_RATE_LIMIT_BACKOFF_MS },
        };
      case '429':
        return {
          id,
          service: 'lucca',
          call,
          fault,
          reachesLucca: false,
          handling: 'ask-again',
          expect: {
            ...once,
            appPosts: 2,
            // Lucca's Retry-After is honoured (issue 12), not a fixed minute.
            waitedAtLeastMs: LUCCA_RETRY_AFTER_S * 1000,
          },
        };
      case '503':
        // A gateway that refuses before Lucca sees the POST: nothing is built, and the app cannot
        // know it (a 503 may also come after Lucca started), so it never posts again on its own.
        return {
          id,
          service: 'lucca',
          call,
          fault,
          reachesLucca: false,
          handling: 'stall-retry',
          expect: { ...once, appPosts: 2, attempts: 2 },
        };
      default:
        // Lucca got the POST and builds the export; the answer is lost, cut, or unreadable.
        return { id, service: 'lucca', call, fault, reachesLucca: true, handling: 'poll', expect: once };
    }
  }
  const malformed = fault === 'malformed-json' || fault === 'wrong-shape';
  if (call === 'download' && malformed) {
    return { id, service: 'lucca', call, fault, reachesLucca: false, handling: 'as-served', expect: once };
  }
  const stepLevel = fault === 'refused' || (malformed && GET_CALLS.has(call));
  return {
    id,
    service: 'lucca',
    call,
    fault,
    reachesLucca: false,
    handling: stepLevel ? 'step-retry' : 'client-retry',
    expect: fault === '429' ? { ...once, waitedAtLeastMs: LUCCA_RETRY_AFTER_S * 1000 } : once,
  };
}

const SLACK_SENTENCES: Record<
  'not_in_channel' | 'channel_not_found' | 'invalid_auth',
  { post: string; file: string }
> = {
  not_in_channel: { post: 'I am not a member of this channel', file: 'I am not a member of this channel' },
  channel_not_found: { post: 'I cannot see this channel', file: 'I cannot see this channel' },
  invalid_auth: {
    post: 'Slack token is no longer valid',
    file: "Slack refused the app's credentials \\(invalid_auth\\)",
  },
};

function slackCell(call: SlackCall, fault: SlackFault): SlackCell {
  const id = `slack/${call}/${fault}`;
  const done = { final: 'done' as const, appPosts: 1, exportsCreated: 1, attempts: 1 };
  // The Slack client retries a 500 three times (SLACK_RETRY): four in a row reach the app's own handling.
  // The upload POST is a plain fetch without retries: one failure reaches the engine.
  const times = fault === '500' && call !== 'upload-post' ? 4 : 1;
  const cell = (handling: Handling, expect: Expectation = done): SlackCell => ({
    id,
    service: 'slack',
    call,
    fault,
    times,
    handling,
    expect,
  });
  if (fault === '429') {
    // The Slack client waits out Retry-After and sends the call again; the upload URL is no Web API
    // method, so its 429 is the engine's to retry (from disk, with a fresh upload URL). chat.update
    // has a client of its own that does not wait (its pause would hold every other call back): the
    // notifier tries that parent update again after Retry-After.
    if (call === 'update') return cell('publish-later');
    return call === 'upload-post'
      ? cell('redeliver')
      : cell('client-retry', { ...done, waitedAtLeastMs: SLACK_RETRY_AFTER_S * 1000 });
  }
  if (call === 'upload-post') return cell('redeliver'); // the upload host answers HTTP statuses only
  if (fault === '500') {
    switch (call) {
      case 'post-parent':
        return cell('not-started', {
          final: 'not-started',
          appPosts: 0,
          exportsCreated: 0,
          attempts: 0,
          message: 'Slack did not accept the message just now',
        });
      case 'post-reply':
      case 'update':
        return cell('publish-later');
      default:
        return cell('redeliver');
    }
  }
  const sentence = SLACK_SENTENCES[fault];
  switch (call) {
    case 'post-parent':
      return cell('not-started', {
        final: 'not-started',
        appPosts: 0,
        exportsCreated: 0,
        attempts: 0,
        message: sentence.post,
      });
    case 'post-reply':
    case 'update':
      return cell(fault === 'invalid_auth' ? 'token-wait' : 'dropped');
    default:
      return cell('fail-then-retry', { ...done, message: sentence.file });
  }
}

const ONCE = { final: 'done' as const, appPosts: 1, exportsCreated: 1, attempts: 1 };

/** Hostile Lucca answers (issue #16, points 3, 5 and 6): each on the call where it was found. */
export const HOSTILE_CELLS: readonly LuccaCell[] = [
  {
    id: 'lucca/download/trickle',
    service: 'lucca',
    call: 'download',
    fault: 'trickle',
    reachesLucca: false,
    handling: 'step-retry',
    expect: ONCE,
  },
  {
    id: 'lucca/download/redirect-401',
    service: 'lucca',
    call: 'download',
    fault: 'redirect-401',
    reachesLucca: false,
    handling: 'step-retry',
    expect: ONCE,
  },
  {
    id: 'lucca/poll/html-page-twice',
    service: 'lucca',
    call: 'poll',
    fault: 'html-page-twice',
    reachesLucca: false,
    times: 2,
    handling: 'told-keeps-trying',
    expect: {
      ...ONCE,
      message:
        'Lucca gave the same unusable answer 2 times in a row: GET /api/v3/timmiexports: an HTML page \\(HTTP 200, text/html\\) titled "Maintenance"',
    },
  },
  {
    id: 'lucca/fetch/null-data-twice',
    service: 'lucca',
    call: 'fetch',
    fault: 'null-data-twice',
    reachesLucca: false,
    times: 2,
    handling: 'told-keeps-trying',
    expect: {
      ...ONCE,
      message:
        'Lucca gave the same unusable answer 2 times in a row: GET /api/v3/timmiexports/1: JSON of an unexpected shape \\(data: invalid_type\\)',
    },
  },
];

export const cells: readonly Cell[] = [
  ...LUCCA_CALLS.flatMap((call) => LUCCA_FAULTS.map((fault) => luccaCell(call, fault))),
  ...SLACK_CALLS.flatMap((call) => SLACK_FAULTS.map((fault) => slackCell(call, fault))),
  ...HOSTILE_CELLS,
];

// ── The document ──────────────────────────────────────────────────────────────────────────────────

const CALL_NAMES: Record<LuccaCall | SlackCall, string> = {
  baseline: 'baseline `GET /timmiexports?paging=0,1`',
  trigger: 'trigger `POST /timmiexports/run`',
  poll: 'poll `GET /timmiexports?id=greaterthan,…`',
  fetch: 'fetch `GET /timmiexports/{id}`',
  download: 'file download `GET <exportFiles.url>`',
  'post-parent': 'parent message `chat.postMessage`',
  'post-reply': 'thread reply `chat.postMessage`',
  update: 'parent update `chat.update`',
  'upload-url': '`files.getUploadURLExternal`',
  'upload-post': 'upload POST to `upload_url`',
  complete: '`files.completeUploadExternal`',
};

const FAULT_NAMES: Record<LuccaFault | SlackFault | HostileFault, string> = {
  refused: 'connection refused',
  'reset-mid-body': 'reset mid-body',
  timeout: 'timeout',
  '408': '408',
  '429': '429 + Retry-After',
  '500': '500',
  '502': '502',
  '503': '503',
  'malformed-json': 'malformed JSON',
  'wrong-shape': 'JSON of the wrong shape',
  not_in_channel: '`not_in_channel`',
  channel_not_found: '`channel_not_found`',
  invalid_auth: '`invalid_auth`',
  trickle: 'body trickled, one byte per 10 s',
  'redirect-401': 'redirected to another host, which answers 401',
  'html-page-twice': 'an HTML page instead of JSON, twice in a row',
  'null-data-twice': '`{"data":null}`, twice in a row',
};

const HOSTILE_HOW: Record<HostileFault, string> = {
  trickle:
    "the download's overall deadline (60 s, plus its size at 64 KiB/s) stops it after about a minute; the next try downloads it. Cancel stops a download at once.",
  'redirect-401':
    'the failure names the host that refused and says the API key is fine (it is never sent there); the next try fetches a fresh link.',
  'html-page-twice': 'the thread says what Lucca answers (an HTML page, its title) at the second one.',
  'null-data-twice':
    'the thread says what Lucca answers (JSON of an unexpected shape, where) at the second one.',
};

const SHORT: Record<Handling, string> = {
  'client-retry': 'retried by client',
  'step-retry': 'step retried',
  poll: 'polls, finds it',
  'ask-again': 'asked again later',
  'stall-retry': 'stall → Retry',
  'publish-later': 'published later',
  redeliver: 'redelivered from disk',
  'fail-then-retry': 'fails, Retry delivers',
  'not-started': 'not started, told why',
  dropped: 'dropped, logged',
  'token-wait': 'waits for a new token',
  'as-served': 'delivered as served',
  'told-keeps-trying': 'thread told, step retried',
};

const LEGEND: Record<Handling, string> = {
  'client-retry':
    "the Lucca client (GETs: 4 attempts, back-off honouring `Retry-After`, capped at 2 min) or Slack's WebClient (3 retries; waits out `Retry-After`) sends the same request again; the run never notices.",
  'step-retry':
    'the engine records a step error and does the step again after a back-off (5 s, doubling, at most 5 min; the run fails after 8 in a row with the client’s sentence and a Retry button).',
  poll: 'Lucca may have started the export, so the POST is never repeated: the app polls and finds the export (one POST, one export).',
  'ask-again':
    'the POST provably never reached Lucca (no connection, or 429 before any work), so the run takes a new baseline and posts again after at least a minute, or after a 429’s Retry-After (two POSTs sent, one export created).',
  'stall-retry':
    'nothing was created and the app cannot know it: it polls until `EXPORT_STALL_AFTER`, then the thread offers Retry; Retry looks once more, then makes one new attempt (one POST per attempt, one export, one file).',
  'publish-later':
    'the event stays in the SQLite outbox and is published on the next drain (10 s later; parent updates 5 s later, or after `Retry-After` on a 429, while thread replies and uploads go on); nothing is lost or repeated.',
  redeliver:
    'the delivery fails as retryable; the engine uploads again from the file already on disk (fresh upload URL, back-off 5 s doubling, at most 5 tries). Lucca is not asked again; the file is shared once.',
  'fail-then-retry':
    'the run fails with a sentence saying what to fix (invite the bot, reinstall the app) and a Retry button; Retry delivers the file from disk without asking Lucca again.',
  'not-started':
    'the parent message is posted before the run exists: when Slack refuses it, the person gets an ephemeral sentence saying what to do, no run is created and Lucca is never called.',
  dropped:
    'a progress message Slack refuses for good is dropped with a warning in the log; the run carries on and the file is delivered.',
  'token-wait':
    'Slack refused the bot token: logged once with the fix, /healthz answers 503, and the notifier stops calling Slack; the run carries on, its messages wait in the SQLite outbox and are posted once the token is replaced and the app restarted.',
  'as-served':
    'export files are opaque bytes to the app: a file body that happens to be broken JSON is delivered exactly as Lucca served it.',
  'told-keeps-trying':
    'the second identical unusable answer in a row is said in the thread at once, with what Lucca answers (method, path, status, what is wrong with it), once; the step is retried as usual and the run goes on.',
};

/** How each fault is produced, for the per-cell list. */
function injection(cell: Cell): string {
  if (cell.service === 'slack') {
    if (cell.call === 'upload-post') {
      return `upload host answers HTTP ${UPLOAD_STATUS[cell.fault]}`;
    }
    return cell.times > 1 ? `${cell.times} answers in a row` : 'one answer';
  }
  if (cell.fault === 'trickle') return 'first download: one byte every 10 s of the app clock';
  if (cell.fault === 'redirect-401') return 'first download: 302 to another origin, which answers 401';
  if (cell.times && cell.times > 1) return `${cell.times} answers in a row`;
  if (cell.fault === 'refused') return 'listener closed before the call';
  if (cell.fault === 'timeout') return cell.reachesLucca ? 'Lucca gets it, answer withheld' : 'no answer';
  if (cell.call === 'trigger')
    return cell.reachesLucca ? 'after Lucca took the POST' : 'before Lucca sees it';
  return 'once';
}

function outcomeSentence(cell: Cell): string {
  const e = cell.expect;
  const parts = [`**${SHORT[cell.handling]}**`];
  if (e.message) parts.push(`“${e.message.replace(/\\/g, '')}…”`);
  if (e.waitedAtLeastMs) parts.push(`waits ≥ ${e.waitedAtLeastMs / 1000} s`);
  parts.push(
    e.final === 'done'
      ? `done: ${e.appPosts} POST${e.appPosts === 1 ? '' : 's'} sent, ${e.exportsCreated} export, attempt ${e.attempts}, file shared once`
      : 'no run, Lucca never called',
  );
  return parts.join('; ');
}

function table(
  calls: readonly (LuccaCall | SlackCall)[],
  faults: readonly (LuccaFault | SlackFault)[],
): string {
  const header = `| call | ${faults.map((f) => FAULT_NAMES[f]).join(' | ')} |`;
  const rule = `|---|${faults.map(() => '---').join('|')}|`;
  const rows = calls.map((call) => {
    const row = faults.map((fault) => {
      const cell = cells.find((c) => c.call === call && c.fault === fault);
      if (!cell) throw new Error(`no cell for ${call} × ${fault}`);
      return SHORT[cell.handling];
    });
    return `| ${CALL_NAMES[call]} | ${row.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}

export const MATRIX_BEGIN =
  '<!-- fault-matrix:begin (generated by `npx tsx test/reliability/write-matrix.ts`; do not edit) -->';
export const MATRIX_END = '<!-- fault-matrix:end -->';

/** The generated part of docs/RELIABILITY.md, markers included. */
export function renderMatrix(): string {
  const lucca = cells.filter((c) => c.service === 'lucca').length;
  const slack = cells.filter((c) => c.service === 'slack').length;
  const lines = [
    MATRIX_BEGIN,
    '',
    `${cells.length} cells (${lucca} Lucca, ${slack} Slack), each run against the real app by`,
    '`test/reliability/fault-matrix.test.ts` and asserted: the outcome below, exactly that many POSTs and',
    'exports, the run’s final state, the file shared once with the bytes Lucca served, the thread told,',
    'and no secret in any log line or Slack message.',
    '',
    '### Lucca',
    '',
    table(LUCCA_CALLS, LUCCA_FAULTS),
    '',
    '### Slack',
    '',
    table(SLACK_CALLS, SLACK_FAULTS),
    '',
    '### Hostile Lucca answers',
    '',
    '| call | fault | outcome | how |',
    '|---|---|---|---|',
    ...HOSTILE_CELLS.map(
      (c) =>
        `| ${CALL_NAMES[c.call]} | ${FAULT_NAMES[c.fault]} | ${SHORT[c.handling]} | ${HOSTILE_HOW[c.fault as HostileFault]} |`,
    ),
    '',
    '### What each outcome means',
    '',
    ...(Object.keys(LEGEND) as Handling[]).map((h) => `- **${SHORT[h]}**: ${LEGEND[h]}`),
    '',
    '### Every cell',
    '',
    '| cell | fault injected | outcome asserted |',
    '|---|---|---|',
    ...cells.map((c) => `| \`${c.id}\` | ${injection(c)} | ${outcomeSentence(c)} |`),
    '',
    MATRIX_END,
  ];
  return lines.join('\n');
}

/** Replaces the generated part of the document (or appends it when absent). */
export function withMatrix(document: string): string {
  const begin = document.indexOf(MATRIX_BEGIN);
  const end = document.indexOf(MATRIX_END);
  if (begin === -1 || end === -1) return `${document.trimEnd()}\n\n${renderMatrix()}\n`;
  return document.slice(0, begin) + renderMatrix() + document.slice(end + MATRIX_END.length);
}
