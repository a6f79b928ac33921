import type { WebClient } from '@slack/web-api';
import { AppError } from '../errors.js';
import type { ExportRequest, Run } from '../exports/types.js';
import type { Language } from '../i18n/language.js';
import { configurationName } from '../i18n/names.js';
import { periodName } from '../i18n/periods.js';
import { whenNotBusy } from '../store/busy.js';
import { type Clock, systemClock } from '../util/clock.js';
import { runThreadText } from './messages/catalogs/run-thread.js';
import { threadLink } from './messages/format.js';
import type { BotIdentity, EnginePort } from './ports.js';
import { isSlackAuthError, slackErrorCode } from './slack-errors.js';

/** Why the parent message could not be posted; the same codes whoever reads them (see postErrorFor). */
export type SlackPostCode =
  | 'not-in-channel'
  | 'channel-not-found'
  | 'channel-archived'
  | 'slack-auth'
  | 'slack-scope'
  | 'slack-unavailable'
  | 'slack-post-failed';

export class SlackPostError extends AppError {
  declare readonly code: SlackPostCode;

  constructor(code: SlackPostCode, userMessage: string, options?: { cause?: unknown; detail?: string }) {
    super(code, userMessage, options);
  }
}

export interface StartedRun {
  run: Run;
  outcome: 'created' | 'joined' | 'queued';
  /** Link to the run's thread, when Slack told us the workspace URL. */
  link: string | undefined;
}

export interface StartRunDeps {
  client: WebClient;
  engine: EnginePort;
  identity: BotIdentity;
  notifier: { wake(): void };
  /** APP_LANGUAGE: the placeholder parent message is read in the channel. */
  language: Language;
  /** Paces the tries while the database is busy. */
  clock?: Clock;
}

/**
 * Starts a run from Slack (command, modal, schedule, App Home). The parent message is posted
 * BEFORE the run exists: if the bot cannot post in the channel, nothing reaches Lucca and the person
 * is told how to fix it, instead of an export being built that nobody can receive. The run is then
 * recorded with that message as its thread, in one write: a run seen without its thread, by another
 * process publishing the outbox between two writes, got a second parent message. A run that cannot
 * be recorded (the database stays locked by another process) takes its placeholder away again: a
 * "Starting…" with no run behind it would stay in the channel for ever.
 */
export async function startRunInSlack(
  deps: StartRunDeps,
  request: ExportRequest & { channelId: string },
): Promise<StartedRun> {
  const { client, engine, identity, notifier } = deps;
  const draft = {
    configurationId: request.configurationId,
    configurationLabel: request.configurationLabel ?? null,
  };
  // The same export already under way, with its thread: join it without posting anything, or the
  // channel would see a second "Starting…" flash and vanish.
  const running = engine.runToJoin?.(request.configurationId, request.endsAt);
  if (running?.threadTs) {
    const joined = engine.request(request);
    if (joined.outcome === 'joined') return joinedRun(deps, joined.run);
    // It ended meanwhile: the new run gets its parent message from the notifier (no thread yet).
    notifier.wake();
    return { run: joined.run, outcome: joined.outcome, link: undefined };
  }
  let ts: string | undefined;
  try {
    const posted = await client.chat.postMessage({
      channel: request.channelId,
      text: runThreadText[deps.language].placeholder(
        request.source === 'schedule',
        configurationName(draft, deps.language),
        periodName(request.endsAt, deps.language),
      ),
      unfurl_links: false,
    });
    ts = posted.ts;
  } catch (error) {
    throw postErrorFor(error, identity);
  }
  if (!ts)
    throw new SlackPostError('slack-post-failed', 'Slack did not accept the message. Please try again.');

  const busy = { clock: deps.clock ?? systemClock };
  let recorded: ReturnType<EnginePort['request']>;
  try {
    recorded = await whenNotBusy(() => engine.request({ ...request, threadTs: ts }), busy);
  } catch (error) {
    await client.chat.delete({ channel: request.channelId, ts }).catch(() => undefined);
    throw error;
  }
  const { run, outcome } = recorded;
  if (outcome === 'joined') {
    // Someone asked for the same export already: point to its thread, remove our placeholder.
    await client.chat.delete({ channel: request.channelId, ts }).catch(() => undefined);
    return joinedRun(deps, run);
  }
  notifier.wake();
  return { run, outcome, link: threadLink(identity.workspaceUrl, request.channelId, ts) };
}

function joinedRun(deps: StartRunDeps, run: Run): StartedRun {
  deps.notifier.wake();
  const link =
    run.threadTs && run.channelId
      ? threadLink(deps.identity.workspaceUrl, run.channelId, run.threadTs)
      : undefined;
  return { run, outcome: 'joined', link };
}

/** A sentence that says exactly how to fix a failed post (Probot-style operator errors). */
export function postErrorFor(error: unknown, identity: Pick<BotIdentity, 'userId'>): AppError {
  const code = isSlackAuthError(error) ? 'token-refused' : slackErrorCode(error);
  const me = `<@${identity.userId}>`;
  switch (code) {
    case 'not_in_channel':
      return new SlackPostError(
        'not-in-channel',
        `I am not a member of this channel. Invite me with \`/invite ${me}\` and run the command again.`,
      );
    case 'channel_not_found':
      return new SlackPostError(
        'channel-not-found',
        `I cannot see this channel. In a private channel, invite me first with \`/invite ${me}\`.`,
      );
    case 'is_archived':
      return new SlackPostError(
        'channel-archived',
        'This channel is archived: run the command in an active channel.',
      );
    case 'token-refused':
      return new SlackPostError(
        'slack-auth',
        'The app’s Slack token is no longer valid. Ask your Slack admin to reinstall the app and update SLACK_BOT_TOKEN.',
      );
    case 'missing_scope':
      return new SlackPostError(
        'slack-scope',
        'The app lacks the chat:write permission. Ask your Slack admin to reinstall it from manifest.yml.',
      );
    default:
      return new SlackPostError(
        'slack-unavailable',
        'Slack did not accept the message just now. Please try again in a minute.',
        {
          detail: code,
        },
      );
  }
}
