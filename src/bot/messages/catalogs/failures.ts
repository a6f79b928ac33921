import type { FailureFacts } from '../../../errors.js';
import type { ExportStorageError } from '../../../exports/storage-errors.js';
import { plural } from '../../../i18n/intl.js';
import { type Catalogs, intlLocale } from '../../../i18n/language.js';
import { humanDate } from '../../../i18n/periods.js';
import { formatBytes, formatDurationIn } from '../../../i18n/quantities.js';
import type { LuccaErrorCode } from '../../../lucca/errors.js';
import type { SlackDeliveryCode } from '../../slack-upload.js';

/**
 * Every code a failed run or a failed upload can carry to the channel: the Lucca client's, the app's
 * own disk's, the Slack upload's, and the engine's own.
 */
export type ChannelFailureCode =
  | LuccaErrorCode
  | ExportStorageError['code']
  | SlackDeliveryCode
  | 'export-never-appeared'
  | 'delivery-failed'
  | 'internal';

/**
 * One failure's sentence from its code and facts (FailureFacts). Undefined: the language has nothing
 * better than the sentence stored with the failure (English), as for a row written before facts were
 * kept, whose particulars (an id, a status) are unknown.
 */
type Sentence = (facts: FailureFacts | undefined) => string | undefined;

/**
 * English says what the engine, the Lucca client and the Slack upload already wrote (they write
 * English for logs and the command line, and the run keeps that sentence): nothing to add here, so
 * the English channel reads exactly those words.
 */
const en = {
  sentence: (_code: string | null, _facts: FailureFacts | null | undefined): string | undefined => undefined,
};

const count = (n: number, one: string, other: string) => plural(n, 'fr', { one, other });
const megabytes = (value: number) =>
  new Intl.NumberFormat(intlLocale('fr'), { style: 'unit', unit: 'megabyte' }).format(value);

/** `2026-12-01` as a French letter writes it; the value itself when it is not a date (Lucca refused it). */
function endDate(isoDate: string): string {
  try {
    return humanDate(isoDate, 'fr');
  } catch {
    return isoDate;
  }
}

const RELAUNCH_DELIVERY = "Relancez la livraison plus tard ; l'export lui-même est terminé.";
const INVITE = 'Invitez-moi avec /invite @Timesheet Export, puis cliquez sur Relancer.';
const INTERNAL =
  "Un problème est survenu dans l'application. Le détail est dans son journal ; prévenez votre administrateur Slack.";
const SENT_AGAIN_SOON = 'Le fichier sera renvoyé sous peu.';

/**
 * A key missing here is a compile error: every code the channel can show has its French sentence.
 * Slack's own identifiers (a scope, an error string) are set in code spans: they are to be read as
 * typed (and searched for in Slack's documentation), not as words of the sentence.
 */
