import { LogLevel, type Logger as SlackLogger, WebClient } from '@slack/web-api';
import { AUTH_ERRORS, BOT_TOKEN_FIX, slackErrorCode, slackHttpStatus } from '../bot/slack-errors.js';
import type { Config } from '../config.js';
import { BOT_SCOPES, OPTIONAL_BOT_SCOPES, SCOPE_PURPOSE } from './required-scopes.js';
import type { CheckResult } from './types.js';

export interface SlackCheckOptions {
  /** Variables the environment check found missing or bad: what needs them is skipped. */
  unusable?: ReadonlySet<string>;
  /** Per Slack call. */
  timeoutMs?: number;
  requiredScopes?: readonly string[];
}

/**
 * The bot token (auth.test), its scopes against the manifest's (Slack reports granted scopes in the
 * `x-oauth-scopes` header, which @slack/web-api exposes as `response_metadata.scopes`), and the
 * Socket Mode token when one is set.
 */
export async function checkSlack(config: Config, options: SlackCheckOptions = {}): Promise<CheckResult[]> {
  const unusable = options.unusable ?? new Set<string>();
  const blocking = ['SLACK_BOT_TOKEN', 'SLACK_API_URL'].filter((v) => unusable.has(v));
  if (blocking.length) {
    return [skipped('Slack was not contacted', blocking)];
  }
  const timeout = options.timeoutMs ?? 10_000;
  const results: CheckResult[] = [];
  const client = doctorClient(config.slack.botToken, config.slack.apiUrl, timeout);

  let scopes: string[] | undefined;
  try {
    const auth = await client.auth.test();
    scopes = auth.response_metadata?.scopes;
    results.push({
      status: 'ok',
      label: 'Slack accepts SLACK_BOT_TOKEN',
      detail: `workspace ${auth.team ?? '?'} (${auth.team_id ?? '?'}), bot user @${auth.user ?? '?'}`,
    });
  } catch (error) {
    results.push(authFailure(error, config.slack.apiUrl));
    return results;
  }
  const scopeCheck = scopeResult(scopes, options.requiredScopes ?? BOT_SCOPES);
  const note = scopes ? optionalScopeNote(scopes, config.language) : undefined;
  results.push(
    note ? { ...scopeCheck, detail: [scopeCheck.detail, note].filter(Boolean).join('. ') } : scopeCheck,
  );

  if (config.slack.appToken) {
    if (unusable.has('SLACK_APP_TOKEN'))
      results.push(skipped('Socket Mode token not checked', ['SLACK_APP_TOKEN']));
    else results.push(await checkAppToken(config.slack.appToken, config.slack.apiUrl, timeout));
  } else if (!unusable.has('SLACK_SIGNING_SECRET')) {
    results.push({
      status: 'ok',
      label: `HTTP mode: Slack must reach https://<your host>/slack/events, forwarded to port ${config.slack.port}`,
      detail:
        'SLACK_SIGNING_SECRET cannot be checked from here: if it is wrong, every command fails with "dispatch_failed". Compare it with Basic Information → App Credentials.',
    });
  }
  return results;
}

/** Missing scopes fail (the feature that needs one breaks); extra ones are fine. */
export function scopeResult(
  granted: readonly string[] | undefined,
  required: readonly string[],
): CheckResult {
  if (!granted) {
    return {
      status: 'warn',
      label: 'Slack did not say which scopes the token has (no x-oauth-scopes header): not checked',
      fix: `Check OAuth & Permissions → Bot Token Scopes lists ${required.join(', ')}`,
    };
  }
  const missing = required.filter((scope) => !granted.includes(scope));
  if (missing.length === 0) {
    return { status: 'ok', label: `The token has the scopes the app needs (${required.join(', ')})` };
  }
  return {
    status: 'fail',
    label: `The bot token lacks ${missing.length === 1 ? 'the scope' : 'scopes'} ${missing.join(', ')}`,
    detail: missing.map((scope) => `${scope}: ${SCOPE_PURPOSE[scope] ?? 'required by the app'}`).join('; '),
    fix: `Add ${missing.join(', ')} under the Slack app's OAuth & Permissions → Bot Token Scopes (or re-create the app from manifest.yml), then reinstall the app to the workspace and copy the new Bot User OAuth Token into SLACK_BOT_TOKEN`,
  };
}

