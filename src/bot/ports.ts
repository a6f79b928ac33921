import type { ExportRequest, Run } from '../exports/types.js';

/** What the Slack side needs from the export engine (implemented by ExportEngine). */
export interface EnginePort {
  request(request: ExportRequest): { run: Run; outcome: 'created' | 'joined' | 'queued' };
  retry(
    runId: number,
    actor: string,
  ): { run: Run | undefined; outcome: 'retrying' | 'redelivering' | 'not-needed' | 'busy' | 'not-found' };
  cancel(
    runId: number,
    actor: string,
  ): { run: Run | undefined; outcome: 'cancelled' | 'already-final' | 'not-found' };
  get(runId: number): Run | undefined;
  /** The unfinished run of this configuration and end date, which a new request would join. */
  runToJoin?(configurationId: number, endsAt: string): Run | undefined;
  recent(limit: number): Run[];
}

/** Facts about our own bot user, from auth.test at start-up. */
export interface BotIdentity {
  userId: string;
  botId: string;
  teamId: string;
  /** `https://acme.slack.com/`: lets us build thread links without an API call. */
  workspaceUrl: string | undefined;
}
