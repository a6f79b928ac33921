import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkMessageBlocks, checkView, messageTextViolation } from '../../../fakes/slack/block-kit-rules.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const x = (n: number) => 'x'.repeat(n);
const button = (extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'go',
  text: plain('Go'),
  value: '1',
  ...extra,
});
const option = (extra: Record<string, unknown> = {}) => ({ text: plain('One'), value: 'one', ...extra });
const options = (n: number) => Array.from({ length: n }, (_, i) => option({ value: `v${i}` }));
const section = (text = 'hello') => ({ type: 'section', text: mrkdwn(text) });
const actions = (elements: unknown[]) => ({ type: 'actions', elements });
const confirm = (extra: Record<string, unknown> = {}) => ({
  title: plain('Sure?'),
  text: plain('This cancels the run.'),
  confirm: plain('Yes'),
  deny: plain('No'),
  ...extra,
});
const modal = (extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: plain('Timesheet export'),
  submit: plain('Start export'),
  close: plain('Cancel'),
  blocks: [input({ type: 'datepicker', action_id: 'value' })],
  ...extra,
});
function input(element: unknown, extra: Record<string, unknown> = {}) {
  return { type: 'input', block_id: 'b', label: plain('Label'), element, ...extra };
}
const inModal = (element: unknown) => modal({ blocks: [input(element)] });

interface Case {
  rule: string;
  kind: 'message' | 'view';
  valid: unknown;
  invalid: unknown;
  path: string;
  limit: number | string;
}

