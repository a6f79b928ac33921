/**
 * What the channel reads, in French (APP_LANGUAGE=fr): real sentences, and no English word left in
 * any payload of the builders that write channel messages.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deliveryText } from '../../../src/bot/messages/catalogs/delivery.js';
import { runThreadText } from '../../../src/bot/messages/catalogs/run-thread.js';
import { eventReply, summaryText } from '../../../src/bot/messages/event-reply.js';
import { missedOccurrenceMessage } from '../../../src/bot/messages/home-view.js';
import { runParentMessage } from '../../../src/bot/messages/run-message.js';
import { statusMessage } from '../../../src/bot/messages/status-message.js';
import { RUN_EVENT_TYPES, RUN_STATES, type StoredFile } from '../../../src/exports/types.js';
import { scheduledRunNote } from '../../../src/schedule/scheduler.js';
import { englishWordIn } from '../../helpers/english-words.js';
import { EVERY_FAILURE } from '../../helpers/failures.js';
import { runEvent, scheduleRecord } from '../../helpers/records.js';
import { sampleRun } from './run-message.test.js';

const fr = { language: 'fr', stallAfterMs: 3_600_000 } as const;
const file = (name: string, bytes: number): StoredFile => ({
  name,
  path: `/x/${name}`,
  bytes,
  origin: 'lucca',
});
const event = runEvent;
/** Intl writes French numbers and units with no-break spaces (U+00A0, U+202F); compared as spaces. */
const spaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const sectionText = (message: { blocks: unknown[] }) =>
  spaces((message.blocks[0] as { text: { text: string } }).text.text);

/** Every human-readable string of a payload: texts and fallbacks, not ids, values or Slack syntax. */
function words(payload: unknown): string[] {
  const out: string[] = [];
  const visit = (value: unknown, key?: string) => {
    if (typeof value === 'string') {
      if (key === 'text') out.push(value);
      return;
    }
    if (Array.isArray(value)) for (const item of value) visit(item, key);
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) visit(v, k === 'elements' || k === 'blocks' ? key : k);
  };
  visit(payload);
  return out;
}

function assertFrench(payload: unknown, what: string) {
  for (const text of words(payload)) {
    const found = englishWordIn(text);
    assert.equal(found, undefined, `${what}: English word "${found}" in: ${text}`);
  }
}

