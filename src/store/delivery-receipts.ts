import type Database from 'better-sqlite3';

/** Files a delivery target already received, per run and attempt (a new attempt delivers new files). */
export class DeliveryReceiptStore {
  private readonly selectNames: Database.Statement<[number, number], { file_name: string }>;
  private readonly insert: Database.Statement<[number, number, string, string, number]>;

  constructor(db: Database.Database) {
    this.selectNames = db.prepare('SELECT file_name FROM delivery_receipts WHERE run_id = ? AND attempt = ?');
    this.insert = db.prepare(
      `INSERT INTO delivery_receipts (run_id, attempt, file_name, reference, delivered_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (run_id, attempt, file_name) DO NOTHING`,
    );
  }

  delivered(runId: number, attempt: number): Set<string> {
    return new Set(this.selectNames.all(runId, attempt).map((row) => row.file_name));
  }

  record(runId: number, attempt: number, fileName: string, reference: string, now: number): void {
    this.insert.run(runId, attempt, fileName, reference, now);
  }
}
