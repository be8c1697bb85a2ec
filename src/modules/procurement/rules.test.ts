import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { de } from '../../platform/i18n/de.js';
import { en } from '../../platform/i18n/en.js';
import { translatorFor } from '../../platform/i18n/index.js';
import { computeBundle, type Declaration } from './pricing.js';
import { procurementWarnings, warningText, type Warning, type WarningInput } from './rules.js';
import type { ContractKind } from './thresholds.js';

/** One tier: 100,00 € per unit and month, so the estimate is M · 10.000 · (T + O) + fees. */
const FLAT = [{ minQuantity: 1, unitPriceCents: 10_000 }];

interface Setup {
  demand: [quantity: number, maxQuantity?: number][];
  termMonths?: number;
  optionMonths?: number;
  feeCents?: number | null;
  kind?: ContractKind;
  plannedStart?: string;
  ownLimits?: [name: string, limitCents: number][];
}

function input(s: Setup): WarningInput {
  const termMonths = s.termMonths ?? 24;
  const optionMonths = s.optionMonths ?? 0;
  const declarations: Declaration[] = s.demand.map(([quantity, max], i) => ({
    organisationId: i + 1, organisationName: `Gemeinde ${i + 1}`, quantity, maxQuantity: max ?? null,
  }));
  return {
    figures: computeBundle({ tiers: FLAT, termMonths, optionMonths, oneTimeFeeCents: s.feeCents ?? null }, declarations),
    kind: s.kind ?? 'supplies_services',
    plannedStart: s.plannedStart ?? '2026-09-01',
    termMonths,
    optionMonths,
    ownLimits: (s.ownLimits ?? []).map(([organisationName, limitCents], i) => ({ organisationId: 100 + i, organisationName, limitCents })),
  };
}

const keys = (ws: Warning[]) => ws.map((w) => w.key.replace('procurement.rules.', ''));

function lookup(catalogue: object, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue);
}

