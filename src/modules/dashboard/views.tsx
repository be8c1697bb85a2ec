import { formatNumber } from '../../platform/i18n/index.js';
import type { ViewContext } from '../../platform/views/context.js';
import { formatCents } from '../procurement/pricing.js';
import { BarChart, LineChart, StackedBarChart, rowTotal, valueOf, type ChartProps } from './charts.js';
import type { Audience, ChartData, HomeFiguresData } from './service.js';

type Ctx = Pick<ViewContext, 't' | 'lang'>;

export const csvPath = (id: string) => `/zahlen/${id}.csv`;

/** How a chart's numbers are written: euros for savings, German grouping for counts. */
export function numberFormat(ctx: Ctx, data: Pick<ChartData, 'money'>): (n: number) => string {
  return data.money ? (n) => formatCents(Math.round(n), ctx.lang) : (n) => formatNumber(n, ctx.lang);
}

/** The variables of a chart's one-sentence summary: totals, the largest row, the first and the last. */
function summaryVars(ctx: Ctx, data: ChartData) {
  const fmt = numberFormat(ctx, data);
  const { rows, series } = data;
  const sum = (key: string) => rows.reduce((s, r) => s + valueOf(r, key), 0);
  const total = rows.reduce((s, r) => s + rowTotal(r, series), 0);
  const largest = rows.reduce((best, r) => (rowTotal(r, series) > rowTotal(best, series) ? r : best), rows[0] ?? { label: '' });
  const last = rows[rows.length - 1] ?? { label: '' };
  const vars: Record<string, string | number> = {
    count: rows.length, total: fmt(total), largest: largest.label, largestValue: fmt(rowTotal(largest, series)),
    first: rows[0]?.label ?? '', last: last.label,
  };
  // Line charts are running totals: the latest value is the figure; stacked charts name each series' sum.
  for (const s of series) vars[s.key] = fmt(data.kind === 'line' ? valueOf(last, s.key) : sum(s.key));
  return { vars, total };
}

/** The sentence an SVG's description carries. */
export function chartDescription(ctx: Ctx, data: ChartData, audience: Audience): string {
  const { vars, total } = summaryVars(ctx, data);
  const key = data.id === 'beschaffung-einsparungen' && audience === 'public' ? 'descPublic' : 'desc';
  // Plural forms follow the count of things, not the formatted figure.
  return ctx.t(`dashboard.charts.${data.id}.${key}`, { ...vars, count: data.kind === 'line' || data.money ? data.rows.length : total });
}

export function ChartView({ ctx, data, audience }: { ctx: ViewContext; data: ChartData; audience: Audience }) {
  const { t } = ctx;
  const captionKey = data.id === 'beschaffung-einsparungen' && audience === 'public' ? 'captionPublic' : 'caption';
  const props: ChartProps = {
    ctx, id: `chart-${data.id}`, title: t(`dashboard.charts.${data.id}.title`), description: chartDescription(ctx, data, audience),
    caption: t(`dashboard.charts.${data.id}.${captionKey}`), labelHeader: data.labelHeader, series: data.series, rows: data.rows,
    format: numberFormat(ctx, data), csvHref: csvPath(data.id),
  };
  return (
    <section class="dash-section" aria-labelledby={`${data.id}-heading`}>
      <h2 id={`${data.id}-heading`}>{props.title}</h2>
      {data.kind === 'line' ? <LineChart {...props} /> : data.kind === 'stacked' ? <StackedBarChart {...props} /> : <BarChart {...props} />}
    </section>
  );
}

/** Every chart of the page; rendered once per audience, language and data version. */
export function Charts({ ctx, charts, audience }: { ctx: ViewContext; charts: ChartData[]; audience: Audience }) {
  return <>{charts.map((data) => <ChartView ctx={ctx} data={data} audience={audience} />)}</>;
}

/** The figures count the region's own content; the registers' entries are named apart, with the way to them. */
export function RegisterEntriesLine({ ctx, count }: { ctx: ViewContext; count: number }) {
  if (count === 0) return null;
  return (
    <p class="register-entries">
      {ctx.t('region.regionOnly')} <a href="/loesungen?origin=registers">{ctx.t('region.fromRegisters', { count, formatted: formatNumber(count, ctx.lang) })}</a>
    </p>
  );
}

export function DashboardPage({ ctx, audience, chartsHtml, registerEntries = 0 }: { ctx: ViewContext; audience: Audience; chartsHtml: string; registerEntries?: number }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('dashboard.title')}</h1>
      <p class="lead">{t('dashboard.intro')}</p>
      <p>{t(audience === 'public' ? 'dashboard.publicNote' : 'dashboard.membersNote')}</p>
      <RegisterEntriesLine ctx={ctx} count={registerEntries} />
      <div class="dash-charts" dangerouslySetInnerHTML={{ __html: chartsHtml }} />
    </>
  );
}

/** A few big figures of the community for the home page, with the way to all of them. */
export function HomeFigures({ ctx, figures }: { ctx: ViewContext; figures: HomeFiguresData }) {
  const { t } = ctx;
  const n = (value: number) => formatNumber(value, ctx.lang);
  const items: [string, string][] = [
    [n(figures.solutions), t('dashboard.home.solutions', { count: figures.solutions })],
    [n(figures.deployments), t('dashboard.home.deployments', { count: figures.deployments })],
    [n(figures.organisations), t('dashboard.home.organisations', { count: figures.organisations })],
    [n(figures.members), t('dashboard.home.members', { count: figures.members })],
    [n(figures.questionsAnswered), t('dashboard.home.questionsAnswered', { count: figures.questionsAnswered })],
    [formatCents(figures.savingCents, ctx.lang), t('dashboard.home.saving')],
  ];
  return (
    <section class="home-figures" aria-labelledby="home-figures-title">
      <h2 id="home-figures-title">{t('dashboard.home.title')}</h2>
      <dl class="figure-list">
        {items.map(([value, label]) => <div class="figure"><dt>{label}</dt><dd>{value}</dd></div>)}
      </dl>
      <RegisterEntriesLine ctx={ctx} count={figures.registerEntries} />
      <p><a href="/zahlen">{t('dashboard.home.all')}</a></p>
    </section>
  );
}
