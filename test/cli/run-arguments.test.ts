import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunArguments } from '../../src/cli/run-arguments.js';

const context = { aliases: { payroll: 3 }, today: '2026-11-20' };

describe('parseRunArguments (the command grammar, for a terminal)', () => {
  it('reads aliases, numbers and the end-date words', () => {
    assert.deepEqual(parseRunArguments('payroll', undefined, context), {
      configurationId: 3,
      configurationLabel: 'payroll',
      endsAt: '2026-11-01',
    });
    assert.deepEqual(parseRunArguments('7', 'monday', context), {
      configurationId: 7,
      configurationLabel: null,
      endsAt: '2026-11-02',
    });
  });

  it('explains mistakes without Slack markup and with an example to copy', () => {
    assert.deepEqual(parseRunArguments('overtime', undefined, context), {
      message:
        '`overtime` is not a command or a known configuration. Known configurations: `payroll` (3); or give a configuration number.',
      example: 'timesheet-export run payroll 2026-11-01',
    });
    const tags = parseRunArguments('<b>', undefined, context);
    assert.ok('message' in tags && tags.message.startsWith('`<b>`'));
    assert.deepEqual(parseRunArguments('status', undefined, context), {
      message: '"status" is a command word, not a configuration: give a configuration number or alias.',
      example: 'timesheet-export run payroll',
    });
  });

  it('never shows Slack wording: no slash command, no mrkdwn escapes, every example a `run`', () => {
    const words: [string, string?][] = [
      ['<!channel>'],
      ['a&b'],
      ['cancel'],
      ['schedule', 'add'],
      ['payroll', '2026-02-30'],
      ['payroll', '01/12/2026'],
      ['payroll', '2026-12-01T08:00'],
      ['payroll', '2099-01-01'],
      ['-3'],
      ['x'.repeat(600)],
      ['payroll\u001b[31m'],
    ];
    for (const [configWord, endWord] of words) {
      const said = parseRunArguments(configWord, endWord, context);
      assert.ok('message' in said, configWord);
      assert.doesNotMatch(said.message, /timesheet-export|&lt;|&gt;|&amp;|\u001b/, said.message);
      assert.match(said.example, /^timesheet-export run payroll( 2026-11-01)?$/, said.example);
    }
  });
});
