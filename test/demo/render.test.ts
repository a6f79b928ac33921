import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buttonsOf, messageLines, mrkdwnToText } from '../../scripts/demo/render.js';

const names = { users: { U0ANA: 'Ana' }, channels: { C0PAY: 'payroll' }, color: false };

describe('Slack mrkdwn in a terminal', () => {
  test('mentions, channels, dates, links, emoji and escapes become plain text', () => {
    assert.equal(
      mrkdwnToText(
        ':white_check_mark: <@U0ANA> sent `a.csv` to <#C0PAY> at <!date^1764000000^{time}|2025-11-24 16:00 UTC>: <https://x.example/t|the thread> &amp; more',
        names,
      ),
      '✅ @Ana sent a.csv to #payroll at 2025-11-24 16:00 UTC: the thread & more',
    );
  });

  test('unknown emoji codes are dropped, times and timespans are kept', () => {
    assert.equal(mrkdwnToText(':custom_party: done at 10:30:00', names), 'done at 10:30:00');
  });

  test('bold on a terminal with colours only', () => {
    assert.equal(mrkdwnToText('*Retry*', names), 'Retry');
    assert.equal(mrkdwnToText('*Retry*', { ...names, color: true }), '\u001b[1mRetry\u001b[22m');
  });

  test('blocks: sections, context and buttons; the buttons can be read back for a click', () => {
    const message = {
      text: 'fallback',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Title*\n:warning: Stalled' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'run 2' }] },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'run_retry',
              value: '2',
              text: { type: 'plain_text', text: 'Retry' },
            },
            {
              type: 'button',
              action_id: 'run_cancel',
              value: '2',
              text: { type: 'plain_text', text: 'Cancel' },
            },
          ],
        },
      ],
    };
    assert.deepEqual(messageLines(message, names), ['Title', '⚠ Stalled', 'run 2', '[ Retry ] [ Cancel ]']);
    assert.deepEqual(buttonsOf(message)[0], { label: 'Retry', actionId: 'run_retry', value: '2' });
    assert.deepEqual(messageLines({ text: 'just text' }, names), ['just text']);
  });
});
