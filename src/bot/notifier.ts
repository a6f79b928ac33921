import type { WebClient } from '@slack/web-api';
import { FINAL_STATES } from '../exports/run-states.js';
import type { Run, RunEvent, RunState } from '../exports/types.js';
import type { Language } from '../i18n/language.js';
import { type Clock, systemClock } from '../util/clock.js';
import { describeError, type Logger, silentLogger } from '../util/log.js';
import { workerId } from '../util/worker-id.js';
import { eventReply, parentNote } from './messages/event-reply.js';
import { escapeMrkdwn } from './messages/format.js';
import { runParentMessage } from './messages/run-message.js';
import { type OutgoingMessage, sendWithPlainFallback } from './plain-fallback.js';
import { classifySlackError, type SlackTokenHealth, slackErrorCode } from './slack-errors.js';

/** What the notifier reads and writes (src/store/outbox.ts in SQLite): run_events is the outbox. */
export interface OutboxStore {
  /** Oldest first. */
  unpublishedEvents(limit: number): RunEvent[];
  markPublished(eventIds: number[], now: number): void;
  /**
   * Takes or renews the turn to publish until `now + ttlMs`; false while another process has it, so
   * that two processes on one database never post the same reply twice.
   */
  takeOutboxTurn(holder: string, now: number, ttlMs: number): boolean;
  endOutboxTurn(holder: string): void;
  get(runId: number): Run | undefined;
  eventsOf(runId: number): RunEvent[];
  setThread(runId: number, channelId: string, threadTs: string): void;
}

export interface NotifierOptions {
  store: OutboxStore;
  client: WebClient;
  /**
   * For chat.update only, built with `rejectRateLimitedCalls`. Slack rate-limits per method
   * (https://docs.slack.dev/apis/web-api/rate-limits: "per API method per workspace/team per app"),
   * but the WebClient answers a 429 by pausing its whole queue for Retry-After: one rate-limited
   * chat.update held back every thread reply and upload. Parent updates wait on their own instead.
   */
  updateClient?: WebClient;
  /** False for channels outside ALLOWED_CHANNELS: nothing is posted there. */
  channelAllowed: (channelId: string) => boolean;
  stallAfterMs: number;
  /** APP_LANGUAGE: everyone in the channel reads the parent and its thread. */
  language: Language;
  /** SCHEDULE_TIMEZONE, to tell a preview of an unfinished period (UTC when not given). */
  timezone?: string;
  clock?: Clock;
  logger?: Logger;
  /** Slack's chat.update is Tier 3 (~50/min per workspace): parent updates are coalesced. */
  minParentUpdateMs?: number;
  /** How long a non-final status change waits for the next one, so that a burst costs one update. 3 s. */
  settleMs?: number;
  /** Names this process's turns at the outbox; unique per process. */
  workerId?: string;
  /**
   * How long a turn at the outbox lasts unless renewed (before each event), so that a crashed
   * holder's runs out; 30 s by default, like the engine's leases.
   */
  turnMs?: number;
  /**
   * Told when Slack refuses the bot token: the notifier then stops calling Slack (events stay in the
   * outbox) until the token is replaced and the app restarted, instead of retrying every 10 s for ever.
   */
  tokenHealth?: SlackTokenHealth;
}

/** Another process is publishing: look again this soon (it ends its turn once the outbox is empty). */
const TURN_TAKEN_RETRY_MS = 1_000;

// Events after which the parent's status line is out of date.
const PARENT_EVENTS = new Set<RunEvent['type']>([
  'requested',
  'started',
  'triggered',
  'trigger-pending',
  'found',
  'fetched',
  'delivered',
  'delivery-failed',
  'stalled',
  'failed',
  'retried',
  'cancelled',
  'resumed',
]);
/**
 * States a run stays in for a while (finished, or stalled and only looked at once every
 * EXPORT_POLL_MAX): no next change is coming to share an update with, so the parent shows them at once.
 */
const RESTING_STATES: ReadonlySet<RunState> = new Set<RunState>([...FINAL_STATES, 'stalled']);
/** Changes a person just caused or is waiting for: the parent shows them at once. */
const PROMPT_EVENTS = new Set<RunEvent['type']>(['requested', 'retried', 'cancelled', 'resumed']);

type Outcome = 'done' | 'retry-later' | 'token-refused';

/**
 * Turns the engine's events into Slack messages: a parent message per run kept current with
 * chat.update (coalesced), milestones as thread replies. Reads the outbox in order and marks each
 * event published once handled, so a restart neither loses nor repeats a milestone (at most the one
 * in flight at the crash is repeated).
 */
export class Notifier {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly minParentUpdateMs: number;
  private readonly settleMs: number;
  private draining: Promise<void> | undefined;
  private again = false;
  private wakeQueued = false;
  private readonly lastParentUpdate = new Map<number, number>();
  private readonly deferred = new Map<number, AbortController>();
  private retryTimer: AbortController | undefined;
  private stopped = false;
  private readonly workerId: string;

