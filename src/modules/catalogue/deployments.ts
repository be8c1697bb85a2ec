import { DateTime } from 'luxon';
import { nowIso } from '../../platform/clock.js';
import { MATURITIES } from './fields.js';

/** The statuses the marking on a solution page asks for. */
export const QUICK_STATUSES = ['pilot', 'production', 'planned', 'interested'] as const;

/** How often the cost actually paid falls due. */
export const COST_PERIODS = ['year', 'month', 'once'] as const;
export type CostPeriod = (typeof COST_PERIODS)[number];

/** The first month a deployment may start in. */
export const FIRST_YEAR = 2000;

const MONTH_FORMS = [/^(\d{4})-(\d{1,2})$/, /^(\d{1,2})\/(\d{4})$/];

/**
 * A month as people write it — "09/2025", "9/2025" or "2025-09" — as stored ("2025-09"); null for anything
 * that is not a month at all. Whether the month is too early or in the future is monthProblem's to say.
 */
export function normaliseMonth(raw: string): string | null {
  const text = raw.trim();
  for (const [i, form] of MONTH_FORMS.entries()) {
    const m = form.exec(text);
    if (!m) continue;
    const [year, month] = i === 0 ? [Number(m[1]), Number(m[2])] : [Number(m[2]), Number(m[1])];
    if (month < 1 || month > 12) return null;
    return `${year}-${String(month).padStart(2, '0')}`;
  }
  return null;
}

/** The current month in the community's time zone ("2026-12"). */
export function currentMonth(now = nowIso()): string {
  return DateTime.fromISO(now, { zone: 'utc' }).setZone('Europe/Berlin').toFormat('yyyy-MM');
}

/** The i18n key of what is wrong with a month as typed, or null when it is empty or fine. */
export function monthProblem(raw: string, now = nowIso()): string | null {
  if (raw.trim() === '') return null;
  const month = normaliseMonth(raw);
  if (!month) return 'deployments.errors.month';
  if (Number(month.slice(0, 4)) < FIRST_YEAR) return 'deployments.errors.monthTooEarly';
  if (month > currentMonth(now)) return 'deployments.errors.monthFuture';
  return null;
}

/** "2025-09" as the page shows it: "09/2025". */
export function monthLabel(month: string | null): string {
  if (!month) return '';
  const [y, m] = month.split('-');
  return `${m}/${y}`;
}

type Stored = { organisation_id: number; status: string };
type Owner = { id: number; maturity: string; organisation_id: number | null; organisation_name: string | null; organisation_slug: string | null; visibility: string };

/**
 * The statuses an owner runs its own solution at: the solution's maturity counts as the describing
 * organisation's deployment unless it has marked one of its own. An idea or a retired solution is not running.
 */
const OWNER_STATUSES = new Set<string>(MATURITIES.filter((m) => m !== 'idea' && m !== 'retired'));

export interface ImpliedDeployment {
  id: null;
  status: string;
  since: null;
  contact: string;
  cost_paid: string;
  cost_paid_eur: null;
  cost_period: null;
  experience: string;
  visibility: string;
  organisation_id: number;
  organisation_name: string;
  organisation_slug: string;
  ai_act_class: null;
  /** Not stored: the describing organisation, at the solution's maturity. */
  implied: true;
}

/** The describing organisation's deployment as the solution implies it, when it has not marked one itself. */
export function impliedOwnerDeployment(s: Owner, stored: Stored[]): ImpliedDeployment | null {
  if (s.organisation_id === null || !s.organisation_name || !s.organisation_slug) return null;
  if (!OWNER_STATUSES.has(s.maturity)) return null;
  if (stored.some((d) => d.organisation_id === s.organisation_id)) return null;
  return {
    id: null, status: s.maturity, since: null, contact: '', cost_paid: '', cost_paid_eur: null, cost_period: null, experience: '',
    visibility: s.visibility === 'public' ? 'public' : 'members', organisation_id: s.organisation_id,
    organisation_name: s.organisation_name, organisation_slug: s.organisation_slug, ai_act_class: null, implied: true,
  };
}

/** The costs actually paid that several organisations report for one solution, summed per period. */
export interface CostSum {
  period: CostPeriod;
  totalEur: number;
  organisations: number;
}

export function costSums(deployments: { cost_paid_eur: number | null; cost_period: string | null }[]): CostSum[] {
  return COST_PERIODS.flatMap((period) => {
    const rows = deployments.filter((d) => d.cost_period === period && d.cost_paid_eur !== null);
    return rows.length ? [{ period, totalEur: rows.reduce((s, d) => s + d.cost_paid_eur!, 0), organisations: rows.length }] : [];
  });
}
