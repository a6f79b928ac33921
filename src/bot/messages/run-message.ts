import type { Button, KnownBlock } from '@slack/types';
import { describePeriod, previewNote, todayIn } from '../../calendar/end-date.js';
import type { Run } from '../../exports/types.js';
import { CAUGHT_UP_LATE } from '../../schedule/scheduler.js';
import { formatDuration } from '../../util/duration.js';
import { actorName, configurationName, escapeMrkdwn, periodName, slackTime } from './format.js';
import { SLACK_LIMITS, truncate } from './limits.js';
import { fileList, luccaError } from './lucca-text.js';

export const ACTION_RETRY = 'run_retry';
export const ACTION_CANCEL = 'run_cancel';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface ParentContext {
  stallAfterMs: number;
  /** A line about the last thing a person did (`Retry pressed by @ana`). */
  note?: string | undefined;
  /** SCHEDULE_TIMEZONE: the day a run was asked for, to tell a preview of an unfinished period. */
  timezone?: string | undefined;
}

/** One line that says where the run is, in words a payroll manager reads at a glance. */
export function statusLine(run: Run, ctx: ParentContext): string {
  switch (run.state) {
    case 'queued':
      return ':double_vertical_bar: Waiting: another export of this configuration is running. This one starts when it ends.';
    case 'baseline':
      return ':gear: Starting…';
    case 'triggering':
      return `:rocket: Asking Lucca to build the export${run.attempt > 1 ? ` (attempt ${run.attempt})` : ''}…`;
    case 'polling': {
      const since = run.triggeredAt ? ` since ${slackTime(run.triggeredAt, '{time}')}` : '';
      return `:hourglass_flowing_sand: Lucca is building the export${since}. I check regularly and will post here when it is ready.`;
    }
    case 'fetching':
      return `:inbox_tray: Lucca has the export${run.exportId ? ` (#${run.exportId})` : ''}: downloading it…`;
    case 'delivering':
      return ':outbox_tray: Uploading the file to this channel…';
    case 'done': {
      const files = fileList(run.files);
      return `:white_check_mark: Delivered${files ? `: ${files}` : ''}.`;
    }
    case 'stalled':
      return `:warning: Lucca has shown no export after ${formatDuration(ctx.stallAfterMs)}. It has probably failed (Lucca never says so)${
        run.nextAt !== null ? ', though I keep looking for a while in case it is only slow' : ''
      }. Press *Retry* to ask again.`;
    case 'failed':
      return `:x: Failed: ${luccaError(run.errorMessage ?? 'unknown reason')}`;
    case 'cancelled':
      return ':no_entry_sign: Cancelled.';
  }
}

export function retryButton(runId: number): Button {
  return {
    type: 'button',
    action_id: ACTION_RETRY,
    value: String(runId),
    style: 'primary',
    text: { type: 'plain_text', text: 'Retry' },
  };
}

export function cancelButton(runId: number): Button {
  return {
    type: 'button',
    action_id: ACTION_CANCEL,
    value: String(runId),
    style: 'danger',
    text: { type: 'plain_text', text: 'Cancel' },
    confirm: {
      title: { type: 'plain_text', text: 'Cancel this export?' },
      text: {
        type: 'mrkdwn',
        text: 'The app stops following it. An export Lucca is already building may still appear in Lucca.',
      },
      confirm: { type: 'plain_text', text: 'Cancel export' },
      deny: { type: 'plain_text', text: 'Keep it' },
    },
  };
}

/** Buttons that make sense in this state: Cancel while active, Retry once stalled or failed. */
export function runButtons(run: Run): Button[] {
  switch (run.state) {
    case 'queued':
    case 'baseline':
    case 'triggering':
    case 'polling':
    case 'fetching':
    case 'delivering':
      return [cancelButton(run.id)];
    case 'stalled':
      return [retryButton(run.id), cancelButton(run.id)];
    case 'failed':
      return [retryButton(run.id)];
    default:
      return [];
  }
}

/** The run's parent message, kept current with chat.update. */
export function runParentMessage(run: Run, ctx: ParentContext): SlackMessage {
  // A scheduled run caught up after downtime says so where everyone looks first.
  const late = run.source === 'schedule' && run.note?.startsWith(CAUGHT_UP_LATE);
  const title = `${late ? `${CAUGHT_UP_LATE}: ` : ''}Timesheet export: ${configurationName(run)}, ${periodName(run.endsAt)}`;
  const origin =
    run.source === 'schedule' ? 'Scheduled month-end export' : `Requested by ${actorName(run.requestedBy)}`;
  const facts = [
    origin,
    describePeriod(run.endsAt),
    `run ${run.id}`,
    ...(run.attempt > 1 ? [`attempt ${run.attempt}`] : []),
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
  const preview = previewNote(run.endsAt, todayIn(ctx.timezone ?? 'UTC', run.createdAt));
  if (preview) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `:warning: ${preview}` }] });
  if (ctx.note)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: truncate(ctx.note, SLACK_LIMITS.contextText) }],
    });
  const buttons = runButtons(run);
  if (buttons.length) blocks.push({ type: 'actions', block_id: `run_${run.id}_actions`, elements: buttons });
  // `text` is what notifications and screen readers show.
  return { text: truncate(`${title}: ${plain(status)}`, SLACK_LIMITS.fallbackText), blocks };
}

/** Strips mrkdwn decoration for the notification fallback text. */
export function plain(mrkdwn: string): string {
  return mrkdwn
    .replace(/:[a-z0-9_+-]+:\s*/g, '')
    .replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1')
    .replace(/[*`]/g, '');
}
