import type { KnownBlock } from '@slack/types';
import type { ExportSummary, Run, RunEvent, StoredFile } from '../../exports/types.js';
import { formatDuration } from '../../util/duration.js';
import { actorName, formatAmount } from './format.js';
import { fitList, SLACK_LIMITS, truncate } from './limits.js';
import { codeSpan, fileList, luccaError, luccaName, luccaText } from './lucca-text.js';
import { cancelButton, plain, retryButton, type SlackMessage } from './run-message.js';

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

// The lists below are bounded; the cut here is the last guard so that Slack never refuses a reply.
function reply(text: string, extra: KnownBlock[] = []): SlackMessage {
  const fitted = truncate(text, SLACK_LIMITS.sectionText);
  return {
    text: truncate(plain(text), SLACK_LIMITS.fallbackText),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: fitted } }, ...extra],
  };
}

/** Summary of an export: people, entries, totals by time type (the numbers payroll checks first). */
export function summaryText(summary: ExportSummary): string {
  const head = `*${summary.people}* ${summary.people === 1 ? 'person' : 'people'}, *${summary.entries}* ${
    summary.entries === 1 ? 'entry' : 'entries'
  }`;
  const totals = summary.totals.map(
    (t) => `• ${luccaName(t.timeType)}: ${formatAmount(t.amount)} ${luccaName(t.unit, 20)}`,
  );
  const list = fitList(totals, {
    max: 1200,
    maxItems: 12,
    separator: '\n',
    more: (n) => `• …and ${n} more time type${n === 1 ? '' : 's'}`,
  });
  return list ? `${head}\n${list}` : head;
}

/**
 * The thread reply for a milestone, or null when the event only changes the parent's status line.
 * Replies are few on purpose: a one-hour run must not flood the thread.
 */
export function eventReply(event: RunEvent, run: Run): SlackMessage | null {
  const d = event.detail;
  switch (event.type) {
    case 'joined':
      return reply(
        `${actorName(event.actor)} asked for the same export: joined this run instead of starting a second one.`,
      );
    case 'triggered':
      return reply(
        `:rocket: Asked Lucca to build the export${num(d.attempt) && num(d.attempt)! > 1 ? ` (attempt ${d.attempt})` : ''}. Lucca builds it while I wait; large exports take a while.`,
      );
    case 'waiting': {
      const waited = num(d.waitedMs) ?? 0;
      return reply(
        `:hourglass_flowing_sand: Still waiting for Lucca after ${formatDuration(waited)}. I will post here as soon as the export appears.`,
      );
    }
    case 'fetched': {
      const summary = d.summary as ExportSummary | undefined;
      const files = (d.files as StoredFile[] | undefined) ?? run.files;
      const lines = [`:inbox_tray: Lucca finished export #${num(d.exportId) ?? run.exportId ?? '?'}.`];
      if (summary) lines.push(summaryText(summary));
      if (d.summaryUnavailable) lines.push(SUMMARY_UNAVAILABLE);
      if (files.length) lines.push(`Files: ${fileList(files)}`);
      const skipped = (Array.isArray(d.skipped) ? d.skipped : []) as { name?: unknown; code?: unknown }[];
      const skippedLines = skipped.map(
        (file) =>
          `:warning: Lucca's file ${codeSpan(str(file.name) ?? '?')} was not downloaded: ${skippedReason(str(file.code))}.`,
      );
      if (skippedLines.length)
        lines.push(
          fitList(skippedLines, {
            max: 900,
            separator: '\n',
            more: (n) => `:warning: …and ${n} more file${n === 1 ? ' was' : 's were'} not downloaded.`,
          }),
        );
      if (skipped.length && files.length && files.every((f) => f.origin === 'csv')) {
        lines.push(
          'The entries are attached as a CSV made by the app instead; check its format before importing it.',
        );
      }
      return reply(lines.join('\n'));
    }
    case 'delivered':
      return reply(
        `:white_check_mark: Delivered to <#${run.channelId}>${run.files.length ? `: ${fileList(run.files)}` : ''}.`,
      );
    case 'delivery-failed': {
      const message = str(d.message) ?? 'the upload failed';
      return d.willRetry
        ? reply(
            `:warning: Upload failed (${luccaError(message)}). I will try again from the file already downloaded; Lucca is not asked again.`,
          )
        : reply(`:x: Upload failed: ${luccaError(message)}`, [
            { type: 'actions', elements: [retryButton(run.id)] },
          ]);
    }
    case 'found': {
      // Worth a word after the stall (the Retry button is no longer needed), or when the export was
      // recognised without its end date (a person should check the period).
      const lines: string[] = [];
      if (d.afterStall) {
        lines.push(
          `:tada: Lucca finished the export after all (#${num(d.exportId) ?? '?'}): no need to retry, downloading it now.`,
        );
      }
      if (d.matchedBy === 'id-and-time') lines.push(matchedWithoutEndDate(num(d.exportId)));
      return lines.length ? reply(lines.join('\n')) : null;
    }
    case 'stalled':
      return reply(
        `:warning: Still no export from Lucca after ${formatDuration(num(d.stallAfterMs) ?? num(d.waitedMs) ?? 0)}. Lucca never reports a failed export, so it has probably failed.${
          num(d.watchingMs)
            ? ` In case it is only slow, I keep looking for another ${formatDuration(num(d.watchingMs)!)} and will deliver it if it comes.`
            : ''
        } *Retry* first checks once more, then asks Lucca again.`,
        [{ type: 'actions', elements: [retryButton(run.id), cancelButton(run.id)] }],
      );
    case 'failed':
      return reply(`:x: ${luccaError(str(d.message) ?? run.errorMessage ?? 'The export failed.')}`, [
        { type: 'actions', elements: [retryButton(run.id)] },
      ]);
    case 'retried':
      return reply(`:repeat: ${actorName(event.actor)} pressed Retry: ${retryPlanWords(d)}`);
    case 'cancelled':
      return reply(`:no_entry_sign: ${actorName(event.actor)} cancelled this export.`);
    case 'resumed':
      return reply(
        ':arrows_counterclockwise: The app restarted and picked this export up where it left off.',
      );
    case 'step-error':
      return d.notify ? stepErrorReply(d) : null;
    default:
      return null;
  }
}

