import { AppError } from '../errors.js';
import type { ConfigurationBusyError as ConfigurationBusy } from '../exports/run-repository.js';

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

/**
 * Raised when a run would take a configuration that another active run already holds: the error
 * the engine's RunRepository contract (exports/run-repository.ts) asks `transition` to throw.
 */
export class ConfigurationBusyError extends StoreError implements ConfigurationBusy {
  declare readonly code: 'configuration-busy';
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
