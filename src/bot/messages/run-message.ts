import type { Button, KnownBlock } from '@slack/types';
import { todayIn } from '../../calendar/end-date.js';
import type { Run } from '../../exports/types.js';
import type { Language } from '../../i18n/language.js';
import { configurationName } from '../../i18n/names.js';
import { describePeriod, periodName, previewNote } from '../../i18n/periods.js';
import { formatDurationIn } from '../../i18n/quantities.js';
import { CAUGHT_UP_LATE, isCaughtUpLateNote } from '../../schedule/schedule-words.js';
import { runThreadText } from './catalogs/run-thread.js';
import { failureSentence } from './failure-sentence.js';
import { actorName, escapeMrkdwn, slackTime } from './format.js';
import { SLACK_LIMITS, truncate } from './limits.js';
import { fileList, luccaError } from './lucca-text.js';

export const ACTION_RETRY = 'run_retry';
export const ACTION_CANCEL = 'run_cancel';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface ParentContext {
  /** APP_LANGUAGE: everyone in the channel reads the parent. */
  language: Language;
  stallAfterMs: number;
  /** A line about the last thing a person did (`Retry pressed by @ana`). */
  note?: string | undefined;
  /** SCHEDULE_TIMEZONE: the day a run was asked for, to tell a preview of an unfinished period. */
  timezone?: string | undefined;
}

/** One line that says where the run is, in words a payroll manager reads at a glance. */
export function statusLine(run: Run, ctx: ParentContext): string {
  const { language } = ctx;
  const t = runThreadText[language];
  switch (run.state) {
    case 'queued':
      return t.queued;
    case 'baseline':
      return t.starting;
    case 'triggering':
      return t.triggering(run.attempt);
    case 'polling':
      return t.polling(run.triggeredAt ? slackTime(run.triggeredAt, '{time}') : undefined);
    case 'fetching':
      return t.fetching(run.exportId);
    case 'delivering':
      return t.delivering;
    case 'done':
      return t.done(fileList(run.files, language));
    case 'stalled':
      return t.stalled(formatDurationIn(ctx.stallAfterMs, language), run.nextAt !== null);
    case 'failed':
      return t.failed(
        luccaError(
          failureSentence(
            language,
            { code: run.errorCode, facts: run.errorFacts, message: run.errorMessage },
            t.unknownReason,
          ),
        ),
      );
    case 'cancelled':
      return t.cancelled;
  }
}

export function retryButton(runId: number, language: Language): Button {
  return {
    type: 'button',
    action_id: ACTION_RETRY,
    value: String(runId),
    style: 'primary',
    text: { type: 'plain_text', text: runThreadText[language].retry },
  };
}

export function cancelButton(runId: number, language: Language): Button {
  const t = runThreadText[language];
  return {
    type: 'button',
    action_id: ACTION_CANCEL,
    value: String(runId),
    style: 'danger',
    text: { type: 'plain_text', text: t.cancel },
    confirm: {
      title: { type: 'plain_text', text: t.cancelConfirmTitle },
      text: { type: 'mrkdwn', text: t.cancelConfirmText },
      confirm: { type: 'plain_text', text: t.cancelConfirm },
      deny: { type: 'plain_text', text: t.cancelDeny },
    },
  };
}

/** Buttons that make sense in this state: Cancel while active, Retry once stalled or failed. */
export function runButtons(run: Run, language: Language): Button[] {
  switch (run.state) {
    case 'queued':
    case 'baseline':
    case 'triggering':
    case 'polling':
    case 'fetching':
    case 'delivering':
      return [cancelButton(run.id, language)];
    case 'stalled':
      return [retryButton(run.id, language), cancelButton(run.id, language)];
    case 'failed':
      return [retryButton(run.id, language)];
    default:
      return [];
  }
}

/** The run's parent message, kept current with chat.update. */
export function runParentMessage(run: Run, ctx: ParentContext): SlackMessage {
  const { language } = ctx;
  const t = runThreadText[language];
  // A scheduled run caught up after downtime says so where everyone looks first.
  const late = run.source === 'schedule' && isCaughtUpLateNote(run.note);
  const plainTitle = t.title(configurationName(run, language), periodName(run.endsAt, language));
  const title = late ? t.lateTitle(CAUGHT_UP_LATE[language], plainTitle) : plainTitle;
  const origin =
    run.source === 'schedule' ? t.scheduledOrigin : t.requestedBy(actorName(run.requestedBy, language));
  const facts = [
    origin,
    describePeriod(run.endsAt, language),
    t.runNumber(run.id),
    ...(run.attempt > 1 ? [t.attempt(run.attempt)] : []),
  ].join(' · ');
  const status = statusLine(run, ctx);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`*${escapeMrkdwn(title)}*\n${status}`, SLACK_LIMITS.sectionText),
      },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: facts }] },
  ];
  // Judged on the day the run was asked for, so the words do not change when the period ends.
  const preview = previewNote(run.endsAt, todayIn(ctx.timezone ?? 'UTC', run.createdAt), language);
  if (preview) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `:warning: ${preview}` }] });
  if (ctx.note)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: truncate(ctx.note, SLACK_LIMITS.contextText) }],
    });
  const buttons = runButtons(run, language);
  if (buttons.length) blocks.push({ type: 'actions', block_id: `run_${run.id}_actions`, elements: buttons });
  // `text` is what notifications and screen readers show.
  return { text: truncate(t.notification(title, plain(status)), SLACK_LIMITS.fallbackText), blocks };
}

/** Strips mrkdwn decoration for the notification fallback text. */
export function plain(mrkdwn: string): string {
  return mrkdwn
    .replace(/:[a-z0-9_+-]+:\s*/g, '')
    .replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1')
    .replace(/[*`]/g, '');
}
