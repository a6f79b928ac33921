import type { Catalogs, Language } from '../../src/i18n/language.js';
import { isLanguage } from '../../src/i18n/language.js';
import { DEMO } from './settings.js';

/** The lines that tell the story between the acts, in the demo's language (`--lang`). */
const en = {
  act1: `Act 1 — ${DEMO.userName} asks for last month's timesheets in #${DEMO.channelName}`,
  act2: 'Act 2 — this time Lucca never finishes the export (it happens, and Lucca never says so)',
  stallNote: (stallAfter: string) =>
    `The app waits EXPORT_STALL_AFTER=${stallAfter} (60m by default), then offers Retry.`,
  retry: (button: string) => `Lucca is back. ${DEMO.userName} clicks [ ${button} ]`,
  building: (elapsed: string) => `Lucca is building the export; the app looks every few seconds (${elapsed})`,
  stalling: (elapsed: string, stallAfter: string) =>
    `Lucca shows nothing; the app keeps looking (${elapsed}, stall limit ${stallAfter})`,
  retrying: (elapsed: string) => `Retry: one more look, then a new export request to Lucca (${elapsed})`,
};

export const narration: Catalogs<typeof en> = {
  en,
  fr: {
    act1: `Acte 1 — ${DEMO.userName} demande les temps du mois dernier dans #${DEMO.channelName}`,
    act2: "Acte 2 — cette fois, Lucca ne termine jamais l'export (cela arrive, et Lucca ne le dit jamais)",
    stallNote: (stallAfter) =>
      `L'application attend EXPORT_STALL_AFTER=${stallAfter} (60m par défaut), puis propose Relancer.`,
    retry: (button) => `Lucca répond de nouveau. ${DEMO.userName} clique sur [ ${button} ]`,
    building: (elapsed) =>
      `Lucca prépare l'export ; l'application vérifie toutes les quelques secondes (${elapsed})`,
    stalling: (elapsed, stallAfter) =>
      `Lucca ne montre rien ; l'application continue de vérifier (${elapsed}, limite ${stallAfter})`,
    retrying: (elapsed) =>
      `Relancer : une dernière vérification, puis une nouvelle demande d'export à Lucca (${elapsed})`,
  },
};

export class DemoArgumentError extends Error {}

/** `--lang fr` (or `en`, the default): the app's APP_LANGUAGE and the narration's. */
export function demoLanguage(argv: readonly string[]): Language {
  const flag = argv.indexOf('--lang');
  if (flag < 0) return 'en';
  const value = argv[flag + 1];
  if (!isLanguage(value)) throw new DemoArgumentError(`--lang takes en or fr, not ${value ?? 'nothing'}`);
  return value;
}
