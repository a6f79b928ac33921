import type { WebClient } from '@slack/web-api';
import type { DeliveryPort, Run } from '../exports/types.js';
import type { Language } from '../i18n/language.js';
import { configurationName } from '../i18n/names.js';
import { periodName } from '../i18n/periods.js';
import type { Logger } from '../util/log.js';
import { deliveryText } from './messages/catalogs/delivery.js';
import { threadLink } from './messages/format.js';
import type { BotIdentity } from './ports.js';
import { SlackDeliveryError, slackErrorToDelivery, uploadFileStreaming } from './slack-upload.js';

/** Remembers which files of a run Slack already has, so a retried delivery does not post them twice. */
export interface DeliveryReceipts {
  delivered(runId: number, attempt: number): ReadonlySet<string>;
  record(runId: number, attempt: number, fileName: string, slackFileId: string, now: number): void;
}

/**
 * Delivers a run's files to its channel, streamed from disk. Failures are SlackDeliveryErrors the engine
 * understands (`retryable`): it retries from the same files, never by asking Lucca again.
 */
export class SlackDelivery implements DeliveryPort {
  constructor(
    private readonly deps: {
      client: WebClient;
      identity: BotIdentity;
      channelAllowed: (channelId: string) => boolean;
      receipts: DeliveryReceipts;
      logger: Logger;
      /** APP_LANGUAGE: the upload's comment is read in the channel. */
      language: Language;
      now?: () => number;
    },
  ) {}

  async deliver(run: Run): Promise<void> {
    const channelId = run.channelId;
    if (!channelId) {
      throw new SlackDeliveryError(
        'no-channel',
        'This export was not started from Slack, so there is no channel to send it to.',
        {
          retryable: false,
        },
      );
    }
    if (!this.deps.channelAllowed(channelId)) {
      throw new SlackDeliveryError(
        'channel-not-allowed',
        'This channel is not in ALLOWED_CHANNELS any more, so the file was not posted. Ask your Slack admin.',
        { retryable: false },
      );
    }
    const done = this.deps.receipts.delivered(run.id, run.attempt);
    const link = run.threadTs
      ? threadLink(this.deps.identity.workspaceUrl, channelId, run.threadTs)
      : undefined;
    const comment = deliveryText[this.deps.language].comment({
      scheduled: run.source === 'schedule',
      requester: `<@${run.requestedBy}>`,
      what: `${configurationName(run, this.deps.language)}, ${periodName(run.endsAt, this.deps.language)}`,
      thread: link,
    });
    let first = done.size === 0;
    for (const file of run.files) {
      if (done.has(file.name)) continue;
      try {
        const { fileId } = await uploadFileStreaming(this.deps.client, {
          path: file.path,
          filename: file.name,
          title: file.name,
          channelId,
          ...(first ? { initialComment: comment } : {}),
        });
        this.deps.receipts.record(run.id, run.attempt, file.name, fileId, (this.deps.now ?? Date.now)());
        first = false;
        this.deps.logger.info('file delivered', { runId: run.id, file: file.name, bytes: file.bytes });
      } catch (error) {
        throw slackErrorToDelivery(error);
      }
    }
  }
}
