import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTRACT_KINDS, THRESHOLDS, thresholdFor, type ContractKind } from './thresholds.js';

describe('EU thresholds by planned procedure start', () => {
  const rows: { kind: ContractKind; date: string; cents: number | null; why: string }[] = [
    { kind: 'supplies_services', date: '2026-01-01', cents: 21_600_000, why: 'first day of 2026–27: 216.000 €' },
    { kind: 'supplies_services', date: '2026-07-15', cents: 21_600_000, why: 'within 2026–27' },
    { kind: 'supplies_services', date: '2027-12-31', cents: 21_600_000, why: 'last day of 2026–27' },
    { kind: 'supplies_services', date: '2025-12-31', cents: 22_100_000, why: 'last day of 2024–25: 221.000 €' },
    { kind: 'supplies_services', date: '2024-01-01', cents: 22_100_000, why: 'first day of 2024–25' },
    { kind: 'works', date: '2026-03-01', cents: 540_400_000, why: 'works 2026–27: 5.404.000 €' },
    { kind: 'works', date: '2025-03-01', cents: 553_800_000, why: 'works 2024–25: 5.538.000 €' },
    { kind: 'social_services', date: '2026-03-01', cents: 75_000_000, why: 'social services 2026–27: 750.000 €' },
    { kind: 'social_services', date: '2025-03-01', cents: 75_000_000, why: 'social services 2024–25: unchanged 750.000 €' },
    { kind: 'supplies_services', date: '2028-01-01', cents: null, why: 'the day after the table ends: nothing on record' },
    { kind: 'works', date: '2028-01-01', cents: null, why: 'works after the table ends' },
    { kind: 'social_services', date: '2028-01-01', cents: null, why: 'social services after the table ends' },
    { kind: 'supplies_services', date: '2023-12-31', cents: null, why: 'before the table starts' },
    { kind: 'supplies_services', date: '2026-02-30', cents: null, why: 'not a calendar date' },
    { kind: 'supplies_services', date: '01.01.2026', cents: null, why: 'not written YYYY-MM-DD' },
    { kind: 'supplies_services', date: '', cents: null, why: 'no date' },
  ];
  for (const row of rows) {
    it(`${row.kind} on "${row.date}" → ${row.cents ?? 'none'} (${row.why})`, () => {
      assert.equal(thresholdFor(row.kind, row.date)?.valueCents ?? null, row.cents);
    });
  }

  it('the 2026–27 values cite Delegated Regulation (EU) 2025/2152 and link to it', () => {
    for (const kind of ['supplies_services', 'works'] as const) {
      const t = thresholdFor(kind, '2026-06-01');
      assert.match(t?.source ?? '', /2025\/2152/);
      assert.match(t?.sourceUrl ?? '', /2025\/2152/);
    }
  });

  it('each kind has at most one threshold on any day, each value in whole cents with a source', () => {
    for (const kind of CONTRACT_KINDS) {
      const periods = THRESHOLDS.filter((t) => t.kind === kind).sort((a, b) => a.validFrom.localeCompare(b.validFrom));
      assert.ok(periods.length >= 2, `${kind} has its current value and its history`);
      for (let i = 1; i < periods.length; i++) {
        assert.ok(periods[i - 1].validTo < periods[i].validFrom, `${kind}: periods overlap`);
      }
    }
    for (const t of THRESHOLDS) {
      assert.ok(Number.isSafeInteger(t.valueCents) && t.valueCents > 0);
      assert.ok(t.validFrom <= t.validTo);
      assert.ok(t.source.length > 0);
      assert.match(t.sourceUrl, /^https:\/\//);
    }
  });
});
