import { AppError, type FailureFacts, userMessageOf } from '../errors.js';

/**
 * Lucca answers that will not change by asking again (DESIGN §1: 401 bad key, 403 no right to export,
 * 404 unknown configuration or export, 400 bad endsAt; an answer past the size cap): the run fails at
 * once.
 */
const REFUSALS: ReadonlySet<string> = new Set([
  'unauthorized',
  'forbidden',
  'not-found',
  'bad-request',
  // A web page or a downgrade where the file should be: the run fails with that reason (issue 12).
  'not-a-file',
  'answer-too-large',
]);

export function isRefusal(error: unknown): error is AppError {
  return error instanceof AppError && REFUSALS.has(error.code);
}

/**
 * Errors of the export POST that prove no export was started: a 429 (refused before doing anything)
 * and `unavailable`, which the Lucca client throws for the POST only when the connection was never
 * made (ECONNREFUSED, ENOTFOUND…); every other failure of the POST comes back as "pending".
 */
export function isNeverSent(error: unknown): error is AppError {
  return error instanceof AppError && (error.code === 'rate-limited' || error.code === 'unavailable');
}

/** Lucca answered the POST with something else than an export, a known refusal or a gateway cut. */
export function isUnexpectedAnswer(error: unknown): error is AppError {
  return error instanceof AppError && error.code === 'bad-response';
}

/** A file Lucca will not hand over however often we ask: skip it (the CSV fallback covers the data). */
const UNOBTAINABLE_FILE: ReadonlySet<string> = new Set([
  'not-found',
  'forbidden',
  'file-too-large',
  'bad-response',
]);

export function isUnobtainableFile(error: unknown): error is AppError {
  return error instanceof AppError && UNOBTAINABLE_FILE.has(error.code);
}

/**
 * What a failed step met, when it was an answer from Lucca: the error's code and its `detail`
 * (the Lucca client's few words on the answer: method, path, status, what was wrong with it), and
 * the answer's HTTP status when there was one (for words in another language than the client's).
 * Two failures are "the same answer" when code and detail are equal.
 */
export function luccaTroubleOf(
  error: unknown,
): { code: string; answer: string; status?: number } | undefined {
  if (!(error instanceof AppError) || error.code === 'aborted') return undefined;
  const { detail, httpStatus } = error as { detail?: unknown; httpStatus?: unknown };
  if (typeof detail !== 'string' || !detail) return undefined;
  return {
    code: error.code,
    answer: detail,
    ...(typeof httpStatus === 'number' ? { status: httpStatus } : {}),
  };
}

/**
 * Code, English sentence and facts to store on a failed run; unknown errors get the generic sentence,
 * never their text. The facts let the channel say the sentence in its own language.
 */
export function failureOf(error: unknown): { code: string; message: string; facts?: FailureFacts } {
  if (error instanceof AppError)
    return { code: error.code, message: error.userMessage, ...(error.facts ? { facts: error.facts } : {}) };
  return { code: 'internal', message: userMessageOf(error) };
}
