import type { RunEvent } from '../../src/exports/types.js';
import type { Schedule } from '../../src/store/schedule-store.js';

/** A run's event as the store hands it to the message builders (run 12, unpublished). */
export function runEvent(
  type: RunEvent['type'],
  detail: Record<string, unknown> = {},
  actor = 'engine',
): RunEvent {
  return { id: 1, runId: 12, type, actor, at: 0, detail, publishedAt: null };
}

/** An enabled month-start schedule at 08:00 in C0PAY, created by Ana; override what a test is about. */
export function scheduleRecord(overrides: Partial<Schedule> = {}): Schedule {
  return {
    id: 4,
    configurationId: 3,
    configurationLabel: null,
    rule: 'month-start',
    timeOfDay: '08:00',
    channelId: 'C0PAY',
    createdBy: 'U0ANA',
    enabled: true,
    createdAt: 0,
    updatedAt: 0,
    disabledBy: null,
    disabledAt: null,
    ...overrides,
  };
}