describe('the run parent message in French', () => {
  test('title, facts and status line', () => {
    const message = runParentMessage(sampleRun(), fr);
    assert.equal(
      sectionText(message),
      `*Export des temps : payroll (#3), novembre 2026*\n:hourglass_flowing_sand: Lucca prépare l'export depuis <!date^${Date.UTC(2026, 11, 1, 9) / 1000}^{time}|2026-12-01 09:00 UTC>. Je vérifie régulièrement et je le posterai ici dès qu'il sera prêt.`,
    );
    assert.match(
      JSON.stringify(message.blocks),
      /Demandé par <@U0ANA> · tout ce qui précède le mardi 1 décembre 2026 \(novembre 2026\) · exécution 12/,
    );
    assert.equal(
      message.text,
      "Export des temps : payroll (#3), novembre 2026 : Lucca prépare l'export depuis 2026-12-01 09:00 UTC. Je vérifie régulièrement et je le posterai ici dès qu'il sera prêt.",
    );
  });

  test('Relancer and Annuler, with a confirm dialog in French', () => {
    const message = runParentMessage(sampleRun({ state: 'stalled', nextAt: 1 }), fr);
    const actions = message.blocks.find((b) => b.type === 'actions') as {
      elements: { text: { text: string }; confirm?: Record<string, { text: string }> }[];
    };
    assert.deepEqual(
      actions.elements.map((e) => e.text.text),
      ['Relancer', 'Annuler'],
    );
    const confirm = actions.elements[1]!.confirm!;
    assert.equal(confirm.title!.text, 'Annuler cet export ?');
    assert.equal(confirm.confirm!.text, "Annuler l'export");
    assert.equal(confirm.deny!.text, 'Le garder');
    assert.match(
      sectionText(message),
      /Aucun export n'est apparu dans Lucca après 1 h\. Il a probablement échoué \(Lucca ne le signale jamais\), mais je continue/,
    );
  });

  test('a delivered run lists its files with sizes in French units', () => {
    const message = runParentMessage(
      sampleRun({ state: 'done', files: [file('paie.csv', 1536), file('b.csv', 15 * 1024 * 1024)] }),
      fr,
    );
    assert.match(
      sectionText(message),
      /:white_check_mark: Livré : `paie\.csv` \(1,5 ko\), `b\.csv` \(15 Mo\)\./,
    );
  });

  test('a failure Lucca explains is said in French; a scheduled run says it was planned', () => {
    const failed = runParentMessage(
      sampleRun({ state: 'failed', errorCode: 'unauthorized', errorMessage: 'Lucca refused the API key.' }),
      fr,
    );
    assert.match(sectionText(failed), /:x: Échec : Lucca a refusé la clé d'API\./);
    const scheduled = runParentMessage(sampleRun({ source: 'schedule', requestedBy: 'schedule:4' }), fr);
    assert.match(JSON.stringify(scheduled.blocks), /Export de fin de mois planifié/);
  });

  test('every state, as a parent, has no English word', () => {
    for (const state of RUN_STATES) {
      assertFrench(
        runParentMessage(
          sampleRun({ state, attempt: 2, exportId: 7, nextAt: 5, errorCode: 'forbidden' }),
          fr,
        ),
        state,
      );
    }
  });
});

describe('thread replies in French', () => {
  const summary = {
    exportId: 1,
    exportName: null,
    people: 42,
    entries: 1318,
    totals: [
      { timeType: 'Heures normales', unit: 'hours', amount: 1318.5 },
      { timeType: 'Astreinte', unit: 'days', amount: 1 },
    ],
  };

  test('the summary: numbers, plurals and units through Intl', () => {
    assert.equal(
      summaryText(summary, 'fr'),
      '*42* personnes, *1\u202f318* saisies\n• Heures normales : 1\u202f318,5 heures\n• Astreinte : 1 jour',
    );
    assert.equal(
      summaryText({ ...summary, people: 1, entries: 0, totals: [] }, 'fr'),
      '*1* personne, *0* saisie',
      'French singular covers 0 and 1',
    );
    assert.equal(
      summaryText({ ...summary, people: 1, entries: 0, totals: [] }, 'en'),
      '*1* person, *0* entries',
      'English unchanged',
    );
  });

  test('the stall reply and its buttons', () => {
    const reply = eventReply(
      event('stalled', { stallAfterMs: 3_600_000, watchingMs: 300_000 }),
      sampleRun({ state: 'stalled' }),
      'fr',
    )!;
    assert.equal(
      sectionText(reply),
      ":warning: Toujours aucun export de Lucca après 1 h. Lucca ne signale jamais un export en échec : il a donc probablement échoué. Au cas où il serait seulement lent, je continue à vérifier pendant encore 5 min et je le livrerai s'il arrive. *Relancer* vérifie d'abord une dernière fois, puis redemande l'export à Lucca.",
    );
    assert.match(JSON.stringify(reply.blocks), /"text":"Relancer".*"text":"Annuler"/);
  });

  test('Retry pressed, cancelled, delivered', () => {
    const run = sampleRun({ files: [file('paie.csv', 500)] });
    assert.equal(
      eventReply(event('retried', { recheck: true }, 'U0BOB'), run, 'fr')!.text,
      "<@U0BOB> a cliqué sur Relancer : une dernière vérification de l'export précédent, puis une nouvelle demande à Lucca s'il n'y en a pas.",
    );
    assert.equal(
      sectionText(eventReply(event('cancelled', {}, 'U0BOB'), run, 'fr')!),
      ':no_entry_sign: <@U0BOB> a annulé cet export.',
    );
    assert.equal(
      sectionText(eventReply(event('delivered'), run, 'fr')!),
      ':white_check_mark: Livré dans <#C0PAY> : `paie.csv` (500 o).',
    );
  });

  test('no reply, for any milestone, has an English word', () => {
    const details: Record<string, unknown> = {
      attempt: 2,
      waitedMs: 900_000,
      exportId: 290,
      summary,
      files: [file('paie.csv', 500)],
      skipped: [{ name: 'a.xlsx', code: 'forbidden' }, { name: 'b.xlsx' }],
      summaryUnavailable: true,
      willRetry: true,
      afterStall: true,
      matchedBy: 'id-and-time',
      stallAfterMs: 3_600_000,
      watchingMs: 60_000,
      code: 'slack-rate-limited',
      message: 'Slack asked us to slow down. The file will be sent again shortly.',
      notify: true,
      failures: 2,
      maxFailures: 8,
      answer: 'Erreur interne',
      refetch: true,
    };
    for (const type of RUN_EVENT_TYPES) {
      for (const actor of ['U0ANA', 'schedule:4', 'cli:ana', 'engine']) {
        const reply = eventReply(event(type, details, actor), sampleRun({ files: [file('x.csv', 1)] }), 'fr');
        if (reply) assertFrench(reply, `${type} by ${actor}`);
      }
    }
    const failed = eventReply(
      event('failed', { code: 'rate-limited', message: 'Lucca is refusing requests for now.' }),
      sampleRun({ state: 'failed' }),
      'fr',
    );
    assertFrench(failed, 'failed, rate-limited');
    const uploadFailed = eventReply(
      event('delivery-failed', {
        willRetry: false,
        code: 'channel-archived',
        message: 'This channel is archived',
      }),
      sampleRun({ state: 'failed' }),
      'fr',
    );
    assertFrench(uploadFailed, 'upload failed for good');
  });
});

describe('failures in French', () => {
  test('no failure the channel can show has an English word: parent, failed reply, upload reply', () => {
    for (const [code, facts] of Object.entries(EVERY_FAILURE)) {
      const message = `English sentence stored for ${code}`;
      const run = sampleRun({ state: 'failed', errorCode: code, errorMessage: message, errorFacts: facts });
      assertFrench(runParentMessage(run, fr), `${code}: parent`);
      assertFrench(eventReply(event('failed', { code, message, facts }), run, 'fr'), `${code}: failed`);
      for (const willRetry of [true, false]) {
        const reply = eventReply(event('delivery-failed', { code, message, facts, willRetry }), run, 'fr');
        assertFrench(reply, `${code}: upload failed`);
      }
    }
  });

  test("Lucca's unusable answer, in French words: what it was, and its HTTP status", () => {
    const run = sampleRun();
    const said = (detail: Record<string, unknown>, language: 'en' | 'fr') =>
      sectionText(
        eventReply(
          event('step-error', { notify: true, failures: 2, maxFailures: 8, ...detail }),
          run,
          language,
        )!,
      );
    const page = {
      code: 'bad-response',
      status: 200,
      answer: 'GET /api/v3/timmiexports: the body is not JSON',
    };
    assert.equal(
      said(page, 'fr'),
      ":warning: Lucca a donné 2 fois de suite la même réponse inexploitable : une réponse que l'application ne comprend pas (HTTP 200). Je continue d'essayer ; si cela dure (8 échecs de suite), l'exécution s'arrête et le signale ici.",
    );
    assert.equal(
      said(page, 'en'),
      ':warning: Lucca gave the same unusable answer 2 times in a row: GET /api/v3/timmiexports: the body is not JSON. I keep trying; if it lasts (8 failures in a row) the run stops and says so here.',
      'English unchanged',
    );
    assert.match(
      said({ code: 'unavailable', status: 503, answer: 'HTTP 503' }, 'fr'),
      /inexploitable : HTTP 503\./,
    );
    assert.match(
      said({ code: 'unavailable', answer: 'ECONNRESET socket hang up' }, 'fr'),
      /inexploitable : aucune réponse \(connexion impossible ou coupée\)\./,
    );
    for (const code of [
      'bad-response',
      'answer-too-large',
      'unavailable',
      'download-failed',
      'rate-limited',
    ]) {
      const reply = eventReply(
        event('step-error', {
          notify: true,
          failures: 2,
          code,
          status: 502,
          answer: 'the answer was not JSON',
        }),
        run,
        'fr',
      );
      assertFrench(reply, `step error ${code}`);
    }
  });

  test('a nameless time type is named in French', () => {
    const summary = {
      exportId: 1,
      exportName: null,
      people: 1,
      entries: 1,
      totals: [{ timeType: '', unit: 'hours', amount: 2 }],
    };
    assert.equal(summaryText(summary, 'fr'), '*1* personne, *1* saisie\n• Type de temps inconnu : 2 heures');
    assert.equal(summaryText(summary, 'en'), '*1* person, *1* entry\n• Unknown time type: 2 hours');
  });
});

describe('other channel posts in French', () => {
  const schedule = scheduleRecord();
  const occurrence = {
    key: '2026-12',
    localDate: '2026-12-01',
    localTime: '08:00',
    firesAt: Date.UTC(2026, 11, 1, 7),
    endsAt: '2026-12-01',
  };

  test('the missed-schedule warning and its Lancer maintenant button', () => {
    const message = missedOccurrenceMessage(schedule, occurrence, 'Europe/Paris', 'fr');
    assert.equal(
      message.text,
      "L'export planifié de configuration d'export n° 3, novembre 2026 n'a pas eu lieu : il était prévu le mardi 1 décembre 2026 à 08:00 (Europe/Paris) pendant que l'application était arrêtée (plus longtemps que SCHEDULE_CATCH_UP). Rien n'a été exporté. Cliquez sur *Lancer maintenant* pour l'exporter.".replace(
        /^/,
        ':warning: ',
      ),
    );
    assertFrench(message, 'missed occurrence');
  });

  test("a scheduled run's note, on time and caught up late", () => {
    assert.equal(
      scheduledRunNote(schedule, occurrence, 'Europe/Paris', false, 'fr'),
      'Lancé par la planification 4 (month-start : le 1er de chaque mois, pour exporter le mois qui vient de se terminer, à 08:00 Europe/Paris).',
    );
    const late = scheduledRunNote(schedule, occurrence, 'Europe/Paris', true, 'fr');
    assert.match(late, /^Rattrapé en retard : cet export était prévu le mardi 1 décembre 2026 à 08:00/);
    const parent = runParentMessage(sampleRun({ source: 'schedule', note: late }), fr);
    assert.match(sectionText(parent), /^\*Rattrapé en retard : Export des temps : payroll/);
  });

  test("the upload's comment", () => {
    assert.equal(
      deliveryText.fr.comment({
        scheduled: false,
        requester: '<@U0ANA>',
        what: 'payroll (#3), novembre 2026',
        thread: 'https://acme.slack.com/archives/C0PAY/p1',
      }),
      '<@U0ANA>, votre export est prêt : payroll (#3), novembre 2026. Détails dans <https://acme.slack.com/archives/C0PAY/p1|le fil>.',
    );
    assert.equal(
      deliveryText.fr.comment({ scheduled: true, requester: '', what: 'x', thread: undefined }),
      "L'export planifié est prêt : x.",
    );
  });

  test('the status list: states, and how long ago', () => {
    const now = Date.UTC(2026, 11, 1, 9, 5);
    const message = statusMessage([sampleRun({ state: 'stalled' })], now, 'https://acme.slack.com/', 'fr');
    assert.match(
      sectionText(message),
      /^\*Derniers exports des temps\*\n• \*payroll \(#3\)\*, novembre 2026: :warning: bloqué \(Relancer possible\) · <@U0ANA> · il y a 5 min · <https:\/\/acme\.slack\.com\/archives\/C0PAY\/p1764000000000100\|fil> {2}_\(exécution 12\)_$/,
    );
    assertFrench(message, 'status');
    assertFrench(statusMessage([], now, undefined, 'fr'), 'no runs');
  });

  test('the scan itself catches English', () => {
    assert.throws(() => assertFrench(runParentMessage(sampleRun(), { ...fr, language: 'en' }), 'en'));
    assert.ok(runThreadText.fr.retry !== runThreadText.en.retry);
  });
});