const SUMMARY_UNAVAILABLE =
  ":warning: The summary is unavailable: Lucca did not list this export's entries in time (it cuts answers after about 5 seconds, and large exports take longer). The file is complete; check the totals in it.";

/** Lucca's list gave no end date the app could read: say how the export was recognised. */
function matchedWithoutEndDate(exportId: number | undefined): string {
  return `:mag: Lucca's list of exports does not give their end dates in a form the app reads, so export #${exportId ?? '?'} was taken as ours because it is the first one created after the request. Check that the file covers the right period.`;
}

/** Said once when Lucca gives the same unusable answer twice in a row: what it answers, and that the app keeps trying. */
function stepErrorReply(d: Record<string, unknown>): SlackMessage {
  const max = num(d.maxFailures);
  return reply(
    `:warning: Lucca gave the same unusable answer ${num(d.failures) ?? 2} times in a row: ${luccaText(str(d.answer) ?? 'no detail')}. I keep trying${
      max ? `; if it lasts (${max} failures in a row) the run stops and says so here` : ''
    }.`,
  );
}

/** Why a file Lucca listed was left out (codes of `isUnobtainableFile` in exports/step-errors.ts). */
function skippedReason(code: string | undefined): string {
  switch (code) {
    case 'no-link':
      return 'Lucca listed it without a link the app can download';
    case 'file-too-large':
      return 'it is larger than the most the app downloads (download it from Lucca)';
    case 'not-found':
      return 'Lucca no longer has it';
    case 'forbidden':
      return "the app's Lucca API key may not download it";
    default:
      return "Lucca's link to it did not work";
  }
}

/** A context line for the parent: who did the last thing a person did. */
export function parentNote(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'retried':
      return `Retry pressed by ${actorName(event.actor)}`;
    case 'cancelled':
      return `Cancelled by ${actorName(event.actor)}`;
    default:
      return undefined;
  }
}

/** What a Retry will do, from the engine's plan in the event's detail. */
export function retryPlanWords(detail: Record<string, unknown>): string {
  if (detail.redeliver) return 'uploading the file again (Lucca is not asked again).';
  if (detail.refetch) return 'downloading the finished export again (no new export in Lucca).';
  if (detail.recheck)
    return 'one more look for the earlier export, then a new request to Lucca if there is none.';
  return 'asking Lucca for the export again.';
}
