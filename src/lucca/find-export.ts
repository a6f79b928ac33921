import type { ExportRef, FoundExport } from './types.js';

/** Clocks differ: an export stamped a little before our POST may still be ours. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Someone may export the same configuration from Lucca's UI while we wait (DESIGN §1.3): only an
 * export with our end date counts, and the oldest such one is the one our POST created. The id is
 * checked against the baseline here too, so a Lucca that ignored `id=greaterthan` could not make
 * us deliver an old export.
 *
 * The guide's own poll selects only `id,createdAt` and says nothing of endsAt's form in lists. An item
 * without an end date the app can read (normaliseEndsAt) is not ignored — that would leave the run
 * waiting an hour for nothing — but taken on what is there: newer than the baseline and, when its
 * createdAt carries an offset, created after our POST (a floating createdAt, FACTS.md, cannot be
 * compared with our clock and is not used). Such a match counts only when no item matches by endsAt.
 */
export function findOurExport(
  candidates: readonly (ExportRef | null)[],
  baselineId: number,
  endsAt: string,
  createdAfter?: number,
): FoundExport | null {
  let byEndsAt: ExportRef | null = null;
  let byTime: ExportRef | null = null;
  for (const candidate of candidates) {
    if (!candidate || candidate.id <= baselineId) continue;
    if (candidate.endsAt !== null) {
      if (candidate.endsAt === endsAt && (!byEndsAt || candidate.id < byEndsAt.id)) byEndsAt = candidate;
      continue;
    }
    if (!createdAfterOurPost(candidate.createdAt, createdAfter)) continue;
    if (!byTime || candidate.id < byTime.id) byTime = candidate;
  }
  if (byEndsAt) return { ...byEndsAt, matchedBy: 'endsAt' };
  return byTime ? { ...byTime, matchedBy: 'id-and-time' } : null;
}

/** True unless createdAt is an instant (with Z or an offset) clearly before `after`. */
function createdAfterOurPost(createdAt: string | null, after: number | undefined): boolean {
  if (after === undefined || !createdAt || !/(Z|[+-]\d{2}:?\d{2})$/.test(createdAt.trim())) return true;
  const at = Date.parse(createdAt);
  return Number.isNaN(at) || at >= after - CLOCK_SKEW_MS;
}

/** Whether any item of a poll answer lacked an end date the app can read (worth one warning). */
export function lacksReadableEndsAt(candidates: readonly ExportRef[]): ExportRef | undefined {
  return candidates.find((c) => c.endsAt === null);
}
