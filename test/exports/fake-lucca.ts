import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ManualClock } from '../../fakes/manual-clock.js';
import type {
  ExportEntry,
  FoundExport,
  LuccaApi,
  LuccaExport,
  TriggerRequest,
  TriggerResult,
} from '../../src/lucca/types.js';

/**
 * An in-memory LuccaApi on a ManualClock, for engine unit tests that need no HTTP: exports appear
 * `buildMs` after their POST; the POST is held (on the clock) until built, `postHoldMs` or the
 * caller's timeout, whichever comes first. The HTTP-level behaviour is the simulator's job.
 */
export interface FakeBehaviour {
  buildMs: number | 'never';
  postHoldMs: number;
  files: number;
  fileNames?: string[];
  entries: ExportEntry[];
}

type Method = keyof LuccaApi;

export class FakeLucca implements LuccaApi {
  readonly calls: { method: Method; args: unknown[]; at: number }[] = [];
  /** POSTs being held on the clock right now. */
  holding = 0;
  private readonly behaviours = new Map<number, FakeBehaviour>();
  private readonly exports: { id: number; configurationId: number; endsAt: string; readyAt: number }[] = [];
  private readonly failures: { method: Method; error: unknown; times: number }[] = [];
  private nextId = 100;

  constructor(
    private readonly clock: ManualClock,
    private readonly defaults: Partial<FakeBehaviour> = {},
  ) {}

  configure(configurationId: number, behaviour: Partial<FakeBehaviour>): void {
    this.behaviours.set(configurationId, { ...this.behaviourOf(configurationId), ...behaviour });
  }

  /** Someone else's (or an older) export, visible at once. */
  addExport(configurationId: number, endsAt: string): number {
    const id = this.nextId++;
    this.exports.push({ id, configurationId, endsAt, readyAt: this.clock.now() });
    return id;
  }

  failNext(method: Method, error: unknown, times = 1): void {
    this.failures.push({ method, error, times });
  }

  posts(configurationId?: number): TriggerRequest[] {
    return this.calls
      .filter((c) => c.method === 'triggerExport')
      .map((c) => c.args[0] as TriggerRequest)
      .filter((r) => configurationId === undefined || r.configurationId === configurationId);
  }

  count(method?: Method): number {
    return method ? this.calls.filter((c) => c.method === method).length : this.calls.length;
  }

  async latestExportId(configurationId: number): Promise<number> {
    this.record('latestExportId', [configurationId]);
    const ids = this.visible(configurationId).map((e) => e.id);
    return ids.length ? Math.max(...ids) : 0;
  }

  async triggerExport(request: TriggerRequest): Promise<TriggerResult> {
    this.record('triggerExport', [request]);
    const behaviour = this.behaviourOf(request.configurationId);
    const id = this.nextId++;
    const now = this.clock.now();
    const readyAt = behaviour.buildMs === 'never' ? Number.POSITIVE_INFINITY : now + behaviour.buildMs;
    this.exports.push({ id, configurationId: request.configurationId, endsAt: request.endsAt, readyAt });
    const holdMs = Math.min(behaviour.postHoldMs, request.timeoutMs);
    if (readyAt - now <= holdMs) {
      await this.hold(readyAt - now, request.signal);
      if (!request.signal?.aborted) return { status: 'done', exportId: id };
      return { status: 'pending', reason: 'unknown' };
    }
    await this.hold(holdMs, request.signal);
    return { status: 'pending', reason: 'timeout' };
  }

  async findExport(configurationId: number, baselineId: number, endsAt: string): Promise<FoundExport | null> {
    this.record('findExport', [configurationId, baselineId, endsAt]);
    const found = this.visible(configurationId).find((e) => e.id > baselineId && e.endsAt === endsAt);
    return found ? { id: found.id, createdAt: null, endsAt: found.endsAt, matchedBy: 'endsAt' } : null;
  }

  async getExport(exportId: number): Promise<LuccaExport> {
    this.record('getExport', [exportId]);
    const found = this.exports.find((e) => e.id === exportId && e.readyAt <= this.clock.now());
    if (!found) throw new Error(`fake: no export ${exportId}`);
    const behaviour = this.behaviourOf(found.configurationId);
    return {
      id: found.id,
      name: `Export ${found.endsAt}`,
      createdAt: null,
      configurationId: found.configurationId,
      startsAt: null,
      endsAt: `${found.endsAt}T00:00:00`,
      exportFiles: Array.from({ length: behaviour.files }, (_, i) => ({
        id: i + 1,
        name: behaviour.fileNames?.[i] ?? `export-${found.id}-${i + 1}.csv`,
        url: `/files/${found.id}/${i + 1}`,
      })),
    };
  }

  async getExportEntries(exportId: number): Promise<ExportEntry[]> {
    this.record('getExportEntries', [exportId]);
    const found = this.exports.find((e) => e.id === exportId && e.readyAt <= this.clock.now());
    if (!found) throw new Error(`fake: no export ${exportId}`);
    return this.behaviourOf(found.configurationId).entries;
  }

  async downloadFile(url: string, destinationPath: string): Promise<{ bytes: number }> {
    this.record('downloadFile', [url, destinationPath]);
    const content = `file at ${url}\n`;
    await mkdir(path.dirname(destinationPath), { recursive: true });
    await writeFile(destinationPath, content);
    return { bytes: Buffer.byteLength(content) };
  }

  private async hold(ms: number, signal?: AbortSignal): Promise<void> {
    this.holding++;
    try {
      await this.clock.sleep(ms, signal);
    } finally {
      this.holding--;
    }
  }

  private record(method: Method, args: unknown[]): void {
    this.calls.push({ method, args, at: this.clock.now() });
    const failure = this.failures.find((f) => f.method === method);
    if (failure) {
      failure.times--;
      if (failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      throw failure.error;
    }
  }

  private visible(configurationId: number) {
    return this.exports.filter((e) => e.configurationId === configurationId && e.readyAt <= this.clock.now());
  }

  private behaviourOf(configurationId: number): FakeBehaviour {
    return (
      this.behaviours.get(configurationId) ?? {
        buildMs: 0,
        postHoldMs: 5_000,
        files: 1,
        entries: [],
        ...this.defaults,
      }
    );
  }
}

export function entry(overrides: Partial<ExportEntry> = {}): ExportEntry {
  return {
    id: 1,
    name: null,
    amount: 7.5,
    rawAmount: '7.5',
    amountUnit: 'hours',
    externalCode: 'HN',
    endsAt: '2026-11-30T00:00:00',
    owner: { id: 12, lastName: 'Lefèvre', firstName: 'Éloïse' },
    timeType: { id: 3, name: 'Heures normales', payTreatment: 'paid' },
    axisSections: [],
    ...overrides,
  };
}
