import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { personalError } from '../../../src/bot/messages/catalogs/errors.js';
import { postErrorFor } from '../../../src/bot/start-run.js';
import { AppError, userMessageOf } from '../../../src/errors.js';
import { DatabaseBusyError } from '../../../src/store/busy.js';
import { ConfigurationBusyError } from '../../../src/store/errors.js';
import { englishWordsIn } from '../../helpers/english-words.js';
import { SLACK_POST_REFUSALS, slackRefusal } from '../../helpers/failures.js';

const BOT = 'U0BOT';

describe('errors told to one person', () => {
  const errors = [
    ...SLACK_POST_REFUSALS.map((code) => postErrorFor(slackRefusal(code), { userId: BOT })),
    new DatabaseBusyError(20_000),
    new ConfigurationBusyError(3),
  ];

  it('keeps each error’s own sentence in English, as before', () => {
    for (const error of errors) assert.equal(personalError(error, 'en', BOT), userMessageOf(error));
  });

  it('says every error a Slack request can meet in French, naming the bot to invite', () => {
    for (const error of errors) {
      const said = personalError(error, 'fr', BOT);
      assert.deepEqual(englishWordsIn(said), [], `${(error as AppError).code}: ${said}`);
      assert.notEqual(said, userMessageOf(error));
    }
    assert.match(personalError(errors[0]!, 'fr', BOT), /Invitez-moi avec `\/invite <@U0BOT>`/);
  });

  it('says an error it has no French sentence for in general words with its code, never in English', () => {
    const odd = personalError(new AppError('something-new', 'Something new went wrong.'), 'fr', BOT);
    assert.match(odd, /code `something-new`/);
    assert.deepEqual(englishWordsIn(odd), []);
    const internal = personalError(new TypeError('x is undefined'), 'fr', BOT);
    assert.doesNotMatch(internal, /undefined/);
    assert.deepEqual(englishWordsIn(internal), []);
  });
});
