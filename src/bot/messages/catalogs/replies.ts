import type { Catalogs } from '../../../i18n/language.js';

/**
 * The ephemeral answers one person reads: to a command, a Retry or Cancel click, a modal submission,
 * and the direct message that stands in for an ephemeral a channel refused.
 * `what` is "payroll (#3), November 2026"; `link` a thread URL; `warning` and `where` are the
 * optional tails built with `previewTail` and `followTail` (each starts with a space, or is empty).
 */
const en = {
  followTail: (link: string) => ` <${link}|Follow it here>.`,
  previewTail: (note: string) => ` :warning: ${note}`,

  // The command and the modal
  started: (runId: number, what: string, warning: string, where: string) =>
    `Started run ${runId} (${what}).${warning}${where}`,
  joined: (runId: number, what: string, warning: string, where: string) =>
    `This export (${what}) is already running: run ${runId}.${warning}${where}`,
  queued: (configuration: string, period: string, warning: string, where: string) =>
    `Another export of ${configuration} is running; yours (${period}) starts when it ends.${warning}${where}`,
  modalStarted: (runId: number, what: string, note: string, where: string) =>
    `Started run ${runId} (${what}). :warning: ${note}${where}`,
  modalJoined: (runId: number, where: string) => `This export is already running (run ${runId}).${where}`,
  modalQueued: 'Another export of this configuration is running; yours starts when it ends.',
  schedulesDisabled: 'Schedules are not enabled in this app.',
  doctorOnHost: "Run `npm run doctor` on the app's host.",

  // Retry and Cancel
  noSuchRun: (runId: number) =>
    `There is no run ${runId}. \`/timesheet-export status\` lists the latest runs.`,
  noSuchRunShort: (runId: number) => `There is no run ${runId}.`,
  cancelled: (runId: number, mayAppearInLucca: boolean) =>
    `Run ${runId} is cancelled.${mayAppearInLucca ? ' An export Lucca was already building may still appear in Lucca.' : ''}`,
  alreadyEnded: (runId: number, state: string) =>
    `Run ${runId} had already ended (${state}): nothing to cancel.`,
  retrying: (runId: number, plan: string) => `Retrying run ${runId}: ${plan} Progress goes to its thread.`,
  redelivering: (runId: number) => `Uploading the files of run ${runId} again; Lucca is not asked again.`,
  retryBusy: (runId: number) =>
    `Another export of this configuration is running now; retry run ${runId} once it has finished, or cancel it first.`,
  retryNotNeeded: (runId: number, state: string) => `Run ${runId} is already ${state}: nothing to retry.`,
  buttonInvalid: 'That button is no longer valid.',
  tryAgain: 'That did not work. Please try again in a minute.',

  /** A direct message from the app, when the channel refused the ephemeral. */
  aboutYourExport: (channel: string, text: string) => `About your timesheet export in ${channel}: ${text}`,
};

export const replyText: Catalogs<typeof en> = {
  en,
  fr: {
    followTail: (link) => ` <${link}|Suivre l'export ici>.`,
    previewTail: (note) => ` :warning: ${note}`,

    started: (runId, what, warning, where) => `Exécution ${runId} lancée (${what}).${warning}${where}`,
    joined: (runId, what, warning, where) =>
      `Cet export (${what}) est déjà en cours : exécution ${runId}.${warning}${where}`,
    queued: (configuration, period, warning, where) =>
      `Un autre export de ${configuration} est en cours ; le vôtre (${period}) démarrera quand il sera terminé.${warning}${where}`,
    modalStarted: (runId, what, note, where) =>
      `Exécution ${runId} lancée (${what}). :warning: ${note}${where}`,
    modalJoined: (runId, where) => `Cet export est déjà en cours (exécution ${runId}).${where}`,
    modalQueued:
      "Un autre export de cette configuration d'export est en cours ; le vôtre démarrera quand il sera terminé.",
    schedulesDisabled: 'Les planifications ne sont pas activées dans cette application.',
    doctorOnHost: "Lancez `npm run doctor` sur le serveur de l'application.",

    noSuchRun: (runId) =>
      `Il n'y a pas d'exécution ${runId}. \`/timesheet-export status\` affiche les derniers exports.`,
    noSuchRunShort: (runId) => `Il n'y a pas d'exécution ${runId}.`,
    cancelled: (runId, mayAppearInLucca) =>
      `L'exécution ${runId} est annulée.${mayAppearInLucca ? ' Un export que Lucca préparait déjà peut encore apparaître dans Lucca.' : ''}`,
    alreadyEnded: (runId, state) => `L'exécution ${runId} était déjà terminée (${state}) : rien à annuler.`,
    retrying: (runId, plan) => `Relance de l'exécution ${runId} : ${plan} Le suivi se fait dans son fil.`,
    redelivering: (runId) =>
      `Nouvel envoi des fichiers de l'exécution ${runId} ; Lucca n'est pas sollicité une deuxième fois.`,
    retryBusy: (runId) =>
      `Un autre export de cette configuration d'export est en cours ; relancez l'exécution ${runId} une fois celui-ci terminé, ou annulez-le d'abord.`,
    retryNotNeeded: (runId, state) => `L'exécution ${runId} est déjà dans l'état ${state} : rien à relancer.`,
    buttonInvalid: "Ce bouton n'est plus valable.",
    tryAgain: "Cela n'a pas fonctionné. Veuillez réessayer dans une minute.",

    aboutYourExport: (channel, text) => `À propos de votre export de temps dans ${channel} : ${text}`,
  },
};
