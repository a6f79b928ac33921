/**
 * One base error with a stable `code` (callers branch on the code, never on message text, as got does)
 * and a `userMessage`: the sentence a payroll manager reads. `message` may carry technical detail for
 * logs but never a secret.
 */
export class AppError extends Error {
  readonly code: string;
  readonly userMessage: string;

  constructor(code: string, userMessage: string, options?: { cause?: unknown; detail?: string }) {
    super(options?.detail ? `${userMessage} (${options.detail})` : userMessage, { cause: options?.cause });
    this.name = new.target.name;
    this.code = code;
    this.userMessage = userMessage;
  }
}

/** The sentence to show a person for any thrown value; unknown errors never leak their stack or text. */
export function userMessageOf(error: unknown): string {
  if (error instanceof AppError) return error.userMessage;
  return 'Something went wrong inside the app. The details are in its log; please tell your Slack admin.';
}

export function errorCodeOf(error: unknown): string {
  return error instanceof AppError ? error.code : 'internal';
}
