/** The CLI's exit codes: scripts branch on these. */
export const EXIT = {
  /** The export is done (or the command did what it was asked). */
  ok: 0,
  /** The export failed or was cancelled, or the command could not do what it was asked. */
  failed: 1,
  /** Bad command line or configuration: nothing was started. */
  usage: 2,
  /** Lucca produced no export within EXPORT_STALL_AFTER: a person decides whether to retry. */
  stalled: 3,
  /** Ctrl-C: the run is kept and can be resumed. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
