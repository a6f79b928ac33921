/**
 * An HTTP proxy on 127.0.0.1 that sits between the app and a fake (the Lucca simulator, the Slack
 * stand-in) and breaks chosen requests the way networks and gateways do: the connection refused,
 * reset halfway through the body, held until the client gives up, or answered with another status
 * or body, either before the request reaches the fake (nothing happened there) or after (the fake
 * acted on it: Lucca created the export, Slack shared the file). It also tells a test when a
 * request arrives, so that a process can be killed at that exact point.
 *
 * Every answer carries `connection: close`, so each request opens its own connection: a refused
 * connection then really is refused, never a reused socket.
 */
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  /** Path and query as sent. */
  url: string;
}

export type ProxyFault =
  /** Headers and half the body of the fake's answer, then the socket is destroyed. */
  | { kind: 'reset-mid-body' }
  /** No answer at all until the client hangs up (its timeout). `forward`: the fake still gets the request. */
  | { kind: 'hold'; forward: boolean }
  /** This answer instead of the fake's. `forward`: the fake gets (and acts on) the request first. */
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: string; forward: boolean }
  /**
   * The fake's answer, its body `bytesPerChunk` (default 1) at a time every `everyMs` real ms, as a
   * host that trickles does; `onChunk` runs after each write (a test moves its clock there).
   * `unannounced`: without the Content-Length header (chunked), so the size is known only at the end.
   */
  | {
      kind: 'trickle';
      everyMs: number;
      bytesPerChunk?: number;
      onChunk?: (sent: number) => void;
      unannounced?: boolean;
    };

export interface ProxyRule {
  /** Resolves with the first request the rule broke. */
  hit: Promise<ProxiedRequest>;
  /** How many requests it broke so far. */
  readonly hits: number;
}

export interface ProxyRecord extends ProxiedRequest {
  /** `forwarded` (passed through untouched) or the fault applied. */
  outcome: 'forwarded' | ProxyFault['kind'];
  /** Whether the fake received the request. */
  reachedTarget: boolean;
  status?: number;
  /** For a trickled answer: body bytes written so far, and whether the client hung up before the end. */
  bytesSent?: number;
  hungUp?: boolean;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: the app's base URL for the fake. */
  url: string;
  port: number;
  /** Where requests go (may be set after the proxy started). */
  setTarget(url: string): void;
  /** Breaks the next `times` requests for which `match` holds. */
  failNext(match: (request: ProxiedRequest) => boolean, fault: ProxyFault, times?: number): ProxyRule;
  /**
   * Stops listening, so that new connections are refused (ECONNREFUSED): at once, or right before
   * answering the next request for which `after` holds (the answer itself still goes out).
   */
  refuseAfter(after?: (request: ProxiedRequest) => boolean): Promise<void>;
  /** Listens again on the same port. */
  reopen(): Promise<void>;
  readonly listening: boolean;
  /** Called for every request as it arrives, before any rule applies. */
  onRequest(listener: (request: ProxiedRequest) => void): () => void;
  records: ProxyRecord[];
  /** Destroys held connections. */
  releaseHeld(): void;
  close(): Promise<void>;
}

interface ActiveRule {
  match: (request: ProxiedRequest) => boolean;
  fault: ProxyFault;
  remaining: number;
  hits: number;
  resolve: (request: ProxiedRequest) => void;
}

