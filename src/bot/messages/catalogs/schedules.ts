import { pluralCategory } from '../../../i18n/intl.js';
import type { Catalogs } from '../../../i18n/language.js';
import type { StoreErrorCode } from '../../../store/errors.js';
import type { SlackPostCode } from '../../start-run.js';

/**
 * Every code a scheduled start can fail with: Slack refusing the parent message, the database not
 * recording the run, the request itself (ExportRequestError), or the app (an unexpected error).
 */
export type ScheduledStartFailureCode = SlackPostCode | StoreErrorCode | 'invalid-request' | 'internal';

/**
 * Month-end schedules as one person reads them: `schedule list | add | remove` replies and App
 * Home's schedule blocks. The rules' descriptions and "date at time (zone)" are the scheduler's
 * (src/schedule/schedule-words.ts). `config` is "payroll (#3)", `channel` a Slack channel link,
 * `rule` the rule's keyword (kept as typed: it is command syntax).
 */
const en = {
  // schedule-text: lines shared by `schedule list` and App Home
  summary: (config: string, channel: string, rule: string, time: string, zone: string) =>
    `${config} → ${channel}, \`${rule}\` at ${time} (${zone})`,
  dstShift: (time: string, actual: string) =>
    `${time} does not exist that day (clocks go forward), so it runs at ${actual}`,
  slackTimeFormat: '{date_short_pretty} at {time}',
  yourTime: (time: string) => `${time} your time`,
  exporting: (period: string) => `exporting ${period}`,
  lastStarted: (when: string, runId: number | null) =>
    `${when}: started${runId !== null ? ` run ${runId}` : ''}`,
  lastClaimed: (when: string) => `${when}: starting…`,
  lastFailed: (when: string, why: string) => `${when}: :x: could not start: ${why}`,
  lastSkipped: (when: string, why: string) => `${when}: skipped: ${why}`,
  unknownReason: 'unknown reason',
  channelNotAllowed: 'the channel is not allowed',
  // Why the scheduler skipped an occurrence (its code, src/store/schedule-store.ts OccurrenceReason).
  channelNoLongerAllowed: 'The channel is no longer in ALLOWED_CHANNELS, so nothing was posted.',
  alreadyDelivered: (runId: number) =>
    `Run ${runId} had already delivered this export, so it was not run again.`,
  /**
   * Why a scheduled start failed, by the start error's code. Undefined: the error's own sentence,
   * stored with the occurrence when it failed, is said as it was written (English).
   */
  startFailed: (_code: string): string | undefined => undefined,
  lastMissed: (when: string) => `${when}: :warning: missed: the app was down longer than the catch-up window`,
  lastInterrupted: (when: string) =>
    `${when}: :warning: interrupted: the app stopped while starting it, so it was not started`,
  detailsTitle: (id: number, config: string, channel: string) => `*Schedule ${id}* · ${config} → ${channel}`,
  detailsRule: (rule: string, time: string, description: string) => `\`${rule}\` at ${time}: ${description}`,
  next: (text: string) => `Next: ${text}`,
  last: (text: string) => `Last: ${text}`,

  // schedule-commands: replies to `schedule list | add | remove`
  notAScheduleCommand: (help: string) => `That is not a schedule command. Try \`${help}\`.`,
  noneYet: (example: string, rules: string) =>
    `No month-end schedules yet. Add one with \`${example}\` (rules: ${rules}).`,
  listTitle: (zone: string) => `*Month-end schedules* (times in ${zone}, the app's SCHEDULE_TIMEZONE)`,
  andMore: (n: number) => `…and ${n} more.`,
  /** Where the schedule's number goes in `schedule remove …` (the command word itself stays). */
  numberPlaceholder: '<number>',
  listFooter: (remove: string, example: string) =>
    `Remove one with \`${remove}\`. Add one with \`${example}\`.`,
  count: (n: number) =>
    `${n} ${pluralCategory(n, 'en') === 'one' ? 'month-end schedule' : 'month-end schedules'}`,
  notMember: (channel: string) =>
    `I am not a member of ${channel}, so I could not post the export there. Invite me in that channel (\`/invite\` and my name), then add the schedule again.`,
  cannotSee:
    'I cannot see that channel. If it is private, invite me there first (`/invite` and my name), then add the schedule again.',
  archived: (channel: string) => `${channel} is archived: choose an active channel.`,
  duplicate: (
    config: string,
    rule: string,
    channel: string,
    id: number,
    time: string,
    zone: string,
    remove: string,
  ) =>
    `${config} already has a \`${rule}\` schedule in ${channel}: schedule ${id}, at ${time} (${zone}). To change its time, remove it with \`${remove}\` and add it again.`,
  added: (id: number, config: string, channel: string, description: string, time: string, zone: string) =>
    `:white_check_mark: Schedule ${id} added: ${config} is exported in ${channel} ${description}, at ${time} (${zone}).`,
  addedNext: (text: string) => `Next: ${text}.`,
  removeWith: (remove: string) => `Remove it with \`${remove}\`.`,
  mustBeMember: (channel: string) =>
    `I must be a member of ${channel} to post there: invite me if I am not (\`/invite\`).`,
  noSuchSchedule: (id: number, list: string) =>
    `There is no schedule ${id}. \`${list}\` shows the schedules and their numbers.`,
  alreadyRemoved: (id: number, by: string | null, on: string | null) =>
    `Schedule ${id} was already removed${by ? ` by ${by}` : ''}${on ? ` on ${on}` : ''}: nothing to do.`,
  removed: (id: number, summary: string) =>
    `Schedule ${id} removed: ${summary} will not run any more. Exports it already started are not affected.`,

  // Announcements in the schedule's channel (APP_LANGUAGE: the team reads them)
  announceAdded: (
    user: string,
    config: string,
    description: string,
    time: string,
    zone: string,
    next: string,
  ) =>
    `:calendar: ${user} added a month-end schedule here: ${config} is exported in this channel ${description}, at ${time} (${zone}). Next: ${next}.`,
  announceRemoved: (user: string, id: number, config: string, description: string) =>
    `:calendar: ${user} removed schedule ${id}: ${config} will no longer be exported in this channel ${description}. Exports it already started are not affected.`,
};

