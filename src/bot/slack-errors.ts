/**
 * Slack Web API failures in one place: what kind each is, so every caller (notifier, upload, command
 * replies, start-up, doctor) agrees on what waiting can heal.
 *
 * - `auth`: the token no longer works (Slack's "invalid_auth", "not_authed", "token_revoked",
 *   "token_expired", "account_inactive": https://docs.slack.dev/reference/methods/auth.test errors).
 *   Nothing heals until an admin replaces SLACK_BOT_TOKEN and restarts the app.
 * - `rate-limited`: Slack's "ratelimited" (HTTP 429, https://docs.slack.dev/apis/web-api/rate-limits):
 *   wait for Retry-After.
 * - `transient`: Slack's own trouble ("internal_error", "fatal_error", "service_unavailable",
 *   "request_timeout"), HTTP 5xx or 408, or no answer at all: try again later.
 * - `permanent`: any other Slack error ("not_in_channel", "invalid_blocks"…): the same call fails again.
 */
export type SlackErrorKind = 'auth' | 'rate-limited' | 'transient' | 'permanent';

export const AUTH_ERRORS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);
const RATE_LIMITED = new Set(['ratelimited', 'rate_limited']);
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** The `error` string of a Slack Web API failure (`not_in_channel`, `ratelimited`…), if there is one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  if (data && typeof data.error === 'string') return data.error;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  return undefined;
}

/**
 * The HTTP status of an answer that was not Slack's usual 200 (a proxy's 401 or 407, a 5xx, a
 * SLACK_API_URL that is not Slack's API): Slack was reached, but something refused the call.
 */
export function slackHttpStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** What kind of failure a WebClient call threw (see the module comment). */
export function classifySlackError(error: unknown): SlackErrorKind {
  const slackError = slackErrorCode(error);
  if (slackError !== undefined) return classifySlackErrorCode(slackError);
  const e = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  if (e.code === 'slack_webapi_http_error' && typeof e.statusCode === 'number') {
    if (e.statusCode === 429) return 'rate-limited';
    return e.statusCode === 408 || e.statusCode >= 500 ? 'transient' : 'permanent';
  }
  // No answer (network, timeout) or an error of our own: waiting may heal it.
  return 'transient';
}

export function classifySlackErrorCode(slackError: string): SlackErrorKind {
  if (AUTH_ERRORS.has(slackError)) return 'auth';
  if (RATE_LIMITED.has(slackError)) return 'rate-limited';
  if (TRANSIENT.has(slackError)) return 'transient';
  return 'permanent';
}

export const isSlackAuthError = (error: unknown): boolean => classifySlackError(error) === 'auth';

/** What an admin does about a refused bot token: the same words in the log, /healthz and the doctor. */
export const BOT_TOKEN_FIX =
  "Copy the Bot User OAuth Token (xoxb-…) again from the Slack app's OAuth & Permissions page (reinstall the app if it is not there), set SLACK_BOT_TOKEN and restart the app.";

/**
 * Remembers that Slack refused the bot token while the app runs: logged once with the fix, reported
 * by /healthz (503), and asked by the notifier so that it stops calling Slack until the restart.
 */
export class SlackTokenHealth {
  private refused: string | undefined;

  constructor(private readonly log: (message: string, fields: Record<string, unknown>) => void) {}

  /** Records a refusal; true the first time (the one that is logged). */
  report(slackError: string): boolean {
    if (this.refused !== undefined) return false;
    this.refused = slackError;
    this.log(`Slack refused SLACK_BOT_TOKEN (${slackError}). ${BOT_TOKEN_FIX} Messages wait until then.`, {
      slackError,
    });
    return true;
  }

  /** The reason /healthz gives, or undefined while the token works. */
  problem(): string | undefined {
    return this.refused === undefined ? undefined : `Slack refused SLACK_BOT_TOKEN (${this.refused})`;
  }
}
