import { AppError, userMessageOf } from '../../../errors.js';
import type { Language } from '../../../i18n/language.js';

/**
 * Errors told to one person (a command, a click, a submission that failed), by their stable `code`.
 * English keeps each error's own `userMessage`, as before; French translates the codes a Slack
 * request can meet (Slack refusing the post, the database busy, a configuration taken), and says
 * the rest in general words with the code, which the log explains: never an English sentence.
 */
const fr: Record<string, (me: string) => string> = {
  'not-in-channel': (me) =>
    `Je ne suis pas membre de ce canal. Invitez-moi avec \`/invite ${me}\` puis relancez la commande.`,
  'channel-not-found': (me) =>
    `Je ne vois pas ce canal. Dans un canal privé, invitez-moi d'abord avec \`/invite ${me}\`.`,
  'channel-archived': () => 'Ce canal est archivé : lancez la commande dans un canal actif.',
  'slack-auth': () =>
    "Le jeton Slack de l'application n'est plus valable. Demandez à votre administrateur Slack de réinstaller l'application et de mettre à jour SLACK_BOT_TOKEN.",
  'slack-scope': () =>
    "L'application n'a pas la permission `chat:write`. Demandez à votre administrateur Slack de la réinstaller depuis manifest.yml.",
  'slack-unavailable': () =>
    "Slack n'a pas accepté le message pour l'instant. Veuillez réessayer dans une minute.",
  'slack-post-failed': () => "Slack n'a pas accepté le message. Veuillez réessayer.",
  'database-busy': () =>
    "La base de données de l'application est verrouillée par un autre programme : rien n'a été fait et rien n'a été envoyé à Lucca. Veuillez réessayer dans une minute ; si cela se reproduit, prévenez votre administrateur Slack (le fichier DATABASE_PATH est utilisé par un autre processus).",
  'database-unavailable': () =>
    "La base de données de l'application est inaccessible : rien n'a été fait. Prévenez votre administrateur Slack.",
  'configuration-busy': () =>
    "Un autre export de cette configuration d'export est déjà en cours ; attendez qu'il se termine ou annulez-le.",
};

/** The sentence for `error` in `language`; `botUserId` lets "invite me" name the bot. */
export function personalError(error: unknown, language: Language, botUserId: string): string {
  if (language === 'en') return userMessageOf(error);
  const me = `<@${botUserId}>`;
  if (error instanceof AppError) {
    const sentence = fr[error.code];
    if (sentence) return sentence(me);
    return `Cela n'a pas fonctionné (code \`${error.code}\`). Les détails sont dans le journal de l'application ; prévenez votre administrateur Slack si cela se reproduit.`;
  }
  return "Une erreur s'est produite dans l'application. Les détails sont dans son journal ; prévenez votre administrateur Slack.";
}
