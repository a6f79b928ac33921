/**
 * Slack's documented limits on Block Kit payloads, so that the stand-in refuses what Slack refuses.
 *
 * Pure functions: a payload in, the list of violations out (empty when Slack would accept it). The
 * stand-in answers a message with a violation `invalid_blocks` and a view `invalid_arguments`, naming the
 * offending JSON pointer as Slack does (`"must be less than 3001 characters [json-pointer:/blocks/0/text/text]"`,
 * the shape seen in real answers, e.g. github.com/adobe/spacecat-api-service/issues/176).
 *
 * Sources (each rule below names its own):
 * - [blocks]   https://docs.slack.dev/reference/block-kit/blocks — "up to 50 blocks in each message, and
 *              100 blocks in modals or Home tabs"; block_id ≤ 255 and unique (every block page).
 * - [section]  https://docs.slack.dev/reference/block-kit/blocks/section-block — text 1..3000, fields ≤ 10,
 *              each ≤ 2000.
 * - [header]   https://docs.slack.dev/reference/block-kit/blocks/header-block — plain_text, ≤ 150.
 * - [context]  https://docs.slack.dev/reference/block-kit/blocks/context-block — elements ≤ 10.
 * - [actions]  https://docs.slack.dev/reference/block-kit/blocks/actions-block — elements ≤ 25.
 * - [input]    https://docs.slack.dev/reference/block-kit/blocks/input-block — label and hint plain_text ≤ 2000.
 * - [button]   https://docs.slack.dev/reference/block-kit/block-elements/button-element — text plain_text ≤ 75,
 *              action_id ≤ 255, value ≤ 2000, url ≤ 3000.
 * - [select]   https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element — options ≤ 100,
 *              option text plain_text only; placeholder ≤ 150.
 * - [radio]    https://docs.slack.dev/reference/block-kit/block-elements/radio-button-group-element — options ≤ 10.
 * - [checkbox] https://docs.slack.dev/reference/block-kit/block-elements/checkboxes-element — options ≤ 10.
 * - [overflow] https://docs.slack.dev/reference/block-kit/block-elements/overflow-menu-element — options 2..5.
 * - [option]   https://docs.slack.dev/reference/block-kit/composition-objects/option-object — text ≤ 75,
 *              value ≤ 150, description ≤ 75.
 * - [confirm]  https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object —
 *              title plain_text ≤ 100, text ≤ 300, confirm and deny plain_text ≤ 30.
 * - [text]     https://docs.slack.dev/reference/block-kit/composition-objects/text-object — type is
 *              `plain_text` or `mrkdwn`; text 1..3000.
 * - [modal]    https://docs.slack.dev/reference/views/modal-views — title, submit, close plain_text ≤ 24;
 *              private_metadata ≤ 3000; callback_id ≤ 255; submit required with an input block.
 * - [message]  https://docs.slack.dev/reference/methods/chat.postMessage — `text` is truncated past 40,000
 *              characters; `msg_too_long` when the text is too long.
 * The same numbers are in the comments of @slack/types (packages/types/src/block-kit/*.ts, views.ts).
 *
 * Lengths are counted in UTF-16 code units (String#length): at least Slack's count of characters, so
 * the stand-in is never more lenient than Slack.
 */

export interface BlockKitViolation {
  /** JSON pointer into the payload, as Slack names it: `/blocks/2/fields/10`, `/view/title/text`. */
  path: string;
  /** What the rule says, in Slack's words where it has some: `must be at most 75 characters`. */
  rule: string;
  /** The documented limit (a number), or the allowed value(s). */
  limit: number | string;
  /** What the payload had: a length, a count, or the offending value (shortened). */
  value: number | string;
}

export type Surface = 'message' | 'modal' | 'home';

/** Slack's refusal message for one violation: `"must be at most 75 characters [json-pointer:/view/…]"`. */
export function slackErrorText(violation: BlockKitViolation): string {
  return `${violation.rule} [json-pointer:${violation.path}]`;
}

/** Readable by a person reading a failed test: path, limit and value. */
export function describeViolation(violation: BlockKitViolation): string {
  return `${violation.path}: ${violation.rule} (limit ${violation.limit}, got ${violation.value})`;
}

