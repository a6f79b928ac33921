import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BOT_SCOPES, OPTIONAL_BOT_SCOPES, SCOPE_PURPOSE } from '../../src/doctor/required-scopes.js';

/** `oauth_config.scopes.bot` of manifest.yml, read by indentation: it is our own, simple file. */
function manifestBotScopes(yaml: string): string[] {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => /^\s{4}bot:\s*$/.test(l));
  assert.ok(
    start > 0 && lines.slice(0, start).some((l) => /^oauth_config:/.test(l)),
    'manifest has oauth_config.scopes.bot',
  );
  const scopes: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\s*#/.test(line)) continue;
    const item = /^\s{6}-\s+([a-z:._]+)\s*$/.exec(line);
    if (!item) break;
    scopes.push(item[1]!);
  }
  return scopes;
}

test('the doctor checks exactly the bot scopes manifest.yml asks for, and can say what each is for', () => {
  const manifest = manifestBotScopes(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8'));
  assert.deepEqual([...manifest].sort(), [...BOT_SCOPES, ...OPTIONAL_BOT_SCOPES].sort());
  for (const scope of [...BOT_SCOPES, ...OPTIONAL_BOT_SCOPES])
    assert.ok(SCOPE_PURPOSE[scope], `purpose of ${scope}`);
});
