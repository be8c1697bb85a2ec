import { DateTime } from 'luxon';
import { nowIso } from '../../platform/clock.js';
import { spreadsheetCsv, spreadsheetEuros } from '../../platform/csv.js';
import type { Db } from '../../platform/db/database.js';
import { dataVersion } from '../../platform/data-version.js';
import { translatorFor, type Lang, type T } from '../../platform/i18n/index.js';
import { FIELDS_OF_ACTION, MATURITIES } from '../catalogue/fields.js';
import { communitySavings, initiativeSavings } from '../procurement/service.js';
import { valueOf, type ChartRow, type Series } from './charts.js';
import * as q from './queries.js';
import type { Audience } from '../../platform/audience.js';

export { audienceOf, type Audience } from '../../platform/audience.js';

export const CHART_IDS = [
  'loesungen-handlungsfeld', 'loesungen-reife', 'einsaetze-verlauf', 'mitwirkende', 'fragen-beantwortet', 'treffen-teilnahme', 'beschaffung-einsparungen',
] as const;
export type ChartId = (typeof CHART_IDS)[number];

export function isChartId(value: string): value is ChartId {
  return (CHART_IDS as readonly string[]).includes(value);
}

/**
 * The figures behind one chart, labels already in the reader's language: one row per bar, point or
 * stack, with a number per series. `money` says the numbers are cents.
 */
export interface ChartData {
  id: ChartId;
  kind: 'bar' | 'line' | 'stacked';
  /** The heading of the label column in the table and the CSV. */
  labelHeader: string;
  series: Series[];
  rows: ChartRow[];
  money?: boolean;
}

/** How many past meetings the attendance chart shows. */
export const MEETINGS_SHOWN = 12;

// ---------------------------------------------------------------------------------------------------
// Quarters, in the community's time zone

const ZONE = 'Europe/Berlin';

/** "2026-Q2" for a timestamp (in Berlin time) or for a month as organisations give it ("2026-05"). */
export function quarterOf(date: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(date);
  const [year, m] = month ? [Number(month[1]), Number(month[2])] : (() => {
    const d = DateTime.fromISO(date, { zone: 'utc' }).setZone(ZONE);
    return [d.year, d.month];
  })();
  return `${year}-Q${Math.ceil(m / 3)}`;
}

/** Every quarter from the first to the last, both included. */
export function quartersBetween(first: string, last: string): string[] {
  const parse = (k: string) => { const [y, n] = k.split('-Q').map(Number); return y * 4 + n - 1; };
  const out: string[] = [];
  for (let i = parse(first); i <= parse(last); i++) out.push(`${Math.floor(i / 4)}-Q${(i % 4) + 1}`);
  return out;
}

export function quarterLabel(t: T, key: string): string {
  const [year, quarter] = key.split('-Q');
  return t('dashboard.quarter', { quarter, year });
}

/** The quarters from the earliest date up to now, each with how many dates fall into it. */
function perQuarter(dates: string[], now: string): { quarter: string; count: number }[] {
  if (dates.length === 0) return [];
  const counts = new Map<string, number>();
  for (const d of dates) counts.set(quarterOf(d), (counts.get(quarterOf(d)) ?? 0) + 1);
  const first = [...counts.keys()].sort()[0];
  const current = quarterOf(now);
  return quartersBetween(first < current ? first : current, current).map((quarter) => ({ quarter, count: counts.get(quarter) ?? 0 }));
}

/** Running totals: at the end of each quarter, everything up to then (a date later than now counts in the current quarter). */
function cumulative(dates: string[], now: string): { quarter: string; total: number }[] {
  const current = quarterOf(now);
  let total = 0;
  return perQuarter(dates.map((d) => (quarterOf(d) > current ? now : d)), now).map(({ quarter, count }) => ({ quarter, total: (total += count) }));
}

// ---------------------------------------------------------------------------------------------------
// One function per chart

export async function solutionsByField(db: Db, audience: Audience, lang: Lang = 'de'): Promise<ChartData> {
  const t = translatorFor(lang);
  const counts = await q.solutionCounts(db, audience, 'field_of_action');
  const known = new Set<string | null>(FIELDS_OF_ACTION);
  const rows: ChartRow[] = FIELDS_OF_ACTION.map((f) => ({ label: t(`catalogue.values.field_of_action.${f}`), solutions: counts.get(f) ?? 0 }));
  // Imported entries may carry no field (or one outside the list): they are shown together as "not given".
  const unknown = [...counts].filter(([k]) => !known.has(k)).reduce((sum, [, n]) => sum + n, 0);
  if (unknown > 0) rows.push({ label: t('dashboard.noField'), solutions: unknown });
  return { id: 'loesungen-handlungsfeld', kind: 'bar', labelHeader: t('dashboard.columns.field'), series: [{ key: 'solutions', label: t('dashboard.series.solutions') }], rows };
}

