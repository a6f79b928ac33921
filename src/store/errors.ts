import { AppError } from '../errors.js';

export type StoreErrorCode = 'database-unavailable' | 'database-too-new' | 'database-busy';

/** A problem with the SQLite run store, with a sentence an operator can act on. */
export class StoreError extends AppError {
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, userMessage: string, options?: { cause?: unknown; detail?: string }) {
    super(code, userMessage, options);
  }
}