/** What the person can do once the cause is fixed: the occurrence is never started again on its own. */
const RUN_NOW_FR =
  "cliquez sur *Lancer maintenant* dans l'onglet Accueil de l'application si l'export est toujours nécessaire";

/**
 * A scheduled start that failed, said to the person reading the schedule (the channel saw nothing, or
 * only a placeholder that was taken away). A key missing here is a compile error.
 */
const START_FAILED_FR: Readonly<Record<ScheduledStartFailureCode, string>> = {
  'not-in-channel': `Je ne suis pas membre du canal de la planification. Invitez-moi dans ce canal (\`/invite\` suivi de mon nom), puis ${RUN_NOW_FR}.`,
  'channel-not-found': `Je ne vois pas le canal de la planification. S'il est privé, invitez-moi d'abord (\`/invite\` suivi de mon nom), puis ${RUN_NOW_FR}.`,
  'channel-archived':
    'Le canal de la planification est archivé. Supprimez cette planification, puis ajoutez-la de nouveau dans un canal actif.',
  'slack-auth': `Le jeton Slack de l'application n'était plus valable. Demandez à votre administrateur Slack de réinstaller l'application et de mettre à jour SLACK_BOT_TOKEN, puis ${RUN_NOW_FR}.`,
  'slack-scope': `L'application n'a pas la permission \`chat:write\`. Demandez à votre administrateur Slack de la réinstaller depuis manifest.yml, puis ${RUN_NOW_FR}.`,
  'slack-unavailable': `Slack n'a pas accepté le message à ce moment-là : ${RUN_NOW_FR}.`,
  'slack-post-failed': `Slack n'a pas accepté le message : ${RUN_NOW_FR}.`,
  'database-busy': `La base de données de l'application était verrouillée par un autre programme : rien n'a été envoyé à Lucca. Si cela se reproduit, prévenez votre administrateur Slack (le fichier DATABASE_PATH est utilisé par un autre processus). Ensuite, ${RUN_NOW_FR}.`,
  'database-unavailable':
    "La base de données de l'application était inaccessible : rien n'a été envoyé à Lucca. Prévenez votre administrateur Slack.",
  'database-too-new':
    "La base de données a été écrite par une version plus récente de l'application : rien n'a été envoyé à Lucca. Prévenez votre administrateur Slack.",
  'configuration-busy': `Un autre export de cette configuration d'export était déjà en cours : attendez qu'il se termine, puis ${RUN_NOW_FR}.`,
  'invalid-request':
    "La demande d'export n'était pas valable (le détail est dans le journal de l'application) : rien n'a été envoyé à Lucca. Prévenez votre administrateur Slack.",
  internal:
    "Un problème est survenu dans l'application. Le détail est dans son journal ; prévenez votre administrateur Slack.",
};

