import type { CheckResult } from './types.js';

/** The schedules' zone, with the time it is there now: a wrong zone shows as a wrong hour at a glance. */
export function checkTimezone(
  zone: string,
  now: number,
  options: { unusable?: ReadonlySet<string>; hostZone?: string } = {},
): CheckResult {
  if (options.unusable?.has('SCHEDULE_TIMEZONE')) {
    return {
      status: 'warn',
      label: 'The time zone was not checked',
      detail: 'SCHEDULE_TIMEZONE is not valid (see Environment).',
    };
  }
  let local: string;
  try {
    local = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(now);
  } catch {
    return {
      status: 'fail',
      label: `SCHEDULE_TIMEZONE "${zone}" is not an IANA time zone`,
      fix: 'Set SCHEDULE_TIMEZONE to a zone name such as Europe/Paris',
    };
  }
  const hostZone = options.hostZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return {
    status: 'ok',
    label: `Schedules run in ${zone}: it is ${local} there now`,
    ...(hostZone && hostZone !== zone
      ? { detail: `This machine's own zone is ${hostZone}; schedules ignore it.` }
      : {}),
  };
}