const cases: Case[] = [
  {
    rule: 'blocks per message ≤ 50',
    kind: 'message',
    valid: { blocks: Array.from({ length: 50 }, () => section()) },
    invalid: { blocks: Array.from({ length: 51 }, () => section()) },
    path: '/blocks',
    limit: 50,
  },
  {
    rule: 'blocks per modal ≤ 100',
    kind: 'view',
    valid: modal({ blocks: Array.from({ length: 100 }, () => section()) }),
    invalid: modal({ blocks: Array.from({ length: 101 }, () => section()) }),
    path: '/view/blocks',
    limit: 100,
  },
  {
    rule: 'blocks per Home tab ≤ 100',
    kind: 'view',
    valid: { type: 'home', blocks: Array.from({ length: 100 }, () => section()) },
    invalid: { type: 'home', blocks: Array.from({ length: 101 }, () => section()) },
    path: '/view/blocks',
    limit: 100,
  },
  {
    rule: 'section text ≤ 3000',
    kind: 'message',
    valid: { blocks: [section(x(3000))] },
    invalid: { blocks: [section(x(3001))] },
    path: '/blocks/0/text/text',
    limit: 3000,
  },
  {
    rule: 'section text not empty',
    kind: 'message',
    valid: { blocks: [section('a')] },
    invalid: { blocks: [section('')] },
    path: '/blocks/0/text/text',
    limit: 1,
  },
  {
    rule: 'section fields ≤ 10',
    kind: 'message',
    valid: { blocks: [{ type: 'section', fields: Array.from({ length: 10 }, () => mrkdwn('f')) }] },
    invalid: { blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }] },
    path: '/blocks/0/fields',
    limit: 10,
  },
  {
    rule: 'section field ≤ 2000',
    kind: 'message',
    valid: { blocks: [{ type: 'section', fields: [mrkdwn(x(2000))] }] },
    invalid: { blocks: [{ type: 'section', fields: [mrkdwn(x(2001))] }] },
    path: '/blocks/0/fields/0/text',
    limit: 2000,
  },
  {
    rule: 'header ≤ 150',
    kind: 'message',
    valid: { blocks: [{ type: 'header', text: plain(x(150)) }] },
    invalid: { blocks: [{ type: 'header', text: plain(x(151)) }] },
    path: '/blocks/0/text/text',
    limit: 150,
  },
  {
    rule: 'header is plain_text only',
    kind: 'message',
    valid: { blocks: [{ type: 'header', text: plain('Export') }] },
    invalid: { blocks: [{ type: 'header', text: mrkdwn('*Export*') }] },
    path: '/blocks/0/text/type',
    limit: 'plain_text',
  },
  {
    rule: 'context elements ≤ 10',
    kind: 'message',
    valid: { blocks: [{ type: 'context', elements: Array.from({ length: 10 }, () => mrkdwn('c')) }] },
    invalid: { blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) }] },
    path: '/blocks/0/elements',
    limit: 10,
  },
  {
    rule: 'actions elements ≤ 25',
    kind: 'message',
    valid: { blocks: [actions(Array.from({ length: 25 }, (_, i) => button({ action_id: `a${i}` })))] },
    invalid: { blocks: [actions(Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })))] },
    path: '/blocks/0/elements',
    limit: 25,
  },
  {
    rule: 'button text ≤ 75',
    kind: 'message',
    valid: { blocks: [actions([button({ text: plain(x(75)) })])] },
    invalid: { blocks: [actions([button({ text: plain(x(76)) })])] },
    path: '/blocks/0/elements/0/text/text',
    limit: 75,
  },
  {
    rule: 'button text is plain_text only',
    kind: 'message',
    valid: { blocks: [actions([button({ text: plain('Retry') })])] },
    invalid: { blocks: [actions([button({ text: mrkdwn('Retry') })])] },
    path: '/blocks/0/elements/0/text/type',
    limit: 'plain_text',
  },
  {
    rule: 'action_id ≤ 255',
    kind: 'message',
    valid: { blocks: [actions([button({ action_id: x(255) })])] },
    invalid: { blocks: [actions([button({ action_id: x(256) })])] },
    path: '/blocks/0/elements/0/action_id',
    limit: 255,
  },
  {
    rule: 'button value ≤ 2000',
    kind: 'message',
    valid: { blocks: [actions([button({ value: x(2000) })])] },
    invalid: { blocks: [actions([button({ value: x(2001) })])] },
    path: '/blocks/0/elements/0/value',
    limit: 2000,
  },
  {
    rule: 'button url ≤ 3000',
    kind: 'message',
    valid: { blocks: [actions([button({ url: `https://x/${x(2990)}` })])] },
    invalid: { blocks: [actions([button({ url: `https://x/${x(2991)}` })])] },
    path: '/blocks/0/elements/0/url',
    limit: 3000,
  },
  {
    rule: 'block_id ≤ 255',
    kind: 'message',
    valid: { blocks: [{ ...section(), block_id: x(255) }] },
    invalid: { blocks: [{ ...section(), block_id: x(256) }] },
    path: '/blocks/0/block_id',
    limit: 255,
  },
  {
    rule: 'block_id unique',
    kind: 'message',
    valid: {
      blocks: [
        { ...section(), block_id: 'a' },
        { ...section(), block_id: 'b' },
      ],
    },
    invalid: {
      blocks: [
        { ...section(), block_id: 'a' },
        { ...section(), block_id: 'a' },
      ],
    },
    path: '/blocks/1/block_id',
    limit: 'unique',
  },
  {
    rule: 'option text ≤ 75',
    kind: 'view',
    valid: inModal({ type: 'static_select', action_id: 'v', options: [option({ text: plain(x(75)) })] }),
    invalid: inModal({ type: 'static_select', action_id: 'v', options: [option({ text: plain(x(76)) })] }),
    path: '/view/blocks/0/element/options/0/text/text',
    limit: 75,
  },
  {
    rule: 'option value ≤ 150',
    kind: 'view',
    valid: inModal({ type: 'static_select', action_id: 'v', options: [option({ value: x(150) })] }),
    invalid: inModal({ type: 'static_select', action_id: 'v', options: [option({ value: x(151) })] }),
    path: '/view/blocks/0/element/options/0/value',
    limit: 150,
  },
  {
    rule: 'option description ≤ 75',
    kind: 'view',
    valid: inModal({
      type: 'radio_buttons',
      action_id: 'v',
      options: [option({ description: plain(x(75)) })],
    }),
    invalid: inModal({
      type: 'radio_buttons',
      action_id: 'v',
      options: [option({ description: plain(x(76)) })],
    }),
    path: '/view/blocks/0/element/options/0/description/text',
    limit: 75,
  },
  {
    rule: 'select option text is plain_text only',
    kind: 'view',
    valid: inModal({ type: 'static_select', action_id: 'v', options: [option({ text: plain('a') })] }),
    invalid: inModal({ type: 'static_select', action_id: 'v', options: [option({ text: mrkdwn('a') })] }),
    path: '/view/blocks/0/element/options/0/text/type',
    limit: 'plain_text',
  },
  {
    rule: 'initial_option follows the option rules',
    kind: 'view',
    valid: inModal({ type: 'static_select', action_id: 'v', options: options(1), initial_option: option() }),
    invalid: inModal({
      type: 'static_select',
      action_id: 'v',
      options: options(1),
      initial_option: option({ text: plain(x(76)) }),
    }),
    path: '/view/blocks/0/element/initial_option/text/text',
    limit: 75,
  },
  {
    rule: 'static_select ≤ 100 options',
    kind: 'view',
    valid: inModal({ type: 'static_select', action_id: 'v', options: options(100) }),
    invalid: inModal({ type: 'static_select', action_id: 'v', options: options(101) }),
    path: '/view/blocks/0/element/options',
    limit: 100,
  },
  {
    rule: 'radio_buttons ≤ 10 options',
    kind: 'view',
    valid: inModal({ type: 'radio_buttons', action_id: 'v', options: options(10) }),
    invalid: inModal({ type: 'radio_buttons', action_id: 'v', options: options(11) }),
    path: '/view/blocks/0/element/options',
    limit: 10,
  },
  {
    rule: 'checkboxes ≤ 10 options',
    kind: 'view',
    valid: inModal({ type: 'checkboxes', action_id: 'v', options: options(10) }),
    invalid: inModal({ type: 'checkboxes', action_id: 'v', options: options(11) }),
    path: '/view/blocks/0/element/options',
    limit: 10,
  },
  {
    rule: 'overflow ≤ 5 options',
    kind: 'message',
    valid: { blocks: [actions([{ type: 'overflow', action_id: 'o', options: options(5) }])] },
    invalid: { blocks: [actions([{ type: 'overflow', action_id: 'o', options: options(6) }])] },
    path: '/blocks/0/elements/0/options',
    limit: 5,
  },
  {
    rule: 'confirm title ≤ 100',
    kind: 'message',
    valid: { blocks: [actions([button({ confirm: confirm({ title: plain(x(100)) }) })])] },
    invalid: { blocks: [actions([button({ confirm: confirm({ title: plain(x(101)) }) })])] },
    path: '/blocks/0/elements/0/confirm/title/text',
    limit: 100,
  },
  {
    rule: 'confirm text ≤ 300',
    kind: 'message',
    valid: { blocks: [actions([button({ confirm: confirm({ text: mrkdwn(x(300)) }) })])] },
    invalid: { blocks: [actions([button({ confirm: confirm({ text: mrkdwn(x(301)) }) })])] },
    path: '/blocks/0/elements/0/confirm/text/text',
    limit: 300,
  },
  {
    rule: 'confirm button ≤ 30',
    kind: 'message',
    valid: { blocks: [actions([button({ confirm: confirm({ confirm: plain(x(30)) }) })])] },
    invalid: { blocks: [actions([button({ confirm: confirm({ confirm: plain(x(31)) }) })])] },
    path: '/blocks/0/elements/0/confirm/confirm/text',
    limit: 30,
  },
  {
    rule: 'deny button ≤ 30',
    kind: 'message',
    valid: { blocks: [actions([button({ confirm: confirm({ deny: plain(x(30)) }) })])] },
    invalid: { blocks: [actions([button({ confirm: confirm({ deny: plain(x(31)) }) })])] },
    path: '/blocks/0/elements/0/confirm/deny/text',
    limit: 30,
  },
  {
    rule: 'modal title ≤ 24',
    kind: 'view',
    valid: modal({ title: plain(x(24)) }),
    invalid: modal({ title: plain(x(25)) }),
    path: '/view/title/text',
    limit: 24,
  },
  {
    rule: 'modal submit ≤ 24',
    kind: 'view',
    valid: modal({ submit: plain(x(24)) }),
    invalid: modal({ submit: plain(x(25)) }),
    path: '/view/submit/text',
    limit: 24,
  },
  {
    rule: 'modal close ≤ 24',
    kind: 'view',
    valid: modal({ close: plain(x(24)) }),
    invalid: modal({ close: plain(x(25)) }),
    path: '/view/close/text',
    limit: 24,
  },
  {
    rule: 'modal submit required with an input block',
    kind: 'view',
    valid: modal(),
    invalid: modal({ submit: undefined }),
    path: '/view/submit',
    limit: 'a submit button',
  },
  {
    rule: 'private_metadata ≤ 3000',
    kind: 'view',
    valid: modal({ private_metadata: x(3000) }),
    invalid: modal({ private_metadata: x(3001) }),
    path: '/view/private_metadata',
    limit: 3000,
  },
  {
    rule: 'input label ≤ 2000',
    kind: 'view',
    valid: modal({ blocks: [input({ type: 'datepicker', action_id: 'v' }, { label: plain(x(2000)) })] }),
    invalid: modal({ blocks: [input({ type: 'datepicker', action_id: 'v' }, { label: plain(x(2001)) })] }),
    path: '/view/blocks/0/label/text',
    limit: 2000,
  },
  {
    rule: 'input label is plain_text only',
    kind: 'view',
    valid: modal({ blocks: [input({ type: 'datepicker', action_id: 'v' }, { label: plain('When') })] }),
    invalid: modal({ blocks: [input({ type: 'datepicker', action_id: 'v' }, { label: mrkdwn('When') })] }),
    path: '/view/blocks/0/label/type',
    limit: 'plain_text',
  },
  {
    rule: 'input hint ≤ 2000',
    kind: 'view',
    valid: modal({ blocks: [input({ type: 'datepicker', action_id: 'v' }, { hint: plain(x(2000)) })] }),
    invalid: modal({ blocks: [input({ type: 'datepicker', action_id: 'v' }, { hint: plain(x(2001)) })] }),
    path: '/view/blocks/0/hint/text',
    limit: 2000,
  },
  {
    rule: 'placeholder ≤ 150',
    kind: 'view',
    valid: inModal({
      type: 'number_input',
      action_id: 'v',
      is_decimal_allowed: false,
      placeholder: plain(x(150)),
    }),
    invalid: inModal({
      type: 'number_input',
      action_id: 'v',
      is_decimal_allowed: false,
      placeholder: plain(x(151)),
    }),
    path: '/view/blocks/0/element/placeholder/text',
    limit: 150,
  },
  {
    rule: 'text object type is plain_text or mrkdwn',
    kind: 'message',
    valid: { blocks: [{ type: 'section', text: mrkdwn('hi') }] },
    invalid: { blocks: [{ type: 'section', text: { type: 'markdown', text: 'hi' } }] },
    path: '/blocks/0/text/type',
    limit: 'plain_text|mrkdwn',
  },
];

