import type { Config } from '../config.js';
import { amountUnitOf } from '../exports/units.js';
import { LuccaError } from '../lucca/errors.js';
import type { ExportShapes } from '../lucca/inspect.js';
import type { LuccaApi } from '../lucca/types.js';
import { doctorLuccaClient } from './lucca.js';
import type { CheckResult } from './types.js';

/**
 * `doctor --lucca`: reads the newest export of each configured configuration with the app's own
 * requests (the guide's field lists) and says, for each assumption the client makes about Lucca's
 * answers where the guide is silent, whether it holds on this tenant (✓) or differs (✗, with what the
 * app will do). Meant for the first deployment on a real tenant; against the simulator it shows the
 * shapes the simulator was told to give.
 */
export async function checkLuccaShapes(
  config: Config,
  options: { lucca?: LuccaApi; unusable?: ReadonlySet<string> } = {},
): Promise<CheckResult[]> {
  const unusable = options.unusable ?? new Set<string>();
  const aliases = Object.entries(config.exports.configurations);
  if (['LUCCA_BASE_URL', 'LUCCA_API_KEY'].some((v) => unusable.has(v)) || aliases.length === 0) {
    return [
      {
        status: 'warn',
        label: "Lucca's answers were not read",
        detail: 'It needs LUCCA_BASE_URL, LUCCA_API_KEY and at least one EXPORT_CONFIGURATIONS alias.',
      },
    ];
  }
  const lucca = options.lucca ?? doctorLuccaClient(config);
  if (!lucca.inspectExportShapes)
    return [{ status: 'warn', label: 'This Lucca client cannot read answer shapes' }];

  const results: CheckResult[] = [];
  for (const [alias, configurationId] of aliases) {
    const name = `${alias} (#${configurationId})`;
    let shapes: ExportShapes;
    try {
      shapes = await lucca.inspectExportShapes(configurationId);
    } catch (error) {
      // The basic Lucca check reports the cause (key, host, configuration): counted there, not twice.
      results.push({
        status: 'warn',
        label: `${name}: Lucca's answers could not be read`,
        detail: error instanceof LuccaError ? error.userMessage : 'the request failed',
        fix: 'Fix what the Lucca section above reports, then run the doctor again',
      });
      continue;
    }
    results.push(...shapeChecks(name, shapes));
  }
  return results;
}

/** One line per assumption of the client, for one configuration's newest export. */
export function shapeChecks(name: string, shapes: ExportShapes): CheckResult[] {
  if (shapes.exportId === null) {
    return [
      {
        status: 'warn',
        label: `${name}: no export yet, so nothing to compare`,
        fix: 'Run one export of it (from Lucca or the app), then run `npm run doctor -- --lucca` again',
      },
    ];
  }
  const on = `${name}, export #${shapes.exportId}`;
  return [
    listCheck(on, shapes),
    filesCheck(on, shapes),
    entriesCheck(on, shapes),
    ...amountChecks(on, shapes),
  ];
}

function listCheck(on: string, shapes: ExportShapes): CheckResult {
  const { endsAtRefused, endsAtForm } = shapes.list;
  const label = 'list items carry endsAt at midnight (the poll tells our export from others by it)';
  if (endsAtForm === 'midnight') {
    return { status: 'ok', label: `${on}: ${label} — holds`, detail: 'form: 2026-12-01T00:00:00' };
  }
  if (endsAtForm === 'offset' || endsAtForm === 'day-before') {
    return {
      status: 'ok',
      label: `${on}: ${label} — holds, in another form the app reads`,
      detail: `form: ${endsAtForm === 'offset' ? 'midnight with an offset (…T00:00:00+01:00)' : 'one second before (…T23:59:59 the day before)'}`,
    };
  }
  return {
    status: 'warn',
    label: `${on}: ${label} — differs`,
    detail: endsAtRefused
      ? 'Lucca refuses endsAt in the list (400 "Selected property endsAt does not exist")'
      : `endsAt is ${endsAtForm === 'absent' ? 'absent from the items' : 'in a form the app does not read'}`,
    fix: 'Nothing to set: the app then takes the first export created after its request (id above the one before it) and says so in the thread; avoid exporting the same configuration from Lucca while the app waits',
  };
}

