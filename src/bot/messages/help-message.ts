import type { Language } from '../../i18n/language.js';
import { SCHEDULE_RULES } from '../../schedule/rules.js';
import { usageText } from './catalogs/help.js';
import { scheduleText } from './catalogs/schedules.js';
import { COMMAND_NAME } from './command-text.js';

/** The usage `/timesheet-export help` shows, in the reader's language, with the real aliases. */
export function helpMessage(
  aliases: Record<string, number>,
  options: { timezone?: string },
  language: Language,
): string {
  const t = usageText[language];
  const rules = scheduleText[language].rules;
  const entries = Object.entries(aliases);
  const config = entries[0]?.[0] ?? '3';
  const c = COMMAND_NAME;
  const aliasLine = entries.length
    ? t.aliases(entries.map(([alias, id]) => `\`${alias}\` (${id})`).join(', '))
    : t.noAliases;
  const zone = options.timezone ? t.zone(options.timezone) : '';
  return [
    t.intro(c),
    '',
    t.modal(c),
    t.run(c),
    t.endForms,
    `    ${aliasLine}`,
    t.status(c),
    t.schedules(c, zone),
    ...SCHEDULE_RULES.map((rule) => t.ruleLine(rule, rules[rule])),
    t.doctor(c),
    '',
    t.examples,
    `\`${c} ${config}\` · \`${c} ${config} 2026-12-01\` · \`${c} ${config} monday\` · \`${c} schedule add ${config} month-start at 07:30\``,
  ].join('\n');
}
