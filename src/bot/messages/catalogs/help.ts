import type { Catalogs } from '../../../i18n/language.js';

/**
 * `/timesheet-export help` (Slack mrkdwn: `<` and `>` are written `&lt;` `&gt;`). The command words
 * (`status`, `schedule add`, `last-month`, rule names) are the grammar's and stay as typed; only
 * the explanations are in the reader's language. `c` is the command name.
 */
const en = {
  intro: (c: string) => `*${c}* runs a Lucca Timesheet export and posts the file here.`,
  modal: (c: string) => `• \`${c}\` opens a form to pick the configuration and end date.`,
  run: (c: string) =>
    `• \`${c} &lt;config&gt; [&lt;end&gt;]\` exports everything before midnight of \`&lt;end&gt;\`:`,
  endForms:
    '    `YYYY-MM-DD`, `last-month` (the 1st of this month, the default) or `monday` (the first Monday on or after the 1st, for weekly calculation rules).',
  aliases: (list: string) => `Configurations: ${list}, or any configuration number.`,
  noAliases: 'No aliases are set up (EXPORT_CONFIGURATIONS): use the configuration number from Lucca.',
  status: (c: string) =>
    `• \`${c} status\` shows the latest runs; \`${c} retry &lt;run&gt;\` and \`${c} cancel &lt;run&gt;\` act on one.`,
  zone: (timezone: string) => ` (times are in ${timezone})`,
  schedules: (c: string, zone: string) =>
    `• \`${c} schedule list\`, \`${c} schedule add &lt;config&gt; &lt;rule&gt; [at HH:MM] [in #channel]\`, \`${c} schedule remove &lt;id&gt;\` manage month-end schedules${zone}. Rules:`,
  ruleLine: (rule: string, description: string) => `    \`${rule}\`: ${description}.`,
  doctor: (c: string) => `• \`${c} doctor\` checks the connection to Lucca and the app's setup.`,
  examples: '*Examples*',
};

export const usageText: Catalogs<typeof en> = {
  en,
  fr: {
    intro: (c) => `*${c}* lance un export Lucca Timesheet et publie le fichier ici.`,
    modal: (c) => `• \`${c}\` ouvre un formulaire pour choisir la configuration d'export et la date de fin.`,
    run: (c) =>
      `• \`${c} &lt;config&gt; [&lt;fin&gt;]\` exporte tout ce qui précède minuit à la date \`&lt;fin&gt;\` :`,
    endForms:
      '    `AAAA-MM-JJ`, `last-month` (le 1er de ce mois, par défaut) ou `monday` (le premier lundi à partir du 1er, pour les règles de calcul hebdomadaires).',
    aliases: (list) => `Configurations d'export : ${list}, ou n'importe quel numéro de configuration.`,
    noAliases:
      "Aucun alias n'est défini (EXPORT_CONFIGURATIONS) : utilisez le numéro de la configuration d'export dans Lucca.",
    status: (c) =>
      `• \`${c} status\` affiche les derniers exports ; \`${c} retry &lt;n°&gt;\` et \`${c} cancel &lt;n°&gt;\` relancent ou annulent l'un d'eux.`,
    zone: (timezone) => ` (heures en ${timezone})`,
    schedules: (c, zone) =>
      `• \`${c} schedule list\`, \`${c} schedule add &lt;config&gt; &lt;règle&gt; [at HH:MM] [in #canal]\`, \`${c} schedule remove &lt;n°&gt;\` gèrent les planifications de fin de mois${zone}. Règles :`,
    ruleLine: (rule, description) => `    \`${rule}\` : ${description}.`,
    doctor: (c) => `• \`${c} doctor\` vérifie la connexion à Lucca et la configuration de l'application.`,
    examples: '*Exemples*',
  },
};
