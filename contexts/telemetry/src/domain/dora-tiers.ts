/**
 * DORA performance tiers from the 2023 Accelerate State of DevOps Report (Google Cloud / DORA),
 * "Software delivery performance" clusters:
 *
 * | cluster | deployment frequency                  | change lead time               | change failure rate | failed deployment recovery time |
 * |---------|---------------------------------------|--------------------------------|---------------------|---------------------------------|
 * | elite   | on demand (multiple deploys per day)  | less than one day              | 5%                  | less than one hour              |
 * | high    | between once per day and once a week  | between one day and one week   | 10%                 | less than one day               |
 * | medium  | between once a week and once a month  | between one week and one month | 15%                 | between one day and one week    |
 * | low     | between once a week and once a month  | between one week and one month | 64%                 | between one month and six months|
 *
 * The report gives clusters, not cut-offs, so a value is placed in the best tier whose band it
 * meets: failure rates are the clusters' figures taken as upper bounds (≤ 5 %, ≤ 10 %, ≤ 15 %);
 * where the report's low band repeats the medium one (frequency, lead time), low means worse
 * than medium (less than monthly; longer than a month). Recovery between one week and one month
 * falls in no band of the report and counts as low.
 */
export type DoraTier = 'elite' | 'high' | 'medium' | 'low';

const HOUR = 3600;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;

/** Deployments per day: elite is more than one a day, high at least weekly, medium at least monthly. */
export function deploymentFrequencyTier(deploymentsPerDay: number | null): DoraTier | null {
  if (deploymentsPerDay === null) return null;
  if (deploymentsPerDay > 1) return 'elite';
  if (deploymentsPerDay >= 1 / 7) return 'high';
  if (deploymentsPerDay >= 1 / 30) return 'medium';
  return 'low';
}

export function leadTimeTier(medianSeconds: number | null): DoraTier | null {
  if (medianSeconds === null) return null;
  if (medianSeconds < DAY) return 'elite';
  if (medianSeconds <= WEEK) return 'high';
  if (medianSeconds <= MONTH) return 'medium';
  return 'low';
}

export function changeFailureRateTier(rate: number | null): DoraTier | null {
  if (rate === null) return null;
  if (rate <= 0.05) return 'elite';
  if (rate <= 0.1) return 'high';
  if (rate <= 0.15) return 'medium';
  return 'low';
}

export function recoveryTimeTier(medianSeconds: number | null): DoraTier | null {
  if (medianSeconds === null) return null;
  if (medianSeconds < HOUR) return 'elite';
  if (medianSeconds < DAY) return 'high';
  if (medianSeconds <= WEEK) return 'medium';
  return 'low';
}
