import { whenNotBusy } from '../store/busy.js';
import type { Clock } from '../util/clock.js';

/** Remembers the interactions already handled (the store's InteractionStore). */
export interface InteractionLog {
  /** True the first time `key` is seen; false for a repeat within Slack's replay window. */
  firstTime(key: string, now: number): boolean;
}

/**
 * Whether this exact interaction was handled before: the same signed request sent again (a replay,
 * which Slack's signature does not prevent for 5 minutes) must not retry or cancel a run twice.
 * Slack gives each click its own `trigger_id` and `action_ts`, and each command its own
 * `trigger_id`, so a real second click is never taken for a replay. Called after the ack: the
 * database may be busy, and the ack must not wait on it.
 */
export async function isReplay(
  ctx: { interactions?: InteractionLog | undefined; clock: Clock },
  key: string | undefined,
): Promise<boolean> {
  const log = ctx.interactions;
  if (!log || !key) return false;
  return !(await whenNotBusy(() => log.firstTime(key, ctx.clock.now()), { clock: ctx.clock }));
}

/** The key of one button click: its trigger and the moment Slack stamped the action. */
export function clickKey(
  body: { trigger_id?: unknown },
  action: { action_ts?: unknown },
): string | undefined {
  if (typeof body.trigger_id !== 'string' || typeof action.action_ts !== 'string') return undefined;
  return `click:${body.trigger_id}:${action.action_ts}`;
}

export function commandKey(triggerId: unknown): string | undefined {
  return typeof triggerId === 'string' && triggerId ? `command:${triggerId}` : undefined;
}
