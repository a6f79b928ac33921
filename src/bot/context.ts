import type { WebClient } from '@slack/web-api';
import type { Language } from '../i18n/language.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { AccessControl } from './access.js';
import type { Notifier } from './notifier.js';
import type { BotIdentity, EnginePort } from './ports.js';
import type { InteractionLog } from './replays.js';
import type { PersonalLanguage } from './user-language.js';

/** Everything a listener needs, built once by the composition root. */
export interface BotContext {
  engine: EnginePort;
  access: AccessControl;
  notifier: Notifier;
  identity: BotIdentity;
  /** alias → configuration id, from EXPORT_CONFIGURATIONS. */
  aliases: Record<string, number>;
  timezone: string;
  /** APP_LANGUAGE: what everyone in a channel reads. */
  language: Language;
  /** What one person reads alone: their Slack language when the app can know it. */
  languages: PersonalLanguage;
  stallAfterMs: number;
  clock: Clock;
  logger: Logger;
  /** Extra command handlers (schedules, doctor) registered by other parts of the app. */
  extensions?: CommandExtensions;
  /** Interactions already handled: a replayed click or command is ignored. */
  interactions?: InteractionLog;
}

export interface CommandReply {
  text: string;
  blocks?: unknown[];
}

/**
 * Command handlers composed outside the listener: the schedule commands (bot/schedule-commands.ts, given
 * their ScheduleStore by src/schedule-extension.ts) and the doctor (src/doctor), so the command listener
 * needs neither the schedule store nor the doctor's checks.
 */
export interface CommandExtensions {
  schedule?: (
    command: import('../command/grammar.js').ParsedCommand,
    user: { userId: string; channelId: string; language: Language },
    client: WebClient,
  ) => Promise<CommandReply>;
  doctor?: () => Promise<CommandReply>;
}
