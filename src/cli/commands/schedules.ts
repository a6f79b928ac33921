import { configurationName } from '../../i18n/names.js';
import { nextOccurrenceOf } from '../../schedule/schedule-occurrences.js';
import { openDatabase } from '../../store/database.js';
import { type Schedule, ScheduleStore } from '../../store/schedule-store.js';
import { systemClock } from '../../util/clock.js';
import { actorText } from '../describe.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { openCommand } from '../opening.js';
import { formatTable } from '../table.js';
import { SCHEDULES_USAGE } from '../usage.js';

/** `schedules [--all] [--json]`: month-end schedules and their next occurrence (SCHEDULE_TIMEZONE). */
export async function schedulesCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { parsed, terminal, json, config } = openCommand(args, io, {
    usage: SCHEDULES_USAGE,
    options: { all: { type: 'boolean' } },
    positionals: { min: 0, max: 0, names: '' },
  });
  const timezone = config.schedule.timezone;
  const db = openDatabase(config.databasePath);
  try {
    const store = new ScheduleStore(db);
    const schedules = parsed.values.all === true ? store.listAll() : store.listEnabled();
    const now = (io.clock ?? systemClock).now();
    const next = (schedule: Schedule) =>
      schedule.enabled ? nextOccurrenceOf(schedule, now, timezone) : null;
    if (json) {
      terminal.line(
        JSON.stringify({
          timezone,
          schedules: schedules.map((schedule) => {
            const occurrence = next(schedule);
            return {
              id: schedule.id,
              configurationId: schedule.configurationId,
              configurationLabel: schedule.configurationLabel,
              rule: schedule.rule,
              timeOfDay: schedule.timeOfDay,
              channelId: schedule.channelId,
              createdBy: schedule.createdBy,
              enabled: schedule.enabled,
              next: occurrence && {
                firesAt: new Date(occurrence.firesAt).toISOString(),
                local: `${occurrence.localDate} ${occurrence.localTime}`,
                endsAt: occurrence.endsAt,
              },
            };
          }),
        }),
      );
      return EXIT.ok;
    }
    if (schedules.length === 0) {
      terminal.line(
        'No schedules. Add one in Slack: /timesheet-export schedule add <config> <rule> [at HH:MM]',
      );
      return EXIT.ok;
    }
    terminal.line(
      formatTable(
        [
          'id',
          'configuration',
          'rule',
          'at',
          'channel',
          'added by',
          `next run (${timezone})`,
          'exports up to',
        ],
        schedules.map((schedule) => {
          const occurrence = next(schedule);
          return [
            String(schedule.id),
            configurationName(schedule, 'en'),
            schedule.rule,
            schedule.timeOfDay,
            schedule.channelId,
            actorText(schedule.createdBy),
            occurrence ? `${occurrence.localDate} ${occurrence.localTime}` : 'removed',
            occurrence ? occurrence.endsAt : '-',
          ];
        }),
      ),
    );
    return EXIT.ok;
  } finally {
    db.close();
  }
}
