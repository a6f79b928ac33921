/**
 * Failures as the channel reads them (#13): built by the real error constructors (Lucca client, Slack
 * upload, the app's disk), stored as the engine stores them (code, English sentence, facts), shown in
 * the parent and the thread. French says them in French with their particulars; English is exactly
 * the sentence the engine stored; a row without facts (older than them) still shows its sentence.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventReply } from '../../../src/bot/messages/event-reply.js';
import { failureSentence } from '../../../src/bot/messages/failure-sentence.js';
import { runParentMessage } from '../../../src/bot/messages/run-message.js';
import { SlackUploadError, slackErrorToDelivery } from '../../../src/bot/slack-upload.js';
import { AppError } from '../../../src/errors.js';
import { deliveryFailureOf } from '../../../src/exports/delivery.js';
import { failureOf } from '../../../src/exports/step-errors.js';
import { storageErrorOf } from '../../../src/exports/storage-errors.js';
import type { RunEvent } from '../../../src/exports/types.js';
import type { Language } from '../../../src/i18n/language.js';
import {
  answerTooLargeError,
  downloadFailedError,
  downloadTooSlowError,
  fileHostRefusedError,
  fileTooLargeError,
  notAFileError,
  refusalError,
  unavailableError,
} from '../../../src/lucca/errors.js';
import { englishWordIn } from '../../helpers/english-words.js';
import { EVERY_FAILURE } from '../../helpers/failures.js';
import { sampleRun } from './run-message.test.js';

/** Intl writes French numbers and units with no-break spaces (U+00A0, U+202F); compared as spaces. */
const spaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const section = (message: { blocks: unknown[] }) =>
  spaces((message.blocks[0] as { text: { text: string } }).text.text);

const platform = (error: string, needed?: string) =>
  Object.assign(new Error(`An API error occurred: ${error}`), {
    code: 'slack_webapi_platform_error',
    data: { ok: false, error, ...(needed ? { needed } : {}) },
  });
const httpError = (statusCode: number) =>
  Object.assign(new Error(`An HTTP protocol error occurred: statusCode = ${statusCode}`), {
    code: 'slack_webapi_http_error',
    statusCode,
  });

/** The parent's status line and the thread's reply for a run failed with `error`, as the engine stores it. */
function shown(error: unknown, language: Language) {
  const { code, message, facts } = failureOf(error);
  const run = sampleRun({
    state: 'failed',
    errorCode: code,
    errorMessage: message,
    errorFacts: facts ?? null,
  });
  const event: RunEvent = {
    id: 1,
    runId: run.id,
    type: 'failed',
    actor: 'engine',
    at: 0,
    detail: { code, message, ...(facts ? { facts } : {}), state: 'polling' },
    publishedAt: null,
  };
  return {
    message,
    // The status line, under the parent's title.
    parent: section(runParentMessage(run, { language, stallAfterMs: 3_600_000 })).split('\n')[1],
    reply: section(eventReply(event, run, language)!),
  };
}

