import { sanitizeLuccaText } from '../lucca/lucca-text.js';
import type { ExportEntry, LuccaExport } from '../lucca/types.js';
import type { ExportSummary } from './types.js';
import { amountUnitOf } from './units.js';

/**
 * What the thread shows when the export arrives: how many people and entries, totals by time type and
 * unit. Units are in words (amountUnitOf), so hours sent as numbers and hours sent as timespans add up
 * on one line ("Heures supplémentaires: 34 hours", not "26.5 Duration" beside "7.5 Hour").
 */
export function summarizeExport(lucca: LuccaExport, entries: readonly ExportEntry[]): ExportSummary {
  const people = new Set<string>();
  const totals = new Map<string, { timeType: string; unit: string; amount: number }>();
  for (const entry of entries) {
    const owner = entry.owner;
    if (owner) {
      const key =
        owner.id !== null ? `id:${owner.id}` : `name:${owner.lastName ?? ''}\u0000${owner.firstName ?? ''}`;
      people.add(key);
    }
    if (entry.amount === null) continue;
    // Names are shown in the thread: one line each, as Lucca stores them (no newline, no bidi trick).
    // A nameless time type stays '': its words are the reader's language (i18n/names.ts timeTypeName).
    const timeType = sanitizeLuccaText(entry.timeType?.name ?? '');
    const unit = sanitizeLuccaText(amountUnitOf(entry));
    const key = `${timeType}\u0000${unit}`;
    const total = totals.get(key) ?? { timeType, unit, amount: 0 };
    total.amount += entry.amount;
    totals.set(key, total);
  }
  return {
    exportId: lucca.id,
    exportName: lucca.name === null ? null : sanitizeLuccaText(lucca.name),
    people: people.size,
    entries: entries.length,
    totals: [...totals.values()]
      .map((t) => ({ ...t, amount: Math.round(t.amount * 100) / 100 }))
      .sort((a, b) => b.amount - a.amount || a.timeType.localeCompare(b.timeType)),
  };
}
