import { formatHumanDate, periodLabel } from '../../calendar/end-date.js';
import type { Run } from '../../exports/types.js';

/** `payroll (#3)` or `configuration #3`. */
export function configurationName(run: Pick<Run, 'configurationId' | 'configurationLabel'>): string {
  return run.configurationLabel
    ? `${run.configurationLabel} (#${run.configurationId})`
    : `configuration #${run.configurationId}`;
}

/** What a payroll manager calls the period: "November 2026" for an export up to 1 Dec, else "up to Mon 7 Dec 2026". */
export function periodName(endsAt: string): string {
  return periodLabel(endsAt) ?? `up to ${formatHumanDate(endsAt)}`;
}

/** Slack renders this in each reader's own time zone. */
export function slackTime(ms: number, format = '{date_short_pretty} at {time}'): string {
  const seconds = Math.floor(ms / 1000);
  const fallback = new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return `<!date^${seconds}^${format}|${fallback}>`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatAmount(amount: number): string {
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(2).replace(/\.?0+$/, '');
}

/** Mentions a Slack user; other actors (`cli:…`, `schedule:…`) are named in words. */
export function actorName(actor: string): string {
  if (/^U[A-Z0-9]+$/.test(actor) || /^W[A-Z0-9]+$/.test(actor)) return `<@${actor}>`;
  if (actor.startsWith('schedule:')) return `schedule ${actor.slice('schedule:'.length)}`;
  if (actor.startsWith('cli:')) return `${actor.slice(4) || 'someone'} (command line)`;
  if (actor === 'engine') return 'the app';
  return actor;
}

/** Escapes text for Slack mrkdwn (`&`, `<`, `>` are the only control characters). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `https://acme.slack.com/archives/C1/p1764000000000100`, built from auth.test's url: no API call. */
export function threadLink(
  workspaceUrl: string | undefined,
  channelId: string,
  ts: string,
): string | undefined {
  if (!workspaceUrl) return undefined;
  const base = workspaceUrl.endsWith('/') ? workspaceUrl : `${workspaceUrl}/`;
  return `${base}archives/${channelId}/p${ts.replace('.', '')}`;
}