export async function startFaultProxy(options: { target?: string } = {}): Promise<FaultProxy> {
  let target = options.target ?? '';
  const rules: ActiveRule[] = [];
  const records: ProxyRecord[] = [];
  const listeners = new Set<(request: ProxiedRequest) => void>();
  const sockets = new Set<Socket>();
  const held = new Set<ServerResponse>();
  let refuseRule: { after: (request: ProxiedRequest) => boolean; done: () => void } | undefined;
  let server: Server | undefined;
  let port = 0;

  const stopListening = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = undefined;
      if (!current) return resolve();
      // close() stops accepting at once; its callback waits for open sockets, which we do not.
      current.close();
      resolve();
    });

  const listen = async () => {
    const created = http.createServer((req, res) => void handle(req, res));
    created.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => {
        created.off('error', reject);
        port = (created.address() as AddressInfo).port;
        resolve();
      });
    });
    server = created;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const request: ProxiedRequest = { method: req.method ?? 'GET', path: url.split('?')[0] ?? '/', url };
    const body = await readAll(req);
    for (const listener of listeners) listener(request);
    const rule = rules.find((r) => r.remaining > 0 && r.match(request));
    if (rule) {
      rule.remaining--;
      rule.hits++;
      if (rule.remaining === 0) rules.splice(rules.indexOf(rule), 1);
      rule.resolve(request);
    }
    const fault = rule?.fault;
    const record: ProxyRecord = { ...request, outcome: fault?.kind ?? 'forwarded', reachedTarget: false };
    records.push(record);

    const mustForward =
      !fault || fault.kind === 'reset-mid-body' || fault.kind === 'trickle' || fault.forward;
    let answer: Upstream | undefined;
    if (mustForward) {
      try {
        answer = await forward(target, req, url, body);
        record.reachedTarget = true;
      } catch {
        res.destroy();
        return;
      }
    }
    if (fault?.kind === 'hold') {
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    if (refuseRule?.after(request)) {
      const { done } = refuseRule;
      refuseRule = undefined;
      await stopListening();
      done();
    }
    if (fault?.kind === 'answer') {
      record.status = fault.status;
      const text = fault.body ?? '';
      res.writeHead(fault.status, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
        connection: 'close',
        ...fault.headers,
      });
      res.end(text);
      return;
    }
    if (!answer) return void res.destroy();
    record.status = answer.status;
    const headers: Record<string, string | string[]> = { ...answer.headers, connection: 'close' };
    if (fault?.kind === 'trickle' && fault.unannounced) delete headers['content-length'];
    res.writeHead(answer.status, headers);
    if (fault?.kind === 'trickle') return trickle(res, answer.body, fault, record);
    if (fault?.kind === 'reset-mid-body') {
      res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
      // Let the half body leave before the reset, as a connection that dies mid-transfer does.
      setTimeout(() => res.destroy(), 20);
      return;
    }
    res.end(answer.body);
  }

  await listen();

  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get listening() {
      return server !== undefined;
    },
    records,
    setTarget(url) {
      target = url;
    },
    failNext(match, fault, times = 1) {
      let resolve!: (request: ProxiedRequest) => void;
      const hit = new Promise<ProxiedRequest>((r) => {
        resolve = r;
      });
      const rule: ActiveRule = { match, fault, remaining: times, hits: 0, resolve };
      rules.push(rule);
      return {
        hit,
        get hits() {
          return rule.hits;
        },
      };
    },
    refuseAfter(after) {
      if (!after) return stopListening();
      return new Promise<void>((resolve) => {
        refuseRule = { after, done: resolve };
      });
    },
    reopen: () => (server ? Promise.resolve() : listen()),
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    releaseHeld() {
      for (const res of held) res.destroy();
      held.clear();
    },
    async close() {
      refuseRule = undefined;
      rules.length = 0;
      for (const res of held) res.destroy();
      await stopListening();
      for (const socket of sockets) socket.destroy();
    },
  };
}

function trickle(
  res: ServerResponse,
  body: Buffer,
  fault: Extract<ProxyFault, { kind: 'trickle' }>,
  record: ProxyRecord,
): void {
  const size = fault.bytesPerChunk ?? 1;
  record.bytesSent = 0;
  record.hungUp = false;
  const timer = setInterval(() => {
    if (res.destroyed) return;
    const sent = record.bytesSent!;
    if (sent >= body.length) {
      clearInterval(timer);
      res.end();
      return;
    }
    res.write(body.subarray(sent, sent + size));
    record.bytesSent = Math.min(body.length, sent + size);
    fault.onChunk?.(record.bytesSent);
  }, fault.everyMs);
  res.on('close', () => {
    clearInterval(timer);
    if (record.bytesSent! < body.length) record.hungUp = true;
  });
}

interface Upstream {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

function forward(target: string, req: IncomingMessage, url: string, body: Buffer): Promise<Upstream> {
  const base = new URL(target);
  const headers = { ...req.headers, host: base.host, connection: 'close' };
  return new Promise((resolve, reject) => {
    const upstream = http.request(
      { host: base.hostname, port: base.port, method: req.method, path: url, headers },
      (response) => {
        readAll(response).then((data) => {
          const out: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined && name !== 'connection' && name !== 'keep-alive') out[name] = value;
          }
          resolve({ status: response.statusCode ?? 502, headers: out, body: data });
        }, reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
