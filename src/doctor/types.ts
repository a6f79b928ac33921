/** One line of the doctor's report: what was checked, how it went, and the exact fix when it did not. */
export interface CheckResult {
  status: 'ok' | 'warn' | 'fail';
  label: string;
  detail?: string;
  fix?: string;
}

export interface DoctorSection {
  title: string;
  results: CheckResult[];
}

export interface DoctorReport {
  sections: DoctorSection[];
  counts: { ok: number; warn: number; fail: number };
  /** false when any check failed: the app will not work as configured. */
  ok: boolean;
}

export function report(sections: DoctorSection[]): DoctorReport {
  const counts = { ok: 0, warn: 0, fail: 0 };
  for (const section of sections) for (const result of section.results) counts[result.status]++;
  return { sections, counts, ok: counts.fail === 0 };
}
