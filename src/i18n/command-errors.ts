import type { RunProblem, TextProblem } from '../command/grammar.js';
import type { Catalogs, Language } from './language.js';
import { monthName } from './periods.js';

/**
 * A refused command in the reader's language (the grammar gives a code and its words; Slack's
 * src/bot/messages/command-text.ts and the terminal's src/cli/command-errors.ts pick the sentence).
 * Words the person typed and command syntax come in already quoted by the surface (`w`, `q(...)`
 * results): they stay as typed in both languages.
 */
const en = {
  tooLong: (length: number, max: number) =>
    `That command is too long (${length} characters; a command has at most ${max}).`,
  controlCharacters: 'The command contains invisible control characters: please type it again.',
  notAConfigurationNumber: (w: string, max: number) =>
    `${w} is not a configuration number: it must be a whole number from 1 to ${max}.`,
  notAConfigurationNumberSample: (w: string, max: number, sample: string) =>
    `${w} is not a configuration number: it must be a whole number from 1 to ${max}, such as ${sample}.`,
  knownConfigurations: (list: string) => `Known configurations: ${list}; or give a configuration number.`,
  noAliases:
    'No configuration aliases are set up (EXPORT_CONFIGURATIONS), so give the configuration number from Lucca.',
  unknownConfiguration: (w: string, known: string) =>
    `${w} is not a command or a known configuration. ${known}`,
  notAnEndDate: (w: string, format: string, sample: string, lastMonth: string, monday: string) =>
    `${w} is not an end date. Write ${format} (such as ${sample}), ${lastMonth} or ${monday}.`,
  dateFormat: 'YYYY-MM-DD',
  noSuchDay: (w: string, month: string, year: number, days: number) =>
    `${w} is not a real date: ${month} ${year} has ${days} days.`,
  noSuchMonth: (w: string) => `${w} is not a real date: the month must be from 01 to 12.`,
  notMidnight: (w: string, date: string) =>
    `${w} is not midnight. Lucca exports up to midnight (everything before the end date), so give the date alone, such as ${date}.`,
  timeAfterEndDate: (w: string) =>
    `Unexpected ${w}: Lucca exports up to midnight (everything before the end date), so give the date alone.`,
  extraRunWord: (w: string) => `Unexpected ${w}: give a configuration and at most one end date.`,
  nothingMoreExpected: (w: string, after: string) =>
    `Unexpected ${w} after ${after}: nothing more is needed.`,
  missingScheduleConfiguration: 'Say which configuration to schedule.',
  missingScheduleRule: (rules: string) => `Say when it should run: ${rules}.`,
  unknownScheduleRule: (w: string, rules: string) => `${w} is not a schedule rule. Rules: ${rules}.`,
  optionGivenTwice: (option: string) => `${option} is given twice.`,
  missingTimeOfDay: (at: string, example: string) => `${at} needs a time of day, such as ${example}.`,
  notATimeOfDay: (w: string, example: string) =>
    `${w} is not a time of day: write HH:MM from 00:00 to 23:59, such as ${example}.`,
  missingChannel: (inWord: string) => `${inWord} needs a channel: type # and pick it from the list.`,
  notAChannelLink: (w: string) =>
    `${w} is not a channel link: type # and pick the channel from Slack's list so that it becomes a link. (If it still fails, the Slack admin must turn on "Escape channels, users, and links" for the command.)`,
  timeWithoutAt: (w: string, fix: string) => `Unexpected ${w}. Write ${fix}.`,
  unexpectedScheduleWord: (w: string, at: string, inChannel: string) =>
    `Unexpected ${w}. After the rule come only ${at} and ${inChannel}.`,
  unknownScheduleCommand: (w: string, list: string, add: string, remove: string) =>
    `${w} is not a schedule command: use ${list}, ${add} or ${remove}.`,
  missingRunId: "Give the run number shown in the run's message or by `status`.",
  missingScheduleId: 'Give the schedule number shown by `schedule list`.',
  notARunId: (w: string) =>
    `${w} is not a run number: use the number shown in the run's message or by \`status\`.`,
  notAScheduleId: (w: string) => `${w} is not a schedule number: use the number shown by \`schedule list\`.`,
  tooEarly: (earliest: string) => `is before ${earliest}: that looks like a typo in the year.`,
  tooFar: (latest: string) =>
    `is more than a year ahead. Lucca exports everything before the end date, so choose a date up to ${latest}.`,
  pickEndDate: 'Pick an end date.',
  forExample: (example: string) => `For example: \`${example}\``,
};

