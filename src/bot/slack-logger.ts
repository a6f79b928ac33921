import { LogLevel } from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/logger';
import type { Logger } from '../util/log.js';

/**
 * Bolt and the WebClient log through our logger, so their lines are redacted, leveled and JSON like
 * ours. Without it the WebClient prints `[WARN]  web-api:WebClient:0 http request failed` lines of its
 * own beside the JSON log whenever Slack cannot be reached.
 */
export function slackLibraryLogger(logger: Logger, initialName: string): SlackLogger {
  let level = LogLevel.INFO;
  let name = initialName;
  const line = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ');
  return {
    debug: (...args) => logger.debug(line(args), { component: name }),
    info: (...args) => logger.info(line(args), { component: name }),
    warn: (...args) => logger.warn(line(args), { component: name }),
    error: (...args) => logger.error(line(args), { component: name }),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n) => {
      name = n;
    },
  };
}
