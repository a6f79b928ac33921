import { isFinal } from '../../exports/run-states.js';
import { configurationName } from '../../i18n/names.js';
import { parseRunId } from '../args.js';
import { runTitle } from '../describe.js';
import { EXIT } from '../exit-codes.js';
import { followToEnd } from '../follow-command.js';
import type { CliIo } from '../io.js';
import { openCommand } from '../opening.js';
import { cliLogger, openSession } from '../session.js';
import { PROGRAM, RETRY_USAGE } from '../usage.js';

/**
 * `retry <run> [--json] [--no-wait]`, through the engine (idempotent, as the Slack button). A run
 * still moving (one left by Ctrl-C, say) needs no retry: it is simply followed, which drives it.
 */
export async function retryCommand(args: readonly string[], io: CliIo): Promise<number> {
  const {
    parsed,
    checked: runId,
    terminal,
    json,
    config,
  } = openCommand(args, io, {
    usage: RETRY_USAGE,
    options: { 'no-wait': { type: 'boolean' } },
    positionals: { min: 1, max: 1, names: `the run number (see \`${PROGRAM} status\`)` },
    check: (parsed) => parseRunId(parsed.positionals[0]!, RETRY_USAGE),
  });
  const session = openSession(config, io, cliLogger(config, io, terminal));
  try {
    const actor = `cli:${io.user}`;
    const lastEventId = session.engine.eventsOf(runId).at(-1)?.id ?? 0;
    const { run, outcome } = session.engine.retry(runId, actor);
    const say = (exitCode: number, message: string) => {
      if (json)
        terminal.line(JSON.stringify({ type: 'retry', runId, outcome, state: run?.state ?? null, message }));
      else if (exitCode === EXIT.ok) terminal.line(message);
      if (exitCode !== EXIT.ok) terminal.error(message);
      return exitCode;
    };
    // A run number that names no run is a bad command line: nothing was started (exit 2).
    if (!run) return say(EXIT.usage, `There is no run #${runId}. \`${PROGRAM} status\` lists the runs.`);
    if (outcome === 'busy') {
      return say(
        EXIT.failed,
        `Another export of ${configurationName(run, 'en')} is under way, so run #${runId} cannot start again now. Retry once it has finished (see \`${PROGRAM} status\`).`,
      );
    }
    if (outcome === 'not-needed' && run.state === 'done') {
      return say(EXIT.ok, `Run #${runId} is already done; nothing to retry.`);
    }
    if (outcome === 'not-needed' && isFinal(run.state)) {
      return say(
        EXIT.failed,
        `Run #${runId} was ${run.state}; start a new export with \`${PROGRAM} run ${run.configurationLabel ?? run.configurationId} ${run.endsAt}\`.`,
      );
    }
    const what =
      outcome === 'redelivering'
        ? 'saving its files again (Lucca is not asked again)'
        : outcome === 'retrying'
          ? 'retrying'
          : `already under way (${run.state}), picking it up`;
    if (parsed.values['no-wait'] === true) return say(EXIT.ok, `Run #${runId}: ${what}.`);
    if (!json) terminal.line(`Run #${runId}, ${runTitle(run)}: ${what}.`);
    return await followToEnd(run, lastEventId, io, { terminal, json, session });
  } finally {
    await session.close();
  }
}
