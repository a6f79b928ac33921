import type { KnownBlock, View } from '@slack/types';
import { firstMondayOnOrAfterFirst, firstOfMonth, formatHumanDate } from '../../calendar/end-date.js';
import { aliasOf, configurationOfAlias } from '../../command/aliases.js';
import { SLACK_LIMITS, truncate } from './limits.js';

export const EXPORT_MODAL_ID = 'export_modal';
export const BLOCK_ALIAS = 'config_alias';
export const BLOCK_NUMBER = 'config_number';
export const BLOCK_END_CHOICE = 'end_choice';
export const BLOCK_END_DATE = 'end_date';
export const ACTION_VALUE = 'value';

export interface ModalMetadata {
  channelId: string;
}

/** The modal `/timesheet-export` opens with no text: configuration, end date, confirm. */
export function exportModal(args: {
  aliases: Record<string, number>;
  today: string;
  channelId: string;
}): View {
  const lastMonth = firstOfMonth(args.today);
  const monday = firstMondayOnOrAfterFirst(args.today);
  const entries = Object.entries(args.aliases);
  const blocks: KnownBlock[] = [];
  if (entries.length) {
    blocks.push({
      type: 'input',
      block_id: BLOCK_ALIAS,
      optional: true,
      label: {
        type: 'plain_text',
        // A select holds 100 options: say so rather than hide the others (the number field reaches them).
        text:
          entries.length > SLACK_LIMITS.selectOptions
            ? `Configuration (the first ${SLACK_LIMITS.selectOptions} of ${entries.length}; type the number of another below)`
            : 'Configuration',
      },
      element: {
        type: 'static_select',
        action_id: ACTION_VALUE,
        placeholder: { type: 'plain_text', text: 'Choose an export configuration' },
        options: entries.slice(0, SLACK_LIMITS.selectOptions).map(([alias, id]) => aliasOption(alias, id)),
        ...(entries.length === 1 ? { initial_option: aliasOption(entries[0]![0], entries[0]![1]) } : {}),
      },
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: BLOCK_NUMBER,
      optional: entries.length > 0,
      label: {
        type: 'plain_text',
        text: entries.length ? '…or a configuration number' : 'Configuration number',
      },
      hint: {
        type: 'plain_text',
        text: 'The second number in the export configuration’s address in Lucca: …/export/1/3/latest → 3.',
      },
      element: {
        type: 'number_input',
        action_id: ACTION_VALUE,
        is_decimal_allowed: false,
        min_value: '1',
        placeholder: { type: 'plain_text', text: '3' },
      },
    },
    {
      type: 'input',
      block_id: BLOCK_END_CHOICE,
      label: { type: 'plain_text', text: 'Export up to' },
      element: {
        type: 'radio_buttons',
        action_id: ACTION_VALUE,
        initial_option: endOption(
          'last-month',
          `The 1st of this month (${formatHumanDate(lastMonth)})`,
          'Exports last month: the usual month-end export.',
        ),
        options: [
          endOption(
            'last-month',
            `The 1st of this month (${formatHumanDate(lastMonth)})`,
            'Exports last month: the usual month-end export.',
          ),
          endOption(
            'monday',
            `The Monday after month end (${formatHumanDate(monday)})`,
            // Slack refuses the whole modal when an option description passes 75 characters.
            'For rules calculated by week (Lucca’s advice): the last week is complete.',
          ),
          endOption('custom', 'Another date (below)', 'Everything before midnight of that date is exported.'),
        ],
      },
    },
    {
      type: 'input',
      block_id: BLOCK_END_DATE,
      optional: true,
      label: { type: 'plain_text', text: 'Other end date' },
      element: { type: 'datepicker', action_id: ACTION_VALUE, initial_date: lastMonth },
    },
  );
  return {
    type: 'modal',
    callback_id: EXPORT_MODAL_ID,
    private_metadata: JSON.stringify({ channelId: args.channelId } satisfies ModalMetadata),
    title: { type: 'plain_text', text: 'Timesheet export' },
    submit: { type: 'plain_text', text: 'Start export' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

// EXPORT_CONFIGURATIONS keeps aliases to 32 characters, within the option limits; cut anyway so a
// looser rule later cannot make Slack refuse the whole modal.
function aliasOption(alias: string, id: number) {
  return {
    text: { type: 'plain_text' as const, text: truncate(`${alias} (#${id})`, SLACK_LIMITS.optionText) },
    value: alias.slice(0, SLACK_LIMITS.optionValue),
  };
}

function endOption(value: string, text: string, description: string) {
  return {
    value,
    text: { type: 'plain_text' as const, text },
    description: { type: 'plain_text' as const, text: description },
  };
}

type StateValues = Record<
  string,
  Record<
    string,
    { selected_option?: { value?: string } | null; value?: string | null; selected_date?: string | null }
  >
>;

/**
 * Reads a submitted modal into a command-like choice, or field errors keyed by block id
 * (Slack shows them under the fields: `response_action: 'errors'`).
 */
export function readExportModal(
  values: StateValues | null | undefined,
  context: { aliases: Record<string, number>; today: string },
):
  | { ok: true; configurationId: number; configurationLabel: string | null; endsAt: string }
  | { ok: false; errors: Record<string, string> } {
  // Slack sends strings here; anything else (a broken or forged payload) reads as an empty field.
  const element = (block: string) => values?.[block]?.[ACTION_VALUE] ?? undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const alias = text(element(BLOCK_ALIAS)?.selected_option?.value);
  const numberText = text(element(BLOCK_NUMBER)?.value);
  const choice = text(element(BLOCK_END_CHOICE)?.selected_option?.value) ?? 'last-month';
  const date = text(element(BLOCK_END_DATE)?.selected_date);
  const aliasId = (name: string | undefined) => configurationOfAlias(context.aliases, name);
  const errors: Record<string, string> = {};

  let configurationId: number | undefined;
  let configurationLabel: string | null = null;
  if (numberText) {
    const n = Number(numberText);
    if (!/^\d{1,9}$/.test(numberText.trim()) || n < 1)
      errors[BLOCK_NUMBER] = 'Enter a whole number such as 3.';
    else configurationId = n;
    if (alias && configurationId !== undefined && aliasId(alias) !== configurationId) {
      errors[BLOCK_NUMBER] = aliasId(alias)
        ? `Choose a configuration or type a number, not both (${alias} is #${aliasId(alias)}).`
        : 'Choose a configuration from the list, or type a number.';
    }
    if (configurationId !== undefined) configurationLabel = aliasOf(context.aliases, configurationId);
  } else if (aliasId(alias) !== undefined) {
    configurationId = aliasId(alias);
    configurationLabel = alias ?? null;
  } else {
    errors[Object.keys(context.aliases).length ? BLOCK_ALIAS : BLOCK_NUMBER] =
      'Choose the configuration to export.';
  }

  let endsAt: string | undefined;
  if (choice === 'monday') endsAt = firstMondayOnOrAfterFirst(context.today);
  else if (choice === 'custom') {
    if (!date) errors[BLOCK_END_DATE] = 'Pick the end date, or choose one of the options above.';
    else endsAt = date;
  } else endsAt = firstOfMonth(context.today);

  if (Object.keys(errors).length || configurationId === undefined || !endsAt) return { ok: false, errors };
  return { ok: true, configurationId, configurationLabel, endsAt };
}
