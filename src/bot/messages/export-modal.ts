import type { KnownBlock, View } from '@slack/types';
import { firstMondayOnOrAfterFirst, firstOfMonth } from '../../calendar/end-date.js';
import { aliasOf, configurationOfAlias } from '../../command/aliases.js';
import { isLanguage, type Language } from '../../i18n/language.js';
import { humanDate } from '../../i18n/periods.js';
import { exportModalText } from './catalogs/export-modal.js';
import { SLACK_LIMITS, truncate } from './limits.js';

export const EXPORT_MODAL_ID = 'export_modal';
export const BLOCK_ALIAS = 'config_alias';
export const BLOCK_NUMBER = 'config_number';
export const BLOCK_END_CHOICE = 'end_choice';
export const BLOCK_END_DATE = 'end_date';
export const ACTION_VALUE = 'value';

export interface ModalMetadata {
  channelId: string;
  /** The language the form was shown in: its field errors and the replies to it use the same. */
  language?: Language;
}

/** The form's language from its metadata (a modal opened before languages existed has none). */
export function modalLanguage(metadata: ModalMetadata | undefined, fallback: Language): Language {
  return isLanguage(metadata?.language) ? metadata.language : fallback;
}

/** The modal `/timesheet-export` opens with no text: configuration, end date, confirm. */
export function exportModal(args: {
  aliases: Record<string, number>;
  today: string;
  channelId: string;
  language: Language;
}): View {
  const t = exportModalText[args.language];
  const date = (isoDate: string) => humanDate(isoDate, args.language);
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
            ? t.configurationFirst(SLACK_LIMITS.selectOptions, entries.length)
            : t.configuration,
      },
      element: {
        type: 'static_select',
        action_id: ACTION_VALUE,
        placeholder: { type: 'plain_text', text: t.choose },
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
        text: entries.length ? t.orNumber : t.number,
      },
      hint: { type: 'plain_text', text: t.numberHint },
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
      label: { type: 'plain_text', text: t.upTo },
      element: {
        type: 'radio_buttons',
        action_id: ACTION_VALUE,
        initial_option: endOption('last-month', t.firstOfMonth(date(lastMonth)), t.firstOfMonthHelp),
        options: [
          endOption('last-month', t.firstOfMonth(date(lastMonth)), t.firstOfMonthHelp),
          endOption('monday', t.monday(date(monday)), t.mondayHelp),
          endOption('custom', t.custom, t.customHelp),
        ],
      },
    },
    {
      type: 'input',
      block_id: BLOCK_END_DATE,
      optional: true,
      label: { type: 'plain_text', text: t.otherDate },
      element: { type: 'datepicker', action_id: ACTION_VALUE, initial_date: lastMonth },
    },
  );
  return {
    type: 'modal',
    callback_id: EXPORT_MODAL_ID,
    private_metadata: JSON.stringify({
      channelId: args.channelId,
      language: args.language,
    } satisfies ModalMetadata),
    title: { type: 'plain_text', text: t.title },
    submit: { type: 'plain_text', text: t.submit },
    close: { type: 'plain_text', text: t.close },
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
  context: { aliases: Record<string, number>; today: string; language: Language },
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
  const t = exportModalText[context.language];

  let configurationId: number | undefined;
  let configurationLabel: string | null = null;
  if (numberText) {
    const n = Number(numberText);
    if (!/^\d{1,9}$/.test(numberText.trim()) || n < 1) errors[BLOCK_NUMBER] = t.wholeNumber;
    else configurationId = n;
    if (alias && configurationId !== undefined && aliasId(alias) !== configurationId) {
      const other = aliasId(alias);
      errors[BLOCK_NUMBER] = other ? t.notBoth(alias, other) : t.fromList;
    }
    if (configurationId !== undefined) configurationLabel = aliasOf(context.aliases, configurationId);
  } else if (aliasId(alias) !== undefined) {
    configurationId = aliasId(alias);
    configurationLabel = alias ?? null;
  } else {
    errors[Object.keys(context.aliases).length ? BLOCK_ALIAS : BLOCK_NUMBER] = t.chooseConfiguration;
  }

  let endsAt: string | undefined;
  if (choice === 'monday') endsAt = firstMondayOnOrAfterFirst(context.today);
  else if (choice === 'custom') {
    if (!date) errors[BLOCK_END_DATE] = t.pickDate;
    else endsAt = date;
  } else endsAt = firstOfMonth(context.today);

  if (Object.keys(errors).length || configurationId === undefined || !endsAt) return { ok: false, errors };
  return { ok: true, configurationId, configurationLabel, endsAt };
}
