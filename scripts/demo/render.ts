/**
 * Slack's message formats, rendered for a terminal: mrkdwn (emoji codes, mentions, dates, links,
 * bold) and the few Block Kit blocks the app posts (section, context, actions). Pure functions.
 */

export interface RenderNames {
  /** Slack user id → display name. */
  users: Readonly<Record<string, string>>;
  /** Channel id → name without `#`. */
  channels: Readonly<Record<string, string>>;
}

export interface RenderOptions extends RenderNames {
  color: boolean;
}

/** A few emoji as Unicode; any other `:code:` is dropped (a terminal shows no custom emoji). */
const EMOJI: Readonly<Record<string, string>> = {
  white_check_mark: '✅',
  x: '❌',
  warning: '⚠',
  rocket: '🚀',
  hourglass_flowing_sand: '⏳',
  inbox_tray: '📥',
  outbox_tray: '📤',
  gear: '⚙',
  repeat: '🔁',
  no_entry_sign: '🚫',
  double_vertical_bar: '⏸',
  arrows_counterclockwise: '🔄',
  lock: '🔒',
  paperclip: '📎',
};

export const ansi = {
  bold: (text: string, on: boolean) => (on ? `\u001b[1m${text}\u001b[22m` : text),
  dim: (text: string, on: boolean) => (on ? `\u001b[2m${text}\u001b[22m` : text),
  color: (code: number, text: string, on: boolean) => (on ? `\u001b[${code}m${text}\u001b[39m` : text),
};

/** mrkdwn → terminal text. */
export function mrkdwnToText(mrkdwn: string, options: RenderOptions): string {
  const { color } = options;
  return (
    mrkdwn
      // Slack's special syntax is inside <…>; its text is escaped, so it is resolved before unescaping.
      .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
      .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_m, id: string) =>
        ansi.bold(`@${options.users[id] ?? id}`, color),
      )
      .replace(
        /<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g,
        (_m, id: string, name?: string) => `#${name || options.channels[id] || id}`,
      )
      .replace(/<!(here|channel|everyone)>/g, '@$1')
      .replace(/<([^|>]+)\|([^>]+)>/g, (_m, _url: string, label: string) => label)
      .replace(/<([^>]+)>/g, '$1')
      .replace(/:([a-z][a-z0-9_+-]*):\s?/g, (_m, code: string) => (EMOJI[code] ? `${EMOJI[code]} ` : ''))
      .replace(/\*([^*\n]+)\*/g, (_m, text: string) => ansi.bold(text, color))
      .replace(/`([^`\n]+)`/g, (_m, text: string) => ansi.color(36, text, color))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  );
}

interface Block {
  type?: string;
  text?: { text?: string };
  elements?: { type?: string; text?: string | { text?: string } }[];
}

/** A message's blocks as lines (its `text` when it has none). Buttons show as `[ Retry ]`. */
export function messageLines(
  message: { text?: string; blocks?: unknown[] },
  options: RenderOptions,
): string[] {
  const blocks = (message.blocks ?? []) as Block[];
  if (blocks.length === 0) return mrkdwnToText(message.text ?? '', options).split('\n');
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.type === 'section' && block.text?.text) {
      lines.push(...mrkdwnToText(block.text.text, options).split('\n'));
    } else if (block.type === 'context') {
      const text = (block.elements ?? [])
        .map((e) => (typeof e.text === 'string' ? e.text : ''))
        .filter(Boolean)
        .join(' ');
      if (text) lines.push(ansi.dim(mrkdwnToText(text, options), options.color));
    } else if (block.type === 'actions') {
      const buttons = (block.elements ?? [])
        .filter((e) => e.type === 'button')
        .map((e) => `[ ${typeof e.text === 'object' ? (e.text?.text ?? '?') : '?'} ]`);
      if (buttons.length) lines.push(ansi.color(35, buttons.join(' '), options.color));
    }
  }
  return lines;
}

/** The button labels of a message, e.g. `['Retry', 'Cancel']`. */
export function buttonsOf(message: {
  blocks?: unknown[];
}): { label: string; actionId: string; value: string }[] {
  const out: { label: string; actionId: string; value: string }[] = [];
  for (const block of (message.blocks ?? []) as (Block & { elements?: Record<string, unknown>[] })[]) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements ?? []) {
      if (element.type !== 'button') continue;
      const text = element.text as { text?: string } | undefined;
      out.push({
        label: text?.text ?? '',
        actionId: String(element.action_id ?? ''),
        value: String(element.value ?? ''),
      });
    }
  }
  return out;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `m:ss` since the demo started. */
export function clockLabel(elapsedMs: number): string {
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
