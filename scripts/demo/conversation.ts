import type { SlackMessage, SlackStandIn } from '../../fakes/slack/index.js';
import { ansi, formatBytes, messageLines, type RenderOptions } from './render.js';

/**
 * Follows the Slack stand-in's channel state and turns what changed since the last look into lines,
 * as someone watching the channel would see it: new messages, edits of the run's parent message,
 * thread replies (indented), shared files, and answers only the person who typed sees.
 */
export class Conversation {
  private readonly seen = new Map<string, string[]>();
  private responsesSeen = 0;

  constructor(
    private readonly slack: SlackStandIn,
    private readonly channel: string,
    private readonly options: RenderOptions & { botName: string },
  ) {}

  /** Lines for everything new; each entry is one event (it may span several lines). */
  changes(): string[][] {
    const out: string[][] = [];
    for (const message of this.slack.messagesIn(this.channel)) {
      const rendered = this.render(message);
      const before = this.seen.get(message.ts);
      if (before && before.join('\n') === rendered.join('\n')) continue;
      this.seen.set(message.ts, rendered);
      out.push(before ? this.edited(before, rendered) : this.posted(message, rendered));
    }
    const responses = this.slack.responses;
    for (; this.responsesSeen < responses.length; this.responsesSeen++) {
      const body = responses[this.responsesSeen]?.body as { text?: string; blocks?: unknown[] } | undefined;
      if (!body || typeof body !== 'object') continue;
      const lines = messageLines(body, this.options);
      out.push([
        `${ansi.dim('(only visible to you)', this.options.color)} ${lines[0] ?? ''}`,
        ...lines.slice(1).map((l) => `   ${l}`),
      ]);
    }
    return out;
  }

  private render(message: SlackMessage): string[] {
    const lines = messageLines(message, this.options);
    for (const id of message.files ?? []) {
      const upload = this.slack.uploads.find((u) => u.id === id);
      if (upload)
        lines.push(`📎 ${ansi.bold(upload.filename, this.options.color)} (${formatBytes(upload.received)})`);
    }
    return lines.filter((line, i) => line.trim() !== '' || i === 0);
  }

  private posted(message: SlackMessage, rendered: string[]): string[] {
    const who = ansi.color(34, ansi.bold(this.options.botName, this.options.color), this.options.color);
    if (message.thread_ts && message.thread_ts !== message.ts) {
      return [`    ↳ ${rendered[0] ?? ''}`, ...rendered.slice(1).map((l) => `      ${l}`)];
    }
    return [`${who}:`, ...rendered.map((l) => `  │ ${l}`)];
  }

  /** Only the lines that changed (usually the status line and the buttons), as Slack shows "(edited)". */
  private edited(before: string[], after: string[]): string[] {
    const changed = after.filter((line) => line.trim() !== '' && !before.includes(line));
    const label = ansi.dim('✎ edited:', this.options.color);
    if (changed.length === 0) {
      const removed = before.filter((line) => !after.includes(line)).join(' ');
      return [`  ${label} ${ansi.dim(`no longer shows ${removed}`, this.options.color)}`];
    }
    return [`  ${label} ${changed[0]}`, ...changed.slice(1).map((l) => `            ${l}`)];
  }
}
