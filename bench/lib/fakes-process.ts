/**
 * The Slack stand-in and the Lucca simulator in a process of their own, so that neither the app nor
 * the benchmark's load generator shares an event loop with them. Started with fork(): the options come
 * as argv[2] (JSON), the URLs go back as the first IPC message, and `stats` / `close` are asked over IPC.
 */
import type { ConfigurationBehaviour } from '../../fakes/lucca-simulator/index.js';
import { startLuccaSimulator } from '../../fakes/lucca-simulator/index.js';
import { startSlackStandIn } from '../../fakes/slack/index.js';

export interface FakesOptions {
  botToken: string;
  luccaKey: string;
  lucca: Partial<ConfigurationBehaviour>;
  keepUploadBytes?: boolean;
  /** Per configuration id, overriding `lucca`. */
  configure?: Record<string, Partial<ConfigurationBehaviour>>;
}

export interface FakesStats {
  luccaRequests: number;
  luccaByKind: Record<string, number>;
  luccaPosts: number;
  slackCalls: number;
  slackByMethod: Record<string, number>;
  responseUrlPosts: number;
  uploads: number;
  uploadedBytes: number;
}

export type FakesMessage =
  | { type: 'ready'; slackUrl: string; luccaUrl: string }
  | { type: 'stats'; stats: FakesStats };

function kindOf(method: string, path: string, query: Record<string, string>): string {
  if (method === 'POST') return 'POST run';
  if (path.startsWith('/timmi-exports/files/')) return 'file';
  if (/\/timmiexports\/\d+$/.test(path)) return 'fetch';
  if (query.id?.startsWith('greaterthan,')) return 'poll';
  return 'baseline';
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as FakesOptions;
  const sim = await startLuccaSimulator({ apiKey: options.luccaKey, defaults: options.lucca });
  for (const [id, behaviour] of Object.entries(options.configure ?? {})) sim.configure(Number(id), behaviour);
  const slack = await startSlackStandIn({
    botToken: options.botToken,
    keepUploadBytes: options.keepUploadBytes ?? false,
  });
  const stats = (): FakesStats => {
    const luccaByKind: Record<string, number> = {};
    for (const r of sim.requests) {
      const kind = kindOf(r.method, r.path, r.query);
      luccaByKind[kind] = (luccaByKind[kind] ?? 0) + 1;
    }
    const slackByMethod: Record<string, number> = {};
    for (const c of slack.calls) slackByMethod[c.method] = (slackByMethod[c.method] ?? 0) + 1;
    return {
      luccaRequests: sim.requests.length,
      luccaByKind,
      luccaPosts: sim.posts().length,
      slackCalls: slack.calls.length,
      slackByMethod,
      responseUrlPosts: slack.responses.length,
      uploads: slack.uploads.filter((u) => u.completed).length,
      uploadedBytes: slack.uploads.reduce((sum, u) => sum + u.received, 0),
    };
  };
  process.on('message', (message: { cmd: string }) => {
    if (message.cmd === 'stats') process.send?.({ type: 'stats', stats: stats() } satisfies FakesMessage);
    if (message.cmd === 'close') {
      void Promise.all([sim.close(), slack.close()]).finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', slackUrl: slack.url, luccaUrl: sim.url } satisfies FakesMessage);
}

await main();
