import type { CommandReply } from '../bot/context.js';
import type { Config } from '../config.js';
import type { LuccaApi } from '../lucca/types.js';
import type { Clock } from '../util/clock.js';
import { renderMrkdwn } from './render.js';
import { runDoctorForApp } from './run-doctor.js';

/**
 * `/timesheet-export doctor` (allowed users only: the command listener checks access first): the same
 * checks as `npm run doctor` on the running app's configuration, as an ephemeral mrkdwn answer.
 */
export function doctorCommand(
  config: Config,
  deps: { lucca?: LuccaApi; clock?: Clock } = {},
): () => Promise<CommandReply> {
  return async () => {
    const report = await runDoctorForApp(config, {
      ...(deps.lucca ? { lucca: deps.lucca } : {}),
      // In Slack, the doctor is asked for rarely and by the people who would act on a difference.
      luccaShapes: true,
      now: deps.clock?.now() ?? Date.now(),
    });
    return renderMrkdwn(report);
  };
}
