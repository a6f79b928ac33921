import { type Language, languageOfLocale } from '../i18n/language.js';
import type { Clock } from '../util/clock.js';
import { describeError, type Logger } from '../util/log.js';
import { slackErrorCode } from './slack-errors.js';

/**
 * The language of what one person reads alone (ephemeral replies, help, the modal, App Home): their
 * Slack language (`users.info` with `include_locale`, which needs the optional `users:read` scope),
 * or APP_LANGUAGE when the app cannot know it.
 */
export interface PersonalLanguage {
  /** At once, never waiting: the cached language, or APP_LANGUAGE (a lookup starts in the background). */
  known(userId: string): Language;
  /** The person's language, waiting at most a short bound for Slack; APP_LANGUAGE when it cannot be had. */
  of(userId: string): Promise<Language>;
}

/** Slack's `locale` for a user (`fr-FR`), or undefined. Throws what the WebClient throws. */
export type LocaleLookup = (userId: string) => Promise<string | undefined>;

export interface UserLanguagesOptions {
  /** APP_LANGUAGE */
  fallback: Language;
  lookup: LocaleLookup;
  clock: Clock;
  logger?: Logger;
  /** How long a person's language is trusted before it is asked again (they may change it in Slack). */
  ttlMs?: number;
  /** People remembered at most; the least recently asked-for is forgotten first. */
  maxEntries?: number;
  /** The longest `of` waits for Slack: the reply must not feel slow for the sake of its language. */
  waitMs?: number;
  /** After `missing_scope`, how long before Slack is asked again (an admin may add users:read meanwhile). */
  scopeRetryMs?: number;
}

const HOUR = 3_600_000;

/**
 * Cached per user, bounded, with expiry from the injected clock. A failed lookup (no users:read,
 * Slack down, a locale the app does not speak) answers APP_LANGUAGE and is remembered for a while,
 * so that a workspace without the scope costs one call, not one per command.
 */
export class UserLanguages implements PersonalLanguage {
  private readonly entries = new Map<string, { language: Language; until: number }>();
  private readonly pending = new Map<string, Promise<Language>>();
  private scopeMissingUntil = 0;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly waitMs: number;
  private readonly scopeRetryMs: number;

  constructor(private readonly options: UserLanguagesOptions) {
    this.ttlMs = options.ttlMs ?? 6 * HOUR;
    this.maxEntries = options.maxEntries ?? 1_000;
    this.waitMs = options.waitMs ?? 1_500;
    this.scopeRetryMs = options.scopeRetryMs ?? HOUR;
  }

  known(userId: string): Language {
    const cached = this.cached(userId);
    if (cached) return cached;
    void this.lookUp(userId);
    return this.options.fallback;
  }

  async of(userId: string): Promise<Language> {
    const cached = this.cached(userId);
    if (cached) return cached;
    const controller = new AbortController();
    const timeout = this.options.clock
      .sleep(this.waitMs, controller.signal)
      .then(() => this.options.fallback);
    try {
      return await Promise.race([this.lookUp(userId), timeout]);
    } finally {
      controller.abort();
    }
  }

  private cached(userId: string): Language | undefined {
    const entry = this.entries.get(userId);
    if (!entry) return undefined;
    if (entry.until <= this.options.clock.now()) {
      this.entries.delete(userId);
      return undefined;
    }
    // Most recently used last: eviction takes the first.
    this.entries.delete(userId);
    this.entries.set(userId, entry);
    return entry.language;
  }

  private lookUp(userId: string): Promise<Language> {
    const { fallback, clock } = this.options;
    if (clock.now() < this.scopeMissingUntil) return Promise.resolve(fallback);
    const running = this.pending.get(userId);
    if (running) return running;
    const lookup = this.ask(userId).finally(() => this.pending.delete(userId));
    this.pending.set(userId, lookup);
    return lookup;
  }

  private async ask(userId: string): Promise<Language> {
    const { fallback, clock, logger } = this.options;
    let language = fallback;
    let ttl = this.ttlMs;
    try {
      language = languageOfLocale(await this.options.lookup(userId)) ?? fallback;
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === 'missing_scope') {
        this.scopeMissingUntil = clock.now() + this.scopeRetryMs;
        logger?.debug('no users:read scope: personal replies use APP_LANGUAGE', { user: userId });
        return fallback;
      }
      // Slack down or slow: try again soon rather than keep the fallback for hours.
      ttl = Math.min(this.ttlMs, 5 * 60_000);
      logger?.debug('could not read a user’s Slack language; using APP_LANGUAGE', {
        user: userId,
        ...describeError(error),
      });
    }
    this.remember(userId, language, clock.now() + ttl);
    return language;
  }

  private remember(userId: string, language: Language, until: number): void {
    this.entries.delete(userId);
    this.entries.set(userId, { language, until });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
