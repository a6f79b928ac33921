/**
 * Peak memory of this process: RSS sampled every 20 ms, and the kernel's high-water mark (VmHWM),
 * which also catches a peak between two samples. `resetPeak()` restarts VmHWM from the current RSS
 * (Linux: writing 5 to /proc/self/clear_refs), so a phase's peak is not the start-up's.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export function vmHwmBytes(): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Runs the garbage collector when node runs with --expose-gc, twice so that finalizers' garbage goes too. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
}

export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  peak = 0;
  samples = 0;

  start(everyMs = 20): this {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    this.timer = setInterval(() => {
      this.samples++;
      this.peak = Math.max(this.peak, process.memoryUsage.rss());
    }, everyMs);
    return this;
  }

  stop(): number {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return this.peak;
  }
}