export async function solutionsByMaturity(db: Db, audience: Audience, lang: Lang = 'de'): Promise<ChartData> {
  const t = translatorFor(lang);
  const counts = await q.solutionCounts(db, audience, 'maturity');
  const rows = MATURITIES.map((m) => ({ label: t(`catalogue.values.maturity.${m}`), solutions: counts.get(m) ?? 0 }));
  return { id: 'loesungen-reife', kind: 'bar', labelHeader: t('dashboard.columns.maturity'), series: [{ key: 'solutions', label: t('dashboard.series.solutions') }], rows };
}

export async function deploymentsOverTime(db: Db, audience: Audience, lang: Lang = 'de', now = nowIso()): Promise<ChartData> {
  const t = translatorFor(lang);
  const deployments = await q.runningDeployments(db, audience);
  const rows = cumulative(deployments.map((d) => d.since ?? d.created_at), now).map((r) => ({ label: quarterLabel(t, r.quarter), quarter: r.quarter, deployments: r.total }));
  return { id: 'einsaetze-verlauf', kind: 'line', labelHeader: t('dashboard.columns.quarter'), series: [{ key: 'deployments', label: t('dashboard.series.deployments') }], rows };
}

/** Active members by the day they joined; an organisation counts from its first active member on. Everyone may know how many take part. */
export async function participants(db: Db, _audience: Audience, lang: Lang = 'de', now = nowIso()): Promise<ChartData> {
  const t = translatorFor(lang);
  const members = await q.activeMembers(db);
  const firstOf = new Map<number, string>();
  for (const m of members) if (!firstOf.has(m.organisation_id) || m.created_at < firstOf.get(m.organisation_id)!) firstOf.set(m.organisation_id, m.created_at);
  const people = cumulative(members.map((m) => m.created_at), now);
  const organisations = new Map(cumulative([...firstOf.values()], now).map((r) => [r.quarter, r.total]));
  const rows = people.map((r) => ({ label: quarterLabel(t, r.quarter), quarter: r.quarter, members: r.total, organisations: organisations.get(r.quarter) ?? 0 }));
  return {
    id: 'mitwirkende', kind: 'line', labelHeader: t('dashboard.columns.quarter'),
    series: [{ key: 'members', label: t('dashboard.series.members') }, { key: 'organisations', label: t('dashboard.series.organisations') }], rows,
  };
}

export async function questionsAnswered(db: Db, audience: Audience, lang: Lang = 'de', now = nowIso()): Promise<ChartData> {
  const t = translatorFor(lang);
  const questions = await q.askedQuestions(db, audience);
  const rows = perQuarter(questions.map((x) => x.created_at), now).map(({ quarter }) => {
    const asked = questions.filter((x) => quarterOf(x.created_at) === quarter);
    const accepted = asked.filter((x) => x.accepted).length;
    const answered = asked.filter((x) => !x.accepted && x.answers > 0).length;
    return { label: quarterLabel(t, quarter), quarter, accepted, answered, open: asked.length - accepted - answered };
  });
  return {
    id: 'fragen-beantwortet', kind: 'stacked', labelHeader: t('dashboard.columns.quarter'),
    series: (['accepted', 'answered', 'open'] as const).map((key) => ({ key, label: t(`dashboard.series.${key}`) })), rows,
  };
}

/** "Runde 2 zu Chatbots im …": titles cut at a word so the chart's labels stay on one line. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const word = cut.lastIndexOf(' ');
  return `${(word > max / 2 ? cut.slice(0, word) : cut).trimEnd()}…`;
}

export async function meetingAttendance(db: Db, audience: Audience, lang: Lang = 'de', now = nowIso()): Promise<ChartData> {
  const t = translatorFor(lang);
  const meetings = (await q.heldMeetings(db, audience, now, MEETINGS_SHOWN)).reverse();
  const counts = await q.attendanceCounts(db, meetings.map((m) => m.id));
  const day = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
  const rows = meetings.map((m) => ({
    label: `${day.format(new Date(m.starts_at))} ${shorten(m.title, 30)}`,
    attended: counts.filter((c) => c.meetingId === m.id && c.attended).reduce((s, c) => s + c.count, 0),
    absent: counts.filter((c) => c.meetingId === m.id && !c.attended).reduce((s, c) => s + c.count, 0),
  }));
  return {
    id: 'treffen-teilnahme', kind: 'stacked', labelHeader: t('dashboard.columns.meeting'),
    series: (['attended', 'absent'] as const).map((key) => ({ key, label: t(`dashboard.series.${key}`) })), rows,
  };
}

/**
 * Savings of the binding and handed-over joint procurements. Their pages are for members only, so the
 * public sees the savings summed per quarter in which they became binding, without titles.
 */
