import type { KnownBlock } from '@slack/types';
import type { FailureFacts } from '../../errors.js';
import type { ExportSummary, Run, RunEvent, StoredFile } from '../../exports/types.js';
import type { Language } from '../../i18n/language.js';
import { timeTypeName } from '../../i18n/names.js';
import { formatAmount, formatCount, formatDurationIn, unitWord } from '../../i18n/quantities.js';
import { runThreadText } from './catalogs/run-thread.js';
import { failureSentence } from './failure-sentence.js';
import { actorName } from './format.js';
import { fitList, SLACK_LIMITS, truncate } from './limits.js';
import { codeSpan, fileList, luccaError, luccaName, luccaText } from './lucca-text.js';
import { cancelButton, plain, retryButton, type SlackMessage } from './run-message.js';

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const facts = (value: unknown): FailureFacts | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as FailureFacts) : undefined;

// The lists below are bounded; the cut here is the last guard so that Slack never refuses a reply.
function reply(text: string, extra: KnownBlock[] = []): SlackMessage {
  const fitted = truncate(text, SLACK_LIMITS.sectionText);
  return {
    text: truncate(plain(text), SLACK_LIMITS.fallbackText),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: fitted } }, ...extra],
  };
}

/** Summary of an export: people, entries, totals by time type (the numbers payroll checks first). */
export function summaryText(summary: ExportSummary, language: Language): string {
  const t = runThreadText[language];
  const head = t.summaryHead(
    formatCount(summary.people, language),
    summary.people,
    formatCount(summary.entries, language),
    summary.entries,
  );
  const totals = summary.totals.map((total) =>
    t.total(
      luccaName(timeTypeName(total.timeType, language)),
      formatAmount(total.amount, language),
      luccaName(unitWord(total.unit, total.amount, language), 20),
    ),
  );
  const list = fitList(totals, { max: 1200, maxItems: 12, separator: '\n', more: t.moreTimeTypes });
  return list ? `${head}\n${list}` : head;
}

/**
 * The thread reply for a milestone, or null when the event only changes the parent's status line.
 * Replies are few on purpose: a one-hour run must not flood the thread.
 */
export function eventReply(event: RunEvent, run: Run, language: Language): SlackMessage | null {
  const d = event.detail;
  const t = runThreadText[language];
  const actor = () => actorName(event.actor, language);
  const duration = (ms: number) => formatDurationIn(ms, language);
  switch (event.type) {
    case 'joined':
      return reply(t.joined(actor()));
    case 'triggered':
      return reply(t.triggered(num(d.attempt)));
    case 'waiting':
      return reply(t.waiting(duration(num(d.waitedMs) ?? 0)));
    case 'fetched': {
      const summary = d.summary as ExportSummary | undefined;
      const files = (d.files as StoredFile[] | undefined) ?? run.files;
      const lines = [t.fetched(String(num(d.exportId) ?? run.exportId ?? '?'))];
      if (summary) lines.push(summaryText(summary, language));
      if (d.summaryUnavailable) lines.push(t.summaryUnavailable);
      if (files.length) lines.push(t.files(fileList(files, language)));
      const skipped = (Array.isArray(d.skipped) ? d.skipped : []) as { name?: unknown; code?: unknown }[];
      const skippedLines = skipped.map((file) =>
        t.skippedFile(codeSpan(str(file.name) ?? '?'), skippedReason(str(file.code), language)),
      );
      if (skippedLines.length)
        lines.push(fitList(skippedLines, { max: 900, separator: '\n', more: t.moreSkipped }));
      if (skipped.length && files.length && files.every((f) => f.origin === 'csv')) lines.push(t.csvInstead);
      return reply(lines.join('\n'));
    }
    case 'delivered':
      return reply(t.delivered(`<#${run.channelId}>`, run.files.length ? fileList(run.files, language) : ''));
    case 'delivery-failed': {
      const message = luccaError(
        failureSentence(
          language,
          { code: str(d.code), facts: facts(d.facts), message: str(d.message) },
          t.uploadFailedReason,
        ),
      );
      return d.willRetry
        ? reply(t.uploadFailedWillRetry(message))
        : reply(t.uploadFailed(message), [{ type: 'actions', elements: [retryButton(run.id, language)] }]);
    }
    case 'found': {
      // Worth a word after the stall (the Retry button is no longer needed), or when the export was
      // recognised without its end date (a person should check the period).
      const lines: string[] = [];
      if (d.afterStall) lines.push(t.foundAfterStall(String(num(d.exportId) ?? '?')));
      if (d.matchedBy === 'id-and-time') lines.push(t.matchedWithoutEndDate(String(num(d.exportId) ?? '?')));
      return lines.length ? reply(lines.join('\n')) : null;
    }
    case 'stalled': {
      const watching = num(d.watchingMs);
      return reply(
        t.stalledReply(
          duration(num(d.stallAfterMs) ?? num(d.waitedMs) ?? 0),
          watching ? duration(watching) : undefined,
        ),
        [{ type: 'actions', elements: [retryButton(run.id, language), cancelButton(run.id, language)] }],
      );
    }
    case 'failed':
      return reply(
        t.failedReply(
          luccaError(
            failureSentence(
              language,
              { code: str(d.code), facts: facts(d.facts), message: str(d.message) ?? run.errorMessage },
              t.exportFailed,
            ),
          ),
        ),
        [{ type: 'actions', elements: [retryButton(run.id, language)] }],
      );
    case 'retried':
      return reply(t.retried(actor(), retryPlanWords(d, language)));
    case 'cancelled':
      return reply(t.cancelledReply(actor()));
    case 'resumed':
      return reply(t.resumed);
    case 'step-error':
      return d.notify ? stepErrorReply(d, language) : null;
    default:
      return null;
  }
}

/** Said once when Lucca gives the same unusable answer twice in a row: what it answers, and that the app keeps trying. */
function stepErrorReply(d: Record<string, unknown>, language: Language): SlackMessage {
  const t = runThreadText[language];
  const answer = t.answer(str(d.code), num(d.status)) ?? luccaText(str(d.answer) ?? t.noDetail);
  return reply(t.stepError(num(d.failures) ?? 2, answer, num(d.maxFailures)));
}

/** Why a file Lucca listed was left out (codes of `isUnobtainableFile` in exports/step-errors.ts). */
function skippedReason(code: string | undefined, language: Language): string {
  const t = runThreadText[language];
  switch (code) {
    case 'no-link':
      return t.skippedNoLink;
    case 'file-too-large':
      return t.skippedTooLarge;
    case 'not-found':
      return t.skippedNotFound;
    case 'forbidden':
      return t.skippedForbidden;
    default:
      return t.skippedOther;
  }
}

/** A context line for the parent: who did the last thing a person did. */
export function parentNote(event: RunEvent, language: Language): string | undefined {
  const t = runThreadText[language];
  switch (event.type) {
    case 'retried':
      return t.retryPressedBy(actorName(event.actor, language));
    case 'cancelled':
      return t.cancelledBy(actorName(event.actor, language));
    default:
      return undefined;
  }
}

/** What a Retry will do, from the engine's plan in the event's detail. */
export function retryPlanWords(detail: Record<string, unknown>, language: Language): string {
  const t = runThreadText[language];
  if (detail.redeliver) return t.planRedeliver;
  if (detail.refetch) return t.planRefetch;
  if (detail.recheck) return t.planRecheck;
  return t.planAskAgain;
}
