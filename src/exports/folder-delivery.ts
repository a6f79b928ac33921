import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, copyFile, link, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Logger, silentLogger } from '../util/log.js';
import { DeliveryError } from './delivery.js';
import { uniqueFileName } from './file-names.js';
import type { DeliveryPort, Run } from './types.js';

/**
 * Delivery for runs without a Slack channel (the command line): the run's files are copied into a
 * folder. An existing file is never overwritten: the copy gets the next free `name (2).ext`, so a
 * payroll file someone already edited or sent is never replaced behind their back.
 */

/** The note line that names a run's output folder; the app process reads it when it delivers a CLI run. */
const FOLDER_NOTE = 'Output folder: ';

/** The `note` of a run whose files go to `folder` (absolute, so any process finds the same place). */
export function folderNote(folder: string): string {
  return `${FOLDER_NOTE}${path.resolve(folder)}`;
}

/** The folder a run's note names, or undefined (no note, another kind of note, or not an absolute path). */
export function folderFromNote(note: string | null | undefined): string | undefined {
  for (const line of (note ?? '').split('\n')) {
    if (!line.startsWith(FOLDER_NOTE)) continue;
    const folder = line.slice(FOLDER_NOTE.length).trim();
    if (path.isAbsolute(folder)) return folder;
  }
  return undefined;
}

export interface DeliveredFile {
  name: string;
  /** Absolute path of the copy. */
  path: string;
  bytes: number;
}

/**
 * Which files of a run (per attempt) a delivery already placed, kept across processes (the store's
 * DeliveryReceiptStore fits): a delivery retried after a partial copy, or finished by another
 * process, does not copy a file twice.
 */
export interface FolderReceipts {
  delivered(runId: number, attempt: number): ReadonlySet<string>;
  record(runId: number, attempt: number, fileName: string, reference: string, now: number): void;
}

export interface FolderDeliveryOptions {
  /** Where files go when the run's note names no folder. */
  defaultFolder: string;
  /** Durable receipts; without them, this process's memory only. */
  receipts?: FolderReceipts;
  now?: () => number;
  /** Called once a run's files are all in place (the CLI prints these paths). */
  onDelivered?: (run: Run, files: DeliveredFile[]) => void;
  logger?: Logger;
  /** Tries at `name (n).ext` before giving up; 1000 by default. */
  maxSuffix?: number;
}

const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'EISDIR']);

export class FolderDelivery implements DeliveryPort {
  private readonly logger: Logger;
  /** Copies made by this process, per run and attempt. */
  private readonly copied = new Map<string, Map<string, DeliveredFile>>();

  constructor(private readonly options: FolderDeliveryOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** The folder a run's files go to. */
  folderOf(run: Run): string {
    return folderFromNote(run.note) ?? path.resolve(this.options.defaultFolder);
  }

  async deliver(run: Run): Promise<void> {
    const folder = this.folderOf(run);
    try {
      // Payroll data: a folder we create is the user's alone.
      await mkdir(folder, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw folderError(folder, error);
    }
    const key = `${run.id}:${run.attempt}`;
    const mine = this.copied.get(key) ?? new Map<string, DeliveredFile>();
    this.copied.set(key, mine);
    const elsewhere = this.options.receipts?.delivered(run.id, run.attempt) ?? new Set<string>();
    const delivered: DeliveredFile[] = [];
    for (const file of run.files) {
      let copy = mine.get(file.name);
      if (!copy && elsewhere.has(file.name)) {
        // Placed by an earlier try in another process; its exact name is in the receipt, not here.
        copy = { name: file.name, path: path.join(folder, file.name), bytes: file.bytes };
      }
      if (!copy) {
        const target = await this.copyWithoutOverwrite(file.path, folder, file.name);
        copy = { name: path.basename(target), path: target, bytes: file.bytes };
        mine.set(file.name, copy);
        this.options.receipts?.record(
          run.id,
          run.attempt,
          file.name,
          target,
          (this.options.now ?? Date.now)(),
        );
        this.logger.info('export file copied', { runId: run.id, file: target });
      }
      delivered.push(copy);
    }
    this.options.onDelivered?.(run, delivered);
  }

  /**
   * Copies to a hidden temporary name, then hard-links it under the first free name: `link` fails
   * when the name exists, so two processes (or a person saving a file) can never be overwritten, and
   * a half-copied file never appears under the real name.
   */
  private async copyWithoutOverwrite(source: string, folder: string, name: string): Promise<string> {
    const temporary = path.join(folder, `.${name}.${randomUUID().slice(0, 8)}.partial`);
    try {
      await copyFile(source, temporary, constants.COPYFILE_EXCL);
      // Payroll data: readable by the user only, whatever the folder's or the source's mode.
      await chmod(temporary, 0o600);
    } catch (error) {
      await rm(temporary, { force: true });
      throw copyError(folder, source, error);
    }
    try {
      const taken = new Set<string>();
      const limit = this.options.maxSuffix ?? 1000;
      for (let tries = 0; tries < limit; tries++) {
        const target = path.join(folder, uniqueFileName(name, taken));
        try {
          await placeExclusively(temporary, target);
          return target;
        } catch (error) {
          if (codeOf(error) !== 'EEXIST') throw copyError(folder, source, error);
        }
      }
      throw new DeliveryError(
        'folder-full-of-copies',
        `${folder} already holds ${limit} files named like ${name}. Move some away and retry.`,
        { retryable: false },
      );
    } finally {
      await rm(temporary, { force: true });
    }
  }
}

/** `link` where the file system has hard links; elsewhere an exclusive copy (still never overwrites). */
async function placeExclusively(temporary: string, target: string): Promise<void> {
  try {
    await link(temporary, target);
  } catch (error) {
    const code = codeOf(error);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
    await copyFile(temporary, target, constants.COPYFILE_EXCL);
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function folderError(folder: string, error: unknown): DeliveryError {
  const code = codeOf(error) ?? 'error';
  return new DeliveryError(
    'folder-unwritable',
    `The export could not be saved: the folder ${folder} cannot be created or written to. Choose another folder or fix its permissions, then retry.`,
    { retryable: !NOT_WRITABLE.has(code), cause: error, detail: code },
  );
}

function copyError(folder: string, source: string, error: unknown): DeliveryError {
  const code = codeOf(error) ?? 'error';
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new DeliveryError(
      'disk-full',
      `The export could not be saved: the disk holding ${folder} is full. Free some space, then retry.`,
      { retryable: true, cause: error, detail: code },
    );
  }
  if (code === 'ENOENT') {
    // The run's file or the folder vanished meanwhile (a clean-up): the next try recreates the folder,
    // and the engine fetches a missing run file again before delivering.
    return new DeliveryError('file-missing', `The export could not be copied to ${folder}; trying again.`, {
      retryable: true,
      cause: error,
      detail: `${code}: ${path.basename(source)}`,
    });
  }
  return folderError(folder, error);
}
