import { AppError } from '../errors.js';

export type StoreErrorCode =
  | 'database-unavailable'
  | 'database-too-new'
  | 'database-busy'
  | 'configuration-busy';

/** A problem with the SQLite run store, with a sentence an operator can act on. */
export class StoreError extends AppError {
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, userMessage: string, options?: { cause?: unknown; detail?: string }) {
    super(code, userMessage, options);
  }
}

/** Raised when a run would take a configuration that another active run already holds. */
export class ConfigurationBusyError extends StoreError {
  readonly configurationId: number;

  constructor(configurationId: number, cause?: unknown) {
    super(
      'configuration-busy',
      `Another export of configuration ${configurationId} is already running; wait for it to finish or cancel it.`,
      { cause },
    );
    this.configurationId = configurationId;
  }
}
