/**
 * Preloaded into a measured process (`node --import <build>/bench/lib/loop-probe.js …`): watches its
 * event loop with perf_hooks.monitorEventLoopDelay plus a 10 ms ticker that records every stall over
 * 20 ms with its time, and writes them to LOOP_PROBE_OUT when the process exits. Changes nothing else.
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const out = process.env.LOOP_PROBE_OUT;
if (out) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const stalls: { at: number; ms: number }[] = [];
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    const late = now - last - 10;
    if (late > 20) stalls.push({ at: Math.round(performance.timeOrigin + last), ms: Math.round(late) });
    last = now;
  }, 10);
  ticker.unref();
  // Server side of each HTTP request: from the parsed request to the response's last byte handed to the OS.
  const served: { at: number; ms: number; url: string; id?: string }[] = [];
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as http.IncomingMessage;
      const res = args[1] as http.ServerResponse;
      const started = performance.now();
      res.once('finish', () =>
        served.push({
          at: performance.timeOrigin + started,
          ms: performance.now() - started,
          url: req.url ?? '',
          id: req.headers['x-bench-id'] as string | undefined,
        }),
      );
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
  process.on('exit', () => {
    histogram.disable();
    writeFileSync(
      out,
      JSON.stringify({
        p50: histogram.percentile(50) / 1e6,
        p99: histogram.percentile(99) / 1e6,
        max: histogram.max / 1e6,
        stalls,
        served,
      }),
    );
  });
}
