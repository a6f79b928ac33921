/**
 * A light load generator for signed slash commands: bodies are built and signed before the burst
 * (the way test/helpers/slack-requests.ts signs them: `v0=` + HMAC-SHA256(secret, `v0:{ts}:{body}`)),
 * and sent with node:http over a keep-alive agent, so that the generator's own CPU per request is
 * small and the latency measured is the app's, not the generator's. Workers keep `concurrency`
 * requests in flight (closed loop).
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export function signedCommand(
  secret: string,
  fields: { text: string; userId: string; channelId: string; responseUrl?: string },
  id: number,
): SignedRequest {
  const form = new URLSearchParams({
    token: 'bench-verification-token',
    team_id: 'T0BENCH',
    team_domain: 'example',
    channel_id: fields.channelId,
    channel_name: 'payroll',
    user_id: fields.userId,
    user_name: 'payroll.manager',
    command: '/timesheet-export',
    text: fields.text,
    api_app_id: 'A0BENCH',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl ?? 'http://127.0.0.1:9/commands/T0BENCH/0000/nowhere',
    trigger_id: `${Date.now()}.${id}.bench`,
  });
  const body = form.toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      'x-slack-signature': `v0=${signature}`,
      'x-slack-request-timestamp': timestamp,
      'x-bench-id': String(id),
    },
  };
}

export interface LoadResult {
  /** Per request, in send order: ms from handing the request to node:http to the end of the answer. */
  latencies: number[];
  /** performance.timeOrigin-based epoch ms at which each request was handed over. */
  sentAt: number[];
  statuses: Map<number, number>;
  elapsedMs: number;
}

/**
 * `warmConnections`: open the `concurrency` keep-alive connections first (GET /healthz). On this VM,
 * 50 connections opened at once are accepted about 10 ms apart, which puts up to 300 ms on the first
 * requests of a burst (TCP set-up, not the app); warm, the burst times the acks alone.
 */
export async function sendBurst(
  url: string,
  requests: SignedRequest[],
  concurrency: number,
  options: { warmConnections?: boolean } = {},
): Promise<LoadResult> {
  const target = new URL('/slack/events', url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  if (options.warmConnections) {
    await Promise.all(
      Array.from(
        { length: concurrency },
        () =>
          new Promise<void>((resolve) => {
            http
              .get(new URL('/healthz', url), { agent }, (res) => {
                res.resume();
                res.on('end', resolve);
              })
              .on('error', () => resolve());
          }),
      ),
    );
  }
  const latencies: number[] = new Array(requests.length);
  const sentAt: number[] = new Array(requests.length);
  const statuses = new Map<number, number>();
  let next = 0;
  const one = (request: SignedRequest, i: number) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      sentAt[i] = performance.timeOrigin + started;
      const req = http.request(target, { method: 'POST', agent, headers: request.headers }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies[i] = performance.now() - started;
          statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
          resolve();
        });
      });
      req.on('error', () => {
        latencies[i] = performance.now() - started;
        statuses.set(0, (statuses.get(0) ?? 0) + 1);
        resolve();
      });
      req.end(request.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= requests.length) return;
        await one(requests[i]!, i);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { latencies, sentAt, statuses, elapsedMs };
}
