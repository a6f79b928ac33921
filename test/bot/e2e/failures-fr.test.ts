/**
 * Failures with particulars, end to end with APP_LANGUAGE=fr (#13): the parent and the thread say
 * them in French with their details (the configuration's id, Slack's HTTP status, the missing scope),
 * and no message the channel gets has an English word.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PAYROLL, startHarness } from '../../helpers/app-harness.js';
import { englishWordIn, textsOf } from '../../helpers/english-words.js';

type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Intl and the catalogs may write no-break spaces: compared as spaces. */
const spaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

/** Every text of every message in the channel (parents as they stand, thread replies), as shown. */
function channelTexts(h: Harness): string[] {
  return h.slack
    .messagesIn(PAYROLL)
    .flatMap((message) => textsOf({ text: message.text, blocks: message.blocks }))
    .map(spaces);
}

function assertNoEnglish(h: Harness) {
  for (const text of channelTexts(h)) {
    const found = englishWordIn(text);
    assert.equal(found, undefined, `English word "${found}" in: ${text}`);
  }
}

describe('failures in French, end to end', () => {
  test('Lucca has no such configuration: its id, in French, in the parent and the thread', async () => {
    const h = await startHarness({ env: { APP_LANGUAGE: 'fr' } });
    try {
      h.sim.failNext(
        { pathIncludes: 'timmiexports' },
        { status: 404, body: '{"Status":404,"Message":"Not Found"}' },
        50,
      );
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      assert.equal(h.app.store.get(run.id)!.state, 'failed');
      const sentence =
        "Lucca n'a pas de configuration d'export 3. Vérifiez l'identifiant : c'est le second nombre de l'adresse de la configuration d'export dans Lucca (…/export/1/3/latest → 3).";
      const texts = channelTexts(h);
      assert.ok(
        texts.some((t) => t.includes(`:x: Échec : ${sentence}`)),
        texts.join('\n'),
      );
      assert.ok(
        texts.some((t) => t === `:x: ${sentence}`),
        texts.join('\n'),
      );
      assertNoEnglish(h);
    } finally {
      await h.close();
    }
  });

  test("Slack refuses the upload's bytes: its HTTP status, in French, and the upload is tried again", async () => {
    const h = await startHarness({ env: { APP_LANGUAGE: 'fr' }, lucca: { buildMs: 10_000 } });
    try {
      h.slack.failUploadNext({ status: 500 }, 1);
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      await h.advance(10 * 60_000, 10_000);
      assert.equal(h.app.store.get(run.id)!.state, 'done');
      const thread = h.slack.threadOf(PAYROLL, run.threadTs!).map((m) => spaces(m.text ?? ''));
      assert.ok(
        thread.some((t) =>
          t.includes(
            "L'envoi a échoué (Slack n'a pas accepté le fichier (HTTP 500). L'export lui-même est intact ; seul l'envoi doit être retenté.). Je réessaierai",
          ),
        ),
        thread.join('\n'),
      );
      assertNoEnglish(h);
    } finally {
      await h.close();
    }
  });

  test('the app lacks files:write: the scope, in French, and the run waits for a person', async () => {
    const h = await startHarness({ env: { APP_LANGUAGE: 'fr' }, lucca: { buildMs: 10_000 } });
    try {
      h.slack.setScopes(['commands', 'chat:write', 'usergroups:read']);
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      await h.advance(10 * 60_000, 10_000);
      const failed = h.app.store.get(run.id)!;
      assert.equal(failed.state, 'failed');
      assert.equal(failed.errorCode, 'slack-missing-scope');
      assert.deepEqual(failed.errorFacts, { slackError: 'missing_scope', scope: 'files:write' });
      const texts = channelTexts(h);
      assert.ok(
        texts.some((t) =>
          t.includes(
            "Il manque à l'application l'autorisation Slack `files:write`. Demandez à votre administrateur Slack de l'ajouter et de réinstaller l'application, puis cliquez sur Relancer.",
          ),
        ),
        texts.join('\n'),
      );
      assertNoEnglish(h);
    } finally {
      await h.close();
    }
  });
});
