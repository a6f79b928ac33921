import type { Catalogs, Language } from '../../i18n/language.js';

/** Slack renders this in each reader's own time zone. */
export function slackTime(ms: number, format = '{date_short_pretty} at {time}'): string {
  const seconds = Math.floor(ms / 1000);
  const fallback = new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return `<!date^${seconds}^${format}|${fallback}>`;
}

const actorWords = {
  en: {
    schedule: (id: string) => `schedule ${id}`,
    commandLine: (who: string) => `${who || 'someone'} (command line)`,
    app: 'the app',
  },
  fr: {
    schedule: (id: string) => `la planification ${id}`,
    commandLine: (who: string) => `${who || "quelqu'un"} (ligne de commande)`,
    app: "l'application",
  },
} satisfies Catalogs<{
  schedule: (id: string) => string;
  commandLine: (who: string) => string;
  app: string;
}>;

/** Mentions a Slack user; other actors (`cli:…`, `schedule:…`) are named in words. */
export function actorName(actor: string, language: Language): string {
  if (/^U[A-Z0-9]+$/.test(actor) || /^W[A-Z0-9]+$/.test(actor)) return `<@${actor}>`;
  const words = actorWords[language];
  if (actor.startsWith('schedule:')) return words.schedule(actor.slice('schedule:'.length));
  if (actor.startsWith('cli:')) return words.commandLine(actor.slice(4));
  if (actor === 'engine') return words.app;
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
