import { plural, pluralCategory } from '../../../i18n/intl.js';
import type { Catalogs } from '../../../i18n/language.js';

// Intl.PluralRules decides singular or plural (French: 0 and 1 are singular), never `count + 's'`.
const enOne = (n: number) => pluralCategory(n, 'en') === 'one';
const frOne = (n: number) => pluralCategory(n, 'fr') === 'one';

/**
 * What the channel reads about a run: the parent message and its status line, the thread's replies,
 * the Retry and Cancel buttons with their confirm dialog. In APP_LANGUAGE (everyone in the channel
 * reads them). Values (names, durations, dates, mentions) arrive already formatted for the language.
 */
const en = {
  // ── status line of the parent message ──
  queued:
    ':double_vertical_bar: Waiting: another export of this configuration is running. This one starts when it ends.',
  starting: ':gear: Starting…',
  triggering: (attempt: number) =>
    `:rocket: Asking Lucca to build the export${attempt > 1 ? ` (attempt ${attempt})` : ''}…`,
  polling: (since: string | undefined) =>
    `:hourglass_flowing_sand: Lucca is building the export${since ? ` since ${since}` : ''}. I check regularly and will post here when it is ready.`,
  fetching: (exportId: number | null) =>
    `:inbox_tray: Lucca has the export${exportId ? ` (#${exportId})` : ''}: downloading it…`,
  delivering: ':outbox_tray: Uploading the file to this channel…',
  done: (files: string) => `:white_check_mark: Delivered${files ? `: ${files}` : ''}.`,
  stalled: (after: string, stillLooking: boolean) =>
    `:warning: Lucca has shown no export after ${after}. It has probably failed (Lucca never says so)${
      stillLooking ? ', though I keep looking for a while in case it is only slow' : ''
    }. Press *Retry* to ask again.`,
  failed: (reason: string) => `:x: Failed: ${reason}`,
  unknownReason: 'unknown reason',
  cancelled: ':no_entry_sign: Cancelled.',

  // ── parent message ──
  /** Posted before the run exists (start-run.ts), replaced by the parent once the notifier has it. */
  placeholder: (scheduled: boolean, configuration: string, period: string) =>
    `${scheduled ? 'Scheduled month-end export' : 'Timesheet export'}: ${configuration}, ${period}. Starting…`,
  title: (configuration: string, period: string) => `Timesheet export: ${configuration}, ${period}`,
  /** The notification text: the title, then the status line without its decoration. */
  notification: (title: string, status: string) => `${title}: ${status}`,
  /** A scheduled run caught up after downtime says so first: `Caught up late: Timesheet export: …`. */
  lateTitle: (late: string, title: string) => `${late}: ${title}`,
  scheduledOrigin: 'Scheduled month-end export',
  requestedBy: (actor: string) => `Requested by ${actor}`,
  runNumber: (id: number) => `run ${id}`,
  attempt: (attempt: number) => `attempt ${attempt}`,
  retryPressedBy: (actor: string) => `Retry pressed by ${actor}`,
  /** The note of a run started with App Home's Run now (stored with the run, shown under its parent). */
  startedFromHome: (actor: string) => `Started from App Home by ${actor}`,
  cancelledBy: (actor: string) => `Cancelled by ${actor}`,

  // ── buttons ──
  retry: 'Retry',
  cancel: 'Cancel',
  cancelConfirmTitle: 'Cancel this export?',
  cancelConfirmText:
    'The app stops following it. An export Lucca is already building may still appear in Lucca.',
  cancelConfirm: 'Cancel export',
  cancelDeny: 'Keep it',

  // ── thread replies ──
  joined: (actor: string) =>
    `${actor} asked for the same export: joined this run instead of starting a second one.`,
  triggered: (attempt: number | undefined) =>
    `:rocket: Asked Lucca to build the export${attempt && attempt > 1 ? ` (attempt ${attempt})` : ''}. Lucca builds it while I wait; large exports take a while.`,
  waiting: (waited: string) =>
    `:hourglass_flowing_sand: Still waiting for Lucca after ${waited}. I will post here as soon as the export appears.`,
  fetched: (exportId: string) => `:inbox_tray: Lucca finished export #${exportId}.`,
  files: (list: string) => `Files: ${list}`,
  skippedFile: (name: string, reason: string) =>
    `:warning: Lucca's file ${name} was not downloaded: ${reason}.`,
  moreSkipped: (n: number) => `:warning: …and ${n} more file${enOne(n) ? ' was' : 's were'} not downloaded.`,
  csvInstead:
    'The entries are attached as a CSV made by the app instead; check its format before importing it.',
  delivered: (channel: string, files: string) =>
    `:white_check_mark: Delivered to ${channel}${files ? `: ${files}` : ''}.`,
  uploadFailedWillRetry: (reason: string) =>
    `:warning: Upload failed (${reason}). I will try again from the file already downloaded; Lucca is not asked again.`,
  uploadFailed: (reason: string) => `:x: Upload failed: ${reason}`,
  uploadFailedReason: 'the upload failed',
  foundAfterStall: (exportId: string) =>
    `:tada: Lucca finished the export after all (#${exportId}): no need to retry, downloading it now.`,
  stalledReply: (after: string, watching: string | undefined) =>
    `:warning: Still no export from Lucca after ${after}. Lucca never reports a failed export, so it has probably failed.${
      watching
        ? ` In case it is only slow, I keep looking for another ${watching} and will deliver it if it comes.`
        : ''
    } *Retry* first checks once more, then asks Lucca again.`,
  failedReply: (reason: string) => `:x: ${reason}`,
  exportFailed: 'The export failed.',
  retried: (actor: string, plan: string) => `:repeat: ${actor} pressed Retry: ${plan}`,
  cancelledReply: (actor: string) => `:no_entry_sign: ${actor} cancelled this export.`,
  resumed: ':arrows_counterclockwise: The app restarted and picked this export up where it left off.',
  summaryUnavailable:
    ":warning: The summary is unavailable: Lucca did not list this export's entries in time (it cuts answers after about 5 seconds, and large exports take longer). The file is complete; check the totals in it.",
  matchedWithoutEndDate: (exportId: string) =>
    `:mag: Lucca's list of exports does not give their end dates in a form the app reads, so export #${exportId} was taken as ours because it is the first one created after the request. Check that the file covers the right period.`,
  stepError: (failures: number, answer: string, max: number | undefined) =>
    `:warning: Lucca gave the same unusable answer ${failures} times in a row: ${answer}. I keep trying${
      max ? `; if it lasts (${max} failures in a row) the run stops and says so here` : ''
    }.`,
  noDetail: 'no detail',
  /**
   * Lucca's answer in stepError, from the error's code and the answer's HTTP status. Undefined: the
   * Lucca client's own few words (`GET /api/v3/timmiexports: HTTP 503`), which it writes in English
   * for the log; another language says what it can of them in its own words.
   */
  answer: (_code: string | undefined, _status: number | undefined): string | undefined => undefined,

  // ── why a file was skipped ──
  skippedNoLink: 'Lucca listed it without a link the app can download',
  skippedTooLarge: 'it is larger than the most the app downloads (download it from Lucca)',
  skippedNotFound: 'Lucca no longer has it',
  skippedForbidden: "the app's Lucca API key may not download it",
  skippedOther: "Lucca's link to it did not work",

  // ── what a Retry does ──
  planRedeliver: 'uploading the file again (Lucca is not asked again).',
  planRefetch: 'downloading the finished export again (no new export in Lucca).',
  planRecheck: 'one more look for the earlier export, then a new request to Lucca if there is none.',
  planAskAgain: 'asking Lucca for the export again.',

  // ── summary ──
  summaryHead: (people: string, peopleCount: number, entries: string, entryCount: number) =>
    `*${people}* ${enOne(peopleCount) ? 'person' : 'people'}, *${entries}* ${enOne(entryCount) ? 'entry' : 'entries'}`,
  /** A total by time type: `• Overtime: 20.75 hours`. */
  total: (timeType: string, amount: string, unit: string) => `• ${timeType}: ${amount} ${unit}`,
  moreTimeTypes: (n: number) => `• …and ${n} more time type${enOne(n) ? '' : 's'}`,
  moreFiles: (n: number) => `…and ${n} more file${enOne(n) ? '' : 's'}`,
};

export const runThreadText: Catalogs<typeof en> = {
  en,
  fr: {
    queued:
      ":double_vertical_bar: En attente : un autre export de cette configuration d'export est en cours. Celui-ci démarrera quand il sera terminé.",
    starting: ':gear: Démarrage…',
    triggering: (attempt) =>
      `:rocket: Demande de l'export à Lucca${attempt > 1 ? ` (tentative ${attempt})` : ''}…`,
    polling: (since) =>
      `:hourglass_flowing_sand: Lucca prépare l'export${since ? ` depuis ${since}` : ''}. Je vérifie régulièrement et je le posterai ici dès qu'il sera prêt.`,
    fetching: (exportId) =>
      `:inbox_tray: L'export est prêt dans Lucca${exportId ? ` (n° ${exportId})` : ''} : téléchargement en cours…`,
    delivering: ':outbox_tray: Envoi du fichier dans ce canal…',
    done: (files) => `:white_check_mark: Livré${files ? ` : ${files}` : ''}.`,
    stalled: (after, stillLooking) =>
      `:warning: Aucun export n'est apparu dans Lucca après ${after}. Il a probablement échoué (Lucca ne le signale jamais)${
        stillLooking ? ', mais je continue à vérifier un moment au cas où il serait seulement lent' : ''
      }. Cliquez sur *Relancer* pour le redemander.`,
    failed: (reason) => `:x: Échec : ${reason}`,
    unknownReason: 'raison inconnue',
    cancelled: ':no_entry_sign: Annulé.',

    placeholder: (scheduled, configuration, period) =>
      `${scheduled ? 'Export de fin de mois planifié' : 'Export des temps'} : ${configuration}, ${period}. Démarrage…`,
    title: (configuration, period) => `Export des temps : ${configuration}, ${period}`,
    lateTitle: (late, title) => `${late} : ${title}`,
    notification: (title, status) => `${title} : ${status}`,
    scheduledOrigin: 'Export de fin de mois planifié',
    requestedBy: (actor) => `Demandé par ${actor}`,
    runNumber: (id) => `exécution ${id}`,
    attempt: (attempt) => `tentative ${attempt}`,
    retryPressedBy: (actor) => `Relancé par ${actor}`,
    startedFromHome: (actor) => `Lancé depuis l'onglet Accueil par ${actor}`,
    cancelledBy: (actor) => `Annulé par ${actor}`,

    retry: 'Relancer',
    cancel: 'Annuler',
    cancelConfirmTitle: 'Annuler cet export ?',
    cancelConfirmText:
      "L'application cesse de le suivre. Un export que Lucca est déjà en train de préparer peut tout de même apparaître dans Lucca.",
    cancelConfirm: "Annuler l'export",
    cancelDeny: 'Le garder',

    joined: (actor) =>
      `${actor} a demandé le même export : sa demande rejoint cette exécution au lieu d'en lancer une deuxième.`,
    triggered: (attempt) =>
      `:rocket: Export demandé à Lucca${attempt && attempt > 1 ? ` (tentative ${attempt})` : ''}. Lucca le prépare pendant que j'attends ; les exports volumineux prennent du temps.`,
    waiting: (waited) =>
      `:hourglass_flowing_sand: Toujours en attente de Lucca après ${waited}. Je posterai ici dès que l'export apparaîtra.`,
    fetched: (exportId) => `:inbox_tray: Lucca a terminé l'export n° ${exportId}.`,
    files: (list) => `Fichiers : ${list}`,
    skippedFile: (name, reason) =>
      `:warning: Le fichier ${name} de Lucca n'a pas été téléchargé : ${reason}.`,
    moreSkipped: (n) =>
      `:warning: …et ${plural(n, 'fr', { one: 'autre fichier', other: 'autres fichiers' })} non ${frOne(n) ? 'téléchargé' : 'téléchargés'}.`,
    csvInstead:
      "Les saisies sont jointes à la place dans un CSV produit par l'application ; vérifiez son format avant de l'importer.",
    delivered: (channel, files) => `:white_check_mark: Livré dans ${channel}${files ? ` : ${files}` : ''}.`,
    uploadFailedWillRetry: (reason) =>
      `:warning: L'envoi a échoué (${reason}). Je réessaierai à partir du fichier déjà téléchargé, sans redemander l'export à Lucca.`,
    uploadFailed: (reason) => `:x: L'envoi a échoué : ${reason}`,
    uploadFailedReason: "l'envoi a échoué",
    foundAfterStall: (exportId) =>
      `:tada: Lucca a finalement terminé l'export (n° ${exportId}) : inutile de relancer, téléchargement en cours.`,
    stalledReply: (after, watching) =>
      `:warning: Toujours aucun export de Lucca après ${after}. Lucca ne signale jamais un export en échec : il a donc probablement échoué.${
        watching
          ? ` Au cas où il serait seulement lent, je continue à vérifier pendant encore ${watching} et je le livrerai s'il arrive.`
          : ''
      } *Relancer* vérifie d'abord une dernière fois, puis redemande l'export à Lucca.`,
    failedReply: (reason) => `:x: ${reason}`,
    exportFailed: "L'export a échoué.",
    retried: (actor, plan) => `:repeat: ${actor} a cliqué sur Relancer : ${plan}`,
    cancelledReply: (actor) => `:no_entry_sign: ${actor} a annulé cet export.`,
    resumed:
      ":arrows_counterclockwise: L'application a redémarré et a repris cet export là où elle s'était arrêtée.",
    summaryUnavailable:
      ":warning: Le récapitulatif n'est pas disponible : Lucca n'a pas listé les saisies de cet export à temps (il coupe les réponses après environ 5 secondes, et les exports volumineux prennent plus longtemps). Le fichier est complet ; vérifiez-y les totaux.",
    matchedWithoutEndDate: (exportId) =>
      `:mag: La liste des exports de Lucca ne donne pas leur date de fin sous une forme que l'application sait lire : l'export n° ${exportId} a donc été retenu parce que c'est le premier créé après la demande. Vérifiez que le fichier couvre la bonne période.`,
    stepError: (failures, answer, max) =>
      `:warning: Lucca a donné ${failures} fois de suite la même réponse inexploitable : ${answer}. Je continue d'essayer${
        max ? ` ; si cela dure (${max} échecs de suite), l'exécution s'arrête et le signale ici` : ''
      }.`,
    noDetail: 'sans détail',
    answer: (code, status) => {
      const http = status === undefined ? '' : ` (HTTP ${status})`;
      if (code === 'bad-response') return `une réponse que l'application ne comprend pas${http}`;
      if (code === 'answer-too-large') return `une réponse trop volumineuse${http}`;
      if (status !== undefined) return `HTTP ${status}`;
      if (code === 'unavailable' || code === 'download-failed')
        return 'aucune réponse (connexion impossible ou coupée)';
      return undefined;
    },

    skippedNoLink: "Lucca l'a listé sans lien que l'application puisse télécharger",
    skippedTooLarge:
      "il dépasse la taille maximale que l'application télécharge (téléchargez-le depuis Lucca)",
    skippedNotFound: "Lucca ne l'a plus",
    skippedForbidden: "la clé d'API Lucca de l'application n'a pas le droit de le télécharger",
    skippedOther: "le lien de Lucca vers ce fichier n'a pas fonctionné",

    planRedeliver: "nouvel envoi du fichier (l'export n'est pas redemandé à Lucca).",
    planRefetch: "nouveau téléchargement de l'export terminé (aucun nouvel export dans Lucca).",
    planRecheck:
      "une dernière vérification de l'export précédent, puis une nouvelle demande à Lucca s'il n'y en a pas.",
    planAskAgain: "nouvelle demande de l'export à Lucca.",

    summaryHead: (people, peopleCount, entries, entryCount) =>
      `*${people}* ${frOne(peopleCount) ? 'personne' : 'personnes'}, *${entries}* ${frOne(entryCount) ? 'saisie' : 'saisies'}`,
    total: (timeType, amount, unit) => `• ${timeType} : ${amount} ${unit}`,
    moreTimeTypes: (n) =>
      `• …et ${plural(n, 'fr', { one: 'autre type de temps', other: 'autres types de temps' })}`,
    moreFiles: (n) => `…et ${plural(n, 'fr', { one: 'autre fichier', other: 'autres fichiers' })}`,
  },
};
