import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { childEnv, runChild } from '../helpers/child-processes.js';
import { englishWordIn } from '../helpers/english-words.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

// Both acts again, with APP_LANGUAGE=fr: about as long as the English demo's test.
test('npm run demo -- --lang fr plays both acts in French', { timeout: 240_000 }, async (t) => {
  const out = mkdtempSync(path.join(tmpdir(), 'demo-fr-test-'));
  try {
    const { code, stdout, stderr } = await runChild(
      t,
      process.execPath,
      ['--import', 'tsx', 'scripts/demo.ts', '--lang', 'fr', '--out', out],
      { cwd: ROOT, env: { ...childEnv({ NO_COLOR: '1' }), APP_LANGUAGE: 'en' } },
    );
    assert.equal(code, 0, `the demo exited ${code}:\n${stdout}\n${stderr}`);
    assert.match(stdout, /▶ Acte 1 — Ana \(payroll\) demande les temps du mois dernier/);
    assert.match(stdout, /│ Export des temps : payroll \(#3\), /, 'the parent, although the shell said en');
    assert.match(stdout, /↳ 🚀 Export demandé à Lucca\. Lucca le prépare pendant que j'attends/);
    assert.match(stdout, /\d+ personnes, 12 saisies/);
    assert.match(stdout, /• Heures normales : [\d\u202f]+(,\d+)? heures/);
    assert.match(stdout, /✅ Livré : payroll-\d{4}-\d\d_export-1-1\.csv/);
    assert.match(stdout, /@Ana \(payroll\), votre export est prêt : payroll \(#3\), /);
    assert.match(stdout, /\[ Relancer \] \[ Annuler \]/);
    assert.match(stdout, /↳ ⚠ Toujours aucun export de Lucca après 1\d\ss\./);
    assert.match(stdout, /Ana \(payroll\) clique sur \[ Relancer \]/);
    assert.match(stdout, /a cliqué sur Relancer : /);
    assert.match(stdout, /✓ Demo complete/);

    // What the channel shows: the parents (│), their edits (✎) and the thread (↳ and what follows).
    // Ephemeral replies ("only visible to you") are the person's, in their own language (#13b).
    const channel = stdout
      .split('\n')
      .filter((line) => /^\s*\d+:\d\d {3}/.test(line) && !line.includes('(only visible to you)'))
      .map((line) => line.replace(/^\s*\d+:\d\d\s+/, '').replace(/^(✎ edited:|│|↳)\s*/, ''))
      .filter((line) => !line.startsWith('📎')); // the demo's own rendering of an uploaded file
    assert.ok(channel.length >= 30, `${channel.length} channel lines`);
    for (const line of channel) {
      assert.equal(englishWordIn(line), undefined, `English in the French channel: ${line}`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
