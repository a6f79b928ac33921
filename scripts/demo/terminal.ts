const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const PLAIN_PROGRESS_EVERY_MS = 15_000;

/**
 * Where the demo writes: colours only on a terminal (and never with NO_COLOR), a spinner line on a
 * terminal, plain progress lines now and then otherwise (CI logs, pipes).
 */
export class Terminal {
  readonly tty: boolean;
  readonly color: boolean;
  private progressText: string | undefined;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastPlainProgress = 0;
  private closed = false;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.tty = out.isTTY === true;
    this.color = this.tty && !env.NO_COLOR && env.TERM !== 'dumb';
  }

  print(lines: string | readonly string[]): void {
    const text = typeof lines === 'string' ? lines : lines.join('\n');
    this.clearSpinner();
    this.out.write(`${text}\n`);
    this.drawSpinner();
  }

  /** Shows what is pending; call again to change the text. */
  progress(text: string): void {
    if (this.closed) return;
    this.progressText = text;
    if (this.tty) {
      this.timer ??= setInterval(() => {
        this.frame = (this.frame + 1) % FRAMES.length;
        this.drawSpinner();
      }, 100);
      this.drawSpinner();
      return;
    }
    const now = Date.now();
    if (now - this.lastPlainProgress >= PLAIN_PROGRESS_EVERY_MS) {
      this.lastPlainProgress = now;
      this.out.write(`  … ${text}\n`);
    }
  }

  stopProgress(): void {
    this.clearSpinner();
    this.progressText = undefined;
    this.lastPlainProgress = 0;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** No more progress lines (the demo is stopping). */
  close(): void {
    this.stopProgress();
    this.closed = true;
  }

  private drawSpinner(): void {
    if (!this.tty || this.progressText === undefined) return;
    const width = Math.max(20, (this.out.columns ?? 80) - 1);
    const line = `${FRAMES[this.frame]} ${this.progressText}`;
    this.out.write(
      `\r\u001b[2K${this.color ? `\u001b[2m${line.slice(0, width)}\u001b[22m` : line.slice(0, width)}`,
    );
  }

  private clearSpinner(): void {
    if (this.tty && this.progressText !== undefined) this.out.write('\r\u001b[2K');
  }
}
