/**
 * Why a schedule's last occurrence was skipped or could not start, as `schedule list` and App Home say
 * it: from the code the scheduler recorded, in the reader's language; English as it always read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scheduleText } from '../../../src/bot/messages/catalogs/schedules.js';
import { lastOccurrenceText } from '../../../src/bot/messages/schedule-text.js';
import { AppError, errorCodeOf, userMessageOf } from '../../../src/errors.js';
import { localToUtc } from '../../../src/schedule/rules.js';
import type { OccurrenceRecord } from '../../../src/store/schedule-store.js';
import { englishWordsIn } from '../../helpers/english-words.js';
import { EVERY_START_FAILURE } from '../../helpers/failures.js';

const ZONE = 'Europe/Paris';
const firesAt = localToUtc('2027-01-01', '08:00', ZONE);

function record(fields: Partial<OccurrenceRecord>): OccurrenceRecord {
  return {
    scheduleId: 1,
    key: '2027-01',
    firesAt,
    endsAt: '2027-01-01',
    claimedAt: firesAt,
    claimedBy: 'w',
    runId: null,
    outcome: 'skipped',
    errorCode: null,
    errorMessage: null,
    finishedAt: firesAt,
    ...fields,
  };
}

/** What the scheduler records for a start that threw `error` (scheduler.ts, `fire`). */
const failedWith = (error: unknown) =>
  record({ outcome: 'failed', errorCode: errorCodeOf(error), errorMessage: userMessageOf(error) });

/** Every error a scheduled start can meet: Slack refusing the parent message, the store, the request, the app. */
const START_ERRORS = Object.values(EVERY_START_FAILURE);

const say = (fields: Partial<OccurrenceRecord>, language: 'en' | 'fr') =>
  lastOccurrenceText(record(fields), ZONE, language);

describe('why an occurrence was skipped, in English as before', () => {
  it('says the channel left ALLOWED_CHANNELS and which run had already delivered the export', () => {
    assert.equal(
      say({ errorCode: 'channel-not-allowed' }, 'en'),
      'Fri 1 Jan 2027: skipped: The channel is no longer in ALLOWED_CHANNELS, so nothing was posted.',
    );
    assert.equal(
      say({ errorCode: 'already-exported', runId: 41 }, 'en'),
      'Fri 1 Jan 2027: skipped: Run 41 had already delivered this export, so it was not run again.',
    );
  });

  it('reads a row written before the codes were worded by the bot exactly as it read then', () => {
    // The scheduler used to store these sentences with the code; the same words come from the code now.
    const old = [
      {
        errorCode: 'channel-not-allowed',
        errorMessage: 'The channel is no longer in ALLOWED_CHANNELS, so nothing was posted.',
      },
      {
        errorCode: 'already-exported',
        runId: 41,
        errorMessage: 'Run 41 had already delivered this export, so it was not run again.',
      },
    ];
    for (const fields of old) {
      assert.equal(say(fields, 'en'), `Fri 1 Jan 2027: skipped: ${fields.errorMessage}`);
    }
    assert.equal(say({}, 'en'), 'Fri 1 Jan 2027: skipped: the channel is not allowed');
  });
});

describe('why an occurrence was skipped, in French', () => {
  it('says it in French sentences, whether the row has its old English sentence or none', () => {
    for (const errorMessage of [
      null,
      'The channel is no longer in ALLOWED_CHANNELS, so nothing was posted.',
    ]) {
      assert.equal(
        say({ errorCode: 'channel-not-allowed', errorMessage }, 'fr'),
        "vendredi 1 janvier 2027 : ignoré : Le canal n'est plus dans ALLOWED_CHANNELS : rien n'y a été publié.",
      );
    }
    assert.equal(
      say({ errorCode: 'already-exported', runId: 41 }, 'fr'),
      "vendredi 1 janvier 2027 : ignoré : L'exécution 41 avait déjà livré cet export : il n'a pas été relancé.",
    );
  });
});

