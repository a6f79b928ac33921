import { folderFromNote } from '../exports/folder-delivery.js';
import type { ExportSummary, Run, RunEvent, StoredFile } from '../exports/types.js';
import { configurationName, timeTypeName } from '../i18n/names.js';
import { periodName } from '../i18n/periods.js';
import { formatAmount, formatBytes } from '../i18n/quantities.js';
import { sanitizeLuccaText } from '../lucca/lucca-text.js';
import { formatDuration } from '../util/duration.js';
import { PROGRAM } from './usage.js';

/** Plain-text words for runs and their events, for a terminal (no Slack markup). Pure. */

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** `payroll (#3), November 2026`. */
export function runTitle(run: Pick<Run, 'configurationId' | 'configurationLabel' | 'endsAt'>): string {
  return `${configurationName(run, 'en')}, ${periodName(run.endsAt, 'en')}`;
}

/** Who did something: `cli:ana` → `ana (command line)`, `schedule:3` → `schedule 3`, Slack ids as they are. */
export function actorText(actor: string): string {
  if (actor.startsWith('cli:')) return `${actor.slice(4) || 'someone'} (command line)`;
  if (actor.startsWith('schedule:')) return `schedule ${actor.slice('schedule:'.length)}`;
  if (actor === 'engine') return 'the app';
  if (/^[UW][A-Z0-9]+$/.test(actor)) return `Slack user ${actor}`;
  return actor;
}

export function retryCommand(runId: number): string {
  return `${PROGRAM} retry ${runId}`;
}

export function filesText(files: readonly Pick<StoredFile, 'name' | 'bytes'>[]): string {
  return files.map((file) => `${file.name} (${formatBytes(file.bytes, 'en')})`).join(', ');
}

/** `4 people, 12 entries; Heures normales 37.5 Hour, Astreinte 2 Hour`. */
export function summaryLine(summary: ExportSummary): string {
  const head = `${summary.people} ${summary.people === 1 ? 'person' : 'people'}, ${summary.entries} ${
    summary.entries === 1 ? 'entry' : 'entries'
  }`;
  const totals = summary.totals
    .slice(0, 6)
    .map(
      (total) => `${timeTypeName(total.timeType, 'en')} ${formatAmount(total.amount, 'en')} ${total.unit}`,
    );
  const more = summary.totals.length > 6 ? [`and ${summary.totals.length - 6} more time types`] : [];
  return totals.length ? `${head}; ${[...totals, ...more].join(', ')}` : head;
}

/** One line for an event, or null for events that only change the status line. */
export function eventText(event: RunEvent, run: Run): string | null {
  const d = event.detail;
  switch (event.type) {
    case 'requested':
      return d.queued
        ? `Queued: another export of ${configurationName(run, 'en')} is under way; this one starts after it.`
        : `Export of ${runTitle(run)} requested.`;
    case 'joined':
      return `${actorText(event.actor)} asked for the same export: joined this run instead of starting a second one.`;
    case 'started': {
      const baseline = num(d.baselineId) ?? 0;
      return baseline
        ? `Lucca's latest export of this configuration is #${baseline}; asking for a new one.`
        : 'Lucca has no earlier export of this configuration; asking for a new one.';
    }
    case 'triggered': {
      const attempt = num(d.attempt) ?? run.attempt;
      return `Asked Lucca to build the export${attempt > 1 ? ` (attempt ${attempt})` : ''}.`;
    }
    case 'trigger-pending':
      return 'Lucca is building the export; checking for it regularly.';
    case 'waiting':
      return `Still waiting for Lucca after ${formatDuration(num(d.waitedMs) ?? 0)}.`;
    case 'found': {
      const waited = num(d.waitedMs);
      const how =
        d.matchedBy === 'id-and-time'
          ? " Lucca's list gives no end date the app reads: taken as ours as the first export created after the request; check the period."
          : '';
      return `Lucca finished export #${num(d.exportId) ?? run.exportId ?? '?'}${
        waited !== undefined ? ` after ${formatDuration(waited)}` : ''
      }.${how}`;
    }
    case 'fetched': {
      const files = (d.files as StoredFile[] | undefined) ?? run.files;
      const summary = d.summary as ExportSummary | undefined;
      const parts = [`Downloaded ${filesText(files) || 'no file'}.`];
      if (summary) parts.push(`${summaryLine(summary)}.`);
      if (d.summaryUnavailable) parts.push('No summary: Lucca did not list the entries in time.');
      return parts.join(' ');
    }
    case 'delivered':
      if (run.channelId) return `Posted to Slack channel ${run.channelId}.`;
      return `Files saved${folderFromNote(run.note) ? ` to ${folderFromNote(run.note)}` : ''}.`;
    case 'delivery-failed': {
      const message = str(d.message) ?? 'delivery failed';
      return d.willRetry
        ? `Saving the files failed (${message}); trying again from the downloaded files.`
        : `Saving the files failed: ${message}`;
    }
    case 'stalled':
      return `Still no export from Lucca after ${formatDuration(num(d.stallAfterMs) ?? num(d.waitedMs) ?? 0)}: it has probably failed (Lucca never says so).`;
    case 'failed':
      return `Failed: ${str(d.message) ?? run.errorMessage ?? 'the export failed.'}`;
    case 'retried':
      return d.redeliver
        ? `Retry asked by ${actorText(event.actor)}: saving the files again (Lucca is not asked again).`
        : `Retry asked by ${actorText(event.actor)}.`;
    case 'cancelled':
      return `Cancelled by ${actorText(event.actor)}.`;
    case 'resumed':
      return 'Picked up again where it was left off.';
    case 'step-error':
      // Said once, at the second identical failure in a row (the engine sets `notify`).
      return d.notify
        ? `Lucca gave the same unusable answer ${num(d.failures) ?? 2} times in a row: ${sanitizeLuccaText(str(d.answer) ?? 'no detail')}. Still trying.`
        : null;
    default:
      return null;
  }
}

/** What the run is doing now, for the status line. */
export function stateText(run: Run, now: number): string {
  if ((run.stepErrors ?? 0) > 0 && run.nextAt !== null && run.state !== 'stalled') {
    const wait = Math.max(0, run.nextAt - now);
    return `Lucca did not answer as expected (${run.stepErrors} time${run.stepErrors === 1 ? '' : 's'}); trying again in ${formatDuration(wait)}`;
  }
  switch (run.state) {
    case 'queued':
      return 'queued behind another export of this configuration';
    case 'baseline':
      return "looking up Lucca's latest export";
    case 'triggering':
      return 'asking Lucca to build the export';
    case 'polling':
      return `waiting for Lucca to build the export (${run.polls} check${run.polls === 1 ? '' : 's'})`;
    case 'fetching':
      return 'downloading the export';
    case 'delivering':
      return 'saving the files';
    case 'stalled':
      return 'stalled: no export from Lucca';
    default:
      return run.state;
  }
}

/** `3m ago`. */
export function ageText(from: number, now: number): string {
  const ms = now - from;
  return ms < 1000 ? 'just now' : `${formatDuration(ms)} ago`;
}
