import type { ChannelFailureCode } from '../../src/bot/messages/catalogs/failures.js';
import type { FailureFacts } from '../../src/errors.js';

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
