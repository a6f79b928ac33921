/**
 * The environment the benchmarks give the app: real config parsing (readConfig), pointed at the Slack
 * stand-in and the Lucca simulator on 127.0.0.1, with a fresh database in a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../test/helpers/free-port.js';

export const SIGNING_SECRET = '0be9c4a7d1f2e3b4c5d6e7f8a9b0c1d2';
export const BOT_TOKEN = 'xoxb-bench-0000-token';
export const LUCCA_KEY = 'bench-lucca-key-7f3a9c';
export const USER = 'U0BENCH';
export const CHANNEL = 'C0BENCH';

export interface AppEnvOptions {
  slackApiUrl: string;
  luccaUrl: string;
  extra?: Record<string, string>;
}

export interface AppDir {
  dir: string;
  env: Record<string, string>;
  remove(): void;
}

export function appEnv(options: AppEnvOptions): AppDir {
  const dir = mkdtempSync(path.join(tmpdir(), 'timesheet-bench-'));
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: options.slackApiUrl,
    LUCCA_BASE_URL: options.luccaUrl,
    LUCCA_API_KEY: LUCCA_KEY,
    DATABASE_PATH: path.join(dir, 'app.sqlite'),
    EXPORT_FILES_DIR: path.join(dir, 'exports'),
    ALLOWED_USERS: USER,
    LOG_LEVEL: 'info',
    ...options.extra,
  };
  return { dir, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `a1=1,a2=2,…`: one alias per configuration id, as EXPORT_CONFIGURATIONS takes them. */
export function aliases(count: number, firstId = 1): string {
  return Array.from({ length: count }, (_, i) => `cfg${firstId + i}=${firstId + i}`).join(',');
}

export { freePort };
