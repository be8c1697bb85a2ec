import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scaleLinear } from 'd3-scale';
import { render } from 'preact-render-to-string';
import { formatNumber, translatorFor } from '../../platform/i18n/index.js';
import type { ViewContext } from '../../platform/views/context.js';
import { BarChart, StackedBarChart, axisTicks, fitTicks, labelledPoints, rowTotal, stackedSegments } from './charts.js';
import { quarterOf, quartersBetween } from './service.js';

describe('chart helpers', () => {
  const ctx = { t: translatorFor('de'), lang: 'de' } as ViewContext;
  const series = [{ key: 'a', label: 'A' }, { key: 'b', label: 'B' }];

  it('puts timestamps and months into quarters of Berlin time', () => {
    assert.equal(quarterOf('2026-03-31T21:59:59.000Z'), '2026-Q1');
    assert.equal(quarterOf('2026-03-31T22:00:00.000Z'), '2026-Q2', 'already 1 April in Berlin');
    assert.equal(quarterOf('2025-12'), '2025-Q4');
    assert.deepEqual(quartersBetween('2025-Q3', '2026-Q2'), ['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']);
  });

  it('stacks the parts of a bar one after the other', () => {
    const row = { label: 'x', a: 3, b: 4 };
    assert.deepEqual(stackedSegments(row, series), [{ key: 'a', value: 3, start: 0, end: 3 }, { key: 'b', value: 4, start: 3, end: 7 }]);
    assert.equal(rowTotal(row, series), 7);
  });

  it('writes whole-number ticks in German and labels at most six points on a time axis', () => {
    assert.deepEqual(axisTicks(scaleLinear().domain([0, 3]).nice()), [0, 1, 2, 3]);
    const html = render(<BarChart ctx={ctx} id="x" title="T" description="D" labelHeader="L" series={[series[0]]} rows={[{ label: 'viel', a: 12000 }]} />);
    assert.match(html, />12\.000</);
    // Long euro amounts: every other tick goes until they no longer overlap; short counts all stay.
    const euro = (v: number) => `${formatNumber(v, 'de')},00 €`;
    assert.deepEqual(fitTicks([0, 5000, 10000, 15000, 20000], euro, 270), [0, 10000, 20000]);
    assert.deepEqual(fitTicks([0, 1, 2, 3], (v) => String(v), 270), [0, 1, 2, 3]);
    assert.deepEqual([...labelledPoints(20)].sort((p, q) => p - q), [3, 7, 11, 15, 19]);
  });

  it('cuts a long bar label to fit and keeps its whole text as a tooltip', () => {
    const rows = [{ label: 'Verteidigung und Katastrophenschutz', a: 2 }, { label: 'Bildung', a: 1 }];
    const html = render(<BarChart ctx={ctx} id="x" title="T" description="D" labelHeader="L" series={[series[0]]} rows={rows} />);
    assert.match(html, /<text[^>]*><title>Verteidigung und Katastrophenschutz<\/title>Verteidigung und Katastroph…<\/text>/);
    assert.match(html, /<text[^>]*>Bildung<\/text>/, 'a label that fits has no tooltip');
  });

  it('shows "Noch keine Daten" instead of an empty chart', () => {
    const html = render(<StackedBarChart ctx={ctx} id="x" title="T" description="D" labelHeader="L" series={series} rows={[{ label: 'Q1', a: 0, b: 0 }]} />);
    assert.match(html, /Noch keine Daten/);
    assert.doesNotMatch(html, /<svg/);
    assert.doesNotMatch(html, /<table/);
  });
});
