import type { Catalogs } from '../../../i18n/language.js';

/** Who may run exports and where they are posted: the refusals one person reads (AccessControl's decisions). */
const en = {
  nobodyAllowed:
    'Nobody may run exports yet: ask your Slack admin to set `ALLOWED_USERS` (Slack user ids `U…` or user-group ids `S…`, comma-separated) and restart the app.',
  notAllowed:
    'You are not allowed to run timesheet exports. Ask your Slack admin to add you (or your user group) to `ALLOWED_USERS`.',
  /** `channels`: the allowed channels as Slack links, comma-separated. */
  channelRefusal: (channels: string) =>
    `Payroll exports are only posted in ${channels}. Run the command there (or ask your Slack admin to add this channel to \`ALLOWED_CHANNELS\`).`,
};

export const accessText: Catalogs<typeof en> = {
  en,
  fr: {
    nobodyAllowed:
      "Personne ne peut encore lancer d'export : demandez à votre administrateur Slack de renseigner `ALLOWED_USERS` (identifiants d'utilisateurs Slack `U…` ou de groupes `S…`, séparés par des virgules) puis de redémarrer l'application.",
    notAllowed:
      "Vous n'avez pas l'autorisation de lancer des exports de temps. Demandez à votre administrateur Slack de vous ajouter (vous ou votre groupe d'utilisateurs) à `ALLOWED_USERS`.",
    channelRefusal: (channels) =>
      `Les exports de paie ne sont publiés que dans ${channels}. Lancez la commande dans ce canal (ou demandez à votre administrateur Slack d'ajouter celui-ci à \`ALLOWED_CHANNELS\`).`,
  },
};