describe('why a scheduled start failed', () => {
  it("says each start error's own sentence in English, as stored when it failed", () => {
    for (const error of START_ERRORS) {
      const said = lastOccurrenceText(failedWith(error), ZONE, 'en');
      assert.ok(said?.startsWith('Fri 1 Jan 2027: :x: could not start: '), said);
      // The stored sentence, made safe for mrkdwn (a `<@bot>` mention shows as text).
      const sentence = userMessageOf(error).replace(/</g, '&lt;').replace(/>/g, '&gt;');
      assert.ok(said?.endsWith(sentence), `${errorCodeOf(error)}: ${said}`);
    }
  });

  it('says every start error in French, with no English word, never its stored English sentence', () => {
    for (const [code, error] of Object.entries(EVERY_START_FAILURE)) {
      assert.equal(errorCodeOf(error), code);
      const said = lastOccurrenceText(failedWith(error), ZONE, 'fr') ?? '';
      assert.ok(said.startsWith("vendredi 1 janvier 2027 : :x: n'a pas pu démarrer : "), said);
      assert.deepEqual(englishWordsIn(said), [], `${code}: ${said}`);
      assert.ok(!said.includes(userMessageOf(error)), `${code} is not its English sentence`);
      assert.doesNotMatch(said, /code `/, `${code} has its own French sentence`);
    }
  });

  it('tells a French reader how to fix the usual causes, then to start it by hand', () => {
    const { 'not-in-channel': notInChannel, 'channel-archived': archived } = EVERY_START_FAILURE;
    assert.equal(
      lastOccurrenceText(failedWith(notInChannel), ZONE, 'fr'),
      "vendredi 1 janvier 2027 : :x: n'a pas pu démarrer : Je ne suis pas membre du canal de la planification. Invitez-moi dans ce canal (`/invite` suivi de mon nom), puis cliquez sur *Lancer maintenant* dans l'onglet Accueil de l'application si l'export est toujours nécessaire.",
    );
    assert.equal(
      lastOccurrenceText(failedWith(archived), ZONE, 'fr'),
      "vendredi 1 janvier 2027 : :x: n'a pas pu démarrer : Le canal de la planification est archivé. Supprimez cette planification, puis ajoutez-la de nouveau dans un canal actif.",
    );
  });

  it('says a code it has no French sentence for in general words with the code', () => {
    const odd = failedWith(new AppError('something-new', 'Something new went wrong.'));
    const said = lastOccurrenceText(odd, ZONE, 'fr') ?? '';
    assert.match(said, /Le démarrage a échoué \(code `something-new`\)/);
    assert.deepEqual(englishWordsIn(said), []);
    assert.match(lastOccurrenceText(odd, ZONE, 'en') ?? '', /could not start: Something new went wrong\.$/);
  });

  it('falls back to the stored sentence for a row with no code, and to "unknown reason" with neither', () => {
    const stored = 'I am not a member of this channel.';
    for (const language of ['en', 'fr'] as const) {
      assert.ok(say({ outcome: 'failed', errorMessage: stored }, language)?.endsWith(stored));
      assert.ok(say({ outcome: 'failed' }, language)?.endsWith(scheduleText[language].unknownReason));
    }
  });
});

describe('the other outcomes in French', () => {
  it('says started, missed and interrupted occurrences in French', () => {
    const said = [
      say({ outcome: 'started', runId: 12 }, 'fr'),
      say({ outcome: 'claimed' }, 'fr'),
      say({ outcome: 'missed' }, 'fr'),
      say({ outcome: 'interrupted', errorCode: 'interrupted' }, 'fr'),
    ];
    assert.equal(said[0], 'vendredi 1 janvier 2027 : lancé (exécution 12)');
    assert.match(
      said[3] ?? '',
      /^vendredi 1 janvier 2027 : :warning: interrompu : l'application s'est arrêtée/,
    );
    for (const text of said) assert.deepEqual(englishWordsIn(text ?? ''), [], text);
  });
});
