import type { Run } from '../../exports/types.js';
import { configurationName } from '../../i18n/names.js';
import { openDatabase } from '../../store/database.js';
import { RunStore } from '../../store/run-store.js';
import { systemClock } from '../../util/clock.js';
import { parseCount } from '../args.js';
import { actorText, ageText, filesText } from '../describe.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { openCommand } from '../opening.js';
import { formatTable } from '../table.js';
import { PROGRAM, STATUS_USAGE } from '../usage.js';

/** `status [--limit N] [--json]`: the latest runs, newest first. */
export async function statusCommand(args: readonly string[], io: CliIo): Promise<number> {
  const {
    checked: limit,
    terminal,
    json,
    config,
  } = openCommand(args, io, {
    usage: STATUS_USAGE,
    options: { limit: { type: 'string', short: 'n' } },
    positionals: { min: 0, max: 0, names: '' },
    check: (parsed) =>
      parseCount(parsed.values.limit, '--limit', { min: 1, max: 200, fallback: 10 }, STATUS_USAGE),
  });
  const db = openDatabase(config.databasePath);
  try {
    const runs = new RunStore(db).recent(limit);
    const now = (io.clock ?? systemClock).now();
    if (json) {
      terminal.line(JSON.stringify({ runs: runs.map((run) => runJson(run, now)) }));
      return EXIT.ok;
    }
    if (runs.length === 0) {
      terminal.line(`No runs yet. Start one with: ${PROGRAM} run <config> [<end>]`);
      return EXIT.ok;
    }
    terminal.line(
      formatTable(
        ['run', 'configuration', 'ends at', 'state', 'requested by', 'age', 'files'],
        runs.map((run) => [
          `#${run.id}`,
          configurationName(run, 'en'),
          run.endsAt,
          run.state === 'failed' && run.errorCode ? `failed (${run.errorCode})` : run.state,
          actorText(run.requestedBy),
          ageText(run.createdAt, now),
          run.filesDeletedAt ? '(deleted after retention)' : filesText(run.files) || '-',
        ]),
      ),
    );
    return EXIT.ok;
  } finally {
    db.close();
  }
}

function runJson(run: Run, now: number): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: run.id,
    configurationId: run.configurationId,
    configurationLabel: run.configurationLabel,
    endsAt: run.endsAt,
    state: run.state,
    attempt: run.attempt,
    requestedBy: run.requestedBy,
    source: run.source,
    channelId: run.channelId,
    createdAt: iso(run.createdAt),
    updatedAt: iso(run.updatedAt),
    finishedAt: iso(run.finishedAt),
    ageMs: Math.max(0, now - run.createdAt),
    exportId: run.exportId,
    error: run.errorCode ? { code: run.errorCode, message: run.errorMessage } : null,
    files: run.files.map(({ name, path, bytes, origin }) => ({ name, path, bytes, origin })),
    filesDeletedAt: iso(run.filesDeletedAt ?? null),
    summary: run.summary,
  };
}