describe('Block Kit rules (one valid and one invalid payload per rule)', () => {
  const check = (kind: Case['kind'], payload: unknown) =>
    kind === 'message' ? checkMessageBlocks(payload as Record<string, unknown>) : checkView(payload);

  for (const c of cases) {
    it(c.rule, () => {
      assert.deepEqual(check(c.kind, c.valid), [], 'the valid payload is accepted');
      const found = check(c.kind, c.invalid);
      assert.equal(found.length, 1, `exactly one violation: ${JSON.stringify(found)}`);
      assert.equal(found[0]!.path, c.path);
      assert.equal(found[0]!.limit, c.limit);
    });
  }

  it('message text ≤ 40 000 characters', () => {
    assert.equal(messageTextViolation({ text: x(40_000) }), undefined);
    assert.deepEqual(messageTextViolation({ text: x(40_001) }), {
      path: '/text',
      rule: 'must be at most 40000 characters',
      limit: 40_000,
      value: 40_001,
    });
  });

  it('a violation carries the value that broke the limit (a length, or the offending value shortened)', () => {
    const [length] = checkMessageBlocks({ blocks: [section(x(3100))] });
    assert.equal(length!.value, 3100);
    const [kind] = checkMessageBlocks({ blocks: [{ type: 'header', text: mrkdwn('*h*') }] });
    assert.equal(kind!.value, 'mrkdwn');
  });
});