/** The failures the channel shows with particulars, and their French sentences, word for word. */
const FRENCH: [string, unknown, string][] = [
  [
    'Lucca 404, a configuration',
    refusalError({ status: 404 }, { configurationId: 3 }),
    "Lucca n'a pas de configuration d'export 3. Vérifiez l'identifiant : c'est le second nombre de l'adresse de la configuration d'export dans Lucca (…/export/1/3/latest → 3).",
  ],
  [
    'Lucca 404, an export',
    refusalError({ status: 404 }, { configurationId: 3, exportId: 290 }),
    "Lucca n'a pas d'export n° 290 (il a peut-être été archivé ou supprimé dans Lucca).",
  ],
  [
    'Lucca 400 with its message',
    refusalError({ status: 400, message: 'endsAt invalide' }, { configurationId: 3, endsAt: '2026-12-01' }),
    "Lucca a refusé la demande d'export pour la date de fin du mardi 1 décembre 2026 : « endsAt invalide »",
  ],
  ['Lucca 400 without one', refusalError({ status: 400 }, {}), 'Lucca a refusé la demande.'],
  [
    'Lucca unavailable',
    unavailableError({ status: 503 }, 3),
    "Lucca est injoignable ou ne répond pas correctement (3 tentatives). Réessayez plus tard ; si cela dure, vérifiez LUCCA_BASE_URL et l'état du service Lucca.",
  ],
  [
    'file too large',
    fileTooLargeError(200_000_000),
    "Le fichier d'export dépasse 200 Mo, la taille maximale que l'application télécharge. Réduisez l'export dans Lucca ou téléchargez-le depuis Lucca.",
  ],
  [
    'not a file: a redirect to http',
    notAFileError('redirect from https to http (files.example.net)'),
    "Le lien de Lucca vers le fichier d'export redirigeait vers une adresse non chiffrée (http) : l'application ne l'a donc pas téléchargé, car les données de paie ne doivent pas circuler en clair. Vérifiez LUCCA_BASE_URL et l'export dans Lucca, ou prévenez votre administrateur Slack.",
  ],
  [
    'not a file: a web page',
    notAFileError('a 200 answer of type text/html'),
    "Lucca a répondu au téléchargement du fichier par une page web au lieu du fichier d'export (souvent une page de connexion après une redirection, ou une page d'erreur) : rien n'a donc été livré. Vérifiez l'export dans Lucca, ou prévenez votre administrateur Slack.",
  ],
  [
    'download failed',
    downloadFailedError({ status: 500 }, 1),
    "Le fichier d'export n'a pas pu être téléchargé depuis Lucca (1 tentative). Relancez la livraison plus tard ; l'export lui-même est terminé.",
  ],
  [
    'download too slow',
    downloadTooSlowError('stockage.example.net', { bytes: 1536, elapsedMs: 90_000, allowedMs: 60_000 }),
    "Le fichier d'export arrivait trop lentement depuis stockage.example.net (1,5 ko en 1 min 30 s, plus que les 1 min accordées pour sa taille) : le téléchargement a donc été arrêté. Relancez la livraison plus tard ; l'export lui-même est terminé.",
  ],
  [
    "the file's host refused it",
    fileHostRefusedError('stockage.example.net', 403, true),
    "L'hébergeur du fichier d'export, stockage.example.net, vers lequel Lucca a redirigé le téléchargement, l'a refusé (HTTP 403). La clé d'API Lucca n'est pas en cause : elle n'est jamais envoyée à un autre hôte. Réessayez plus tard (l'application demande un nouveau lien à Lucca) ; si cela se répète, prévenez votre administrateur Lucca.",
  ],
  [
    'an answer too large',
    answerTooLargeError('/api/v3/timmiexports', 16 * 1024 * 1024),
    "Lucca a envoyé une réponse de plus de 16 Mo, bien plus que ce que l'API de Lucca envoie jamais : l'application a donc cessé de la lire. Vérifiez que LUCCA_BASE_URL désigne bien votre hôte Lucca ; si c'est le cas, prévenez votre administrateur Slack.",
  ],
  [
    'a folder the app may not write in',
    storageErrorOf(Object.assign(new Error('denied'), { code: 'EACCES' }), '/data/files'),
    "L'application ne peut pas enregistrer les fichiers d'export dans le dossier EXPORT_FILES_DIR (EACCES). Demandez à votre administrateur d'en faire un dossier où l'utilisateur de l'application peut écrire, puis cliquez sur Relancer (Lucca ne refait pas l'export).",
  ],
  [
    'Slack HTTP status, transient',
    slackErrorToDelivery(httpError(503)),
    'Slack ne répond pas correctement pour le moment (HTTP 503). Le fichier sera renvoyé sous peu.',
  ],
  [
    'Slack HTTP status, refused',
    slackErrorToDelivery(httpError(404)),
    'Slack a répondu HTTP 404. Demandez à votre administrateur Slack de vérifier SLACK_API_URL.',
  ],
  [
    'the upload URL refused the bytes',
    new SlackUploadError(413),
    "Slack n'a pas accepté le fichier (HTTP 413). L'export lui-même est intact ; seul l'envoi doit être retenté.",
  ],
  [
    'the upload never connected',
    new SlackUploadError(null),
    "Le fichier n'a pas pu être envoyé à Slack (la connexion a échoué). L'export lui-même est intact ; seul l'envoi doit être retenté.",
  ],
  [
    'a missing scope',
    slackErrorToDelivery(platform('missing_scope', 'files:write')),
    "Il manque à l'application l'autorisation Slack `files:write`. Demandez à votre administrateur Slack de l'ajouter et de réinstaller l'application, puis cliquez sur Relancer.",
  ],
  [
    'a revoked token',
    slackErrorToDelivery(platform('token_revoked')),
    "Slack a refusé les identifiants de l'application (`token_revoked`). Demandez à votre administrateur Slack de réinstaller l'application Timesheet Export et de vérifier SLACK_BOT_TOKEN.",
  ],
  [
    'another Slack refusal',
    slackErrorToDelivery(platform('invalid_blocks')),
    'Slack a refusé le fichier (erreur : `invalid_blocks`). Prévenez votre administrateur Slack.',
  ],
  [
    'Slack lost the upload',
    slackErrorToDelivery(platform('file_upload_not_found')),
    "Slack a perdu le fichier envoyé avant de le partager. L'envoi doit être retenté.",
  ],
  [
    'an error that is not the app’s',
    new Error('boom at /srv/app.js:1'),
    "Un problème est survenu dans l'application. Le détail est dans son journal ; prévenez votre administrateur Slack.",
  ],
];