describe('procurement-law warnings', () => {
  const rows: { name: string; setup: Setup; expect: string[]; value: number }[] = [
    {
      name: 'exactly at 216.000,00 € an EU-wide procedure is required',
      // 89 · 10.000 · 24 = 21.360.000 + fee 240.000 = 21.600.000 = threshold (≥)
      setup: { demand: [[89]], feeCents: 240_000 }, value: 21_600_000, expect: ['euProcedure'],
    },
    {
      name: 'one cent below 216.000,00 € the national rules apply',
      // 89 · 10.000 · 24 = 21.360.000 + fee 239.999 = 21.599.999 < 21.600.000
      setup: { demand: [[89]], feeCents: 239_999 }, value: 21_599_999, expect: ['nationalRules'],
    },
    {
      name: 'the bundled value counts even when every participant alone is below',
      // 3 · (30 · 10.000 · 24) = 3 · 7.200.000 = 21.600.000; each share 7.200.000 < 21.600.000
      setup: { demand: [[30], [30], [30]] }, value: 21_600_000, expect: ['euProcedureBundled'],
    },
    {
      name: 'a participant at the threshold on its own gets the plain EU warning',
      // 100 · 10.000 · 24 = 24.000.000 ≥ threshold on its own; + 10 · 10.000 · 24 = 2.400.000 → 26.400.000
      setup: { demand: [[100], [10]] }, value: 26_400_000, expect: ['euProcedure'],
    },
    {
      name: 'extension options count towards the threshold',
      // 60 · 10.000 · (24 + 12) = 21.600.000 (without options it would be 14.400.000)
      setup: { demand: [[60]], optionMonths: 12 }, value: 21_600_000, expect: ['euProcedure'],
    },
    {
      name: 'without the options the same demand stays below',
      // 60 · 10.000 · 24 = 14.400.000
      setup: { demand: [[60]] }, value: 14_400_000, expect: ['nationalRules'],
    },
    {
      name: 'maximum quantities count towards the threshold',
      // max 90 instead of 40: 90 · 10.000 · 24 = 21.600.000
      setup: { demand: [[40, 90]] }, value: 21_600_000, expect: ['euProcedure'],
    },
    {
      name: 'a procedure starting 2028-01-01 has no threshold on record: an error, never a silent pass',
      // 10 · 10.000 · 24 = 2.400.000, far below any threshold, still an error
      setup: { demand: [[10]], plannedStart: '2028-01-01' }, value: 2_400_000, expect: ['noThreshold'],
    },
    {
      name: 'in 2025 the history value 221.000 € applies: 216.000 € is below it',
      // 21.600.000 < 22.100.000; before 2026 the old NRW procurement principles apply
      setup: { demand: [[90]], plannedStart: '2025-06-01' }, value: 21_600_000, expect: ['nationalRulesBefore2026'],
    },
    {
      name: 'in 2025 exactly 221.000 € requires an EU-wide procedure',
      // 92 · 10.000 · 24 = 22.080.000 + fee 20.000 = 22.100.000
      setup: { demand: [[92]], feeCents: 20_000, plannedStart: '2025-12-31' }, value: 22_100_000, expect: ['euProcedure'],
    },
    {
      name: 'works use the works threshold (5.404.000 €)',
      // 21.600.000 < 540.400.000
      setup: { demand: [[90]], kind: 'works' }, value: 21_600_000, expect: ['nationalRules'],
    },
    {
      name: 'social services reach their threshold at 750.000 €',
      // 125 · 10.000 · 60 = 75.000.000 (and 60 months > 48)
      setup: { demand: [[125]], kind: 'social_services', termMonths: 60 }, value: 75_000_000, expect: ['euProcedure', 'frameworkTerm'],
    },
    {
      name: 'own by-law limits are checked against the whole joint value below the threshold',
      // value 2 · (30 · 10.000 · 24) = 14.400.000; limits 100.000 € and exactly 144.000 € reached, 144.000,01 € not
      setup: { demand: [[30], [30]], ownLimits: [['Altena', 10_000_000], ['Balve', 14_400_000], ['Hemer', 14_400_001]] },
      value: 14_400_000, expect: ['nationalRules', 'ownLimit', 'ownLimit'],
    },
    {
      name: 'own limits are not repeated when the EU procedure is required anyway',
      // 90 · 10.000 · 24 = 21.600.000 ≥ threshold
      setup: { demand: [[90]], ownLimits: [['Altena', 10_000_000]] }, value: 21_600_000, expect: ['euProcedure'],
    },
    {
      name: 'own limits are still checked when no threshold is on record',
      // 2.400.000 ≥ 2.500.000? no; 2.400.000 ≥ 2.000.000 yes
      setup: { demand: [[10]], plannedStart: '2028-01-01', ownLimits: [['Altena', 2_000_000], ['Balve', 2_500_000]] },
      value: 2_400_000, expect: ['noThreshold', 'ownLimit'],
    },
    {
      name: 'term plus options of exactly 48 months is fine',
      // 36 + 12 = 48; 5 · 10.000 · 48 = 2.400.000
      setup: { demand: [[5]], termMonths: 36, optionMonths: 12 }, value: 2_400_000, expect: ['nationalRules'],
    },
    {
      name: 'term plus options of 49 months warns about framework agreements',
      // 36 + 13 = 49 > 48; 5 · 10.000 · 49 = 2.450.000
      setup: { demand: [[5]], termMonths: 36, optionMonths: 13 }, value: 2_450_000, expect: ['nationalRules', 'frameworkTerm'],
    },
  ];

  for (const row of rows) {
    it(row.name, () => {
      const data = input(row.setup);
      assert.equal(data.figures.estimatedValueCents, row.value, 'estimated value');
      assert.deepEqual(keys(procurementWarnings(data)), row.expect);
    });
  }

  it('the EU warning is a warning naming § 106 GWB and § 3 VgV and the regulation it rests on', () => {
    const [w] = procurementWarnings(input({ demand: [[30], [30], [30]] }));
    assert.equal(w.level, 'warning');
    assert.match(w.rule, /§ 106 GWB/);
    assert.match(w.rule, /§ 3 VgV/);
    assert.match(w.source, /2025\/2152/);
    assert.deepEqual(w.params, { valueCents: 21_600_000, thresholdCents: 21_600_000, kind: 'supplies_services', participants: 3 });
  });

  it('the missing threshold is an error that says so in German and English', () => {
    const [w] = procurementWarnings(input({ demand: [[10]], plannedStart: '2028-01-01' }));
    assert.equal(w.level, 'error');
    const german = warningText(w, translatorFor('de'), 'de');
    assert.match(german, /^Für dieses Datum ist kein Schwellenwert hinterlegt/);
    assert.match(german, /01\.01\.2028/);
    assert.match(warningText(w, translatorFor('en'), 'en'), /No threshold is on record for this date/);
  });

  it('below the threshold the national rules are information, naming § 75a GO NRW from 2026', () => {
    const [w] = procurementWarnings(input({ demand: [[10]] }));
    assert.equal(w.level, 'info');
    assert.equal(w.rule, '§ 75a GO NRW');
    const [old] = procurementWarnings(input({ demand: [[10]], plannedStart: '2025-12-31' }));
    assert.equal(old.rule, 'Kommunale Vergabegrundsätze NRW');
  });

  it('the texts show amounts, the organisation and the months as a reader expects', () => {
    const ws = procurementWarnings(input({ demand: [[30], [30], [30]], termMonths: 48, optionMonths: 12 }));
    // 90 · 10.000 · 60 = 54.000.000
    const t = translatorFor('de');
    assert.match(warningText(ws[0], t, 'de'), /540\.000,00\u00a0€ erreicht den EU-Schwellenwert von 216\.000,00\u00a0€ für Liefer- und Dienstleistungen/);
    assert.match(warningText(ws[0], t, 'de'), /jede der 3 beteiligten Organisationen/);
    assert.match(warningText(ws[1], t, 'de'), /\(48 Monate\).*\(12 Monate\).*60 Monate.*höchstens 48 Monate/);
    assert.match(warningText(ws[0], translatorFor('en'), 'en'), /€540,000\.00 reaches the EU threshold of €216,000\.00 for supplies and services/);
    const [, own] = procurementWarnings(input({ demand: [[10]], ownLimits: [['Stadt Altena', 2_000_000]] }));
    assert.match(warningText(own, t, 'de'), /Wertgrenze von 20\.000,00\u00a0€, die Stadt Altena/);
  });

  it('every warning names its rule and source, and has a text in both languages', () => {
    const all = [
      ...procurementWarnings(input({ demand: [[30], [30], [30]], termMonths: 60 })),
      ...procurementWarnings(input({ demand: [[100]] })),
      ...procurementWarnings(input({ demand: [[10]], ownLimits: [['Altena', 1]] })),
      ...procurementWarnings(input({ demand: [[10]], plannedStart: '2025-01-01' })),
      ...procurementWarnings(input({ demand: [[10]], plannedStart: '2028-01-01' })),
    ];
    assert.deepEqual(new Set(keys(all)), new Set(['euProcedureBundled', 'frameworkTerm', 'euProcedure', 'nationalRules', 'ownLimit', 'nationalRulesBefore2026', 'noThreshold']));
    for (const w of all) {
      assert.ok(w.rule.length > 0 && w.source.length > 0, w.key);
      assert.match(w.sourceUrl, /^https:\/\//, w.key);
      for (const [catalogue, lang] of [[de, 'de'], [en, 'en']] as const) {
        assert.equal(typeof lookup(catalogue, w.key), 'string', `${lang}: ${w.key}`);
        const text = warningText(w, translatorFor(lang), lang);
        assert.doesNotMatch(text, /\{\{|\}\}|procurement\./, `${lang}: ${text}`);
      }
    }
  });
});