/**
 * Whether the optional scopes are granted: a note on the scope line (the app works either way), so
 * that an operator who wonders why replies are not in a person's language sees the reason.
 */
export function optionalScopeNote(granted: readonly string[], appLanguage: string): string | undefined {
  const notes = OPTIONAL_BOT_SCOPES.map((scope) =>
    granted.includes(scope)
      ? `Optional ${scope} is granted: ${SCOPE_PURPOSE[scope] ?? 'used by the app'}`
      : `Optional ${scope} is not granted, so personal replies use APP_LANGUAGE (${appLanguage}); add it under OAuth & Permissions and reinstall the app for ${SCOPE_PURPOSE[scope] ?? 'what it enables'}`,
  );
  return notes.length ? notes.join('. ') : undefined;
}

async function checkAppToken(appToken: string, apiUrl: string, timeout: number): Promise<CheckResult> {
  try {
    // Returns a WebSocket URL that is simply not used: nothing connects, nothing is received.
    await doctorClient(appToken, apiUrl, timeout).apps.connections.open();
    return { status: 'ok', label: 'Slack accepts SLACK_APP_TOKEN (Socket Mode)' };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code && AUTH_ERRORS.has(code)) {
      return {
        status: 'fail',
        label: `Slack refused SLACK_APP_TOKEN (${code})`,
        fix: "Generate a new app-level token with the connections:write scope on the Slack app's Basic Information page (App-Level Tokens) and set SLACK_APP_TOKEN",
      };
    }
    if (code === 'not_allowed_token_type') {
      return {
        status: 'fail',
        label: 'SLACK_APP_TOKEN is not an app-level token',
        fix: 'Use the xapp-… token from Basic Information → App-Level Tokens, not the bot token',
      };
    }
    return {
      status: 'warn',
      label: 'Socket Mode token: the format is right (xapp-…) but Slack could not confirm it',
      detail: code
        ? `apps.connections.open answered ${code}`
        : slackHttpStatus(error) !== undefined
          ? `apps.connections.open was answered with HTTP ${slackHttpStatus(error)} at ${apiUrl}`
          : `apps.connections.open could not be called at ${apiUrl}`,
      fix: 'Start the app: a wrong app token stops it at start-up with the reason',
    };
  }
}

function authFailure(error: unknown, apiUrl: string): CheckResult {
  const code = slackErrorCode(error);
  if (code && AUTH_ERRORS.has(code)) {
    return {
      status: 'fail',
      label: `Slack refused SLACK_BOT_TOKEN (${code})`,
      fix: BOT_TOKEN_FIX,
    };
  }
  if (code) {
    return {
      status: 'fail',
      label: `Slack answered auth.test with ${code}`,
      fix: "Check SLACK_BOT_TOKEN against the Slack app's OAuth & Permissions page",
    };
  }
  const status = slackHttpStatus(error);
  if (status !== undefined) {
    // Slack's Web API answers 200 (ok:false) to a bad token: another status comes from whatever
    // stands at SLACK_API_URL or in between (a proxy asking for its own credentials, an outage).
    return {
      status: 'fail',
      label: `Slack answered HTTP ${status} at ${apiUrl} (the network works; the request was refused)`,
      fix:
        status === 401 || status === 403 || status === 407
          ? "A proxy or firewall between this host and Slack refused the request, or SLACK_API_URL is not Slack's Web API: check the proxy settings, and leave SLACK_API_URL unset unless you use a stand-in"
          : 'Slack may be having an outage (https://slack-status.com); check again in a few minutes, and leave SLACK_API_URL unset unless you use a stand-in',
    };
  }
  return {
    status: 'fail',
    label: `Slack could not be reached at ${apiUrl}`,
    fix: 'Check that this host can reach slack.com over HTTPS (proxy, firewall), and leave SLACK_API_URL unset unless you use a stand-in',
  };
}

function skipped(label: string, variables: readonly string[]): CheckResult {
  return {
    status: 'warn',
    label,
    detail: `It needs ${variables.join(' and ')}, which ${variables.length === 1 ? 'is' : 'are'} missing or not valid (see Environment).`,
  };
}

const silent: SlackLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** No retries: the doctor reports the first answer instead of waiting out Slack's 30-minute backoff. */
function doctorClient(token: string, apiUrl: string, timeout: number): WebClient {
  return new WebClient(token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout,
    logger: silent,
  });
}
