import { stringify } from 'csv-stringify/sync';

/** A text cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection). */
export function spreadsheetSafe(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Whole cents as a decimal number German spreadsheets read: "1234,50" (no thousands separator, no currency sign). */
export function spreadsheetEuros(cents: number | null): string {
  if (cents === null) return '';
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** A CSV file that opens in German Excel: UTF-8 with BOM, ";" between cells, CRLF between rows. */
export function spreadsheetCsv(header: string[], rows: unknown[][]): string {
  return stringify(rows.map((r) => r.map(spreadsheetSafe)), { header: true, columns: header, delimiter: ';', bom: true, record_delimiter: 'windows' });
}