describe('failures in French, with their particulars', () => {
  for (const [what, error, sentence] of FRENCH) {
    test(what, () => {
      const { parent, reply } = shown(error, 'fr');
      assert.equal(parent, `:x: Échec : ${sentence}`);
      assert.equal(reply, `:x: ${sentence}`);
    });
  }

  test('an upload failure in the thread, then for good', () => {
    const failure = deliveryFailureOf(slackErrorToDelivery(httpError(502)));
    const run = sampleRun({ state: 'delivering' });
    const event = (willRetry: boolean): RunEvent => ({
      id: 1,
      runId: run.id,
      type: 'delivery-failed',
      actor: 'engine',
      at: 0,
      detail: { code: failure.code, message: failure.userMessage, facts: failure.facts, willRetry },
      publishedAt: null,
    });
    assert.equal(
      section(eventReply(event(true), run, 'fr')!),
      ":warning: L'envoi a échoué (Slack ne répond pas correctement pour le moment (HTTP 502). Le fichier sera renvoyé sous peu.). Je réessaierai à partir du fichier déjà téléchargé, sans redemander l'export à Lucca.",
    );
    assert.equal(
      section(eventReply(event(false), run, 'fr')!),
      ":x: L'envoi a échoué : Slack ne répond pas correctement pour le moment (HTTP 502). Le fichier sera renvoyé sous peu.",
    );
  });

  test('a run that gave up after the stall says how long it waited', () => {
    const run = sampleRun({
      state: 'failed',
      errorCode: 'export-never-appeared',
      errorMessage: 'Lucca produced no export in 2h: it has failed (Lucca never says so).',
      errorFacts: { waitedMs: 2 * 3_600_000 },
    });
    assert.match(
      section(runParentMessage(run, { language: 'fr', stallAfterMs: 3_600_000 })),
      /\n:x: Échec : Lucca n'a produit aucun export en 2 h : il a échoué \(Lucca ne le signale jamais\)\./,
    );
  });
});

describe('failures in English: the sentence the engine stored, unchanged', () => {
  for (const [what, error] of FRENCH) {
    test(what, () => {
      const { message, parent, reply } = shown(error, 'en');
      assert.ok(error instanceof AppError || what.includes('not the app'));
      assert.equal(
        parent,
        `:x: Failed: ${message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`,
      );
      assert.equal(
        reply,
        `:x: ${message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`,
      );
    });
  }

  test('a Slack HTTP error, word for word', () => {
    assert.equal(
      shown(slackErrorToDelivery(httpError(404)), 'en').reply,
      ':x: Slack answered with HTTP 404. Ask your Slack admin to check SLACK_API_URL.',
    );
  });
});

describe('rows older than the facts', () => {
  test('a failure whose French sentence needs its particulars shows the stored sentence', () => {
    const stored = 'Lucca has no export configuration 3. Check the id.';
    const run = sampleRun({ state: 'failed', errorCode: 'not-found', errorMessage: stored });
    assert.equal(
      section(runParentMessage(run, { language: 'fr', stallAfterMs: 3_600_000 })).split('\n')[1],
      `:x: Échec : ${stored}`,
    );
  });

  test('one whose French sentence needs none is said in French', () => {
    assert.equal(
      failureSentence('fr', { code: 'channel-archived', message: 'This channel is archived.' }, '?'),
      'Ce canal est archivé : je ne peux pas y publier le fichier. Désarchivez-le, puis cliquez sur Relancer.',
    );
  });

  test('a code the catalog does not know: general words and the code, not the English sentence', () => {
    assert.equal(
      failureSentence('fr', { code: 'database-busy', message: 'The database is locked.' }, '?'),
      "L'export a échoué (code `database-busy`). Le détail est dans le journal de l'application ; prévenez votre administrateur Slack.",
    );
    assert.equal(
      failureSentence('en', { code: 'database-busy', message: 'The database is locked.' }, '?'),
      'The database is locked.',
    );
  });

  test('no code and no sentence: the fallback', () => {
    assert.equal(failureSentence('fr', { code: null }, 'raison inconnue'), 'raison inconnue');
    assert.equal(failureSentence('en', { code: 'not-found', facts: { configurationId: 3 } }, '?'), '?');
  });
});

describe('every failure the channel can show', () => {
  test('has a French sentence with no English word, with its facts and (where it can) without', () => {
    for (const [code, facts] of Object.entries(EVERY_FAILURE)) {
      const sentence = failureSentence('fr', { code, facts }, '');
      assert.ok(sentence.length > 20, `${code}: no French sentence`);
      assert.equal(englishWordIn(sentence), undefined, `${code}: English in ${sentence}`);
      const older = failureSentence('fr', { code, message: 'STORED' }, '');
      assert.equal(englishWordIn(older), undefined, `${code}: English in ${older}`);
    }
  });
});
