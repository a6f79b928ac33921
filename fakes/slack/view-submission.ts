/**
 * What Slack sends when a person submits a modal the stand-in opened: a `view_submission` payload whose
 * `view` is the view as opened (id, hash, blocks, private_metadata) and whose `view.state.values` is
 * block_id → action_id → the element's state, in Slack's shape
 * (https://docs.slack.dev/reference/interaction-payloads/view-interactions-payload#view_submission):
 * a select or radio group gives the whole chosen option object (`selected_option: {text, value, …}`, or
 * null), a date picker `selected_date`, a text or number input `value` (a string, or null). Untouched
 * fields keep their initial value. Slack's client does not let a person submit a required field empty,
 * nor choose an option the view does not offer: both are test mistakes here, and throw.
 */
import { randomBytes } from 'node:crypto';

/** The person's choices by block_id: an option value, a `YYYY-MM-DD` date, or typed text. */
export type ModalChoices = Record<string, string | null>;

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});

/** `view.state.values` as Slack fills it for the given choices. */
export function submittedStateValues(
  view: unknown,
  choices: ModalChoices,
): Record<string, Record<string, Json>> {
  const blocks = Array.isArray(asObject(view).blocks) ? (asObject(view).blocks as unknown[]) : [];
  const values: Record<string, Record<string, Json>> = {};
  const known = new Set<string>();
  for (const raw of blocks) {
    const block = asObject(raw);
    if (block.type !== 'input') continue;
    const blockId = String(block.block_id);
    known.add(blockId);
    const element = asObject(block.element);
    const actionId = String(element.action_id);
    const chosen = Object.hasOwn(choices, blockId) ? choices[blockId] : undefined;
    const state = elementState(element, chosen, blockId);
    if (block.optional !== true && isEmpty(state))
      throw new Error(`Slack would not let the person submit: "${blockId}" is required`);
    values[blockId] = { [actionId]: state };
  }
  for (const blockId of Object.keys(choices))
    if (!known.has(blockId)) throw new Error(`the view has no input block "${blockId}"`);
  return values;
}

function elementState(element: Json, chosen: string | null | undefined, blockId: string): Json {
  const type = String(element.type);
  switch (type) {
    case 'static_select':
    case 'radio_buttons': {
      if (chosen === undefined) return { type, selected_option: element.initial_option ?? null };
      if (chosen === null) return { type, selected_option: null };
      const options = (Array.isArray(element.options) ? element.options : []).map(asObject);
      const option = options.find((o) => o.value === chosen);
      if (!option) throw new Error(`"${blockId}" offers no option "${chosen}"`);
      return { type, selected_option: withEmoji(option) };
    }
    case 'datepicker':
      return { type, selected_date: chosen === undefined ? (element.initial_date ?? null) : chosen };
    default:
      return { type, value: chosen === undefined ? (element.initial_value ?? null) : chosen };
  }
}

const isEmpty = (state: Json) =>
  (state.selected_option ?? state.selected_date ?? state.value ?? null) === null || state.value === '';

// Slack echoes plain_text objects with `emoji: true` added.
function withEmoji(option: Json): Json {
  const copy: Json = { ...option };
  for (const key of ['text', 'description']) {
    const text = asObject(option[key]);
    if (text.type === 'plain_text') copy[key] = { emoji: true, ...text };
  }
  return copy;
}

/** A full `view_submission` payload for a view the stand-in opened (as `slack.views.opened` holds it). */
export function viewSubmissionOf(
  openedView: unknown,
  args: { userId: string; teamId: string; choices: ModalChoices },
): Json {
  const view = asObject(openedView);
  return {
    type: 'view_submission',
    team: { id: args.teamId, domain: 'example' },
    user: {
      id: args.userId,
      username: args.userId.toLowerCase(),
      name: args.userId.toLowerCase(),
      team_id: args.teamId,
    },
    api_app_id: view.app_id ?? 'A0TEST',
    token: 'test-verification-token',
    trigger_id: `${Date.now()}.${randomBytes(4).readUInt32BE(0)}.${randomBytes(16).toString('hex')}`,
    view: {
      ...view,
      state: { values: submittedStateValues(view, args.choices) },
      previous_view_id: null,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}
