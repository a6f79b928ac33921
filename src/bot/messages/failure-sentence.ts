import type { FailureFacts } from '../../errors.js';
import type { Language } from '../../i18n/language.js';
import { failureText } from './catalogs/failures.js';

/**
 * Why a run or an upload failed, as the channel reads it: the sentence of the failure's code and facts
 * in `language`; else the sentence stored with the failure (English, as the engine wrote it: the
 * English channel, and rows older than the facts); else `fallback`.
 */
export function failureSentence(
  language: Language,
  failure: { code: string | null | undefined; facts?: FailureFacts | null; message?: string | null },
  fallback: string,
): string {
  return failureText[language].sentence(failure.code ?? null, failure.facts) ?? failure.message ?? fallback;
}
