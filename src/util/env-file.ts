import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Loads `.env` from the working directory when there is one (Node's own parser, `process.loadEnvFile`,
 * Node ≥ 20.12). Variables already set in the environment win, as with `node --env-file`, so an
 * operator's systemd Environment= lines override the file. Returns the file loaded, if any.
 */
export function loadDotEnv(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = path.join(cwd, '.env');
  if (env.DOTENV === 'off' || !existsSync(file)) return undefined;
  const before = { ...env };
  process.loadEnvFile(file);
  for (const [key, value] of Object.entries(before)) env[key] = value;
  return file;
}
