// The progress page's periods: a rolling window ending now, as the `?period=` of its GET form.

export const PERIODS = [
  { value: '7d', label: 'Last 7 days', days: 7 },
  { value: '30d', label: 'Last 30 days', days: 30 },
  { value: '90d', label: 'Last 90 days', days: 90 },
  { value: 'all', label: 'All time', days: null },
] as const;

export type Period = (typeof PERIODS)[number];
export type PeriodValue = Period['value'];

/** All time: a new user sees every answer they have, not an empty last week. */
export const DEFAULT_PERIOD: PeriodValue = 'all';

const DAY_MS = 86_400_000;

/** The period a `?period=` names; anything else is the default. */
export function parsePeriod(value: string | null | undefined): Period {
  return PERIODS.find((p) => p.value === value) ?? PERIODS.find((p) => p.value === DEFAULT_PERIOD)!;
}

/** Where the period starts (ISO date-time), or null for all time. */
export function periodStart(period: Period, now: Date): string | null {
  return period.days === null ? null : new Date(now.getTime() - period.days * DAY_MS).toISOString();
}
