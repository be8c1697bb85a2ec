/**
 * The EU procurement thresholds by validity period, chosen by the planned start of the procedure
 * (§ 3 Abs. 3 VgV: the reference date is the dispatch of the notice or the start of the procedure).
 * Values are net of VAT, in cents. § 106 GWB refers to these values "in der jeweils geltenden Fassung".
 */
export type ContractKind = 'supplies_services' | 'works' | 'social_services';

export const CONTRACT_KINDS: readonly ContractKind[] = ['supplies_services', 'works', 'social_services'];

export interface Threshold {
  kind: ContractKind;
  valueCents: number;
  /** first day of validity, YYYY-MM-DD, inclusive */
  validFrom: string;
  /** last day of validity, YYYY-MM-DD, inclusive */
  validTo: string;
  /** citation text */
  source: string;
  sourceUrl: string;
}

const REG_2026 = 'Delegierte Verordnung (EU) 2025/2152 der Kommission vom 22.10.2025 (ABl. L vom 23.10.2025) zur Änderung der Richtlinie 2014/24/EU; § 106 Abs. 2 Nr. 1 GWB';
const REG_2026_URL = 'https://eur-lex.europa.eu/eli/reg_del/2025/2152/oj';
const REG_2024 = 'Delegierte Verordnung (EU) 2023/2495 der Kommission vom 15.11.2023 zur Änderung der Richtlinie 2014/24/EU; § 106 Abs. 2 Nr. 1 GWB';
const REG_2024_URL = 'https://eur-lex.europa.eu/eli/reg_del/2023/2495/oj';
// The threshold for social and other specific services (Annex XIV) is fixed in the directive itself and not revised every two years.
const SOCIAL = 'Art. 4 Buchst. d Richtlinie 2014/24/EU (durch die Schwellenwert-Verordnungen nicht geändert); § 106 Abs. 2 Nr. 1 GWB';
const SOCIAL_URL = 'https://eur-lex.europa.eu/eli/dir/2014/24/oj';

/** Thresholds for sub-central contracting authorities (municipalities). A new period needs a new row here. */
export const THRESHOLDS: Threshold[] = [
  { kind: 'supplies_services', valueCents: 21_600_000, validFrom: '2026-01-01', validTo: '2027-12-31', source: REG_2026, sourceUrl: REG_2026_URL },
  { kind: 'works', valueCents: 540_400_000, validFrom: '2026-01-01', validTo: '2027-12-31', source: REG_2026, sourceUrl: REG_2026_URL },
  { kind: 'social_services', valueCents: 75_000_000, validFrom: '2026-01-01', validTo: '2027-12-31', source: SOCIAL, sourceUrl: SOCIAL_URL },
  { kind: 'supplies_services', valueCents: 22_100_000, validFrom: '2024-01-01', validTo: '2025-12-31', source: REG_2024, sourceUrl: REG_2024_URL },
  { kind: 'works', valueCents: 553_800_000, validFrom: '2024-01-01', validTo: '2025-12-31', source: REG_2024, sourceUrl: REG_2024_URL },
  { kind: 'social_services', valueCents: 75_000_000, validFrom: '2024-01-01', validTo: '2025-12-31', source: SOCIAL, sourceUrl: SOCIAL_URL },
];

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The threshold valid on `date` (YYYY-MM-DD) for a kind of contract; null when the table has none (or the date is not a date). */
export function thresholdFor(kind: ContractKind, date: string): Threshold | null {
  if (!isIsoDate(date)) return null;
  // ISO dates compare correctly as strings.
  return THRESHOLDS.find((t) => t.kind === kind && t.validFrom <= date && date <= t.validTo) ?? null;
}
