import type Database from 'better-sqlite3';
import type { Run, RunEvent } from '../exports/types.js';
import { eventFromRow, type RunEventRow } from './run-rows.js';
import type { RunStore } from './run-store.js';

/**
 * The bot's outbox in SQLite: run events not yet published, and the turn that lets one process at a
 * time publish them. The events themselves are written by RunStore, in the same transaction as the
 * change they describe; this reads them back in order and marks them once told. It implements the
 * notifier's OutboxStore (by shape: the store knows nothing of Slack), with the run reads the
 * notifier needs to word its messages.
 */
export class Outbox {
  private readonly statements;
  private readonly markPublishedTx;

  constructor(
    db: Database.Database,
    private readonly runs: RunStore,
  ) {
    const s = {
      unpublished: db.prepare<[number], RunEventRow>(
        'SELECT * FROM run_events WHERE published_at IS NULL ORDER BY id LIMIT ?',
      ),
      takeTurn: db.prepare<{ holder: string; until: number; now: number }>(
        `INSERT INTO outbox_turn (id, holder, until) VALUES (1, @holder, @until)
         ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, until = excluded.until
         WHERE outbox_turn.holder = excluded.holder OR outbox_turn.until <= @now`,
      ),
      endTurn: db.prepare<[string]>('DELETE FROM outbox_turn WHERE holder = ?'),
      markPublished: db.prepare<[number, number]>(
        'UPDATE run_events SET published_at = ? WHERE id = ? AND published_at IS NULL',
      ),
    };
    this.statements = s;
    this.markPublishedTx = db.transaction((ids: readonly number[], now: number) => {
      let changed = 0;
      for (const id of ids) changed += s.markPublished.run(now, id).changes;
      return changed;
    });
  }

  /** Oldest first. */
  unpublishedEvents(limit: number): RunEvent[] {
    return this.statements.unpublished.all(limit).map(eventFromRow);
  }

  /** Returns how many events were newly marked (already published ones are left as they were). */
  markPublished(eventIds: readonly number[], now: number): number {
    if (eventIds.length === 0) return 0;
    return this.markPublishedTx.immediate(eventIds, now);
  }

  /**
   * Takes (or extends) the turn to publish the outbox until `now + ttlMs`. False while another process
   * has it: the outbox is published by one process at a time, in order.
   */
  takeOutboxTurn(holder: string, now: number, ttlMs: number): boolean {
    return this.statements.takeTurn.run({ holder, until: now + ttlMs, now }).changes > 0;
  }

  endOutboxTurn(holder: string): void {
    this.statements.endTurn.run(holder);
  }

  get(runId: number): Run | undefined {
    return this.runs.get(runId);
  }

  eventsOf(runId: number): RunEvent[] {
    return this.runs.eventsOf(runId);
  }

  setThread(runId: number, channelId: string, threadTs: string): void {
    this.runs.setThread(runId, channelId, threadTs);
  }
}
