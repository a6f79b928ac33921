import { parseRunId } from '../args.js';
import { runTitle } from '../describe.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { openCommand } from '../opening.js';
import { cliLogger, openSession } from '../session.js';
import { CANCEL_USAGE, PROGRAM } from '../usage.js';

/** `cancel <run> [--json]`, through the engine (idempotent, as the Slack button). */
export async function cancelCommand(args: readonly string[], io: CliIo): Promise<number> {
  const {
    checked: runId,
    terminal,
    json,
    config,
  } = openCommand(args, io, {
    usage: CANCEL_USAGE,
    positionals: { min: 1, max: 1, names: `the run number (see \`${PROGRAM} status\`)` },
    check: (parsed) => parseRunId(parsed.positionals[0]!, CANCEL_USAGE),
  });
  const session = openSession(config, io, cliLogger(config, io, terminal));
  try {
    const previous = session.engine.get(runId);
    const { run, outcome } = session.engine.cancel(runId, `cli:${io.user}`);
    let exitCode: number;
    let message: string;
    if (!run || outcome === 'not-found') {
      // A run number that names no run is a bad command line: nothing was changed (exit 2).
      exitCode = EXIT.usage;
      message = `There is no run #${runId}. \`${PROGRAM} status\` lists the runs.`;
    } else if (outcome === 'cancelled') {
      exitCode = EXIT.ok;
      message = `Run #${runId} (${runTitle(run)}) cancelled; it was ${previous?.state ?? 'active'}.${
        previous?.state === 'polling' || previous?.state === 'triggering'
          ? ' Lucca may still finish building that export; it will not be downloaded.'
          : ''
      }`;
    } else {
      exitCode = EXIT.ok;
      message = `Run #${runId} had already finished (${run.state}); nothing to cancel.`;
    }
    if (json)
      terminal.line(JSON.stringify({ type: 'cancel', runId, outcome, state: run?.state ?? null, message }));
    else if (exitCode === EXIT.ok) terminal.line(message);
    if (exitCode !== EXIT.ok) terminal.error(message);
    return exitCode;
  } finally {
    await session.close();
  }
}
