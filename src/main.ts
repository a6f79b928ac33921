import { composeApp, type RunningApp } from './compose.js';
import { ConfigError, readConfig, secretsOf } from './config.js';
import { configWarnings } from './doctor/environment.js';
import { userMessageOf } from './errors.js';
import { scheduleExtension } from './schedule-extension.js';
import { loadDotEnv } from './util/env-file.js';
import { createLogger, describeError, redact } from './util/log.js';

/**
 * Entry point: config → store → Lucca client → engine → bot (see compose.ts). Start-up problems
 * print one clear message naming the variable to fix and exit 1; SIGTERM/SIGINT stop cleanly.
 */
async function main(): Promise<void> {
  loadDotEnv();
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig(process.env, 'app');
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example, or run \`npm run doctor\`.\n`);
      process.exit(1);
    }
    throw error;
  }
  const secrets = secretsOf(config);
  const logger = createLogger({ level: config.logLevel, secrets });
  // Settings that start fine but leave the app useless (nobody allowed) or too open (any channel):
  // the same warnings as the doctor's, so an admin sees them without running it.
  for (const warning of configWarnings(config)) logger.warn(warning.label, { fix: warning.fix });

  let running: RunningApp;
  try {
    running = await composeApp(config, logger, { extend: (parts) => scheduleExtension(parts) });
  } catch (error) {
    logger.error('start-up failed', describeError(error));
    process.stderr.write(`${redact(userMessageOf(error), secrets)}\n`);
    process.exit(1);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    // A second signal, or a shutdown that hangs, must not keep the process alive for ever.
    setTimeout(() => process.exit(1), 20_000).unref();
    running
      .stop()
      .then(() => {
        logger.info('stopped cleanly');
        process.exit(0);
      })
      .catch((error) => {
        logger.error('shutdown failed', describeError(error));
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', describeError(reason)));
}

void main();