export async function procurementSavings(db: Db, audience: Audience, lang: Lang = 'de'): Promise<ChartData> {
  const t = translatorFor(lang);
  const initiatives = await initiativeSavings(db);
  const series = [{ key: 'saving', label: t('dashboard.series.saving') }];
  if (audience === 'members') {
    const rows = initiatives.map((i) => ({ label: i.title, saving: i.savingCents }));
    return { id: 'beschaffung-einsparungen', kind: 'bar', labelHeader: t('dashboard.columns.initiative'), series, rows, money: true };
  }
  const sums = new Map<string, number>();
  for (const i of initiatives) sums.set(quarterOf(i.boundAt), (sums.get(quarterOf(i.boundAt)) ?? 0) + i.savingCents);
  const rows = [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([quarter, saving]) => ({ label: quarterLabel(t, quarter), quarter, saving }));
  return { id: 'beschaffung-einsparungen', kind: 'bar', labelHeader: t('dashboard.columns.bindingQuarter'), series, rows, money: true };
}

const CHARTS: Record<ChartId, (db: Db, audience: Audience, lang: Lang, now: string) => Promise<ChartData>> = {
  'loesungen-handlungsfeld': solutionsByField,
  'loesungen-reife': solutionsByMaturity,
  'einsaetze-verlauf': deploymentsOverTime,
  mitwirkende: participants,
  'fragen-beantwortet': questionsAnswered,
  'treffen-teilnahme': meetingAttendance,
  'beschaffung-einsparungen': procurementSavings,
};

export function chartData(db: Db, id: ChartId, audience: Audience, lang: Lang = 'de', now = nowIso()): Promise<ChartData> {
  return CHARTS[id](db, audience, lang, now);
}

/** Every chart, in the order of the page. */
export async function dashboardData(db: Db, audience: Audience, lang: Lang = 'de', now = nowIso()): Promise<ChartData[]> {
  return Promise.all(CHART_IDS.map((id) => chartData(db, id, audience, lang, now)));
}

/** How many register entries the audience may see that the charts leave out (they count the region's own content). */
export const registerEntries = (db: Db, audience: Audience) => q.registerEntryCount(db, audience);

/** A chart's table as a CSV file: one line per row, a column per series. */
export function chartCsv(data: ChartData): string {
  const cell = (n: number) => (data.money ? spreadsheetEuros(n) : n);
  return spreadsheetCsv([data.labelHeader, ...data.series.map((s) => s.label)], data.rows.map((r) => [r.label, ...data.series.map((s) => cell(valueOf(r, s.key)))]));
}

// ---------------------------------------------------------------------------------------------------
// Caching

/** The dashboard version last worked out per database, and the span of time it holds for. */
const known = new WeakMap<object, { data: string; value: string; from: string; until: string }>();

/** The start of the quarter `now` (UTC) falls in, Berlin time, and of the next, as ISO instants. */
function quarterSpan(now: string): [string, string] {
  const start = DateTime.fromISO(now, { zone: 'utc' }).setZone(ZONE).startOf('quarter');
  return [start.toJSDate().toISOString(), start.plus({ quarters: 1 }).toJSDate().toISOString()];
}

/**
 * The version of the dashboard: the data version, plus what changes with time alone — the current
 * quarter (the time axes end there) and the latest meeting that has ended (meetings join the attendance
 * chart when they end, without any write). It is read for every cached page, so it is worked out once
 * per data version and kept until the next quarter begins or the next meeting ends.
 */
export async function dashboardVersion(db: Db, now = nowIso()): Promise<string> {
  const data = await dataVersion(db);
  const key = db.getExecutor().adapter;
  const k = known.get(key);
  if (k && k.data === data && k.from <= now && now < k.until) return k.value;
  const [lastEnded, nextEnd] = await Promise.all([q.lastMeetingEndBefore(db, now), q.nextMeetingEndAfter(db, now)]);
  const [quarterStart, quarterEnd] = quarterSpan(now);
  const value = `${data}|${quarterOf(now)}|${lastEnded ?? ''}`;
  known.set(key, {
    data, value,
    from: lastEnded && lastEnded > quarterStart ? lastEnded : quarterStart,
    until: nextEnd && nextEnd < quarterEnd ? nextEnd : quarterEnd,
  });
  return value;
}

// ---------------------------------------------------------------------------------------------------
// The home page

export interface HomeFiguresData {
  /** The region's own public solutions (described or run by member organisations). */
  solutions: number;
  /** Public entries from the registers, not the region's own: shown apart. */
  registerEntries: number;
  deployments: number;
  organisations: number;
  members: number;
  questionsAnswered: number;
  savingCents: number;
}

/**
 * Figures for the home page, counting public content only (the home page is the same for everyone). A page
 * that shows the community's savings elsewhere too passes them in, so they are worked out once.
 */
export async function homeFigures(db: Db, savings: Promise<{ savingCents: number }> = communitySavings(db)): Promise<HomeFiguresData> {
  const [figures, { savingCents }] = await Promise.all([q.publicFigures(db), savings]);
  return { ...figures, savingCents };
}
