import type { Catalogs } from '../../../i18n/language.js';

/**
 * The App Home tab and its buttons' answers (the notice at the top of the re-published tab).
 * `c` is the command name, `what` "payroll (#3), November 2026", `channel` a Slack channel link.
 * Run now's words are the schedule posts' (catalogs/schedule-posts.ts): the same button is in the
 * channel. Button texts ≤ 75 characters and confirm titles ≤ 100, texts ≤ 300 (limits.ts), in both languages.
 */
const en = {
  header: 'Timesheet exports',
  howTo: (c: string) =>
    `Start an export with \`${c}\` in a channel; add a month-end schedule with \`${c} schedule add …\` (see \`${c} help\`).`,
  askAdmin:
    'To run or change exports, ask your Slack admin to add you (or your user group) to `ALLOWED_USERS`.',
  readOnly: (who: string) => `:lock: You can see the latest exports and the schedules here. ${who}`,
  schedulesHeader: 'Month-end schedules',
  noSchedules: 'No schedules yet.',
  addOne: (c: string) => ` Add one with \`${c} schedule add payroll month-start at 08:00\`.`,
  timesIn: (zone: string) => `Times are in ${zone} (the app's SCHEDULE_TIMEZONE).`,
  moreSchedules: (n: number, c: string) => `…and ${n} more: \`${c} schedule list\` shows them all.`,
  runsHeader: 'Latest exports',
  noRuns: 'No exports yet.',
  updated: (time: string) => `Updated ${time}.`,
  slackTimeFormat: '{date_short_pretty} at {time}',

  disable: 'Disable',
  disableTitle: (id: number) => `Disable schedule ${id}?`,
  disableText: (config: string, rule: string, channel: string) =>
    `${config} will no longer be exported \`${rule}\` in ${channel}. Exports already started are not affected.`,
  keepIt: 'Keep it',

  // Answers to the buttons
  stale: 'That button is no longer valid: here is the current list.',
  scheduleDisabled: (id: number) => `Schedule ${id} has been disabled: nothing was started.`,
  joined: (what: string, runId: number, follow: string) =>
    `This export (${what}) is already running: run ${runId}.${follow}`,
  queued: (config: string, period: string, runId: number, follow: string) =>
    `Another export of ${config} is running; this one (${period}) starts when it ends: run ${runId}.${follow}`,
  started: (runId: number, what: string, channel: string, follow: string) =>
    `:white_check_mark: Started run ${runId} (${what}) in ${channel}.${follow}`,
  failedIn: (channel: string, why: string) => `:x: In ${channel}: ${why}`,
  alreadyDisabled: (id: number) => `Schedule ${id} was already disabled.`,
  disabled: (id: number, config: string, rule: string, channel: string) =>
    `Schedule ${id} is disabled: ${config} will no longer be exported \`${rule}\` in ${channel}.`,
  tryAgain: ':x: That did not work. Please try again in a minute.',
};

export const homeText: Catalogs<typeof en> = {
  en,
  fr: {
    header: 'Exports des temps',
    howTo: (c) =>
      `Lancez un export avec \`${c}\` dans un canal ; ajoutez une planification de fin de mois avec \`${c} schedule add …\` (voir \`${c} help\`).`,
    askAdmin:
      "Pour lancer ou modifier des exports, demandez à votre administrateur Slack de vous ajouter (vous ou votre groupe d'utilisateurs) à `ALLOWED_USERS`.",
    readOnly: (who) => `:lock: Vous voyez ici les derniers exports et les planifications. ${who}`,
    schedulesHeader: 'Planifications de fin de mois',
    noSchedules: "Aucune planification pour l'instant.",
    addOne: (c) => ` Ajoutez-en une avec \`${c} schedule add payroll month-start at 08:00\`.`,
    timesIn: (zone) => `Heures en ${zone} (le SCHEDULE_TIMEZONE de l'application).`,
    moreSchedules: (n, c) => `…et ${n} de plus : \`${c} schedule list\` les affiche toutes.`,
    runsHeader: 'Derniers exports',
    noRuns: "Aucun export pour l'instant.",
    updated: (time) => `Mis à jour ${time}.`,
    slackTimeFormat: 'le {date_short_pretty} à {time}',

    disable: 'Désactiver',
    disableTitle: (id) => `Désactiver la planification ${id} ?`,
    disableText: (config, rule, channel) =>
      `${config} ne sera plus exportée \`${rule}\` dans ${channel}. Les exports déjà lancés ne sont pas concernés.`,
    keepIt: 'La garder',

    stale: "Ce bouton n'est plus valable : voici la liste à jour.",
    scheduleDisabled: (id) => `La planification ${id} a été désactivée : rien n'a été lancé.`,
    joined: (what, runId, follow) => `Cet export (${what}) est déjà en cours : exécution ${runId}.${follow}`,
    queued: (config, period, runId, follow) =>
      `Un autre export de ${config} est en cours ; celui-ci (${period}) démarrera quand il sera terminé : exécution ${runId}.${follow}`,
    started: (runId, what, channel, follow) =>
      `:white_check_mark: Exécution ${runId} lancée (${what}) dans ${channel}.${follow}`,
    failedIn: (channel, why) => `:x: Dans ${channel} : ${why}`,
    alreadyDisabled: (id) => `La planification ${id} était déjà désactivée.`,
    disabled: (id, config, rule, channel) =>
      `La planification ${id} est désactivée : ${config} ne sera plus exportée \`${rule}\` dans ${channel}.`,
    tryAgain: ":x: Cela n'a pas fonctionné. Veuillez réessayer dans une minute.",
  },
};