export const commandErrorWords: Catalogs<typeof en> = {
  en,
  fr: {
    tooLong: (length, max) =>
      `Cette commande est trop longue (${length} caractères ; une commande en compte au plus ${max}).`,
    controlCharacters:
      'La commande contient des caractères de contrôle invisibles : veuillez la saisir de nouveau.',
    notAConfigurationNumber: (w, max) =>
      `${w} n'est pas un numéro de configuration : il doit s'agir d'un nombre entier de 1 à ${max}.`,
    notAConfigurationNumberSample: (w, max, sample) =>
      `${w} n'est pas un numéro de configuration : il doit s'agir d'un nombre entier de 1 à ${max}, par exemple ${sample}.`,
    knownConfigurations: (list) =>
      `Configurations d'export connues : ${list} ; ou indiquez un numéro de configuration.`,
    noAliases:
      "Aucun alias de configuration n'est défini (EXPORT_CONFIGURATIONS) : indiquez le numéro de la configuration d'export dans Lucca.",
    unknownConfiguration: (w, known) =>
      `${w} n'est ni une commande ni une configuration d'export connue. ${known}`,
    notAnEndDate: (w, format, sample, lastMonth, monday) =>
      `${w} n'est pas une date de fin. Écrivez ${format} (par exemple ${sample}), ${lastMonth} ou ${monday}.`,
    dateFormat: 'AAAA-MM-JJ',
    noSuchDay: (w, month, year, days) =>
      `${w} n'est pas une date réelle : ${month} ${year} compte ${days} jours.`,
    noSuchMonth: (w) => `${w} n'est pas une date réelle : le mois doit être compris entre 01 et 12.`,
    notMidnight: (w, date) =>
      `${w} n'est pas minuit. Lucca exporte jusqu'à minuit (tout ce qui précède la date de fin) : indiquez la date seule, par exemple ${date}.`,
    timeAfterEndDate: (w) =>
      `${w} est en trop : Lucca exporte jusqu'à minuit (tout ce qui précède la date de fin), indiquez la date seule.`,
    extraRunWord: (w) => `${w} est en trop : indiquez une configuration et au plus une date de fin.`,
    nothingMoreExpected: (w, after) => `${w} est en trop après ${after} : rien d'autre n'est nécessaire.`,
    missingScheduleConfiguration: "Indiquez la configuration d'export à planifier.",
    missingScheduleRule: (rules) => `Indiquez quand l'export doit partir : ${rules}.`,
    unknownScheduleRule: (w, rules) => `${w} n'est pas une règle de planification. Règles : ${rules}.`,
    optionGivenTwice: (option) => `${option} est indiqué deux fois.`,
    missingTimeOfDay: (at, example) => `${at} doit être suivi d'une heure, par exemple ${example}.`,
    notATimeOfDay: (w, example) =>
      `${w} n'est pas une heure : écrivez HH:MM, de 00:00 à 23:59, par exemple ${example}.`,
    missingChannel: (inWord) =>
      `${inWord} doit être suivi d'un canal : tapez # et choisissez-le dans la liste.`,
    notAChannelLink: (w) =>
      `${w} n'est pas un lien vers un canal : tapez # et choisissez le canal dans la liste de Slack pour qu'il devienne un lien. (Si cela échoue encore, l'administrateur Slack doit activer « Escape channels, users, and links » pour la commande.)`,
    timeWithoutAt: (w, fix) => `${w} est inattendu. Écrivez ${fix}.`,
    unexpectedScheduleWord: (w, at, inChannel) =>
      `${w} est inattendu. Après la règle ne viennent que ${at} et ${inChannel}.`,
    unknownScheduleCommand: (w, list, add, remove) =>
      `${w} n'est pas une commande de planification : utilisez ${list}, ${add} ou ${remove}.`,
    missingRunId: "Indiquez le numéro de l'export, affiché dans son message ou par `status`.",
    missingScheduleId: 'Indiquez le numéro de la planification, affiché par `schedule list`.',
    notARunId: (w) =>
      `${w} n'est pas un numéro d'export : utilisez le numéro affiché dans son message ou par \`status\`.`,
    notAScheduleId: (w) =>
      `${w} n'est pas un numéro de planification : utilisez le numéro affiché par \`schedule list\`.`,
    tooEarly: (earliest) =>
      `est antérieure au ${earliest} : l'année comporte sans doute une faute de frappe.`,
    tooFar: (latest) =>
      `est à plus d'un an. Lucca exporte tout ce qui précède la date de fin : choisissez une date jusqu'au ${latest}.`,
    pickEndDate: 'Choisissez une date de fin.',
    forExample: (example) => `Par exemple : \`${example}\``,
  },
};

/**
 * The refusals of `<config> [<end>]` and of the text as a whole, which Slack and the terminal say
 * alike: only the quoting differs (`q`: mrkdwn-safe backticks in Slack, printable backticks in a terminal).
 */
export function runProblemText(
  problem: TextProblem | RunProblem,
  language: Language,
  q: (word: string) => string,
): string {
  const t = commandErrorWords[language];
  switch (problem.code) {
    case 'too-long':
      return t.tooLong(problem.length, problem.max);
    case 'control-characters':
      return t.controlCharacters;
    case 'not-a-configuration-number':
      return problem.sample === undefined
        ? t.notAConfigurationNumber(q(problem.word), problem.max)
        : t.notAConfigurationNumberSample(q(problem.word), problem.max, q(problem.sample));
    case 'unknown-configuration': {
      const known = problem.known.length
        ? t.knownConfigurations(problem.known.map(([alias, id]) => `${q(alias)} (${id})`).join(', '))
        : t.noAliases;
      return t.unknownConfiguration(q(problem.word), known);
    }
    case 'not-an-end-date':
      return t.notAnEndDate(
        q(problem.word),
        q(t.dateFormat),
        q(problem.sample),
        q('last-month'),
        q('monday'),
      );
    case 'no-such-day':
      return t.noSuchDay(q(problem.word), monthName(problem.month, language), problem.year, problem.days);
    case 'no-such-month':
      return t.noSuchMonth(q(problem.word));
    case 'not-midnight':
      return t.notMidnight(q(problem.word), q(problem.date));
    case 'end-date-too-early':
      return `${q(problem.word)} ${t.tooEarly(problem.earliest)}`;
    case 'end-date-too-far':
      return `${q(problem.word)} ${t.tooFar(problem.latest)}`;
    case 'time-after-end-date':
      return t.timeAfterEndDate(q(problem.word));
    case 'extra-run-word':
      return t.extraRunWord(q(problem.word));
  }
}
