import type { KnownBlock } from '@slack/types';
import type { Run, RunState } from '../../exports/types.js';
import { formatDuration } from '../../util/duration.js';
import { actorName, configurationName, periodName, threadLink } from './format.js';
import { fitList, SLACK_LIMITS } from './limits.js';
import type { SlackMessage } from './run-message.js';

const STATE_WORDS: Record<RunState, string> = {
  queued: ':double_vertical_bar: queued',
  baseline: ':gear: starting',
  triggering: ':rocket: asking Lucca',
  polling: ':hourglass_flowing_sand: Lucca is building it',
  fetching: ':inbox_tray: downloading',
  delivering: ':outbox_tray: uploading',
  done: ':white_check_mark: delivered',
  stalled: ':warning: stalled (Retry available)',
  failed: ':x: failed',
  cancelled: ':no_entry_sign: cancelled',
};

export function stateWords(state: RunState): string {
  return STATE_WORDS[state];
}

/** One line per run: what, state, who, how long ago, and a link to its thread. */
export function runLine(run: Run, now: number, workspaceUrl: string | undefined): string {
  const link =
    run.channelId && run.threadTs ? threadLink(workspaceUrl, run.channelId, run.threadTs) : undefined;
  const age = `${formatDuration(Math.max(0, now - run.createdAt))} ago`;
  const what = `*${configurationName(run)}*, ${periodName(run.endsAt)}`;
  const parts = [`${what}: ${stateWords(run.state)}`, actorName(run.requestedBy), age];
  if (link) parts.push(`<${link}|thread>`);
  else if (run.channelId) parts.push(`<#${run.channelId}>`);
  return `• ${parts.join(' · ')}  _(run ${run.id})_`;
}

/** The ephemeral answer to `/timesheet-export status`. */
export function statusMessage(
  runs: readonly Run[],
  now: number,
  workspaceUrl: string | undefined,
): SlackMessage {
  if (runs.length === 0) {
    const text =
      'No exports yet. Start one with `/timesheet-export <configuration>` (try `/timesheet-export help`).';
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const heading = '*Latest timesheet exports*\n';
  const lines = fitList(
    runs.map((run) => runLine(run, now, workspaceUrl)),
    {
      max: SLACK_LIMITS.sectionText - heading.length,
      separator: '\n',
      more: (n) => `…and ${n} more: the App Home tab lists them too.`,
    },
  );
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `${heading}${lines}` } }];
  return { text: `Latest timesheet exports: ${runs.length}`, blocks };
}
