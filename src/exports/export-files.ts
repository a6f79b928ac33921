import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Language } from '../i18n/language.js';
import type { ExportEntry, LuccaApi, LuccaExport } from '../lucca/types.js';
import type { Logger } from '../util/log.js';
import { writeEntriesCsv } from './csv.js';
import { type FileNameContext, luccaFileName, renderedCsvName } from './delivered-file-name.js';
import { uniqueFileName } from './file-names.js';
import { isUnobtainableFile } from './step-errors.js';
import { storageErrorOf } from './storage-errors.js';
import type { StoredFile } from './types.js';

export interface SkippedFile {
  name: string;
  code: string;
}

/** The folder holding one run's files. */
export function runFolder(filesDir: string, runId: number): string {
  return path.resolve(filesDir, `run-${runId}`);
}

/**
 * Puts the export's files in the run's folder: each file Lucca lists with a URL is downloaded under
 * a sanitised, unique name that says what it holds (`payroll-2026-11_…`, see delivered-file-name.ts);
 * when none could be had, the entries (`loadEntries`, asked of Lucca only then) are rendered to a CSV
 * instead (`payroll-2026-11.csv`). A file Lucca lists without a usable link is reported as skipped
 * (`no-link`), so the thread says why the CSV made by the app was sent.
 * Starts from an empty folder so that doing it again after a crash gives the same result.
 * Transient download errors are thrown (the step is retried); files Lucca will not hand over are
 * skipped and reported; a failure of the app's own disk is thrown as an ExportStorageError.
 * `signal` (the run's) stops a download under way when the run is cancelled.
 */
export async function storeExportFiles(
  lucca: LuccaApi,
  details: LuccaExport,
  folder: string,
  logger: Logger,
  naming: FileNameContext,
  loadEntries: () => Promise<readonly ExportEntry[]>,
  signal?: AbortSignal,
  language: Language = 'en',
): Promise<{ files: StoredFile[]; skipped: SkippedFile[] }> {
  try {
    return await writeExportFiles(lucca, details, folder, logger, naming, loadEntries, signal, language);
  } catch (error) {
    throw storageErrorOf(error, folder) ?? error;
  }
}

async function writeExportFiles(
  lucca: LuccaApi,
  details: LuccaExport,
  folder: string,
  logger: Logger,
  naming: FileNameContext,
  loadEntries: () => Promise<readonly ExportEntry[]>,
  signal: AbortSignal | undefined,
  language: Language,
): Promise<{ files: StoredFile[]; skipped: SkippedFile[] }> {
  await rm(folder, { recursive: true, force: true });
  // Payroll data: the folder is the app user's alone.
  await mkdir(folder, { recursive: true, mode: 0o700 });

  const taken = new Set<string>();
  const files: StoredFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const [index, file] of details.exportFiles.entries()) {
    const name = uniqueFileName(luccaFileName(naming, file.name, index), taken);
    if (!file.url) {
      skipped.push({ name, code: 'no-link' });
      continue;
    }
    const destination = path.join(folder, name);
    try {
      const { bytes } = await lucca.downloadFile(file.url, destination, signal ? { signal } : {});
      files.push({ name, path: destination, bytes, origin: 'lucca' });
    } catch (error) {
      if (!isUnobtainableFile(error)) throw error;
      logger.warn('export file skipped', { exportId: details.id, file: name, code: error.code });
      skipped.push({ name, code: error.code });
    }
  }

  if (files.length === 0) {
    const name = uniqueFileName(renderedCsvName(naming), taken);
    const destination = path.join(folder, name);
    // Streamed to disk: 200 000 entries rendered as one string cost +160 MB (bench/memory.ts).
    const bytes = await writeEntriesCsv(await loadEntries(), destination, { mode: 0o600, language });
    files.push({ name, path: destination, bytes, origin: 'csv' });
  }
  return { files, skipped };
}
