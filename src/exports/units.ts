import type { ExportEntry } from '../lucca/types.js';

/*
 * Lucca's unit names are not documented publicly. Seen in threads: `Hour`, `Hours` and `Duration`
 * (the latter beside timespans such as `1.02:30:00`, Lucca's `d.hh:mm:ss`, FACTS.md). Timespans are
 * converted to hours when read (lucca/amount.ts), so they are hours whatever the unit says; a unit we
 * do not recognise is shown as Lucca sent it, never guessed.
 */
const HOURS = /^(hours?|heures?|h|duration|durée|time)$/i;
const DAYS = /^(days?|jours?|d|j)$/i;

export type UnitWord = 'hours' | 'days';

/** The entry's unit in words a payroll manager reads: `hours`, `days`, or Lucca's own text. */
export function amountUnitOf(entry: Pick<ExportEntry, 'amountUnit' | 'rawAmount'>): UnitWord | string {
  if (entry.rawAmount?.includes(':')) return 'hours';
  const unit = entry.amountUnit?.trim() ?? '';
  if (HOURS.test(unit)) return 'hours';
  if (DAYS.test(unit)) return 'days';
  if (!unit) return '';
  return /^\d+$/.test(unit) ? `unit ${unit}` : unit;
}
