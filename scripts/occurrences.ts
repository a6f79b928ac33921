/**
 * Prints the occurrences of every schedule rule in one year, so anyone can check the calendar:
 *   npx tsx scripts/occurrences.ts 2027 Europe/Paris 08:00
 * Arguments default to next year, SCHEDULE_TIMEZONE (or Europe/Paris) and 08:00.
 */
import { describePeriod, humanDate } from '../src/i18n/periods.js';
import {
  occurrenceInMonth,
  parseTimeOfDay,
  RULE_DESCRIPTIONS,
  SCHEDULE_RULES,
} from '../src/schedule/rules.js';

function fail(message: string): never {
  process.stderr.write(`${message}\nUsage: npx tsx scripts/occurrences.ts <year> [<IANA zone>] [<HH:MM>]\n`);
  process.exit(2);
}

const [yearArg, zoneArg, timeArg] = process.argv.slice(2);
const year = Number(yearArg ?? new Date().getUTCFullYear() + 1);
if (!Number.isInteger(year) || year < 1000 || year > 9999) fail(`"${yearArg}" is not a year.`);
const timezone = zoneArg ?? process.env.SCHEDULE_TIMEZONE ?? 'Europe/Paris';
try {
  new Intl.DateTimeFormat('en-GB', { timeZone: timezone });
} catch {
  fail(`"${timezone}" is not an IANA time zone (such as Europe/Paris).`);
}
const timeOfDay = parseTimeOfDay(timeArg ?? '08:00') ?? fail(`"${timeArg}" is not a time of day (HH:MM).`);

const lines: string[] = [`Schedule occurrences in ${year}, ${timezone}, at ${timeOfDay}`];
for (const rule of SCHEDULE_RULES) {
  lines.push('', `${rule}: ${RULE_DESCRIPTIONS[rule]}`);
  lines.push(`  ${'local date-time'.padEnd(27)}${'UTC instant'.padEnd(22)}${'endsAt'.padEnd(12)}exports`);
  for (let month = 1; month <= 12; month++) {
    const o = occurrenceInMonth(rule, year, month, timeOfDay, timezone);
    const local = `${humanDate(o.localDate, 'en')} ${o.localTime}`;
    const utc = new Date(o.firesAt).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
    // "everything before Mon 4 Jan 2027 (December 2026 and 1–3 Jan 2027)" → the part in brackets.
    const described = describePeriod(o.endsAt, 'en');
    const period =
      (/\((.*)\)$/.exec(described)?.[1] ?? described) + (o.endsAt > o.localDate ? ' (preview)' : '');
    lines.push(`  ${local.padEnd(27)}${utc.padEnd(22)}${o.endsAt.padEnd(12)}${period}`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
