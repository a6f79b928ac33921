import type Database from 'better-sqlite3';

/**
 * How long a handled interaction is remembered. Slack's signature is accepted for 5 minutes either
 * side of its timestamp (Bolt refuses older ones, the app refuses newer ones), so one signed request
 * can be replayed for up to 10 minutes after it was first handled.
 */
export const REPLAY_WINDOW_MS = 10 * 60_000;

/** Slack interactions (clicks, commands) already handled, shared by every process on the database. */
export class InteractionStore {
  private readonly firstTimeTx: (key: string, now: number) => boolean;

  constructor(db: Database.Database) {
    const forget = db.prepare<[number]>('DELETE FROM slack_interactions WHERE seen_at < ?');
    const insert = db.prepare<[string, number]>(
      'INSERT INTO slack_interactions (key, seen_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
    );
    const tx = db.transaction((key: string, now: number) => {
      forget.run(now - REPLAY_WINDOW_MS);
      return insert.run(key, now).changes === 1;
    });
    this.firstTimeTx = (key, now) => tx.immediate(key, now);
  }

  /** True the first time `key` is seen (and remembers it); false for a repeat within the window. */
  firstTime(key: string, now: number): boolean {
    return this.firstTimeTx(key, now);
  }
}
