import type { Run, RunEvent } from '../exports/types.js';
import { eventText, runTitle, stateText } from './describe.js';
import type { Terminal } from './terminal.js';

/** How a followed run is shown as it goes. */
export interface Progress {
  event(event: RunEvent, run: Run): void;
  /** The run as it is now (called a few times a second). */
  update(run: Run, now: number): void;
  stop(): void;
}

export type ProgressMode = 'tty' | 'lines' | 'json';

export function progressMode(terminal: Terminal, json: boolean): ProgressMode {
  if (json) return 'json';
  return terminal.interactive ? 'tty' : 'lines';
}

export function createProgress(mode: ProgressMode, terminal: Terminal, startedAt: number): Progress {
  if (mode === 'json') return new JsonProgress(terminal);
  if (mode === 'tty') return new StatusLineProgress(terminal, startedAt);
  return new LineProgress(terminal);
}

/** Consecutive step errors newly seen on the run, so each new one is said once. */
class StepErrorWatch {
  private last = 0;
  changed(run: Run): boolean {
    const errors = run.stepErrors ?? 0;
    const changed = errors > this.last;
    this.last = errors;
    return changed;
  }
}

const timestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Not a terminal: one timestamped line per event, for logs and CI. */
class LineProgress implements Progress {
  private readonly errors = new StepErrorWatch();
  constructor(private readonly terminal: Terminal) {}

  event(event: RunEvent, run: Run): void {
    const text = eventText(event, run);
    if (text) this.terminal.line(`${timestamp(event.at)}  #${run.id}  ${text}`);
  }

  update(run: Run, now: number): void {
    if (this.errors.changed(run))
      this.terminal.line(`${timestamp(now)}  #${run.id}  ${stateText(run, now)}.`);
  }

  stop(): void {}
}

/** `--json`: one object per line, for scripts. */
class JsonProgress implements Progress {
  private readonly errors = new StepErrorWatch();
  constructor(private readonly terminal: Terminal) {}

  event(event: RunEvent, run: Run): void {
    this.terminal.line(
      JSON.stringify({
        type: 'event',
        runId: run.id,
        event: event.type,
        at: new Date(event.at).toISOString(),
        actor: event.actor,
        state: run.state,
        text: eventText(event, run),
        detail: event.detail,
      }),
    );
  }

  update(run: Run, now: number): void {
    if (!this.errors.changed(run)) return;
    this.terminal.line(
      JSON.stringify({
        type: 'retrying',
        runId: run.id,
        at: new Date(now).toISOString(),
        state: run.state,
        errors: run.stepErrors ?? 0,
        nextAt: run.nextAt === null ? null : new Date(run.nextAt).toISOString(),
        text: stateText(run, now),
      }),
    );
  }

  stop(): void {}
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

/** A terminal: one status line with a spinner and the elapsed time, rewritten in place. */
class StatusLineProgress implements Progress {
  private run: Run | undefined;
  private frame = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly terminal: Terminal,
    private readonly startedAt: number,
  ) {
    this.timer = setInterval(() => this.draw(Date.now()), FRAME_MS);
    this.timer.unref();
  }

  event(event: RunEvent, run: Run): void {
    // Warnings stay on screen; everything else is the status line's business.
    if (event.type === 'delivery-failed' || event.type === 'joined' || event.type === 'resumed') {
      const text = eventText(event, run);
      if (text) this.terminal.line(`  ${text}`);
    }
  }

  update(run: Run, now: number): void {
    this.run = run;
    this.draw(now);
  }

  stop(): void {
    clearInterval(this.timer);
    this.terminal.clearStatus();
  }

  private draw(now: number): void {
    const run = this.run;
    if (!run) return;
    this.frame = (this.frame + 1) % SPINNER.length;
    const elapsed = clockText(now - this.startedAt);
    this.terminal.setStatus(
      `${SPINNER[this.frame]} ${elapsed} · ${stateText(run, now)} · run #${run.id}, ${runTitle(run)}`,
    );
  }
}

/** `0:07`, `12:30`, `1:02:03`: elapsed time as a stopwatch shows it. */
export function clockText(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
