import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelOfSlackText } from '../../src/bot/slack-channel.js';
import { parseCommand } from '../../src/command/grammar.js';

describe('channelOfSlackText: a channel as Slack escapes it in a slash command', () => {
  it('reads the id of an escaped channel, with or without its name', () => {
    assert.equal(channelOfSlackText('<#C0PAY|payroll>'), 'C0PAY');
    assert.equal(channelOfSlackText('<#G0HR>'), 'G0HR');
  });

  it('refuses what names no channel id: a plain #name, a user, a bare id, a link', () => {
    for (const word of ['#payroll', '<@U123>', 'C0PAY', '<https://example.com>', '<#C0PAY|payroll']) {
      assert.equal(channelOfSlackText(word), undefined, word);
    }
  });

  it('is what the grammar asks when Slack gives it the text', () => {
    const context = { aliases: { payroll: 3 }, today: '2026-11-20', channelOf: channelOfSlackText };
    const slack = parseCommand('schedule add payroll month-start in <#C0PAY|payroll>', context);
    assert.equal(slack.kind === 'schedule-add' && slack.channelId, 'C0PAY');
    const bare = parseCommand('schedule add payroll month-start in C0PAY', context);
    assert.equal(
      bare.kind,
      'error',
      'Slack sends a channel escaped; a bare id is not how a person writes it there',
    );
  });
});
