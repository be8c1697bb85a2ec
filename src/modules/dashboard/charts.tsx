import { scaleLinear, scalePoint, type ScaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { ComponentChildren } from 'preact';
import { formatNumber, type Lang } from '../../platform/i18n/index.js';
import type { ViewContext } from '../../platform/views/context.js';
import { ScrollRegion } from '../../platform/views/scroll-region.js';

/**
 * Charts drawn on the server as SVG: no script and no style attribute (the content security policy
 * allows neither), presentation attributes only. Each chart is a figure with a caption, an SVG with a
 * title and a one-sentence summary for screen readers, the same figures as a table and a CSV link.
 * The SVG has a fixed viewBox and scales with the page; its text is 15 units high, and the stylesheet
 * keeps the drawing at least 512 pixels wide, so no text is smaller than 12 pixels.
 */

export interface Series { key: string; label: string }
/** One bar, point or stack: its label and a number per series key. */
export interface ChartRow { label: string; [key: string]: string | number }

export interface ChartProps {
  ctx: ViewContext;
  /** Unique on the page; the SVG's title and description ids derive from it. */
  id: string;
  title: string;
  /** One sentence that says what the chart shows (largest category, total, latest value). */
  description: string;
  caption?: string;
  labelHeader: string;
  series: Series[];
  rows: ChartRow[];
  /** How a number is written; German grouping by default. */
  format?: (n: number) => string;
  csvHref?: string;
}

const WIDTH = 640;
const FONT = 15;
const INK = '#1a1a1a';
const GRID = '#c8c8c8';
/** Fills of the series: dark, hatched middle, dotted light. Told apart by lightness and pattern, not by hue. */
const DARK = '#1f4e79';
const MIDDLE = '#8fb3d9';

export function valueOf(row: ChartRow, key: string): number {
  return Number(row[key] ?? 0);
}

/** The sum of one stack. */
export function rowTotal(row: ChartRow, series: Series[]): number {
  return series.reduce((sum, s) => sum + valueOf(row, s.key), 0);
}

/** Where each part of a stack begins and ends. */
export function stackedSegments(row: ChartRow, series: Series[]): { key: string; value: number; start: number; end: number }[] {
  let start = 0;
  return series.map((s) => {
    const value = valueOf(row, s.key);
    const segment = { key: s.key, value, start, end: start + value };
    start += value;
    return segment;
  });
}

/** A chart without a single number above zero draws nothing but a note. */
export function isEmpty(rows: ChartRow[], series: Series[]): boolean {
  return rows.every((r) => rowTotal(r, series) === 0);
}

/** Axis ticks: whole numbers only when counting (half a solution is no tick). */
export function axisTicks(scale: ScaleLinear<number, number>, count = 5, whole = true): number[] {
  const ticks = scale.ticks(count);
  return whole ? ticks.filter(Number.isInteger) : ticks;
}

/** Every other tick is dropped until the written values no longer run into each other (long euro amounts). */
export function fitTicks(ticks: number[], format: (n: number) => string, width: number): number[] {
  let kept = ticks;
  const room = () => width / Math.max(1, kept.length - 1);
  while (kept.length > 2 && room() < Math.max(...kept.map((t) => format(t).length)) * CHAR_WIDTH + 12) kept = kept.filter((_, i) => i % 2 === 0);
  return kept;
}

export function formatTick(n: number, lang: Lang): string {
  return formatNumber(n, lang);
}

/** A bar's label, cut to fit beside the bars; a cut label carries its whole text as a tooltip. */
function BarLabel({ y, label }: { y: number; label: string }) {
  const short = label.length <= LABEL_CHARS ? label : `${label.slice(0, LABEL_CHARS - 1).trimEnd()}…`;
  return (
    <text x={LABEL_WIDTH - 8} y={y + BAR - 5} text-anchor="end" fill={INK}>
      {short !== label && <title>{label}</title>}{short}
    </text>
  );
}

const defaultFormat = (ctx: ViewContext) => (n: number) => formatNumber(n, ctx.lang);

/** A linear scale from zero to a round number above the largest value. */
function valueScale(largest: number, range: [number, number]): ScaleLinear<number, number> {
  return scaleLinear().domain([0, Math.max(1, largest)]).nice().range(range);
}

// ---------------------------------------------------------------------------------------------------
// The frame every chart shares

function ChartFrame({ ctx, id, title, description, caption, labelHeader, series, rows, format, csvHref, height, totals, children }:
  ChartProps & { height: number; totals: boolean; children: ComponentChildren }) {
  const { t } = ctx;
  const fmt = format ?? defaultFormat(ctx);
  if (isEmpty(rows, series)) {
    return (
      <figure class="dash-figure" aria-labelledby={`${id}-caption`}>
        <figcaption id={`${id}-caption`}>{caption ?? title}</figcaption>
        <p class="chart-empty">{t('dashboard.noData')}</p>
      </figure>
    );
  }
  return (
    <figure class="dash-figure" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{caption ?? title}</figcaption>
      <ScrollRegion class="chart-scroll" label={t('reflow.scrollTable', { name: title })}>
        <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${WIDTH} ${height}`}
          width="100%" class="dash-svg" font-family="system-ui, sans-serif" font-size={FONT} data-chart={id}>
          <title id={`${id}-title`}>{title}</title>
          <desc id={`${id}-desc`}>{description}</desc>
          {children}
        </svg>
      </ScrollRegion>
      <details class="chart-table">
        <summary>{t('dashboard.tableSummary')}</summary>
        <table class="table" data-chart={id}>
          <caption>{title}</caption>
          <thead><tr>
            <th scope="col">{labelHeader}</th>
            {series.map((s) => <th scope="col" class="num">{s.label}</th>)}
            {totals && series.length > 1 && <th scope="col" class="num">{t('dashboard.total')}</th>}
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">{r.label}</th>
                {series.map((s) => <td class="num">{fmt(valueOf(r, s.key))}</td>)}
                {totals && series.length > 1 && <td class="num">{fmt(rowTotal(r, series))}</td>}
              </tr>
            ))}
          </tbody>
          {totals && (
            <tfoot><tr>
              <th scope="row">{t('dashboard.total')}</th>
              {series.map((s) => <td class="num">{fmt(rows.reduce((sum, r) => sum + valueOf(r, s.key), 0))}</td>)}
              {series.length > 1 && <td class="num">{fmt(rows.reduce((sum, r) => sum + rowTotal(r, series), 0))}</td>}
            </tr></tfoot>
          )}
        </table>
      </details>
      {csvHref && <p class="chart-download"><a href={csvHref} download>{t('dashboard.csv', { title })}</a></p>}
    </figure>
  );
}

/** Vertical grid lines with their values below: the value axis of the horizontal bar charts. */
function ValueAxis({ scale, top, bottom, format, whole }: { scale: ScaleLinear<number, number>; top: number; bottom: number; format: (n: number) => string; whole: boolean }) {
  const [from, to] = scale.range();
  return (
    <g aria-hidden="true">
      {fitTicks(axisTicks(scale, 4, whole), format, to - from).map((tick) => (
        <g>
          <line x1={scale(tick)} y1={top} x2={scale(tick)} y2={bottom} stroke={GRID} stroke-width="1" />
          <text x={scale(tick)} y={bottom + FONT + 4} text-anchor="middle" fill={INK}>{format(tick)}</text>
        </g>
      ))}
    </g>
  );
}

// ---------------------------------------------------------------------------------------------------
// Horizontal bars: categories with long names

const LABEL_WIDTH = 260;
const VALUE_ROOM = 110;
const ROW = 30;
const BAR = 20;
/** About as many letters as fit left of the bars at 15 units (some 8.5 units a letter, digits included). */
const LABEL_CHARS = 28;
const CHAR_WIDTH = 8.5;

export function BarChart(props: ChartProps & { totals?: boolean; whole?: boolean }) {
  const { ctx, id, rows, series } = props;
  const key = series[0].key;
  const fmt = props.format ?? defaultFormat(ctx);
  const top = 8;
  const bottom = top + rows.length * ROW;
  const x = valueScale(Math.max(0, ...rows.map((r) => valueOf(r, key))), [LABEL_WIDTH, WIDTH - VALUE_ROOM]);
  return (
    <ChartFrame {...props} height={bottom + FONT + 14} totals={props.totals ?? true}>
      <ValueAxis scale={x} top={top} bottom={bottom} format={fmt} whole={props.whole ?? true} />
      {rows.map((r, n) => {
        const y = top + n * ROW + (ROW - BAR) / 2;
        const value = valueOf(r, key);
        const width = Math.max(0, x(value) - LABEL_WIDTH);
        return (
          <g>
            <BarLabel y={y} label={r.label} />
            <rect x={LABEL_WIDTH} y={y} width={width} height={BAR} fill={DARK} data-row={n} data-series={key} data-value={value} />
            <text x={LABEL_WIDTH + width + 6} y={y + BAR - 5} fill={INK}>{fmt(value)}</text>
          </g>
        );
      })}
      <line x1={LABEL_WIDTH} y1={top} x2={LABEL_WIDTH} y2={bottom} stroke={INK} stroke-width="1" />
    </ChartFrame>
  );
}

// ---------------------------------------------------------------------------------------------------
// Stacked horizontal bars, with a legend and the figures written into the parts

function Patterns({ id }: { id: string }) {
  return (
    <defs>
      <pattern id={`${id}-p1`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="6" height="6" fill={MIDDLE} />
        <line x1="0" y1="0" x2="0" y2="6" stroke={DARK} stroke-width="2" />
      </pattern>
      <pattern id={`${id}-p2`} width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" fill="#ffffff" />
        <circle cx="3" cy="3" r="1.2" fill={DARK} />
      </pattern>
    </defs>
  );
}

const fillOf = (id: string, n: number) => (n === 0 ? DARK : `url(#${id}-p${Math.min(n, 2)})`);

/** Swatch, gap, an estimate of the label's width (about 0.55 em a letter) and room to the next entry. */
const legendWidth = (s: Series) => 26 + Math.ceil(s.label.length * FONT * 0.55) + 18;

/** One line of the legend; `offset` is the place of its first entry among all series (it decides the fill). */
function Legend({ id, series, y, offset }: { id: string; series: Series[]; y: number; offset: number }) {
  let x = 0;
  return (
    <g>
      {series.map((s, n) => {
        const at = x;
        x += legendWidth(s);
        return (
          <g>
            <rect x={at} y={y} width="18" height="18" fill={fillOf(id, offset + n)} stroke={INK} stroke-width="1" />
            <text x={at + 24} y={y + 14} fill={INK}>{s.label}</text>
          </g>
        );
      })}
    </g>
  );
}

/** Legend entries that do not fit on one line go on the next. */
function legendLines(series: Series[]): Series[][] {
  const lines: Series[][] = [[]];
  let used = 0;
  for (const s of series) {
    const width = legendWidth(s);
    if (used + width > WIDTH && lines[lines.length - 1].length) {
      lines.push([]);
      used = 0;
    }
    lines[lines.length - 1].push(s);
    used += width;
  }
  return lines;
}

export function StackedBarChart(props: ChartProps) {
  const { ctx, id, rows, series } = props;
  const fmt = props.format ?? defaultFormat(ctx);
  const legend = legendLines(series);
  const top = legend.length * 26 + 8;
  const bottom = top + rows.length * ROW;
  const x = valueScale(Math.max(0, ...rows.map((r) => rowTotal(r, series))), [LABEL_WIDTH, WIDTH - VALUE_ROOM]);
  const offsets = legend.map((_, line) => legend.slice(0, line).reduce((sum, l) => sum + l.length, 0));
  return (
    <ChartFrame {...props} height={bottom + FONT + 14} totals={true}>
      <Patterns id={id} />
      {legend.map((entries, line) => <Legend id={id} series={entries} y={line * 26 + 2} offset={offsets[line]} />)}
      <ValueAxis scale={x} top={top} bottom={bottom} format={fmt} whole={true} />
      {rows.map((r, n) => {
        const y = top + n * ROW + (ROW - BAR) / 2;
        const segments = stackedSegments(r, series);
        const total = rowTotal(r, series);
        return (
          <g>
            <BarLabel y={y} label={r.label} />
            {segments.map((s, k) => {
              const x0 = x(s.start);
              const width = Math.max(0, x(s.end) - x0);
              return (
                <g>
                  <rect x={x0} y={y} width={width} height={BAR} fill={fillOf(id, k)} stroke={width > 0 ? INK : 'none'} stroke-width="1"
                    data-row={n} data-series={s.key} data-value={s.value} />
                  {s.value > 0 && width >= 9 * fmt(s.value).length + 6 && (
                    <text x={x0 + width / 2} y={y + BAR - 5} text-anchor="middle" fill={k === 0 ? '#ffffff' : INK}
                      {...(k === 0 ? {} : { stroke: '#ffffff', 'stroke-width': 3, 'paint-order': 'stroke' })}>{fmt(s.value)}</text>
                  )}
                </g>
              );
            })}
            <text x={x(total) + 6} y={y + BAR - 5} fill={INK}>{fmt(total)}</text>
          </g>
        );
      })}
      <line x1={LABEL_WIDTH} y1={top} x2={LABEL_WIDTH} y2={bottom} stroke={INK} stroke-width="1" />
    </ChartFrame>
  );
}

// ---------------------------------------------------------------------------------------------------
// Lines over time: solid and dashed lines with round and square points, named at their ends

const DASHES = [undefined, '7 5', '2 4'];
const LINE_COLOURS = [DARK, '#9a4a00', '#4a4a4a'];
const PLOT = { left: 60, right: 150, top: 34, bottom: 44, height: 300 };

function Marker({ n, x, y, colour, data }: { n: number; x: number; y: number; colour: string; data: Record<string, string | number> }) {
  return n % 2 === 0
    ? <circle cx={x} cy={y} r="4.5" fill={colour} {...data} />
    : <rect x={x - 4.5} y={y - 4.5} width="9" height="9" fill={colour} {...data} />;
}

/** Which x labels to write: at most about six, always the last one. */
export function labelledPoints(count: number, most = 6): Set<number> {
  const step = Math.max(1, Math.ceil(count / most));
  const shown = new Set<number>();
  for (let i = count - 1; i >= 0; i -= step) shown.add(i);
  return shown;
}

export function LineChart(props: ChartProps) {
  const { ctx, id, rows, series } = props;
  const fmt = props.format ?? defaultFormat(ctx);
  const { left, right, top, bottom, height } = PLOT;
  const x = scalePoint<number>().domain(rows.map((_, n) => n)).range([left, WIDTH - right]).padding(0.3);
  const y = valueScale(Math.max(0, ...rows.flatMap((r) => series.map((s) => valueOf(r, s.key)))), [height - bottom, top]);
  const shown = labelledPoints(rows.length);
  // The names at the line ends, moved apart where two lines end close together.
  const ends = series.map((s, n) => ({ n, label: s.label, value: valueOf(rows[rows.length - 1] ?? { label: '' }, s.key), y: y(valueOf(rows[rows.length - 1] ?? { label: '' }, s.key)) }))
    .sort((a, b) => a.y - b.y);
  for (let i = 1; i < ends.length; i++) ends[i].y = Math.max(ends[i].y, ends[i - 1].y + FONT + 3);
  const lastX = x(rows.length - 1) ?? left;
  return (
    <ChartFrame {...props} height={height} totals={false}>
      <g>
        {series.map((s, n) => (
          <g>
            <line x1={left + n * 190} y1={12} x2={left + n * 190 + 30} y2={12} stroke={LINE_COLOURS[n % 3]} stroke-width="3" stroke-dasharray={DASHES[n % 3]} />
            <Marker n={n} x={left + n * 190 + 15} y={12} colour={LINE_COLOURS[n % 3]} data={{}} />
            <text x={left + n * 190 + 38} y={17} fill={INK}>{s.label}</text>
          </g>
        ))}
      </g>
      <g aria-hidden="true">
        {axisTicks(y, 5).map((tick) => (
          <g>
            <line x1={left} y1={y(tick)} x2={WIDTH - right + 10} y2={y(tick)} stroke={GRID} stroke-width="1" />
            <text x={left - 8} y={y(tick) + 5} text-anchor="end" fill={INK}>{formatTick(tick, ctx.lang)}</text>
          </g>
        ))}
        {rows.map((r, n) => shown.has(n) && (
          <text x={x(n)} y={height - bottom + FONT + 8} text-anchor="middle" fill={INK}>{r.label}</text>
        ))}
      </g>
      <line x1={left} y1={height - bottom} x2={WIDTH - right + 10} y2={height - bottom} stroke={INK} stroke-width="1" />
      {series.map((s, n) => {
        const path = line<ChartRow>().x((_, i) => x(i) ?? left).y((r) => y(valueOf(r, s.key)))(rows) ?? '';
        return (
          <g>
            <path d={path} fill="none" stroke={LINE_COLOURS[n % 3]} stroke-width="3" stroke-dasharray={DASHES[n % 3]} />
            {rows.map((r, i) => <Marker n={n} x={x(i) ?? left} y={y(valueOf(r, s.key))} colour={LINE_COLOURS[n % 3]}
              data={{ 'data-row': i, 'data-series': s.key, 'data-value': valueOf(r, s.key) }} />)}
          </g>
        );
      })}
      {ends.map((e) => <text x={lastX + 10} y={e.y + 5} fill={INK}>{`${e.label}: ${fmt(e.value)}`}</text>)}
    </ChartFrame>
  );
}
