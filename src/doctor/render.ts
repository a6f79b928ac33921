import type { CheckResult, DoctorReport } from './types.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line a person reads first, and a script can grep. */
export function verdict(report: DoctorReport): string {
  const { fail, warn } = report.counts;
  if (fail > 0) {
    return `✗ Not ready: ${plural(fail, 'problem')} to fix${warn ? ` and ${plural(warn, 'warning')}` : ''}.`;
  }
  if (warn > 0) return `✓ Ready, with ${plural(warn, 'warning')} worth a look.`;
  return '✓ Ready: every check passed.';
}

export interface TextOptions {
  color?: boolean;
}

const SYMBOL: Record<CheckResult['status'], string> = { ok: '✓', warn: '!', fail: '✗' };
const COLOR: Record<CheckResult['status'], string> = { ok: '32', warn: '33', fail: '31' };

/** The terminal report: ✓/!/✗ lines grouped by section, each problem followed by its fix. */
export function renderText(report: DoctorReport, options: TextOptions = {}): string {
  const paint = (code: string, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines: string[] = ['timesheet-export doctor', ''];
  for (const section of report.sections) {
    lines.push(paint('1', section.title));
    for (const result of section.results) {
      lines.push(`  ${paint(COLOR[result.status], SYMBOL[result.status])} ${result.label}`);
      if (result.detail) lines.push(`      ${paint('2', result.detail)}`);
      if (result.fix) lines.push(`      → ${result.fix}`);
    }
    lines.push('');
  }
  const howTo = report.ok ? '' : ' Each → line above says how.';
  lines.push(paint(report.ok ? (report.counts.warn ? '33' : '32') : '31', `${verdict(report)}${howTo}`));
  return `${lines.join('\n')}\n`;
}

/** `--json`: the same results, flat, for scripts. */
export function renderJson(report: DoctorReport): string {
  return `${JSON.stringify(
    {
      ok: report.ok,
      verdict: verdict(report),
      counts: report.counts,
      checks: report.sections.flatMap((section) =>
        section.results.map((result) => ({ section: section.title, ...result })),
      ),
    },
    null,
    2,
  )}\n`;
}

const EMOJI: Record<CheckResult['status'], string> = {
  ok: ':white_check_mark:',
  warn: ':warning:',
  fail: ':x:',
};

const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The ephemeral Slack answer: one mrkdwn section per group (Slack allows 3000 characters each). */
export function renderMrkdwn(report: DoctorReport): { text: string; blocks: unknown[] } {
  const blocks: unknown[] = report.sections.map((section) => {
    const body = section.results
      .map((result) => {
        const lines = [`${EMOJI[result.status]} ${escapeMrkdwn(result.label)}`];
        if (result.detail) lines.push(`      _${escapeMrkdwn(result.detail)}_`);
        if (result.fix) lines.push(`      → ${escapeMrkdwn(result.fix)}`);
        return lines.join('\n');
      })
      .join('\n');
    const text = `*${section.title}*\n${body}`;
    return {
      type: 'section',
      text: { type: 'mrkdwn', text: text.length > 2900 ? `${text.slice(0, 2899)}…` : text },
    };
  });
  const summary = verdict(report).replace(/^✗/, ':x:').replace(/^✓/, ':white_check_mark:');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(summary) }] });
  return { text: `Timesheet export doctor: ${verdict(report)}`, blocks };
}
