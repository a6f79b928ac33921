import type { Catalogs, Language } from './language.js';

const en = {
  configuration: (id: number) => `configuration #${id}`,
};
const names: Catalogs<typeof en> = {
  en,
  fr: { configuration: (id) => `configuration d'export n° ${id}` },
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
