/**
 * The tenant's rate limit, in front of the Lucca simulator: a real HTTP proxy that counts requests
 * in a sliding 60-second window of the injected clock and answers 429 with Retry-After and Lucca's
 * error body beyond `limit` (developers.lucca.fr, limits: about 50 requests per 60 s per tenant,
 * then 429 with Retry-After). The poll-cost bench sets `limit` to our own share
 * (LUCCA_MAX_REQUESTS_PER_MINUTE), as if the tenant's other integrations used the rest: a request
 * over our share is a 429, counted, not a figure read off afterwards.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/util/clock.js';

export interface TenantGate {
  url: string;
  limit: number;
  /** Clock time of every request that reached the gate (answered or refused). */
  arrivals: number[];
  /** Requests answered 429. */
  refused: number;
  /** The most requests that reached the gate in any `windowMs` of clock time. */
  peak(windowMs?: number): number;
  close(): Promise<void>;
}

export async function startTenantGate(options: {
  target: string;
  clock: Clock;
  limit: number;
  windowMs?: number;
}): Promise<TenantGate> {
  const { clock, limit } = options;
  const windowMs = options.windowMs ?? 60_000;
  const target = new URL(options.target);
  const arrivals: number[] = [];
  const accepted: number[] = [];
  let refused = 0;

  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const now = clock.now();
    arrivals.push(now);
    while (accepted.length > 0 && accepted[0]! <= now - windowMs) accepted.shift();
    if (accepted.length >= limit) {
      refused++;
      const retryAfterS = Math.max(1, Math.ceil((accepted[0]! + windowMs - now) / 1000));
      req.resume();
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfterS) });
      res.end(JSON.stringify({ Status: 429, Message: 'Too Many Requests' }));
      return;
    }
    accepted.push(now);
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    limit,
    arrivals,
    get refused() {
      return refused;
    },
    peak(window = windowMs) {
      const sorted = [...arrivals].sort((a, b) => a - b);
      let best = 0;
      let start = 0;
      for (let end = 0; end < sorted.length; end++) {
        while (sorted[end]! - sorted[start]! >= window) start++;
        best = Math.max(best, end - start + 1);
      }
      return best;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
