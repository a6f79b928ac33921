import type { TriggerResult } from './types.js';

/**
 * What an answer to `POST /timmiexports/run` tells us. The call is synchronous and routinely
 * outlives Lucca's ~5 s cut (408) or a proxy's (502/504) while the export goes on being built
 * (Lucca's export guide: "your safest bet is to abort the connexion ... and track the export
 * creation progress by polling"). So anything that leaves it unknown whether Lucca started the
 * export is `pending`; only answers that say it was refused are errors (`refused`).
 */
export type TriggerAnswer = TriggerResult | { status: 'refused'; httpStatus: number };
type PendingResult = Extract<TriggerResult, { status: 'pending' }>;

export function triggerAnswerOf(httpStatus: number, exportId: number | undefined): TriggerAnswer {
  if (httpStatus >= 200 && httpStatus < 300) {
    return exportId === undefined
      ? { status: 'pending', reason: 'unknown', httpStatus }
      : { status: 'done', exportId };
  }
  if (httpStatus === 408 || httpStatus === 502 || httpStatus === 504) {
    return { status: 'pending', reason: 'gateway', httpStatus };
  }
  if (httpStatus >= 400 && httpStatus < 500) return { status: 'refused', httpStatus };
  // 500, 503 and redirects: the export may or may not have been started; polling tells.
  return { status: 'pending', reason: 'unknown', httpStatus };
}

/**
 * Network failures before any connection was made mean the POST never reached Lucca: nothing was
 * started, and saying so at once beats an hour of polling for an export that cannot appear.
 */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function triggerFailureOf(errorCode: string | undefined): PendingResult | 'not-sent' {
  if (errorCode && NEVER_SENT.has(errorCode)) return 'not-sent';
  if (errorCode === 'ETIMEDOUT') return { status: 'pending', reason: 'timeout' };
  if (errorCode === 'ECONNRESET' || errorCode === 'EPIPE') return { status: 'pending', reason: 'reset' };
  return { status: 'pending', reason: 'unknown' };
}
