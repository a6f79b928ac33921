import { redact } from '../util/log.js';

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Where the CLI writes. Results and progress go to stdout, errors and logs to stderr. On a TTY one
 * status line is kept at the bottom and rewritten in place; every other write first clears it and
 * then redraws it, so log lines and progress never garble each other. Everything written passes
 * through `redact`: no secret reaches the terminal even if a message were to carry one.
 */
export class Terminal {
  private status = '';

  constructor(
    private readonly out: OutStream,
    private readonly err: OutStream,
    private secrets: readonly string[] = [],
  ) {}

  /** Secrets become known once the configuration is read. */
  addSecrets(secrets: readonly string[]): void {
    this.secrets = [...this.secrets, ...secrets];
  }

  /** True when stdout is a terminal (progress as a status line) rather than a pipe or a file. */
  get interactive(): boolean {
    return this.out.isTTY === true;
  }

  line(text: string): void {
    this.around(() => this.out.write(`${this.clean(text)}\n`));
  }

  error(text: string): void {
    this.around(() => this.err.write(`${this.clean(text)}\n`));
  }

  /** A log record (already one line of JSON). */
  log(line: string): void {
    this.error(line);
  }

  /** Replaces the status line (TTY only; ignored otherwise). */
  setStatus(text: string): void {
    if (!this.interactive) return;
    const width = Math.max(20, (this.out.columns || 100) - 1);
    const chars = Array.from(this.clean(text).replace(/\n/g, ' '));
    this.status = chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : chars.join('');
    this.out.write(`\r\x1b[2K${this.status}`);
  }

  clearStatus(): void {
    if (!this.interactive || !this.status) return;
    this.out.write('\r\x1b[2K');
    this.status = '';
  }

  private around(write: () => void): void {
    const status = this.status;
    if (status && this.interactive) this.out.write('\r\x1b[2K');
    write();
    if (status && this.interactive) this.out.write(status);
  }

  private clean(text: string): string {
    return redact(text, this.secrets);
  }
}