const FR: Readonly<Record<ChannelFailureCode, Sentence>> = {
  // ── Lucca (lucca/errors.ts) ──
  unauthorized: () =>
    "Lucca a refusé la clé d'API. Demandez une clé valide à votre administrateur Lucca et renseignez-la dans LUCCA_API_KEY.",
  forbidden: () =>
    "La clé d'API Lucca n'a pas le droit de créer des exports Timesheet. Demandez à votre administrateur Lucca de donner ce droit au rôle de la clé.",
  'not-found': (f) => {
    if (!f) return undefined;
    if (f.exportId !== undefined)
      return `Lucca n'a pas d'export n° ${f.exportId} (il a peut-être été archivé ou supprimé dans Lucca).`;
    const id = f.configurationId !== undefined ? ` ${f.configurationId}` : '';
    return `Lucca n'a pas de configuration d'export${id}. Vérifiez l'identifiant : c'est le second nombre de l'adresse de la configuration d'export dans Lucca (…/export/1/3/latest → 3).`;
  },
  'bad-request': (f) => {
    if (!f) return undefined;
    const what = f.endsAt ? `la demande d'export pour la date de fin du ${endDate(f.endsAt)}` : 'la demande';
    return `Lucca a refusé ${what}${f.luccaMessage ? ` : « ${f.luccaMessage} »` : '.'}`;
  },
  'rate-limited': () =>
    "Lucca refuse les requêtes pour le moment : la limite d'API du compte (partagée par toutes ses intégrations) est atteinte. Réessayez dans quelques minutes ; si cela se répète, baissez LUCCA_MAX_REQUESTS_PER_MINUTE.",
  unavailable: (f) =>
    `Lucca est injoignable ou ne répond pas correctement${
      f?.attempts ? ` (${count(f.attempts, 'tentative', 'tentatives')})` : ''
    }. Réessayez plus tard ; si cela dure, vérifiez LUCCA_BASE_URL et l'état du service Lucca.`,
  'bad-response': () =>
    "Lucca a donné une réponse que l'application ne comprend pas. Le détail est dans le journal ; prévenez votre administrateur Slack.",
  'file-too-large': (f) =>
    f?.maxBytes === undefined
      ? undefined
      : `Le fichier d'export dépasse ${megabytes(Math.round(f.maxBytes / 1_000_000))}, la taille maximale que l'application télécharge. Réduisez l'export dans Lucca ou téléchargez-le depuis Lucca.`,
  'not-a-file': (f) => {
    if (f?.kind === 'redirect')
      return "Le lien de Lucca vers le fichier d'export redirigeait vers une adresse non chiffrée (http) : l'application ne l'a donc pas téléchargé, car les données de paie ne doivent pas circuler en clair. Vérifiez LUCCA_BASE_URL et l'export dans Lucca, ou prévenez votre administrateur Slack.";
    if (f?.kind === 'web-page')
      return "Lucca a répondu au téléchargement du fichier par une page web au lieu du fichier d'export (souvent une page de connexion après une redirection, ou une page d'erreur) : rien n'a donc été livré. Vérifiez l'export dans Lucca, ou prévenez votre administrateur Slack.";
    return undefined;
  },
  'download-failed': (f) => {
    if (!f) return undefined;
    if (
      f.kind === 'too-slow' &&
      f.host &&
      f.bytes !== undefined &&
      f.elapsedMs !== undefined &&
      f.allowedMs !== undefined
    )
      return `Le fichier d'export arrivait trop lentement depuis ${f.host} (${formatBytes(f.bytes, 'fr')} en ${formatDurationIn(f.elapsedMs, 'fr')}, plus que les ${formatDurationIn(f.allowedMs, 'fr')} accordées pour sa taille) : le téléchargement a donc été arrêté. ${RELAUNCH_DELIVERY}`;
    if (f.kind === 'file-host' && f.host && f.status !== undefined)
      return `L'hébergeur du fichier d'export, ${f.host}${
        f.redirected ? ', vers lequel Lucca a redirigé le téléchargement,' : ''
      } l'a refusé (HTTP ${f.status}). La clé d'API Lucca n'est pas en cause : elle n'est jamais envoyée à un autre hôte. Réessayez plus tard (l'application demande un nouveau lien à Lucca) ; si cela se répète, prévenez votre administrateur Lucca.`;
    if (f.attempts !== undefined)
      return `Le fichier d'export n'a pas pu être téléchargé depuis Lucca (${count(f.attempts, 'tentative', 'tentatives')}). ${RELAUNCH_DELIVERY}`;
    return undefined;
  },
  'answer-too-large': (f) => {
    if (f?.maxBytes === undefined) return undefined;
    // The same rounding as the English sentence (binary units), in French unit words.
    const size =
      f.maxBytes >= 1024 * 1024
        ? megabytes(Math.round(f.maxBytes / (1024 * 1024)))
        : new Intl.NumberFormat(intlLocale('fr'), { style: 'unit', unit: 'kilobyte' }).format(
            Math.round(f.maxBytes / 1024),
          );
    return `Lucca a envoyé une réponse de plus de ${size}, bien plus que ce que l'API de Lucca envoie jamais : l'application a donc cessé de la lire. Vérifiez que LUCCA_BASE_URL désigne bien votre hôte Lucca ; si c'est le cas, prévenez votre administrateur Slack.`;
  },
  aborted: () =>
    "La requête à Lucca a été interrompue : l'exécution a été annulée ou l'application s'arrête.",

  // ── the app's own disk (exports/storage-errors.ts) ──
  'disk-full': () =>
    "Le disque de l'application est plein : le fichier d'export n'a pas pu être enregistré dans le dossier EXPORT_FILES_DIR. Demandez à votre administrateur d'y libérer de la place, puis cliquez sur Relancer (Lucca ne refait pas l'export).",
  'files-dir-unwritable': (f) =>
    `L'application ne peut pas enregistrer les fichiers d'export dans le dossier EXPORT_FILES_DIR${
      f?.systemCode ? ` (${f.systemCode})` : ''
    }. Demandez à votre administrateur d'en faire un dossier où l'utilisateur de l'application peut écrire, puis cliquez sur Relancer (Lucca ne refait pas l'export).`,

  // ── the engine ──
  'export-never-appeared': (f) =>
    `Lucca n'a produit aucun export${
      f?.waitedMs ? ` en ${formatDurationIn(f.waitedMs, 'fr')}` : ''
    } : il a échoué (Lucca ne le signale jamais). Cliquez sur Relancer pour vérifier une dernière fois, puis redemander l'export à Lucca.`,
  'delivery-failed': () => INTERNAL,
  internal: () => INTERNAL,

  // ── sending the file to Slack (bot/slack-upload.ts, bot/delivery.ts) ──
  'upload-failed': (f) => {
    if (f?.kind === 'lost')
      return "Slack a perdu le fichier envoyé avant de le partager. L'envoi doit être retenté.";
    const why =
      f?.status !== undefined
        ? `Slack n'a pas accepté le fichier (HTTP ${f.status})`
        : f
          ? "Le fichier n'a pas pu être envoyé à Slack (la connexion a échoué)"
          : "Le fichier n'a pas pu être envoyé à Slack";
    return `${why}. L'export lui-même est intact ; seul l'envoi doit être retenté.`;
  },
  'upload-aborted': () => "L'envoi vers Slack a été interrompu ; il sera retenté.",
  'slack-rate-limited': () => `Slack demande de ralentir. ${SENT_AGAIN_SOON}`,
  'slack-unavailable': (f) => {
    if (f?.status !== undefined)
      return `Slack ne répond pas correctement pour le moment (HTTP ${f.status}). ${SENT_AGAIN_SOON}`;
    if (f) return `Slack a un problème passager. ${SENT_AGAIN_SOON}`;
    return `Slack ne répond pas correctement pour le moment. ${SENT_AGAIN_SOON}`;
  },
  'slack-http-error': (f) =>
    f?.status === undefined
      ? undefined
      : `Slack a répondu HTTP ${f.status}. Demandez à votre administrateur Slack de vérifier SLACK_API_URL.`,
  'slack-unreachable': () => `Slack est injoignable. ${SENT_AGAIN_SOON}`,
  'file-missing': () =>
    "Le fichier d'export n'est plus sur le serveur (sa durée de conservation est peut-être dépassée). Relancez l'export pour obtenir un nouveau fichier.",
  'not-in-channel': () => `Je ne suis pas membre de ce canal. ${INVITE}`,
  'channel-not-found': () =>
    `Je ne vois pas ce canal : il a été supprimé, ou il est privé et je n'y ai pas été invité. ${INVITE}`,
  'channel-archived': () =>
    'Ce canal est archivé : je ne peux pas y publier le fichier. Désarchivez-le, puis cliquez sur Relancer.',
  'slack-auth': (f) =>
    `Slack a refusé les identifiants de l'application${
      f?.slackError ? ` (\`${f.slackError}\`)` : ''
    }. Demandez à votre administrateur Slack de réinstaller l'application Timesheet Export et de vérifier SLACK_BOT_TOKEN.`,
  'slack-missing-scope': (f) =>
    f?.scope
      ? `Il manque à l'application l'autorisation Slack \`${f.scope}\`. Demandez à votre administrateur Slack de l'ajouter et de réinstaller l'application, puis cliquez sur Relancer.`
      : undefined,
  'slack-error': (f) => {
    if (f?.kind === 'unexpected')
      return "L'envoi du fichier vers Slack a échoué de façon inattendue. Le détail est dans le journal de l'application ; prévenez votre administrateur Slack.";
    if (f?.slackError)
      return `Slack a refusé le fichier (erreur : \`${f.slackError}\`). Prévenez votre administrateur Slack.`;
    return undefined;
  },
  'empty-file': (f) =>
    f?.fileName ? `Le fichier d'export ${f.fileName} est vide : il n'y a rien à envoyer.` : undefined,
  'no-channel': () => "Cet export n'a pas été lancé depuis Slack : il n'y a pas de canal où l'envoyer.",
  'channel-not-allowed': () =>
    "Ce canal ne figure plus dans ALLOWED_CHANNELS : le fichier n'y a donc pas été publié. Adressez-vous à votre administrateur Slack.",
};

const isKnown = (code: string): code is ChannelFailureCode => Object.hasOwn(FR, code);

/** A code the catalog does not know (a store error met by a step…): general words and the code, never English. */
const unknownFailure = (code: string) =>
  `L'export a échoué (code \`${code}\`). Le détail est dans le journal de l'application ; prévenez votre administrateur Slack.`;

/**
 * Why a run failed, or an upload did, in the channel's language: from the failure's code and facts,
 * or undefined when the stored (English) sentence is the one to show.
 */
export const failureText: Catalogs<typeof en> = {
  en,
  fr: {
    sentence: (code, facts) => {
      if (!code) return undefined;
      return isKnown(code) ? FR[code](facts ?? undefined) : unknownFailure(code);
    },
  },
};
