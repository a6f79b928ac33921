import { AppError, type FailureFacts, userMessageOf } from '../errors.js';

/**
 * What the engine needs to know about a failed delivery. Duck-typed so that the Slack side can throw
 * its own AppError subclass: any error with a string `code`, a string `userMessage` and a boolean
 * `retryable` qualifies.
 */
export interface DeliveryFailure {
  code: string;
  userMessage: string;
  retryable: boolean;
  /** The failure's particulars (AppError.facts), kept with the code for the channel's wording. */
  facts?: FailureFacts;
}

/** A ready-made delivery error for ports that have none of their own (the CLI's folder copy). */
export class DeliveryError extends AppError implements DeliveryFailure {
  readonly retryable: boolean;

  constructor(
    code: string,
    userMessage: string,
    options: { retryable: boolean; cause?: unknown; detail?: string; facts?: FailureFacts },
  ) {
    super(code, userMessage, { cause: options.cause, detail: options.detail, facts: options.facts });
    this.retryable = options.retryable;
  }
}

export function isDeliveryFailure(error: unknown): error is DeliveryFailure {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Record<string, unknown>;
  return typeof e.code === 'string' && typeof e.userMessage === 'string' && typeof e.retryable === 'boolean';
}

/**
 * Any thrown value as a delivery failure. An error the port did not classify is retried: delivery
 * only ever re-reads files already on disk, so trying again is safe.
 */
export function deliveryFailureOf(error: unknown): DeliveryFailure {
  if (isDeliveryFailure(error))
    return {
      code: error.code,
      userMessage: error.userMessage,
      retryable: error.retryable,
      facts: error.facts,
    };
  if (error instanceof AppError)
    return { code: error.code, userMessage: error.userMessage, retryable: true, facts: error.facts };
  return { code: 'delivery-failed', userMessage: userMessageOf(error), retryable: true };
}
