/**
 * Requests as Slack sends them to the app's Bolt HTTP receiver (`POST <appUrl>/slack/events`),
 * signed with the signing secret the way Bolt's verifySlackRequest checks them:
 * `x-slack-signature: v0=` + HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`), with
 * `x-slack-request-timestamp` within 5 minutes of the receiver's clock.
 * Bolt parses a body as a form only when content-type is exactly `application/x-www-form-urlencoded`;
 * commands are form fields, interactions a form field `payload=<json>`, events a JSON body.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface SendOptions {
  /** Seconds since the epoch to sign with (default: now); an old one exercises the staleness check. */
  timestampSec?: number;
  /** Sign with the wrong secret. */
  badSignature?: boolean;
  /** Extra headers, e.g. `x-slack-retry-num` to imitate Slack's retries of an event. */
  headers?: Record<string, string>;
}

export interface SendResult {
  status: number;
  body: string;
  /** Wall time until the answer: how long the app took to ack. */
  ms: number;
}

export interface SlashCommandFields {
  text: string;
  user_id?: string;
  channel_id?: string;
  command?: string;
  response_url?: string;
  trigger_id?: string;
  team_id?: string;
  user_name?: string;
  channel_name?: string;
}

const TEAM_ID = 'T0TEST';
const APP_ID = 'A0TEST';
// Deprecated verification token that Slack still puts in every payload; Bolt ignores it.
const VERIFICATION_TOKEN = 'test-verification-token';
// Port 9 (discard) on loopback refuses connections at once: a response_url that goes nowhere.
const NOWHERE = 'http://127.0.0.1:9/commands/T0TEST/0000/nowhere';