/** The limits in one place (see the sources above). */
export const LIMITS = {
  messageBlocks: 50, // [blocks]
  viewBlocks: 100, // [blocks]
  messageText: 40_000, // [message]
  blockId: 255, // [blocks]
  sectionText: 3000, // [section]
  sectionFields: 10, // [section]
  sectionField: 2000, // [section]
  headerText: 150, // [header]
  contextElements: 10, // [context]
  actionsElements: 25, // [actions]
  inputLabel: 2000, // [input]
  inputHint: 2000, // [input]
  buttonText: 75, // [button]
  actionId: 255, // [button] and every interactive element
  buttonValue: 2000, // [button]
  url: 3000, // [button]
  placeholder: 150, // [select] and every input element
  selectOptions: 100, // [select]
  radioOptions: 10, // [radio]
  checkboxOptions: 10, // [checkbox]
  overflowOptionsMin: 2, // [overflow]
  overflowOptions: 5, // [overflow]
  optionText: 75, // [option]
  optionValue: 150, // [option]
  optionDescription: 75, // [option]
  confirmTitle: 100, // [confirm]
  confirmText: 300, // [confirm]
  confirmButton: 30, // [confirm]
  textObject: 3000, // [text]
  modalTitle: 24, // [modal]
  modalButton: 24, // [modal]
  privateMetadata: 3000, // [modal]
  callbackId: 255, // [modal]
} as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const shorten = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}…` : value);

class Checker {
  readonly violations: BlockKitViolation[] = [];
  private readonly blockIds = new Set<string>();

  constructor(private readonly surface: Surface) {}

  fail(path: string, rule: string, limit: number | string, value: number | string) {
    this.violations.push({ path, rule, limit, value: typeof value === 'string' ? shorten(value) : value });
  }

  maxLength(path: string, value: unknown, max: number) {
    if (typeof value === 'string' && value.length > max)
      this.fail(path, `must be at most ${max} characters`, max, value.length);
  }

  maxItems(path: string, list: unknown[], max: number) {
    if (list.length > max) this.fail(path, `no more than ${max} items allowed`, max, list.length);
  }

  /** A text object [text]: `plain_text` only where Slack says so, 1..max characters. */
  text(path: string, value: unknown, max: number, kinds: 'plain_text' | 'any' = 'any') {
    if (!isObject(value)) {
      this.fail(path, 'must be a text object', 'object', typeof value);
      return;
    }
    const allowed = kinds === 'plain_text' ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (typeof value.type !== 'string' || !allowed.includes(value.type))
      this.fail(`${path}/type`, `must be ${allowed.join(' or ')}`, allowed.join('|'), String(value.type));
    if (typeof value.text !== 'string' || value.text.length === 0) {
      this.fail(`${path}/text`, 'must be more than 0 characters', 1, 0);
      return;
    }
    this.maxLength(`${path}/text`, value.text, Math.min(max, LIMITS.textObject));
  }

  optionalText(path: string, value: unknown, max: number, kinds: 'plain_text' | 'any' = 'any') {
    if (value !== undefined) this.text(path, value, max, kinds);
  }

  blocks(path: string, blocks: unknown) {
    if (!Array.isArray(blocks)) {
      this.fail(path, 'must be an array', 'array', typeof blocks);
      return;
    }
    this.maxItems(path, blocks, this.surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks);
    blocks.forEach((block, i) => {
      this.block(`${path}/${i}`, block);
    });
  }

  block(path: string, block: unknown) {
    if (!isObject(block)) {
      this.fail(path, 'must be an object', 'object', typeof block);
      return;
    }
    if (block.block_id !== undefined) {
      const id = String(block.block_id);
      this.maxLength(`${path}/block_id`, id, LIMITS.blockId);
      // [blocks] "block_id should be unique for each message": Slack refuses duplicates.
      if (this.blockIds.has(id)) this.fail(`${path}/block_id`, 'must be unique', 'unique', id);
      this.blockIds.add(id);
    }
    switch (block.type) {
      case 'section':
        this.section(path, block);
        break;
      case 'header':
        this.text(`${path}/text`, block.text, LIMITS.headerText, 'plain_text');
        break;
      case 'context': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0) this.fail(`${path}/elements`, 'must provide at least 1 item', 1, 0);
        this.maxItems(`${path}/elements`, elements, LIMITS.contextElements);
        elements.forEach((element, i) => {
          if (isObject(element) && element.type === 'image') return;
          this.text(`${path}/elements/${i}`, element, LIMITS.textObject);
        });
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0) this.fail(`${path}/elements`, 'must provide at least 1 item', 1, 0);
        this.maxItems(`${path}/elements`, elements, LIMITS.actionsElements);
        elements.forEach((element, i) => {
          this.element(`${path}/elements/${i}`, element);
        });
        break;
      }
      case 'input':
        this.text(`${path}/label`, block.label, LIMITS.inputLabel, 'plain_text');
        this.optionalText(`${path}/hint`, block.hint, LIMITS.inputHint, 'plain_text');
        this.element(`${path}/element`, block.element);
        break;
      case 'divider':
      case 'image':
      case 'rich_text':
      case 'markdown':
        break;
      default:
        this.fail(`${path}/type`, 'unsupported block type', 'a Block Kit block type', String(block.type));
    }
  }

  section(path: string, block: Json) {
    if (block.text === undefined && block.fields === undefined)
      this.fail(path, 'must define either `text` or `fields`', 'text|fields', 'neither');
    this.optionalText(`${path}/text`, block.text, LIMITS.sectionText);
    if (block.fields !== undefined) {
      const fields = Array.isArray(block.fields) ? block.fields : [];
      this.maxItems(`${path}/fields`, fields, LIMITS.sectionFields);
      fields.forEach((field, i) => {
        this.text(`${path}/fields/${i}`, field, LIMITS.sectionField);
      });
    }
    if (block.accessory !== undefined) this.element(`${path}/accessory`, block.accessory);
  }

  element(path: string, element: unknown) {
    if (!isObject(element)) {
      this.fail(path, 'must be an object', 'object', typeof element);
      return;
    }
    if (element.type === 'image') return;
    this.maxLength(`${path}/action_id`, element.action_id, LIMITS.actionId);
    this.optionalText(`${path}/placeholder`, element.placeholder, LIMITS.placeholder, 'plain_text');
    if (element.confirm !== undefined) this.confirm(`${path}/confirm`, element.confirm);
    switch (element.type) {
      case 'button':
        this.text(`${path}/text`, element.text, LIMITS.buttonText, 'plain_text');
        this.maxLength(`${path}/value`, element.value, LIMITS.buttonValue);
        this.maxLength(`${path}/url`, element.url, LIMITS.url);
        if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger')
          this.fail(`${path}/style`, 'must be primary or danger', 'primary|danger', String(element.style));
        break;
      case 'static_select':
      case 'multi_static_select':
        this.options(path, element, LIMITS.selectOptions, 'plain_text');
        break;
      case 'overflow': {
        const options = Array.isArray(element.options) ? element.options : [];
        if (options.length < LIMITS.overflowOptionsMin)
          this.fail(
            `${path}/options`,
            `must provide at least ${LIMITS.overflowOptionsMin} items`,
            2,
            options.length,
          );
        this.options(path, element, LIMITS.overflowOptions, 'plain_text');
        break;
      }
      case 'radio_buttons':
        this.options(path, element, LIMITS.radioOptions, 'any');
        break;
      case 'checkboxes':
        this.options(path, element, LIMITS.checkboxOptions, 'any');
        break;
      case 'datepicker':
      case 'timepicker':
      case 'datetimepicker':
      case 'number_input':
      case 'plain_text_input':
      case 'email_text_input':
      case 'url_text_input':
      case 'users_select':
      case 'conversations_select':
      case 'channels_select':
      case 'multi_users_select':
      case 'multi_conversations_select':
      case 'multi_channels_select':
      case 'external_select':
        break;
      default:
        this.fail(
          `${path}/type`,
          'unsupported element type',
          'a Block Kit element type',
          String(element.type),
        );
    }
  }

  options(path: string, element: Json, max: number, kinds: 'plain_text' | 'any') {
    const options = Array.isArray(element.options) ? element.options : [];
    this.maxItems(`${path}/options`, options, max);
    options.forEach((option, i) => {
      this.option(`${path}/options/${i}`, option, kinds);
    });
    if (element.initial_option !== undefined)
      this.option(`${path}/initial_option`, element.initial_option, kinds);
    if (Array.isArray(element.initial_options))
      element.initial_options.forEach((option, i) => {
        this.option(`${path}/initial_options/${i}`, option, kinds);
      });
  }

  option(path: string, option: unknown, kinds: 'plain_text' | 'any') {
    if (!isObject(option)) {
      this.fail(path, 'must be an object', 'object', typeof option);
      return;
    }
    this.text(`${path}/text`, option.text, LIMITS.optionText, kinds);
    if (typeof option.value !== 'string' || option.value === '')
      this.fail(`${path}/value`, 'must be more than 0 characters', 1, 0);
    this.maxLength(`${path}/value`, option.value, LIMITS.optionValue);
    this.optionalText(`${path}/description`, option.description, LIMITS.optionDescription, kinds);
  }

  confirm(path: string, confirm: unknown) {
    if (!isObject(confirm)) {
      this.fail(path, 'must be an object', 'object', typeof confirm);
      return;
    }
    this.text(`${path}/title`, confirm.title, LIMITS.confirmTitle, 'plain_text');
    this.text(`${path}/text`, confirm.text, LIMITS.confirmText);
    this.text(`${path}/confirm`, confirm.confirm, LIMITS.confirmButton, 'plain_text');
    this.text(`${path}/deny`, confirm.deny, LIMITS.confirmButton, 'plain_text');
  }
}

/**
 * A chat.postMessage / chat.postEphemeral / chat.update / response_url payload (`text`, `blocks`).
 * The 40,000-character `text` limit is reported separately (Slack's `msg_too_long`): see `messageTextViolation`.
 */
export function checkMessageBlocks(payload: Record<string, unknown>): BlockKitViolation[] {
  if (payload.blocks === undefined) return [];
  const checker = new Checker('message');
  checker.blocks('/blocks', payload.blocks);
  return checker.violations;
}

/** [message] Slack refuses a message whose `text` passes 40,000 characters (`msg_too_long`). */
export function messageTextViolation(payload: Record<string, unknown>): BlockKitViolation | undefined {
  const text = payload.text;
  if (typeof text === 'string' && text.length > LIMITS.messageText)
    return {
      path: '/text',
      rule: `must be at most ${LIMITS.messageText} characters`,
      limit: LIMITS.messageText,
      value: text.length,
    };
  return undefined;
}

/** A views.open / views.push / views.update / views.publish `view`; paths start at `/view`. */
export function checkView(view: unknown): BlockKitViolation[] {
  if (!isObject(view))
    return [{ path: '/view', rule: 'must be an object', limit: 'object', value: typeof view }];
  const surface: Surface = view.type === 'home' ? 'home' : 'modal';
  const checker = new Checker(surface);
  if (view.type !== 'modal' && view.type !== 'home')
    checker.fail('/view/type', 'must be modal or home', 'modal|home', String(view.type));
  checker.maxLength('/view/private_metadata', view.private_metadata, LIMITS.privateMetadata);
  checker.maxLength('/view/callback_id', view.callback_id, LIMITS.callbackId);
  if (surface === 'modal') {
    checker.text('/view/title', view.title, LIMITS.modalTitle, 'plain_text');
    checker.optionalText('/view/submit', view.submit, LIMITS.modalButton, 'plain_text');
    checker.optionalText('/view/close', view.close, LIMITS.modalButton, 'plain_text');
    const hasInput =
      Array.isArray(view.blocks) && view.blocks.some((block) => isObject(block) && block.type === 'input');
    if (hasInput && view.submit === undefined)
      checker.fail('/view/submit', 'is required when the view has an input block', 'a submit button', 'none');
  }
  checker.blocks('/view/blocks', view.blocks);
  return checker.violations;
}

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update']);
const VIEW_METHODS = new Set(['views.open', 'views.push', 'views.update', 'views.publish']);

/** How Slack refuses a payload that breaks a rule: the error, the extra answer fields, the violations. */
export interface Refusal {
  error: 'invalid_blocks' | 'invalid_arguments' | 'msg_too_long';
  extra: Record<string, unknown>;
  violations: BlockKitViolation[];
}

/**
 * Slack's answer to a Web API call whose payload breaks a rule, or undefined when Slack would accept it.
 * Messages: `invalid_blocks` with `errors` (and `response_metadata.messages`), or `msg_too_long`.
 * Views: `invalid_arguments` with `response_metadata.messages` ("[ERROR] … [json-pointer:/view/…]").
 */
export function refusalFor(method: string, args: Record<string, unknown>): Refusal | undefined {
  if (MESSAGE_METHODS.has(method)) return messageRefusal(args);
  if (VIEW_METHODS.has(method)) {
    const violations = args.view === undefined ? [] : checkView(args.view);
    if (violations.length === 0) return undefined;
    return {
      error: 'invalid_arguments',
      extra: { response_metadata: { messages: violations.map((v) => `[ERROR] ${slackErrorText(v)}`) } },
      violations,
    };
  }
  return undefined;
}

/** The same rules for a message payload, wherever it is sent (Web API or response_url). */
export function messageRefusal(payload: Record<string, unknown>): Refusal | undefined {
  const violations = checkMessageBlocks(payload);
  if (violations.length) {
    const errors = violations.map(slackErrorText);
    return {
      error: 'invalid_blocks',
      extra: { errors, response_metadata: { messages: errors } },
      violations,
    };
  }
  const tooLong = messageTextViolation(payload);
  if (tooLong) return { error: 'msg_too_long', extra: {}, violations: [tooLong] };
  return undefined;
}
