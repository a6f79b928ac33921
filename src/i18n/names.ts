import type { Catalogs, Language } from './language.js';

const en = {
  configuration: (id: number) => `configuration #${id}`,
  unknownTimeType: 'Unknown time type',
};
const names: Catalogs<typeof en> = {
  en,
  fr: { configuration: (id) => `configuration d'export n° ${id}`, unknownTimeType: 'Type de temps inconnu' },
};

/** `payroll (#3)`, or in words when it has no alias: en `configuration #3`, fr `configuration d'export n° 3`. */
export function configurationName(
  run: { configurationId: number; configurationLabel?: string | null | undefined },
  language: Language,
): string {
  return run.configurationLabel
    ? `${run.configurationLabel} (#${run.configurationId})`
    : names[language].configuration(run.configurationId);
}

/**
 * A total's time type as Lucca names it, or in words when Lucca gave it no name (the summary keeps
 * `''` for those, so that the words are the reader's language, not the one of the day it was stored).
 */
export function timeTypeName(name: string, language: Language): string {
  return name || names[language].unknownTimeType;
}