export function signBody(secret: string, body: string, timestampSec?: number): Record<string, string> {
  const timestamp = String(timestampSec ?? Math.floor(Date.now() / 1000));
  const hash = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${hash}`, 'x-slack-request-timestamp': timestamp };
}

export function triggerId(): string {
  return `${Date.now()}.${randomBytes(5).readUInt32BE(0)}.${randomBytes(16).toString('hex')}`;
}

function eventsUrl(appUrl: string): string {
  const base = appUrl.replace(/\/+$/, '');
  return base.endsWith('/slack/events') ? base : `${base}/slack/events`;
}

async function post(
  appUrl: string,
  secret: string,
  body: string,
  contentType: string,
  options: SendOptions = {},
): Promise<SendResult> {
  const signing = options.badSignature ? `${secret}-wrong` : secret;
  const started = performance.now();
  const response = await fetch(eventsUrl(appUrl), {
    method: 'POST',
    headers: {
      'content-type': contentType,
      ...signBody(signing, body, options.timestampSec),
      ...options.headers,
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text, ms: Math.round(performance.now() - started) };
}

export async function sendSlashCommand(
  appUrl: string,
  secret: string,
  fields: SlashCommandFields,
  options?: SendOptions,
): Promise<SendResult> {
  const form = new URLSearchParams(slashCommandPayload(fields));
  return post(appUrl, secret, form.toString(), 'application/x-www-form-urlencoded', options);
}

/** A slash command's fields as Slack sends them: form fields over HTTP, a JSON payload in Socket Mode. */
export function slashCommandPayload(fields: SlashCommandFields): Record<string, string> {
  const teamId = fields.team_id ?? TEAM_ID;
  return {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    team_domain: 'example',
    channel_id: fields.channel_id ?? 'C0TEST',
    channel_name: fields.channel_name ?? 'payroll',
    user_id: fields.user_id ?? 'U0TEST',
    user_name: fields.user_name ?? 'payroll.manager',
    command: fields.command ?? '/timesheet-export',
    text: fields.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: fields.response_url ?? NOWHERE,
    trigger_id: fields.trigger_id ?? triggerId(),
  };
}

export async function sendInteraction(
  appUrl: string,
  secret: string,
  payload: object,
  options?: SendOptions,
): Promise<SendResult> {
  const form = new URLSearchParams({ payload: JSON.stringify(payload) });
  return post(appUrl, secret, form.toString(), 'application/x-www-form-urlencoded', options);
}

/**
 * Sends an Events API request. A bare event (`{type:'app_home_opened', user, ...}`) is wrapped in
 * the `event_callback` envelope Slack uses; an object that already is an envelope
 * (`event_callback`, `url_verification`) is sent as is.
 */
export async function sendEvent(
  appUrl: string,
  secret: string,
  event: object,
  options?: SendOptions,
): Promise<SendResult> {
  const type = (event as { type?: unknown }).type;
  const body =
    type === 'event_callback' || type === 'url_verification'
      ? event
      : {
          token: VERIFICATION_TOKEN,
          team_id: TEAM_ID,
          api_app_id: APP_ID,
          event: { event_ts: `${Date.now() / 1000}`, ...event },
          type: 'event_callback',
          event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
          event_time: Math.floor(Date.now() / 1000),
          authorizations: [
            {
              enterprise_id: null,
              team_id: TEAM_ID,
              user_id: 'U0BOT',
              is_bot: true,
              is_enterprise_install: false,
            },
          ],
          is_ext_shared_channel: false,
        };
  return post(appUrl, secret, JSON.stringify(body), 'application/json', options);
}

export interface BlockActionArgs {
  actionId: string;
  value: string;
  userId: string;
  channelId: string;
  messageTs: string;
  responseUrl?: string;
  triggerId?: string;
  blockId?: string;
  /** The message the button sits on, as the app posted it (blocks, text). */
  message?: Record<string, unknown>;
}

/** A `block_actions` payload for a button click on a message, shaped like Slack's. */
export function blockActionPayload(args: BlockActionArgs): object {
  const actionTs = `${(Date.now() / 1000).toFixed(6)}`;
  return {
    type: 'block_actions',
    user: {
      id: args.userId,
      username: args.userId.toLowerCase(),
      name: args.userId.toLowerCase(),
      team_id: TEAM_ID,
    },
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: args.messageTs,
      channel_id: args.channelId,
      is_ephemeral: false,
    },
    trigger_id: args.triggerId ?? triggerId(),
    team: { id: TEAM_ID, domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: args.channelId, name: 'payroll' },
    message: {
      type: 'message',
      subtype: 'bot_message',
      user: 'U0BOT',
      bot_id: 'B0BOT',
      ts: args.messageTs,
      text: '',
      blocks: [],
      ...args.message,
    },
    state: { values: {} },
    response_url: args.responseUrl ?? NOWHERE,
    actions: [
      {
        action_id: args.actionId,
        block_id: args.blockId ?? 'run_actions',
        text: { type: 'plain_text', text: args.actionId, emoji: true },
        value: args.value,
        type: 'button',
        action_ts: actionTs,
      },
    ],
  };
}

export interface ViewSubmissionArgs {
  callbackId: string;
  userId: string;
  /** `state.values`: block_id → action_id → element state, e.g. `{ config: { config_select: { type: 'static_select', selected_option: { value: '3' } } } }`. */
  values: Record<string, Record<string, unknown>>;
  privateMetadata?: string;
  viewId?: string;
}

/** A `view_submission` payload for a submitted modal, shaped like Slack's. */
export function viewSubmissionPayload(args: ViewSubmissionArgs): object {
  const viewId = args.viewId ?? 'V0TEST';
  return {
    type: 'view_submission',
    team: { id: TEAM_ID, domain: 'example' },
    user: {
      id: args.userId,
      username: args.userId.toLowerCase(),
      name: args.userId.toLowerCase(),
      team_id: TEAM_ID,
    },
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: triggerId(),
    view: {
      id: viewId,
      team_id: TEAM_ID,
      type: 'modal',
      blocks: [],
      private_metadata: args.privateMetadata ?? '',
      callback_id: args.callbackId,
      state: { values: args.values },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      title: { type: 'plain_text', text: 'Timesheet export', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: { type: 'plain_text', text: 'Run', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: APP_ID,
      external_id: '',
      app_installed_team_id: TEAM_ID,
      bot_id: 'B0BOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}
