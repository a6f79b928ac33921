/**
 * The one lookup between EXPORT_CONFIGURATIONS' aliases and configuration ids, for the command, the
 * modal and the CLI. Aliases are lower case (config.ts makes them so).
 */
export type Aliases = Readonly<Record<string, number>>;

/** The id an alias names. Own keys only: an alias such as `constructor` must not find Object.prototype's. */
export function configurationOfAlias(aliases: Aliases, alias: string | undefined): number | undefined {
  return alias !== undefined && Object.hasOwn(aliases, alias) ? aliases[alias] : undefined;
}

/** The alias people know a configuration by, so messages say `payroll` rather than `3`; null if none. */
export function aliasOf(aliases: Aliases, configurationId: number): string | null {
  return Object.entries(aliases).find(([, id]) => id === configurationId)?.[0] ?? null;
}
