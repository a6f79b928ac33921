import { accessSync, constants, mkdirSync } from 'node:fs';
import { todayIn } from '../../calendar/end-date.js';
import { folderNote } from '../../exports/folder-delivery.js';
import { previewNote } from '../../i18n/periods.js';
import { runTitle } from '../describe.js';
import { EXIT } from '../exit-codes.js';
import { followToEnd } from '../follow-command.js';
import type { CliIo } from '../io.js';
import { openCommand } from '../opening.js';
import { parseRunArguments } from '../run-arguments.js';
import { cliLogger, openSession, outputFolder } from '../session.js';
import { PROGRAM, RUN_USAGE } from '../usage.js';

/** `run <config> [<end>] [--out DIR] [--json] [--no-wait]`. */
export async function runCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { parsed, terminal, json, config } = openCommand(args, io, {
    usage: RUN_USAGE,
    options: { out: { type: 'string', short: 'o' }, 'no-wait': { type: 'boolean' } },
    positionals: { min: 1, max: 2, names: 'the configuration (a number or an alias)' },
  });

  const now = (io.clock?.now ?? Date.now)();
  const today = todayIn(config.schedule.timezone, now);
  const [configWord, endWord] = parsed.positionals as [string, string?];
  const request = parseRunArguments(configWord, endWord, { aliases: config.exports.configurations, today });
  if ('message' in request) {
    terminal.error(`${request.message}\nFor example: ${request.example}`);
    if (json) terminal.line(JSON.stringify({ type: 'error', code: 'usage', ...request }));
    return EXIT.usage;
  }

  const outDir = outputFolder(parsed.values.out);
  const folderProblem = unusableFolder(outDir);
  if (folderProblem) {
    terminal.error(`--out: ${outDir} ${folderProblem}. Choose a folder you can write to.`);
    if (json) terminal.line(JSON.stringify({ type: 'error', code: 'usage', message: folderProblem, outDir }));
    return EXIT.usage;
  }
  const logger = cliLogger(config, io, terminal);
  const session = openSession(config, io, logger, { defaultFolder: outDir });
  try {
    const { run, outcome } = session.engine.request({
      ...request,
      requestedBy: `cli:${io.user}`,
      source: 'cli',
      channelId: null,
      note: folderNote(outDir),
    });
    // Our own event (requested, or joined) and everything after it.
    const firstEvent = session.engine
      .eventsOf(run.id)
      .findLast(
        (event) =>
          (event.type === 'requested' || event.type === 'joined') && event.actor === `cli:${io.user}`,
      );
    const afterEventId = (firstEvent?.id ?? 0) - 1;
    const preview = previewNote(run.endsAt, today, 'en');
    // On stderr: a warning for the person, never mixed into --json's lines.
    if (preview) terminal.error(`Note: ${preview}`);
    if (outcome === 'joined' && !json) {
      terminal.line(
        `Run #${run.id} for ${runTitle(run)} is already under way (${run.state}); following it instead of starting a second export.`,
      );
    }
    if (parsed.values['no-wait'] === true) {
      if (json) {
        terminal.line(
          JSON.stringify({ type: 'requested', runId: run.id, outcome, state: run.state, outDir }),
        );
      } else {
        terminal.line(
          `Run #${run.id} ${outcome === 'joined' ? 'joined' : outcome === 'queued' ? 'queued' : 'requested'}: ${runTitle(run)}; files will go to ${outDir}.`,
        );
        terminal.line(
          'The Slack app drives it if it runs on this database; otherwise follow it with: ' +
            `${PROGRAM} retry ${run.id}`,
        );
      }
      return EXIT.ok;
    }
    if (!json && !terminal.interactive) terminal.line(`Following run #${run.id}; files go to ${outDir}.`);
    return await followToEnd(run, afterEventId, io, { terminal, json, session, outDir });
  } finally {
    await session.close();
  }
}

/** Checked before Lucca is asked for anything: a folder that cannot take the file would waste an export. */
function unusableFolder(folder: string): string | undefined {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    accessSync(folder, constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') return 'is not a folder';
    return 'cannot be created or written to';
  }
}
