import { perLanguage } from '../../platform/i18n/index.js';
import type { ViewContext } from '../../platform/views/context.js';
import { formatCents, type BundleFigures } from './pricing.js';

const LABEL_WIDTH = 210;
const BAR_WIDTH = 380;
const VALUE_WIDTH = 150;
const ROW_HEIGHT = 30;
const BAR_HEIGHT = 18;

/**
 * The savings per participant as a horizontal bar chart, drawn on the server as SVG: no script, no style
 * attribute (the content security policy allows neither), presentation attributes only. The table that
 * follows it carries the same figures for screen readers and for copying.
 */
export function SavingsChart({ ctx, figures, id = 'savings' }: { ctx: ViewContext; figures: BundleFigures; id?: string }) {
  const { t } = ctx;
  const rows = figures.participants;
  if (rows.length === 0) return null;
  const largest = Math.max(1, ...rows.map((p) => p.savingCents));
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  const height = rows.length * ROW_HEIGHT + 8;
  const total = formatCents(figures.totalSavingCents, ctx.lang);
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${width} ${height}`}
        width={width} height={height} class="chart-svg" font-family="system-ui, sans-serif" font-size="14">
        <title id={`${id}-title`}>{t('procurement.chart.title')}</title>
        <desc id={`${id}-desc`}>{t('procurement.chart.description', { count: rows.length, total })}</desc>
        {rows.map((p, n) => {
          const y = n * ROW_HEIGHT + 4;
          const bar = p.savingCents > 0 ? Math.max(2, Math.round((p.savingCents / largest) * BAR_WIDTH)) : 0;
          return (
            <g>
              <text x={LABEL_WIDTH - 8} y={y + BAR_HEIGHT - 4} text-anchor="end" fill="#1a1a1a">{p.organisationName}</text>
              <rect x={LABEL_WIDTH} y={y} width={bar} height={BAR_HEIGHT} fill="#1d5e8c" />
              <text x={LABEL_WIDTH + bar + 6} y={y + BAR_HEIGHT - 4} fill="#1a1a1a">{formatCents(p.savingCents, ctx.lang)}</text>
            </g>
          );
        })}
        <line x1={LABEL_WIDTH} y1={0} x2={LABEL_WIDTH} y2={height} stroke="#555" stroke-width="1" />
      </svg>
      <figcaption id={`${id}-caption`}>{t('procurement.chart.caption', { total, percent: formatPercent(figures.savingPercent, ctx) })}</figcaption>
      <table class="table chart-data">
        <caption>{t('procurement.chart.tableCaption')}</caption>
        <thead><tr>
          <th scope="col">{t('procurement.columns.organisation')}</th>
          <th scope="col" class="num">{t('procurement.columns.saving')}</th>
        </tr></thead>
        <tbody>
          {rows.map((p) => <tr><th scope="row">{p.organisationName}</th><td class="num">{formatCents(p.savingCents, ctx.lang)}</td></tr>)}
        </tbody>
        <tfoot><tr><th scope="row">{t('procurement.columns.total')}</th><td class="num">{total}</td></tr></tfoot>
      </table>
    </figure>
  );
}

const percentFormat = perLanguage((locale) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }));

export function formatPercent(value: number, ctx: Pick<ViewContext, 'lang'>): string {
  return percentFormat(ctx.lang).format(value);
}
