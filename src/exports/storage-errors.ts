import { AppError } from '../errors.js';

/** Node's error codes for a disk that has no room left (a full file system, a quota, a size limit). */
const FULL: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
/** …and for a folder the app may not or cannot write in. */
const UNWRITABLE: ReadonlySet<string> = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOTDIR',
  'EISDIR',
  'EEXIST',
  'ELOOP',
  'ENAMETOOLONG',
]);

/**
 * Saving an export file failed on the app's own disk. Asking Lucca again cannot mend that, so the run
 * fails at once, saying what an admin must fix; Retry then fetches the finished export again.
 */
export class ExportStorageError extends AppError {
  declare readonly code: 'disk-full' | 'files-dir-unwritable';
}

export function storageErrorOf(error: unknown, folder: string): ExportStorageError | undefined {
  if (error instanceof AppError) return undefined;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  // The folder is in the log (detail), not in Slack: people there need the variable's name.
  const detail = `${code} in ${folder}`;
  if (FULL.has(code)) {
    return new ExportStorageError(
      'disk-full',
      "The app's disk is full: the export file could not be saved in the EXPORT_FILES_DIR folder. Ask your admin to free some space there, then press Retry (Lucca does not build the export again).",
      { cause: error, detail, facts: { systemCode: code } },
    );
  }
  if (UNWRITABLE.has(code)) {
    return new ExportStorageError(
      'files-dir-unwritable',
      `The app cannot save export files in the EXPORT_FILES_DIR folder (${code}). Ask your admin to make it a folder the app's user can write to, then press Retry (Lucca does not build the export again).`,
      { cause: error, detail, facts: { systemCode: code } },
    );
  }
  return undefined;
}

export function isStorageProblem(error: unknown): error is ExportStorageError {
  return error instanceof ExportStorageError;
}
