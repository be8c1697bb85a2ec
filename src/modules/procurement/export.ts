import { spreadsheetCsv } from '../../platform/csv.js';
import type { T } from '../../platform/i18n/index.js';
import type { InitiativePage } from './service.js';

/** Whole cents as a decimal number German spreadsheets read: "1234,50" (no thousands separator, no currency sign). */
export function spreadsheetEuros(cents: number | null): string {
  if (cents === null) return '';
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

export const CSV_COLUMNS = [
  'organisation', 'quantity', 'maxQuantity', 'unitPrice', 'monthly', 'termCost', 'alonePrice', 'saving', 'oneTimeFee', 'totalCost',
] as const;

/**
 * The participants of an initiative with quantity, cost split and saving, one row each and a row of totals:
 * UTF-8 with BOM, ";" and CRLF, amounts in euros with a decimal comma, so German Excel opens it as numbers.
 */
export function initiativeCsv(page: InitiativePage, t: T): string {
  const { figures } = page;
  const header = CSV_COLUMNS.map((c) => t(`procurement.csv.${c}`));
  const rows: unknown[][] = figures.participants.map((p) => [
    p.organisationName, p.quantity, p.maxQuantity ?? '', spreadsheetEuros(figures.unitPriceCents), spreadsheetEuros(p.monthlyCents),
    spreadsheetEuros(p.termCents), spreadsheetEuros(p.aloneUnitPriceCents), spreadsheetEuros(p.savingCents), spreadsheetEuros(p.oneTimeFeeCents),
    spreadsheetEuros(p.totalCents),
  ]);
  rows.push([
    t('procurement.columns.total'), figures.totalQuantity, figures.maxQuantity, spreadsheetEuros(figures.unitPriceCents),
    spreadsheetEuros(figures.participants.reduce((s, p) => s + p.monthlyCents, 0)),
    spreadsheetEuros(figures.participants.reduce((s, p) => s + p.termCents, 0)), '',
    spreadsheetEuros(figures.totalSavingCents), spreadsheetEuros(figures.participants.reduce((s, p) => s + p.oneTimeFeeCents, 0)),
    spreadsheetEuros(figures.totalCostCents),
  ]);
  return spreadsheetCsv(header, rows);
}