  constructor(private readonly options: NotifierOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.minParentUpdateMs = options.minParentUpdateMs ?? 20_000;
    this.settleMs = options.settleMs ?? 3_000;
    this.workerId = options.workerId ?? workerId();
  }

  /** Asks for a drain soon; many wakes coalesce into one drain. */
  wake(): void {
    if (this.stopped || this.wakeQueued) return;
    // Deferred: the engine wakes us from inside a transaction's caller, which may have more to write
    // before the outbox is read.
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      if (!this.stopped) void this.drain();
    });
  }

  /** Publishes every pending event; resolves when the outbox is empty or Slack asked us to wait. */
  drain(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    const drainAll = async () => {
      do {
        if (this.options.tokenHealth?.problem()) return;
        this.again = false;
        if (!this.takeTurn()) return;
        try {
          await this.drainOnce();
        } catch (error) {
          // The database (another process holding its lock) or a bug: the outbox keeps the events.
          this.logger.warn('cannot publish run events now; trying again shortly', describeError(error));
          this.scheduleRetry(TURN_TAKEN_RETRY_MS);
          return;
        } finally {
          this.endTurn();
        }
      } while (this.again && !this.stopped);
    };
    // Cleared in a callback, never inline: drainAll can end synchronously (turn not taken), before
    // `this.draining` is even assigned, and would leave it set for ever.
    this.draining = drainAll().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.deferred.values()) timer.abort();
    this.deferred.clear();
    this.retryTimer?.abort();
    await this.draining;
  }

  /** Brings a run's parent message up to date now (used after a button click). */
  async refreshParent(runId: number): Promise<void> {
    const run = this.options.store.get(runId);
    if (run) await this.updateParent(run);
  }

  private async drainOnce(): Promise<void> {
    const { store } = this.options;
    for (;;) {
      const events = store.unpublishedEvents(50);
      if (events.length === 0) return;
      const dirty = new Map<number, boolean>();
      for (const event of events) {
        if (this.stopped || !this.takeTurn()) return;
        const outcome = await this.publish(event, dirty);
        if (outcome === 'token-refused') return; // the event stays in the outbox for after the restart
        if (outcome === 'retry-later') {
          await this.flushParents(dirty);
          this.scheduleRetry();
          return;
        }
        store.markPublished([event.id], this.clock.now());
      }
      await this.flushParents(dirty);
    }
  }

  private async publish(event: RunEvent, dirty: Map<number, boolean>): Promise<Outcome> {
    const run = this.options.store.get(event.runId);
    if (!run?.channelId) return 'done'; // a CLI run: nobody to tell in Slack
    if (!this.options.channelAllowed(run.channelId)) {
      this.logger.warn('not posting outside ALLOWED_CHANNELS', { runId: run.id, channel: run.channelId });
      return 'done';
    }
    try {
      if (!run.threadTs) {
        await this.postParent(run);
      } else if (PARENT_EVENTS.has(event.type)) {
        dirty.set(run.id, (dirty.get(run.id) ?? false) || PROMPT_EVENTS.has(event.type));
      }
      const current = this.options.store.get(run.id) ?? run;
      const message = eventReply(event, current, this.options.language);
      const threadTs = current.threadTs;
      if (message && threadTs) {
        await this.send(run, message, (m) =>
          this.options.client.chat.postMessage({
            channel: run.channelId!,
            thread_ts: threadTs,
            text: m.text,
            ...(m.blocks ? { blocks: m.blocks } : {}),
            unfurl_links: false,
          }),
        );
      }
      return 'done';
    } catch (error) {
      return this.handleSlackError(error, run);
    }
  }

  private async postParent(run: Run): Promise<void> {
    const message = runParentMessage(run, {
      stallAfterMs: this.options.stallAfterMs,
      language: this.options.language,
      timezone: this.options.timezone,
      note: this.noteFor(run),
    });
    const posted = await this.send(run, message, (m) =>
      this.options.client.chat.postMessage({
        channel: run.channelId!,
        text: m.text,
        ...(m.blocks ? { blocks: m.blocks } : {}),
        unfurl_links: false,
      }),
    );
    if (posted.ts) {
      this.options.store.setThread(run.id, run.channelId!, posted.ts);
      this.lastParentUpdate.set(run.id, this.clock.now());
    }
  }

  /** `dirty`: run id → whether a person is waiting to see the change (else it may settle first). */
  private async flushParents(dirty: Map<number, boolean>): Promise<void> {
    for (const [runId, prompt] of dirty) {
      const run = this.options.store.get(runId);
      if (!run) continue;
      if (!prompt && !RESTING_STATES.has(run.state)) {
        // A run often moves through several states within seconds (found → fetched → delivering →
        // done): wait a moment so that one update covers them all, and keep Tier 3's budget.
        const last = this.lastParentUpdate.get(runId) ?? 0;
        this.deferParent(runId, Math.max(last + this.minParentUpdateMs - this.clock.now(), this.settleMs));
        continue;
      }
      try {
        await this.updateParent(run);
      } catch (error) {
        if (this.handleSlackError(error, run) === 'retry-later') this.deferParent(runId, retryDelayOf(error));
      }
    }
  }

  private deferParent(runId: number, ms: number): void {
    if (this.deferred.has(runId) || this.stopped) return;
    const timer = new AbortController();
    this.deferred.set(runId, timer);
    void this.clock.sleep(ms, timer.signal).then(() => {
      if (timer.signal.aborted) return;
      this.deferred.delete(runId);
      this.refreshParent(runId).catch((error) => {
        if (this.handleSlackError(error, undefined) === 'retry-later')
          this.deferParent(runId, retryDelayOf(error));
      });
    });
  }

  private async updateParent(run: Run): Promise<void> {
    if (!run.channelId || !run.threadTs || !this.options.channelAllowed(run.channelId)) return;
    this.deferred.get(run.id)?.abort();
    this.deferred.delete(run.id);
    const message = runParentMessage(run, {
      stallAfterMs: this.options.stallAfterMs,
      language: this.options.language,
      timezone: this.options.timezone,
      note: this.noteFor(run),
    });
    this.lastParentUpdate.set(run.id, this.clock.now());
    const { channelId, threadTs } = run;
    // Parent updates go through their own client, which fails a rate-limited call at once instead of
    // pausing the shared queue (thread replies and uploads keep moving).
    const updater = this.options.updateClient ?? this.options.client;
    await this.send(run, message, (m) =>
      // An empty list removes the old blocks; without one, chat.update keeps them.
      updater.chat.update({
        channel: channelId,
        ts: threadTs,
        text: m.text,
        blocks: m.blocks ?? [],
      }),
    );
  }

  /** Sends a run message; one Slack refuses for its blocks goes again as plain text (and is logged). */
  private send<T>(
    run: Run,
    message: OutgoingMessage,
    call: (message: OutgoingMessage) => Promise<T>,
  ): Promise<T> {
    return sendWithPlainFallback(message, call, (slackError) =>
      this.logger.error('Slack refused a run message for its blocks; sent it again as plain text', {
        runId: run.id,
        channel: run.channelId,
        slackError,
      }),
    );
  }

  /**
   * The last thing a person did to the run, from the audit log (survives restarts); else the run's own
   * note (a schedule caught up late, a run started from App Home).
   */
  private noteFor(run: Run): string | undefined {
    const events = this.options.store.eventsOf(run.id);
    for (let i = events.length - 1; i >= 0; i--) {
      const note = parentNote(events[i]!, this.options.language);
      if (note) return note;
    }
    return run.note ? escapeMrkdwn(run.note) : undefined;
  }

  private handleSlackError(error: unknown, run: Run | undefined): Outcome {
    const code = slackErrorCode(error);
    const kind = classifySlackError(error);
    if (kind === 'auth' && this.options.tokenHealth) {
      this.options.tokenHealth.report(code ?? 'invalid_auth');
      return 'token-refused';
    }
    if (kind === 'permanent' || kind === 'auth') {
      this.logger.warn('Slack refused a run message; it is dropped', {
        runId: run?.id,
        channel: run?.channelId,
        slackError: code,
      });
      return 'done';
    }
    this.logger.warn('Slack call failed; will try again', { runId: run?.id, ...describeError(error) });
    return 'retry-later';
  }

  /**
   * Takes or renews this process's turn at the outbox. Two processes on one database (a double deploy)
   * would otherwise both read the same unpublished events and post every reply twice.
   */
  private takeTurn(): boolean {
    const { store } = this.options;
    let taken = false;
    try {
      taken = store.takeOutboxTurn(this.workerId, this.clock.now(), this.options.turnMs ?? 30_000);
    } catch (error) {
      this.logger.warn('cannot take a turn at the outbox', describeError(error));
    }
    if (!taken) this.scheduleRetry(TURN_TAKEN_RETRY_MS);
    return taken;
  }

  private endTurn(): void {
    try {
      this.options.store.endOutboxTurn(this.workerId);
    } catch (error) {
      this.logger.warn('cannot end the turn at the outbox', describeError(error));
    }
  }

  private scheduleRetry(ms = 10_000): void {
    if (this.retryTimer || this.stopped) return;
    const timer = new AbortController();
    this.retryTimer = timer;
    void this.clock.sleep(ms, timer.signal).then(() => {
      this.retryTimer = undefined;
      if (!timer.signal.aborted) this.wake();
    });
  }
}

/** How long to wait before trying a parent update again: Slack's Retry-After on a 429, else 5 s. */
function retryDelayOf(error: unknown): number {
  const retryAfter = (error as { retryAfter?: unknown } | undefined)?.retryAfter;
  return typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter * 1000 : 5_000;
}
