import path from 'node:path';
import { type DeliveredFile, FolderDelivery, folderFromNote } from '../exports/folder-delivery.js';
import type { Run } from '../exports/types.js';
import { formatBytes } from '../i18n/quantities.js';
import { formatDuration } from '../util/duration.js';
import { actorText, retryCommand, runTitle, summaryLine } from './describe.js';
import { EXIT } from './exit-codes.js';
import type { CliSession } from './session.js';
import type { Terminal } from './terminal.js';

export interface ResultContext {
  terminal: Terminal;
  json: boolean;
  session: CliSession;
  /** `run --out`: the files must end up there, whoever delivered the run. */
  outDir?: string;
}

interface Delivery {
  /** Files in a folder on this machine, when known. */
  files: DeliveredFile[];
  /** Where the run was delivered, in words. */
  where: string;
}

/** Prints how a settled run ended and returns the exit code. */
export async function reportSettled(run: Run, ctx: ResultContext): Promise<number> {
  if (run.state === 'done') return reportDone(run, ctx);
  if (run.state === 'stalled') {
    const waited = run.triggeredAt !== null ? run.updatedAt - run.triggeredAt : undefined;
    const message = `Run #${run.id} stalled: Lucca has produced no export${
      waited !== undefined ? ` after ${formatDuration(waited)}` : ''
    }, so it has probably failed (Lucca never says so).`;
    return finish(ctx, run, EXIT.stalled, message, [
      `Retry with: ${retryCommand(run.id)} (it looks once more, then asks Lucca for a new export).`,
    ]);
  }
  if (run.state === 'cancelled') {
    const by = ctx.session.engine.eventsOf(run.id).findLast((event) => event.type === 'cancelled')?.actor;
    return finish(
      ctx,
      run,
      EXIT.failed,
      `Run #${run.id} was cancelled${by ? ` by ${actorText(by)}` : ''}.`,
      [],
    );
  }
  const message = run.errorMessage ?? 'The export failed.';
  return finish(ctx, run, EXIT.failed, `Run #${run.id} failed: ${message}`, [
    `Retry with: ${retryCommand(run.id)}`,
  ]);
}

/** Ctrl-C: the run stays where it is, resumable by any process on the database. */
export function reportInterrupted(run: Run, ctx: ResultContext): number {
  const lines =
    run.state === 'queued' || run.state === 'stalled' || run.state === 'done'
      ? [`Follow it again with: ${retryCommand(run.id)}`]
      : [
          `It resumes where it left off (without asking Lucca for a second export) with: ${retryCommand(run.id)}`,
          'The Slack app also picks it up if it runs on this database.',
        ];
  return finish(
    ctx,
    run,
    EXIT.interrupted,
    `Stopped following run #${run.id}; the run is kept (${run.state}).`,
    lines,
  );
}

async function reportDone(run: Run, ctx: ResultContext): Promise<number> {
  const { terminal } = ctx;
  let delivery = deliveryOf(run, ctx.session);
  const outDir = ctx.outDir;
  const alreadyThere =
    outDir === undefined ||
    (delivery.files.length > 0
      ? delivery.files.every((file) => inFolder(file.path, outDir))
      : sameFolder(folderFromNote(run.note), outDir));
  if (outDir !== undefined && !alreadyThere) {
    // Joined a run started elsewhere (in Slack, or by another command with another folder).
    const copied = await copyTo(run, outDir, ctx.session);
    if (copied) delivery = { files: copied, where: `${delivery.where}; copied to ${outDir}` };
    else {
      terminal.error(
        `The files of run #${run.id} are no longer on this machine, so they could not be copied to ${outDir}.`,
      );
    }
  }
  const summary = run.summary ? ` (${summaryLine(run.summary)})` : '';
  if (ctx.json) {
    terminal.line(JSON.stringify(resultObject(run, EXIT.ok, delivery)));
    return EXIT.ok;
  }
  terminal.line(`✓ Run #${run.id} done: ${runTitle(run)}${summary}.`);
  if (delivery.files.length) {
    terminal.line(`Saved ${delivery.files.length === 1 ? 'file' : 'files'}:`);
    for (const file of delivery.files) terminal.line(`  ${file.path} (${formatBytes(file.bytes, 'en')})`);
  } else {
    terminal.line(`Delivered: ${delivery.where}.`);
  }
  return EXIT.ok;
}

function deliveryOf(run: Run, session: CliSession): Delivery {
  const mine = session.delivered.get(run.id);
  if (mine) return { files: mine, where: path.dirname(mine[0]?.path ?? '.') };
  if (run.channelId) return { files: [], where: `posted to Slack channel ${run.channelId}` };
  const folder = folderFromNote(run.note) ?? session.folder.folderOf(run);
  return { files: [], where: `saved to ${folder} by another process` };
}

/** Copies the run's files (still in the app's files folder) to `folder`; undefined when they are gone. */
async function copyTo(run: Run, folder: string, session: CliSession): Promise<DeliveredFile[] | undefined> {
  if (run.files.length === 0) return undefined;
  let copied: DeliveredFile[] | undefined;
  const copier = new FolderDelivery({ defaultFolder: folder, onDelivered: (_, files) => (copied = files) });
  try {
    await copier.deliver({ ...run, channelId: null, note: null });
  } catch (error) {
    session.logger.warn('could not copy the files to the output folder', {
      runId: run.id,
      code: (error as { code?: unknown }).code,
    });
    return undefined;
  }
  return copied;
}

function inFolder(file: string, folder: string): boolean {
  return sameFolder(path.dirname(file), folder);
}

function sameFolder(a: string | undefined, b: string): boolean {
  return a !== undefined && path.resolve(a) === path.resolve(b);
}

function finish(ctx: ResultContext, run: Run, exitCode: number, message: string, hints: string[]): number {
  if (ctx.json) {
    ctx.terminal.line(JSON.stringify({ ...resultObject(run, exitCode), message, hints }));
  }
  ctx.terminal.error(`✗ ${message}`);
  for (const hint of hints) ctx.terminal.error(`  ${hint}`);
  return exitCode;
}

function resultObject(run: Run, exitCode: number, delivery?: Delivery): Record<string, unknown> {
  return {
    type: 'result',
    runId: run.id,
    state: run.state,
    exitCode,
    configurationId: run.configurationId,
    configurationLabel: run.configurationLabel,
    endsAt: run.endsAt,
    files: (delivery?.files ?? []).map(({ name, path: filePath, bytes }) => ({
      name,
      path: filePath,
      bytes,
    })),
    deliveredTo: delivery?.where ?? null,
    summary: run.summary,
    error: run.errorCode ? { code: run.errorCode, message: run.errorMessage } : null,
  };
}
