import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModalView } from '@slack/types';
import {
  BLOCK_ALIAS,
  BLOCK_END_CHOICE,
  BLOCK_END_DATE,
  BLOCK_NUMBER,
  exportModal,
  type ModalMetadata,
  modalLanguage,
  readExportModal,
} from '../../../src/bot/messages/export-modal.js';
import { SLACK_LIMITS } from '../../../src/bot/messages/limits.js';
import { LANGUAGES } from '../../../src/i18n/language.js';
import { englishWordsIn } from '../../helpers/english-words.js';

const aliases = { payroll: 3, overtime: 7 };
// A Wednesday in September: the longest French weekday and month names in the options.
const today = '2027-09-15';

type Option = { text: { text: string }; description?: { text: string } };
const texts = (view: unknown): string[] => {
  const found: string[] = [];
  JSON.stringify(view, (key, value) => {
    if (key === 'text' && typeof value === 'string') found.push(value);
    return value;
  });
  return found;
};

describe('the export form in each language', () => {
  it('keeps the title, submit and close within 24 characters and every option within 75', () => {
    for (const language of LANGUAGES) {
      const view = <ModalView>exportModal({ aliases, today, channelId: 'C0PAY', language });
      for (const part of [view.title, view.submit, view.close]) {
        assert.ok(part && part.text.length <= 24, `${language}: "${part?.text}"`);
      }
      for (const block of view.blocks) {
        const options = ((block as { element?: { options?: Option[] } }).element?.options ?? []) as Option[];
        for (const option of options) {
          assert.ok(option.text.text.length <= SLACK_LIMITS.optionText, `${language}: ${option.text.text}`);
          const description = option.description?.text ?? '';
          assert.ok(description.length <= SLACK_LIMITS.optionDescription, `${language}: ${description}`);
        }
      }
    }
  });

  it('is all French for a French reader, with dates written out', () => {
    const view = <ModalView>exportModal({ aliases, today, channelId: 'C0PAY', language: 'fr' });
    assert.equal(view.title?.text, 'Export des temps');
    assert.equal(view.submit?.text, "Lancer l'export");
    assert.equal(view.close?.text, 'Annuler');
    const all = texts(view).join('\n');
    assert.match(all, /Le 1er de ce mois \(mercredi 1 septembre 2027\)/);
    assert.match(all, /Le lundi après la fin du mois \(lundi 6 septembre 2027\)/);
    assert.deepEqual(englishWordsIn(all), []);
  });

  it('is unchanged in English', () => {
    const view = <ModalView>exportModal({ aliases, today: '2026-12-02', channelId: 'C0PAY', language: 'en' });
    assert.equal(view.title?.text, 'Timesheet export');
    assert.equal(view.submit?.text, 'Start export');
    assert.match(texts(view).join('\n'), /The 1st of this month \(Tue 1 Dec 2026\)/);
  });

  it('remembers the language it was shown in, so its answers need no Slack call', () => {
    const view = <ModalView>exportModal({ aliases, today, channelId: 'C0PAY', language: 'fr' });
    const metadata = JSON.parse(view.private_metadata ?? '{}') as ModalMetadata;
    assert.deepEqual(metadata, { channelId: 'C0PAY', language: 'fr' });
    assert.equal(modalLanguage(metadata, 'en'), 'fr');
    // A form opened before languages existed (or forged metadata) falls back.
    assert.equal(modalLanguage({ channelId: 'C0PAY' }, 'en'), 'en');
    assert.equal(modalLanguage({ channelId: 'C0PAY', language: 'de' as never }, 'fr'), 'fr');
  });

  it('says its field errors in the reader’s language', () => {
    const value = (v: Record<string, unknown>) => ({ value: v });
    const empty = readExportModal({}, { aliases, today, language: 'fr' });
    assert.deepEqual(empty, {
      ok: false,
      errors: { [BLOCK_ALIAS]: "Choisissez la configuration d'export." },
    });
    const both = readExportModal(
      {
        [BLOCK_ALIAS]: value({ selected_option: { value: 'payroll' } }),
        [BLOCK_NUMBER]: value({ value: '7' }),
        [BLOCK_END_CHOICE]: value({ selected_option: { value: 'custom' } }),
        [BLOCK_END_DATE]: value({ selected_date: null }),
      },
      { aliases, today, language: 'fr' },
    );
    assert.deepEqual(both, {
      ok: false,
      errors: {
        [BLOCK_NUMBER]:
          'Choisissez une configuration ou saisissez un numéro, pas les deux (payroll correspond au n° 3).',
        [BLOCK_END_DATE]: "Choisissez la date de fin, ou l'une des options ci-dessus.",
      },
    });
  });
});
