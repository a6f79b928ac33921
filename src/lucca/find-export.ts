import type { ExportRef } from './types.js';

/**
 * Someone may export the same configuration from Lucca's UI while we wait (DESIGN §1.3): only an
 * export with our end date counts, and the oldest such one is the one our POST created. The id is
 * checked against the baseline here too, so a Lucca that ignored `id=greaterthan` could not make
 * us deliver an old export.
 */
export function findOurExport(
  candidates: readonly (ExportRef | null)[],
  baselineId: number,
  endsAt: string,
): ExportRef | null {
  let best: ExportRef | null = null;
  for (const candidate of candidates) {
    if (!candidate || candidate.id <= baselineId || candidate.endsAt !== endsAt) continue;
    if (!best || candidate.id < best.id) best = candidate;
  }
  return best;
}
