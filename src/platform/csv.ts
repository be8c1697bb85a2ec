import { stringify } from 'csv-stringify/sync';

/** A text cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection). */
export function spreadsheetSafe(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A CSV file that opens in German Excel: UTF-8 with BOM, ";" between cells, CRLF between rows. */
export function spreadsheetCsv(header: string[], rows: unknown[][]): string {
  return stringify(rows.map((r) => r.map(spreadsheetSafe)), { header: true, columns: header, delimiter: ';', bom: true, record_delimiter: 'windows' });
}
