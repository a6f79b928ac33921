import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunId } from '../../src/cli/args.js';
import { CliExit, type CliIo } from '../../src/cli/io.js';
import { openCommand } from '../../src/cli/opening.js';
import { UsageError } from '../../src/cli/usage.js';

const SECRETS = {
  LUCCA_API_KEY: 'lucca-key-0123456789',
  SLACK_BOT_TOKEN: 'xoxb-bot-0123456789',
  SLACK_APP_TOKEN: 'xapp-app-0123456789',
  SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99bb77aa85a5',
};

function fakeIo(env: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env,
    user: 'ana',
    onInterrupt: () => () => undefined,
  };
  return { io, out, err };
}

const line = { usage: 'Usage: test <run>', positionals: { min: 1, max: 1, names: 'the run number' } };
const env = { LUCCA_BASE_URL: 'https://example.ilucca.net', ...SECRETS };

describe('openCommand: how every CLI command starts', () => {
  it('keeps every secret of the environment off the terminal, Slack ones included', () => {
    const { io, out, err } = fakeIo(env);
    const { terminal, json, checked } = openCommand(['4'], io, {
      ...line,
      check: (parsed) => parseRunId(parsed.positionals[0]!, line.usage),
    });
    assert.equal(checked, 4);
    assert.equal(json, false);
    const all = Object.values(SECRETS).join(' ');
    terminal.line(`said: ${all}`);
    terminal.error(`complained: ${all}`);
    for (const secret of Object.values(SECRETS)) {
      assert.equal(out.join('').includes(secret), false, secret);
      assert.equal(err.join('').includes(secret), false, secret);
    }
    assert.match(out.join(''), /^said: /);
  });

  it('reads the arguments before the environment, so a typo is named even when both are wrong', () => {
    const { io } = fakeIo({});
    assert.throws(
      () =>
        openCommand(['x'], io, {
          ...line,
          check: (parsed) => parseRunId(parsed.positionals[0]!, line.usage),
        }),
      (error) => error instanceof UsageError && /"x" is not a run number/.test(error.userMessage),
    );
  });

  it('ends with exit 2 on a bad environment, naming the variable, and with the usage and exit 0 on --help', () => {
    const bad = fakeIo({});
    assert.throws(
      () => openCommand(['4'], bad.io, line),
      (error) => error instanceof CliExit && error.exitCode === 2,
    );
    assert.match(bad.err.join(''), /LUCCA_API_KEY/);
    const help = fakeIo({});
    assert.throws(
      () => openCommand(['--help'], help.io, line),
      (error) => error instanceof CliExit && error.exitCode === 0,
    );
    assert.equal(help.out.join(''), 'Usage: test <run>\n');
  });

  it('takes --json on every command', () => {
    const { io } = fakeIo(env);
    assert.equal(openCommand(['4', '--json'], io, line).json, true);
  });
});
