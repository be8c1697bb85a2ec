import { spreadsheetCsv, spreadsheetEuros } from '../../platform/csv.js';
import type { T } from '../../platform/i18n/index.js';
import type { InitiativePage } from './service.js';

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