export const scheduleText: Catalogs<typeof en> = {
  en,
  fr: {
    summary: (config, channel, rule, time, zone) => `${config} → ${channel}, \`${rule}\` à ${time} (${zone})`,
    dstShift: (time, actual) =>
      `${time} n'existe pas ce jour-là (passage à l'heure d'été), l'export part donc à ${actual}`,
    slackTimeFormat: '{date_short_pretty} à {time}',
    yourTime: (time) => `${time} à votre heure`,
    exporting: (period) => `export de ${period}`,
    lastStarted: (when, runId) => `${when} : lancé${runId !== null ? ` (exécution ${runId})` : ''}`,
    lastClaimed: (when) => `${when} : démarrage…`,
    lastFailed: (when, why) => `${when} : :x: n'a pas pu démarrer : ${why}`,
    lastSkipped: (when, why) => `${when} : ignoré : ${why}`,
    unknownReason: 'raison inconnue',
    channelNotAllowed: "le canal n'est pas autorisé",
    channelNoLongerAllowed: "Le canal n'est plus dans ALLOWED_CHANNELS : rien n'y a été publié.",
    alreadyDelivered: (runId) => `L'exécution ${runId} avait déjà livré cet export : il n'a pas été relancé.`,
    startFailed: (code) =>
      Object.hasOwn(START_FAILED_FR, code)
        ? START_FAILED_FR[code as ScheduledStartFailureCode]
        : `Le démarrage a échoué (code \`${code}\`). Les détails sont dans le journal de l'application ; prévenez votre administrateur Slack si cela se reproduit.`,
    lastMissed: (when) =>
      `${when} : :warning: manqué : l'application était arrêtée plus longtemps que le délai de rattrapage`,
    lastInterrupted: (when) =>
      `${when} : :warning: interrompu : l'application s'est arrêtée pendant son démarrage, il n'a donc pas été lancé`,
    detailsTitle: (id, config, channel) => `*Planification ${id}* · ${config} → ${channel}`,
    detailsRule: (rule, time, description) => `\`${rule}\` à ${time} : ${description}`,
    next: (text) => `Prochaine : ${text}`,
    last: (text) => `Dernière : ${text}`,

    notAScheduleCommand: (help) => `Ce n'est pas une commande de planification. Essayez \`${help}\`.`,
    noneYet: (example, rules) =>
      `Aucune planification de fin de mois pour l'instant. Ajoutez-en une avec \`${example}\` (règles : ${rules}).`,
    listTitle: (zone) =>
      `*Planifications de fin de mois* (heures en ${zone}, le SCHEDULE_TIMEZONE de l'application)`,
    andMore: (n) => `…et ${n} de plus.`,
    numberPlaceholder: '<n°>',
    listFooter: (remove, example) =>
      `Supprimez-en une avec \`${remove}\`. Ajoutez-en une avec \`${example}\`.`,
    count: (n) =>
      `${n} ${pluralCategory(n, 'fr') === 'one' ? 'planification' : 'planifications'} de fin de mois`,
    notMember: (channel) =>
      `Je ne suis pas membre de ${channel}, je ne pourrais donc pas y publier l'export. Invitez-moi dans ce canal (\`/invite\` suivi de mon nom), puis ajoutez de nouveau la planification.`,
    cannotSee:
      "Je ne vois pas ce canal. S'il est privé, invitez-moi d'abord (`/invite` suivi de mon nom), puis ajoutez de nouveau la planification.",
    archived: (channel) => `${channel} est archivé : choisissez un canal actif.`,
    duplicate: (config, rule, channel, id, time, zone, remove) =>
      `${config} a déjà une planification \`${rule}\` dans ${channel} : la planification ${id}, à ${time} (${zone}). Pour changer son heure, supprimez-la avec \`${remove}\` puis ajoutez-la de nouveau.`,
    added: (id, config, channel, description, time, zone) =>
      `:white_check_mark: Planification ${id} ajoutée : ${config} est exportée dans ${channel} ${description}, à ${time} (${zone}).`,
    addedNext: (text) => `Prochaine : ${text}.`,
    removeWith: (remove) => `Supprimez-la avec \`${remove}\`.`,
    mustBeMember: (channel) =>
      `Je dois être membre de ${channel} pour y publier : invitez-moi si ce n'est pas le cas (\`/invite\`).`,
    noSuchSchedule: (id, list) =>
      `Il n'y a pas de planification ${id}. \`${list}\` affiche les planifications et leurs numéros.`,
    alreadyRemoved: (id, by, on) =>
      `La planification ${id} a déjà été supprimée${by ? ` par ${by}` : ''}${on ? ` le ${on}` : ''} : rien à faire.`,
    removed: (id, summary) =>
      `Planification ${id} supprimée : ${summary} ne sera plus exécutée. Les exports qu'elle a déjà lancés ne sont pas concernés.`,

    announceAdded: (user, config, description, time, zone, next) =>
      `:calendar: ${user} a ajouté une planification de fin de mois ici : ${config} est exportée dans ce canal ${description}, à ${time} (${zone}). Prochaine : ${next}.`,
    announceRemoved: (user, id, config, description) =>
      `:calendar: ${user} a supprimé la planification ${id} : ${config} ne sera plus exportée dans ce canal ${description}. Les exports qu'elle a déjà lancés ne sont pas concernés.`,
  },
};
