import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { DeliveryError } from '../../src/exports/delivery.js';
import {
  type DeliveredFile,
  FolderDelivery,
  type FolderReceipts,
  folderFromNote,
  folderNote,
} from '../../src/exports/folder-delivery.js';
import type { Run, StoredFile } from '../../src/exports/types.js';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'folder-delivery-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A run whose files sit in its own folder, as the engine leaves them before delivery. */
function runWithFiles(dir: string, files: Record<string, string>, patch: Partial<Run> = {}): Run {
  const folder = path.join(dir, 'files', 'run-7');
  mkdirSync(folder, { recursive: true });
  const stored: StoredFile[] = Object.entries(files).map(([name, content]) => {
    writeFileSync(path.join(folder, name), content);
    return { name, path: path.join(folder, name), bytes: Buffer.byteLength(content), origin: 'lucca' };
  });
  return {
    id: 7,
    configurationId: 3,
    configurationLabel: 'payroll',
    endsAt: '2026-12-01',
    state: 'delivering',
    attempt: 1,
    baselineId: 0,
    exportId: 12,
    triggeredAt: 0,
    nextAt: 0,
    lockedBy: null,
    lockedUntil: null,
    errorCode: null,
    errorMessage: null,
    requestedBy: 'cli:ana',
    source: 'cli',
    channelId: null,
    threadTs: null,
    scheduleId: null,
    files: stored,
    summary: null,
    deliveryAttempts: 0,
    polls: 0,
    createdAt: 0,
    updatedAt: 0,
    finishedAt: null,
    note: null,
    ...patch,
  };
}

function memoryReceipts(): FolderReceipts & { rows: string[] } {
  const rows: string[] = [];
  return {
    rows,
    delivered: (runId, attempt) =>
      new Set(rows.filter((row) => row.startsWith(`${runId}:${attempt}:`)).map((row) => row.split(':')[2]!)),
    record: (runId, attempt, fileName) => void rows.push(`${runId}:${attempt}:${fileName}`),
  };
}

describe('FolderDelivery', () => {
  it('copies the files into the folder named in the note and reports where they are', async (t) => {
    const dir = tempDir(t);
    const out = path.join(dir, 'out');
    const run = runWithFiles(dir, { 'paie.csv': 'Nom;Heures\nMüller;7,5\n' }, { note: folderNote(out) });
    let reported: DeliveredFile[] = [];
    await new FolderDelivery({
      defaultFolder: path.join(dir, 'elsewhere'),
      onDelivered: (_, files) => (reported = files),
    }).deliver(run);

    assert.equal(readFileSync(path.join(out, 'paie.csv'), 'utf8'), 'Nom;Heures\nMüller;7,5\n');
    assert.deepEqual(reported, [
      { name: 'paie.csv', path: path.join(out, 'paie.csv'), bytes: run.files[0]!.bytes },
    ]);
    assert.equal(statSync(path.join(out, 'paie.csv')).mode & 0o777, 0o600, 'payroll data: owner only');
    assert.deepEqual(readdirSync(out), ['paie.csv'], 'no temporary file left behind');
  });

  it('never overwrites an existing file: the copy gets the next free name', async (t) => {
    const dir = tempDir(t);
    const out = path.join(dir, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'paie.csv'), 'edited by hand');
    writeFileSync(path.join(out, 'paie (2).csv'), 'an older copy');
    const run = runWithFiles(dir, { 'paie.csv': 'new export' }, { note: folderNote(out) });
    let reported: DeliveredFile[] = [];
    await new FolderDelivery({ defaultFolder: out, onDelivered: (_, files) => (reported = files) }).deliver(
      run,
    );

    assert.equal(readFileSync(path.join(out, 'paie.csv'), 'utf8'), 'edited by hand');
    assert.equal(readFileSync(path.join(out, 'paie (2).csv'), 'utf8'), 'an older copy');
    assert.equal(readFileSync(path.join(out, 'paie (3).csv'), 'utf8'), 'new export');
    assert.equal(reported[0]!.path, path.join(out, 'paie (3).csv'));
  });

  it('a delivery tried again after a partial copy does not copy the first file twice', async (t) => {
    const dir = tempDir(t);
    const out = path.join(dir, 'out');
    const run = runWithFiles(dir, { 'a.csv': 'a', 'b.csv': 'b' }, { note: folderNote(out) });
    const receipts = memoryReceipts();
    const vanished = {
      ...run,
      files: [run.files[0]!, { ...run.files[1]!, path: path.join(dir, 'gone.csv') }],
    };
    const delivery = new FolderDelivery({ defaultFolder: out, receipts });

    await assert.rejects(delivery.deliver(vanished), (error) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.retryable, true);
      return true;
    });
    // A fresh process (no memory of the first try) finishes the job from the receipts.
    await new FolderDelivery({ defaultFolder: out, receipts }).deliver(run);
    assert.deepEqual(readdirSync(out).sort(), ['a.csv', 'b.csv']);
    assert.deepEqual(receipts.rows, ['7:1:a.csv', '7:1:b.csv']);
  });

  it('a folder that cannot be created fails without retrying, naming the folder', async (t) => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'not-a-folder'), '');
    const out = path.join(dir, 'not-a-folder', 'out');
    const run = runWithFiles(dir, { 'a.csv': 'a' }, { note: folderNote(out) });
    await assert.rejects(new FolderDelivery({ defaultFolder: out }).deliver(run), (error) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.code, 'folder-unwritable');
      assert.equal(error.retryable, false);
      assert.ok(error.userMessage.includes(out));
      return true;
    });
  });

  it('without a folder in the note, files go to the default folder', async (t) => {
    const dir = tempDir(t);
    const run = runWithFiles(dir, { 'a.csv': 'a' }, { note: 'Started from App Home by <@U1>' });
    await new FolderDelivery({ defaultFolder: path.join(dir, 'delivered') }).deliver(run);
    assert.deepEqual(readdirSync(path.join(dir, 'delivered')), ['a.csv']);
  });
});

describe('folder notes', () => {
  it('round-trip an absolute folder and ignore other notes or relative paths', () => {
    assert.equal(folderFromNote(folderNote('/srv/exports')), '/srv/exports');
    assert.equal(folderFromNote(`Something else\n${folderNote('/srv/x')}`), '/srv/x');
    assert.equal(folderFromNote('Output folder: ../../etc'), undefined);
    assert.equal(folderFromNote(null), undefined);
    assert.ok(path.isAbsolute(folderFromNote(folderNote('relative/out'))!));
  });
});