function filesCheck(on: string, shapes: ExportShapes): CheckResult {
  const { error, fileCount, fileKeys, usableLinks, linkKinds } = shapes.header;
  const label = 'exportFiles items carry a link the app can download (their fields are not documented)';
  if (error) {
    return {
      status: 'fail',
      label: `${on}: the export's header and files could not be read`,
      detail: error,
      fix: "If Lucca says a selected property does not exist, the guide's field list no longer matches Lucca: report it to the app's maintainers",
    };
  }
  const keys = fileKeys.length ? fileKeys.join(', ') : '(none)';
  if (fileCount === 0) {
    return {
      status: 'warn',
      label: `${on}: the export lists no file`,
      detail: 'The app will send a CSV it makes from the entries (it says so in the thread)',
    };
  }
  if (usableLinks === fileCount) {
    return {
      status: 'ok',
      label: `${on}: ${label} — holds`,
      detail: `${fileCount} file(s); item keys: ${keys}; link: ${linkKinds.join(', ')}`,
    };
  }
  return {
    status: 'warn',
    label: `${on}: ${label} — differs`,
    detail: `${usableLinks} of ${fileCount} file(s) with a link; item keys: ${keys}`,
    fix: "The app will send a CSV it makes from the entries instead of Lucca's file, and say so in the thread. Send these keys to the app's maintainers so that Lucca's file can be downloaded",
  };
}

function entriesCheck(on: string, shapes: ExportShapes): CheckResult {
  const { error, cut, count } = shapes.entries;
  const label = "the entries are read within Lucca's ~5 s cut (summary, CSV fallback)";
  if (!error) return { status: 'ok', label: `${on}: ${label} — holds`, detail: `${count} entries` };
  return {
    status: cut ? 'warn' : 'fail',
    label: `${on}: ${label} — differs`,
    detail: error,
    fix: cut
      ? "Lucca cut the answer (a large export): the app will deliver Lucca's file without the summary, and say so; an export without a file cannot be delivered"
      : "The entries' field list was refused: report the message to the app's maintainers",
  };
}

function amountChecks(on: string, shapes: ExportShapes): CheckResult[] {
  const { error, amountForms, units, timespanUnits } = shapes.entries;
  const seen = [
    ...(units.length ? [`beside numbers: ${units.join(', ')}`] : []),
    ...(timespanUnits.length
      ? [`beside timespans (hours whatever the unit): ${timespanUnits.join(', ')}`]
      : []),
  ].join('; ');
  if (error) return [];
  const known = amountForms.filter((f) => f !== 'number' && f !== 'timespan' && f !== 'number as text');
  const amount: CheckResult = known.length
    ? {
        status: 'warn',
        label: `${on}: amount is a number of hours or a timespan (d.hh:mm:ss) — differs`,
        detail: `forms seen: ${amountForms.join(', ')}`,
        fix: 'Such amounts are left out of the summary totals and left empty in a CSV made by the app; the raw value is kept in its last column',
      }
    : {
        status: 'ok',
        label: `${on}: amount is a number of hours or a timespan (d.hh:mm:ss) — holds`,
        detail: `forms seen: ${amountForms.join(', ') || '(no entry)'}`,
      };
  const unknownUnits = units.filter((u) => {
    const word = amountUnitOf({ amountUnit: u === '(none)' ? null : u, rawAmount: null });
    return word !== 'hours' && word !== 'days';
  });
  const unit: CheckResult = unknownUnits.length
    ? {
        status: 'warn',
        label: `${on}: amountUnit is a unit name the app knows (Hour, Hours, Duration, Day…) — differs`,
        detail: `units seen ${seen}`,
        fix: `The summary shows ${unknownUnits.map((u) => `"${/^\d+$/.test(u) ? `unit ${u}` : u}"`).join(', ')} as Lucca sent it, in its own line, and does not add it to hours or days`,
      }
    : {
        status: 'ok',
        label: `${on}: amountUnit is a unit name the app knows (Hour, Hours, Duration, Day…) — holds`,
        detail: `units seen ${seen || '(no entry)'}`,
      };
  return [amount, unit];
}
