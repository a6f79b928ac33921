/**
 * Slack sends a channel in a slash command's text as `<#C0PAY|payroll>` (or `<#C0PAY>`) when the command
 * has "Escape channels, users, and links" on (`should_escape: true` in manifest.yml); otherwise it
 * arrives as plain `#payroll`, which names no channel id. The grammar asks this function through
 * `CommandContext.channelOf`, so it knows nothing of Slack's escaping.
 */
const CHANNEL_MENTION = /^<#([CG][A-Z0-9]{2,})(?:\|[^>]*)?>$/;

export function channelOfSlackText(word: string): string | undefined {
  return CHANNEL_MENTION.exec(word)?.[1];
}
