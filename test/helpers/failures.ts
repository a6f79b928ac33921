import type { ChannelFailureCode } from '../../src/bot/messages/catalogs/failures.js';
import type { ScheduledStartFailureCode } from '../../src/bot/messages/catalogs/schedules.js';
import { postErrorFor, SlackPostError } from '../../src/bot/start-run.js';
import type { FailureFacts } from '../../src/errors.js';
import { ExportRequestError } from '../../src/exports/engine.js';
import { DatabaseBusyError } from '../../src/store/busy.js';
import { ConfigurationBusyError, StoreError } from '../../src/store/errors.js';

/**
 * Every code the channel can show, with facts such a failure carries: a code added to the catalog's
 * type without a line here is a compile error, so the scan below covers each one.
 */
export const EVERY_FAILURE: Record<ChannelFailureCode, FailureFacts> = {
  unauthorized: { status: 401 },
  forbidden: { status: 403 },
  'not-found': { configurationId: 3 },
  'bad-request': { endsAt: '2026-12-01', luccaMessage: 'date invalide' },
  'rate-limited': {},
  unavailable: { attempts: 4 },
  'bad-response': {},
  'file-too-large': { maxBytes: 200_000_000 },
  'download-failed': { attempts: 2 },
  'not-a-file': { kind: 'web-page' },
  'answer-too-large': { maxBytes: 64 * 1024 },
  aborted: {},
  'disk-full': { systemCode: 'ENOSPC' },
  'files-dir-unwritable': { systemCode: 'EROFS' },
  'export-never-appeared': { waitedMs: 7_200_000 },
  'delivery-failed': {},
  internal: {},
  'upload-failed': { status: 500 },
  'upload-aborted': {},
  'slack-rate-limited': {},
  'slack-unavailable': { slackError: 'internal_error' },
  'slack-http-error': { status: 401 },
  'slack-unreachable': {},
  'file-missing': {},
  'slack-error': { slackError: 'invalid_blocks' },
  'not-in-channel': { slackError: 'not_in_channel' },
  'channel-not-found': { slackError: 'channel_not_found' },
  'channel-archived': { slackError: 'is_archived' },
  'slack-auth': { slackError: 'account_inactive' },
  'slack-missing-scope': { scope: 'files:write' },
  'empty-file': { fileName: 'paie.csv' },
  'no-channel': {},
  'channel-not-allowed': {},
};

/** A WebClient platform error, as @slack/web-api throws it. */
export const slackRefusal = (error: string) =>
  Object.assign(new Error(error), { code: 'slack_webapi_platform_error', data: { ok: false, error } });

/** Slack's answers that refuse a message, one for each sentence postErrorFor has (the last: any other). */
export const SLACK_POST_REFUSALS = [
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'invalid_auth',
  'missing_scope',
  'fatal_error',
] as const;

/**
 * Every error a scheduled start can meet, by its code: a code added to ScheduledStartFailureCode
 * without a line here is a compile error, so the French scan covers each one.
 */
export const EVERY_START_FAILURE: Record<ScheduledStartFailureCode, unknown> = {
  'not-in-channel': postErrorFor(slackRefusal('not_in_channel'), { userId: 'U0BOT' }),
  'channel-not-found': postErrorFor(slackRefusal('channel_not_found'), { userId: 'U0BOT' }),
  'channel-archived': postErrorFor(slackRefusal('is_archived'), { userId: 'U0BOT' }),
  'slack-auth': postErrorFor(slackRefusal('invalid_auth'), { userId: 'U0BOT' }),
  'slack-scope': postErrorFor(slackRefusal('missing_scope'), { userId: 'U0BOT' }),
  'slack-unavailable': postErrorFor(slackRefusal('fatal_error'), { userId: 'U0BOT' }),
  'slack-post-failed': new SlackPostError(
    'slack-post-failed',
    'Slack did not accept the message. Please try again.',
  ),
  'database-busy': new DatabaseBusyError(20_000),
  'database-unavailable': new StoreError('database-unavailable', 'The database cannot be opened.'),
  'database-too-new': new StoreError(
    'database-too-new',
    'The database was written by a newer version of the app.',
  ),
  'configuration-busy': new ConfigurationBusyError(3),
  'invalid-request': new ExportRequestError('it does not say who asked for it'),
  internal: new TypeError('x is undefined'),
};
