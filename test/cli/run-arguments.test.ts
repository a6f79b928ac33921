import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunArguments } from '../../src/cli/run-arguments.js';

const context = { aliases: { payroll: 3 }, today: '2026-11-20' };

describe('parseRunArguments (the slash command grammar, for a terminal)', () => {
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
});
