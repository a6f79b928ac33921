/**
 * One base error with a stable `code` (callers branch on the code, never on message text, as got does)
 * and a `userMessage`: the sentence a payroll manager reads. `message` may carry technical detail for
 * logs but never a secret.
 */
export class AppError extends Error {
  readonly code: string;
  readonly userMessage: string;
  /** The failure's particulars, as data: what a sentence in another language needs besides the code. */
  readonly facts: FailureFacts | undefined;

  constructor(
    code: string,
    userMessage: string,
    options?: { cause?: unknown; detail?: string; facts?: FailureFacts },
  ) {
    super(options?.detail ? `${userMessage} (${options.detail})` : userMessage, { cause: options?.cause });
    this.name = new.target.name;
    this.code = code;
    this.userMessage = userMessage;
    this.facts = options?.facts;
  }
}

/**
 * What made one failure different from another of the same code (an HTTP status, a size limit, a
 * Slack scope…). `userMessage` is the English sentence, for logs and the command line; these facts
 * are kept with the code on a failed run, so that the channel's catalogs can say the same thing in
 * APP_LANGUAGE. Plain data, already safe to show (no secret, one line); never translated words.
 */
export interface FailureFacts {
  /** Which of a code's cases it was, when a code has several sentences (`redirect`, `too-slow`…). */
  kind?: string;
  /** HTTP status of the answer. */
  status?: number;
  /** How many times the request was tried. */
  attempts?: number;
  configurationId?: number;
  exportId?: number;
  /** `YYYY-MM-DD`. */
  endsAt?: string;
  /** Lucca's own `Message` on a refusal, made one short safe line. */
  luccaMessage?: string;
  /** A size limit, in bytes. */
  maxBytes?: number;
  bytes?: number;
  elapsedMs?: number;
  allowedMs?: number;
  waitedMs?: number;
  /** A host name, or `Lucca`. */
  host?: string;
  redirected?: boolean;
  /** Slack's error string (`not_in_channel`, `token_revoked`…). */
  slackError?: string;
  /** A Slack scope the app lacks (`files:write`). */
  scope?: string;
  fileName?: string;
  /** Node's error code (`EACCES`). */
  systemCode?: string;
}

/** The sentence to show a person for any thrown value; unknown errors never leak their stack or text. */
export function userMessageOf(error: unknown): string {
  if (error instanceof AppError) return error.userMessage;
  return 'Something went wrong inside the app. The details are in its log; please tell your Slack admin.';
}

export function errorCodeOf(error: unknown): string {
  return error instanceof AppError ? error.code : 'internal';
}
