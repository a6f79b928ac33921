import type { Language } from '../i18n/language.js';
import type { Clock } from '../util/clock.js';
import { systemClock } from '../util/clock.js';
import { accessText } from './messages/catalogs/access.js';

export interface AccessSettings {
  /** `undefined`: ALLOWED_USERS is unset, nobody may run exports. */
  allowedUsers: readonly string[] | '*' | undefined;
  allowedChannels: readonly string[] | undefined;
}

/** Why someone may not: `nobody-allowed` when ALLOWED_USERS is unset, `not-allowed` when they are not in it. */
export type AccessRefusal = 'nobody-allowed' | 'not-allowed';

export type AccessDecision = { allowed: true } | { allowed: false; refusal: AccessRefusal };

/** The sentence a refused person reads, in their language. */
export function refusalText(refusal: AccessRefusal, language: Language): string {
  const text = accessText[language];
  return refusal === 'nobody-allowed' ? text.nobodyAllowed : text.notAllowed;
}

/** Resolves a user-group id (`S…`) to its members' user ids (Slack's `usergroups.users.list`). */
export type GroupResolver = (groupId: string) => Promise<readonly string[]>;

const GROUP_CACHE_MS = 5 * 60_000;

const NOT_ALLOWED: AccessDecision = { allowed: false, refusal: 'not-allowed' };

/**
 * Who may start, retry or cancel exports, and where the bot may post. Payroll data is sensitive,
 * so an unset ALLOWED_USERS means nobody, and a group that cannot be resolved grants nothing.
 */
export class AccessControl {
  private readonly groups = new Map<string, { members: readonly string[]; until: number }>();

  constructor(
    private readonly settings: AccessSettings,
    private readonly resolveGroup: GroupResolver,
    private readonly clock: Clock = systemClock,
  ) {}

  async canRunExports(userId: string): Promise<AccessDecision> {
    const known = this.decideNow(userId);
    if (known) return known;
    const allowed = this.settings.allowedUsers ?? [];
    for (const id of allowed === '*' ? [] : allowed) {
      if (!id.startsWith('S')) continue;
      const members = await this.membersOf(id);
      if (members.includes(userId)) return { allowed: true };
    }
    return NOT_ALLOWED;
  }

  /**
   * The decision when it needs no Slack call (ALLOWED_USERS unset, `*`, the user listed, or every
   * listed group's members still cached); undefined when a user group must be looked up first.
   * Lets a handler that must ack within 3 s answer in the ack only when that costs nothing.
   */
  decideNow(userId: string): AccessDecision | undefined {
    const allowed = this.settings.allowedUsers;
    if (allowed === undefined) {
      return { allowed: false, refusal: 'nobody-allowed' };
    }
    if (allowed === '*' || allowed.includes(userId)) return { allowed: true };
    const now = this.clock.now();
    for (const id of allowed) {
      if (!id.startsWith('S')) continue;
      const cached = this.groups.get(id);
      if (!cached || cached.until <= now) return undefined;
      if (cached.members.includes(userId)) return { allowed: true };
    }
    return NOT_ALLOWED;
  }

  channelAllowed(channelId: string | null | undefined): boolean {
    const allowed = this.settings.allowedChannels;
    if (allowed === undefined) return true;
    return typeof channelId === 'string' && allowed.includes(channelId);
  }

  channelRefusal(language: Language): string {
    const list = (this.settings.allowedChannels ?? []).map((c) => `<#${c}>`).join(', ');
    return accessText[language].channelRefusal(list);
  }

  private async membersOf(groupId: string): Promise<readonly string[]> {
    const now = this.clock.now();
    const cached = this.groups.get(groupId);
    if (cached && cached.until > now) return cached.members;
    try {
      const members = await this.resolveGroup(groupId);
      this.groups.set(groupId, { members, until: now + GROUP_CACHE_MS });
      return members;
    } catch {
      // A group we cannot read grants nothing; a stale answer is still better than locking people out.
      return cached?.members ?? [];
    }
  }
}
