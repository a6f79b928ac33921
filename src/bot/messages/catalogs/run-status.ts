import type { RunState } from '../../../exports/types.js';
import type { Catalogs } from '../../../i18n/language.js';

/** A run's state in a few words, and the `status` list (ephemeral, and App Home's recent runs). */
const en = {
  states: {
    queued: ':double_vertical_bar: queued',
    baseline: ':gear: starting',
    triggering: ':rocket: asking Lucca',
    polling: ':hourglass_flowing_sand: Lucca is building it',
    fetching: ':inbox_tray: downloading',
    delivering: ':outbox_tray: uploading',
    done: ':white_check_mark: delivered',
    stalled: ':warning: stalled (Retry available)',
    failed: ':x: failed',
    cancelled: ':no_entry_sign: cancelled',
  } as Record<RunState, string>,
  thread: 'thread',
  run: (id: number) => `run ${id}`,
  none: 'No exports yet. Start one with `/timesheet-export <configuration>` (try `/timesheet-export help`).',
  heading: 'Latest timesheet exports',
  count: (n: number) => `Latest timesheet exports: ${n}`,
  more: (n: number) => `…and ${n} more: the App Home tab lists them too.`,
};

export const runStatusText: Catalogs<typeof en> = {
  en,
  fr: {
    states: {
      queued: ':double_vertical_bar: en attente',
      baseline: ':gear: démarrage',
      triggering: ':rocket: demande à Lucca',
      polling: ":hourglass_flowing_sand: Lucca prépare l'export",
      fetching: ':inbox_tray: téléchargement',
      delivering: ':outbox_tray: envoi',
      done: ':white_check_mark: livré',
      stalled: ':warning: bloqué (Relancer possible)',
      failed: ':x: échec',
      cancelled: ':no_entry_sign: annulé',
    },
    thread: 'fil',
    run: (id) => `exécution ${id}`,
    none: "Aucun export pour l'instant. Lancez-en un avec `/timesheet-export <configuration>` (essayez `/timesheet-export help`).",
    heading: 'Derniers exports des temps',
    count: (n) => `Derniers exports des temps : ${n}`,
    more: (n) => `…et ${n} de plus : l'onglet Accueil de l'application les liste aussi.`,
  },
};
