import type { KnownBlock } from '@slack/types';
import type { Run, RunState } from '../../exports/types.js';
import type { Language } from '../../i18n/language.js';
import { configurationName } from '../../i18n/names.js';
import { periodName } from '../../i18n/periods.js';
import { ago } from '../../i18n/quantities.js';
import { runStatusText } from './catalogs/run-status.js';
import { actorName, threadLink } from './format.js';
import { fitList, SLACK_LIMITS } from './limits.js';
import type { SlackMessage } from './run-message.js';

export function stateWords(state: RunState, language: Language): string {
  return runStatusText[language].states[state];
}

/** One line per run: what, state, who, how long ago, and a link to its thread. */
export function runLine(run: Run, now: number, workspaceUrl: string | undefined, language: Language): string {
  const t = runStatusText[language];
  const link =
    run.channelId && run.threadTs ? threadLink(workspaceUrl, run.channelId, run.threadTs) : undefined;
  const what = `*${configurationName(run, language)}*, ${periodName(run.endsAt, language)}`;
  const parts = [
    `${what}: ${stateWords(run.state, language)}`,
    actorName(run.requestedBy, language),
    ago(now - run.createdAt, language),
  ];
  if (link) parts.push(`<${link}|${t.thread}>`);
  else if (run.channelId) parts.push(`<#${run.channelId}>`);
  return `• ${parts.join(' · ')}  _(${t.run(run.id)})_`;
}

/** The ephemeral answer to `/timesheet-export status`. */
export function statusMessage(
  runs: readonly Run[],
  now: number,
  workspaceUrl: string | undefined,
  language: Language,
): SlackMessage {
  const t = runStatusText[language];
  if (runs.length === 0) {
    return { text: t.none, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: t.none } }] };
  }
  const heading = `*${t.heading}*\n`;
  const lines = fitList(
    runs.map((run) => runLine(run, now, workspaceUrl, language)),
    { max: SLACK_LIMITS.sectionText - heading.length, separator: '\n', more: t.more },
  );
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `${heading}${lines}` } }];
  return { text: t.count(runs.length), blocks };
}
