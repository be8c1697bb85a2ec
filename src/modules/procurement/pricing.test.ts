import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { de } from '../../platform/i18n/de.js';
import { en } from '../../platform/i18n/en.js';
import {
  computeBundle, formatCents, parseEuroToCents, unitPrice, validateTiers,
  type BundleFigures, type Declaration, type ParticipantFigures, type Terms, type Tier,
} from './pricing.js';

/** 10,00 € from 1 unit, 9,00 € from 50, 8,00 € from 100, 7,00 € from 250 (net per unit and month). */
const TIERS: Tier[] = [
  { minQuantity: 1, unitPriceCents: 1000 },
  { minQuantity: 50, unitPriceCents: 900 },
  { minQuantity: 100, unitPriceCents: 800 },
  { minQuantity: 250, unitPriceCents: 700 },
];

let nextId = 1;
function org(name: string, quantity: number, maxQuantity: number | null = null): Declaration {
  return { organisationId: nextId++, organisationName: name, quantity, maxQuantity };
}

function lookup(catalogue: object, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue);
}

type Expected = Omit<ParticipantFigures, 'organisationId' | 'organisationName' | 'quantity' | 'maxQuantity'>;

describe('unit price by tier', () => {
  const rows: { quantity: number; price: number | null; why: string }[] = [
    { quantity: 0, price: null, why: 'no units: below the first tier (minimum 1)' },
    { quantity: 1, price: 1000, why: 'exactly the first minimum' },
    { quantity: 49, price: 1000, why: 'one below the second minimum stays at 10,00 €' },
    { quantity: 50, price: 900, why: 'exactly at the second minimum' },
    { quantity: 99, price: 900, why: 'one below 100' },
    { quantity: 100, price: 800, why: 'exactly at 100' },
    { quantity: 249, price: 800, why: 'one below 250' },
    { quantity: 250, price: 700, why: 'exactly at the top tier' },
    { quantity: 100_000, price: 700, why: 'far above the top tier keeps its price' },
  ];
  for (const row of rows) {
    it(`${row.quantity} units cost ${row.price ?? 'no price'} (${row.why})`, () => {
      assert.equal(unitPrice(TIERS, row.quantity), row.price);
    });
  }

  it('a quantity below a first tier that starts above 1 has no price', () => {
    assert.equal(unitPrice([{ minQuantity: 10, unitPriceCents: 500 }], 9), null);
    assert.equal(unitPrice([{ minQuantity: 10, unitPriceCents: 500 }], 10), 500);
  });
});

describe('bundled figures', () => {
  const rows: {
    name: string; terms: Terms; declarations: Declaration[];
    expect: Omit<BundleFigures, 'participants'> & { participants: Expected[] };
  }[] = [
    {
      name: 'a single participant pays its own tier price and saves nothing',
      // Q = 60 → p(60) = 9,00 €; monthly 60·900 = 54.000; term ·24 = 1.296.000; alone p(60) = 900 → saving 0
      // next tier 100 → 40 missing; M = 60 → estimate 60·900·(24+0) = 1.296.000
      terms: { tiers: TIERS, termMonths: 24, optionMonths: 0, oneTimeFeeCents: null },
      declarations: [org('Altena', 60)],
      expect: {
        totalQuantity: 60, unitPriceCents: 900, nextTier: { minQuantity: 100, unitPriceCents: 800, missing: 40 },
        participants: [{ monthlyCents: 54_000, termCents: 1_296_000, aloneUnitPriceCents: 900, savingCents: 0, oneTimeFeeCents: 0, totalCents: 1_296_000, estimatedShareCents: 1_296_000 }],
        totalCostCents: 1_296_000, totalSavingCents: 0, savingPercent: 0,
        maxQuantity: 60, maxUnitPriceCents: 900, estimatedValueCents: 1_296_000,
      },
    },
    {
      name: 'three participants reach the 100-unit tier exactly at its minimum',
      // Q = 30+45+25 = 100 → p(100) = 8,00 €; each alone < 50 → 10,00 €; T = 36
      // A: 30·800 = 24.000/month, ·36 = 864.000; saving 30·(1000−800)·36 = 216.000
      // B: 45·800 = 36.000, ·36 = 1.296.000; saving 45·200·36 = 324.000
      // C: 25·800 = 20.000, ·36 = 720.000; saving 25·200·36 = 180.000
      // cost 2.880.000, saving 720.000 → 720.000 / (2.880.000+720.000) = 20,0 %; next tier 250 → 150 missing
      terms: { tiers: TIERS, termMonths: 36, optionMonths: 0, oneTimeFeeCents: null },
      declarations: [org('Altena', 30), org('Balve', 45), org('Hemer', 25)],
      expect: {
        totalQuantity: 100, unitPriceCents: 800, nextTier: { minQuantity: 250, unitPriceCents: 700, missing: 150 },
        participants: [
          { monthlyCents: 24_000, termCents: 864_000, aloneUnitPriceCents: 1000, savingCents: 216_000, oneTimeFeeCents: 0, totalCents: 864_000, estimatedShareCents: 864_000 },
          { monthlyCents: 36_000, termCents: 1_296_000, aloneUnitPriceCents: 1000, savingCents: 324_000, oneTimeFeeCents: 0, totalCents: 1_296_000, estimatedShareCents: 1_296_000 },
          { monthlyCents: 20_000, termCents: 720_000, aloneUnitPriceCents: 1000, savingCents: 180_000, oneTimeFeeCents: 0, totalCents: 720_000, estimatedShareCents: 720_000 },
        ],
        totalCostCents: 2_880_000, totalSavingCents: 720_000, savingPercent: 20,
        maxQuantity: 100, maxUnitPriceCents: 800, estimatedValueCents: 2_880_000,
      },
    },
    {
      name: 'one unit below the 100-unit tier the bundle pays 9,00 € and is told 1 unit is missing',
      // Q = 30+45+24 = 99 → p(99) = 9,00 €; T = 36
      // A: 30·900 = 27.000, ·36 = 972.000; saving 30·100·36 = 108.000
      // B: 45·900 = 40.500, ·36 = 1.458.000; saving 45·100·36 = 162.000
      // C: 24·900 = 21.600, ·36 = 777.600; saving 24·100·36 = 86.400
      // cost 3.207.600, saving 356.400 → 356.400 / 3.564.000 = 10,0 %
      terms: { tiers: TIERS, termMonths: 36, optionMonths: 0, oneTimeFeeCents: null },
      declarations: [org('Altena', 30), org('Balve', 45), org('Hemer', 24)],
      expect: {
        totalQuantity: 99, unitPriceCents: 900, nextTier: { minQuantity: 100, unitPriceCents: 800, missing: 1 },
        participants: [
          { monthlyCents: 27_000, termCents: 972_000, aloneUnitPriceCents: 1000, savingCents: 108_000, oneTimeFeeCents: 0, totalCents: 972_000, estimatedShareCents: 972_000 },
          { monthlyCents: 40_500, termCents: 1_458_000, aloneUnitPriceCents: 1000, savingCents: 162_000, oneTimeFeeCents: 0, totalCents: 1_458_000, estimatedShareCents: 1_458_000 },
          { monthlyCents: 21_600, termCents: 777_600, aloneUnitPriceCents: 1000, savingCents: 86_400, oneTimeFeeCents: 0, totalCents: 777_600, estimatedShareCents: 777_600 },
        ],
        totalCostCents: 3_207_600, totalSavingCents: 356_400, savingPercent: 10,
        maxQuantity: 99, maxUnitPriceCents: 900, estimatedValueCents: 3_207_600,
      },
    },
    {
      name: 'options, maximum quantities and a one-time fee enter the estimate but not the running cost',
      // T = 24, O = 12, fee 500,00 €. Q = 40+70 = 110 → p = 8,00 €; M = 60+70 = 130 → p(M) = 8,00 €
      // A: 40·800 = 32.000, ·24 = 768.000; alone p(40) = 1000 → saving 40·200·24 = 192.000; total 768.000+50.000 = 818.000
      //    share 60·800·(24+12) + 50.000 = 1.728.000 + 50.000 = 1.778.000
      // B: 70·800 = 56.000, ·24 = 1.344.000; alone p(70) = 900 → saving 70·100·24 = 168.000; total 1.394.000
      //    share 70·800·36 + 50.000 = 2.016.000 + 50.000 = 2.066.000
      // cost 2.212.000, saving 360.000 → 360.000 / 2.572.000 = 13,997 % → 14,0 %; estimate 3.844.000
      terms: { tiers: TIERS, termMonths: 24, optionMonths: 12, oneTimeFeeCents: 50_000 },
      declarations: [org('Altena', 40, 60), org('Balve', 70)],
      expect: {
        totalQuantity: 110, unitPriceCents: 800, nextTier: { minQuantity: 250, unitPriceCents: 700, missing: 140 },
        participants: [
          { monthlyCents: 32_000, termCents: 768_000, aloneUnitPriceCents: 1000, savingCents: 192_000, oneTimeFeeCents: 50_000, totalCents: 818_000, estimatedShareCents: 1_778_000 },
          { monthlyCents: 56_000, termCents: 1_344_000, aloneUnitPriceCents: 900, savingCents: 168_000, oneTimeFeeCents: 50_000, totalCents: 1_394_000, estimatedShareCents: 2_066_000 },
        ],
        totalCostCents: 2_212_000, totalSavingCents: 360_000, savingPercent: 14,
        maxQuantity: 130, maxUnitPriceCents: 800, estimatedValueCents: 3_844_000,
      },
    },
    {
      name: 'maximum quantities reaching a cheaper tier price the estimate at that tier',
      // Q = 100 → p = 8,00 €; M = 250 → p(M) = 7,00 €; T = 12, O = 0
      // monthly 100·800 = 80.000, ·12 = 960.000; alone = p(100) = 800 → saving 0
      // estimate 250·700·12 = 2.100.000
      terms: { tiers: TIERS, termMonths: 12, optionMonths: 0, oneTimeFeeCents: null },
      declarations: [org('Altena', 100, 250)],
      expect: {
        totalQuantity: 100, unitPriceCents: 800, nextTier: { minQuantity: 250, unitPriceCents: 700, missing: 150 },
        participants: [{ monthlyCents: 80_000, termCents: 960_000, aloneUnitPriceCents: 800, savingCents: 0, oneTimeFeeCents: 0, totalCents: 960_000, estimatedShareCents: 2_100_000 }],
        totalCostCents: 960_000, totalSavingCents: 0, savingPercent: 0,
        maxQuantity: 250, maxUnitPriceCents: 700, estimatedValueCents: 2_100_000,
      },
    },
    {
      name: 'at the top tier there is no next tier',
      // Q = 200+100 = 300 → p = 7,00 €; T = 12; A alone p(200) = 800 → 200·100·12 = 240.000; B alone p(100) = 800 → 100·100·12 = 120.000
      // A 200·700 = 140.000, ·12 = 1.680.000; B 100·700 = 70.000, ·12 = 840.000; cost 2.520.000
      // 360.000 / 2.880.000 = 12,5 %
      terms: { tiers: TIERS, termMonths: 12, optionMonths: 0, oneTimeFeeCents: null },
      declarations: [org('Altena', 200), org('Balve', 100)],
      expect: {
        totalQuantity: 300, unitPriceCents: 700, nextTier: null,
        participants: [
          { monthlyCents: 140_000, termCents: 1_680_000, aloneUnitPriceCents: 800, savingCents: 240_000, oneTimeFeeCents: 0, totalCents: 1_680_000, estimatedShareCents: 1_680_000 },
          { monthlyCents: 70_000, termCents: 840_000, aloneUnitPriceCents: 800, savingCents: 120_000, oneTimeFeeCents: 0, totalCents: 840_000, estimatedShareCents: 840_000 },
        ],
        totalCostCents: 2_520_000, totalSavingCents: 360_000, savingPercent: 12.5,
        maxQuantity: 300, maxUnitPriceCents: 700, estimatedValueCents: 2_520_000,
      },
    },
    {
      name: 'below the first tier there is no price, no cost and no saving, only the distance to the first tier',
      // tiers start at 10 units; Q = 5 → no price; first tier 10 → 5 missing; only the fee 100,00 € remains
      terms: { tiers: [{ minQuantity: 10, unitPriceCents: 500 }, { minQuantity: 20, unitPriceCents: 400 }], termMonths: 12, optionMonths: 0, oneTimeFeeCents: 10_000 },
      declarations: [org('Altena', 5)],
      expect: {
        totalQuantity: 5, unitPriceCents: null, nextTier: { minQuantity: 10, unitPriceCents: 500, missing: 5 },
        participants: [{ monthlyCents: 0, termCents: 0, aloneUnitPriceCents: null, savingCents: 0, oneTimeFeeCents: 10_000, totalCents: 10_000, estimatedShareCents: 10_000 }],
        totalCostCents: 10_000, totalSavingCents: 0, savingPercent: 0,
        maxQuantity: 5, maxUnitPriceCents: null, estimatedValueCents: 10_000,
      },
    },
    {
      name: 'no declarations yet: everything is zero and the first tier is 1 unit away',
      terms: { tiers: TIERS, termMonths: 24, optionMonths: 12, oneTimeFeeCents: 50_000 },
      declarations: [],
      expect: {
        totalQuantity: 0, unitPriceCents: null, nextTier: { minQuantity: 1, unitPriceCents: 1000, missing: 1 },
        participants: [], totalCostCents: 0, totalSavingCents: 0, savingPercent: 0,
        maxQuantity: 0, maxUnitPriceCents: null, estimatedValueCents: 0,
      },
    },
  ];

  for (const row of rows) {
    it(row.name, () => {
      const figures = computeBundle(row.terms, row.declarations);
      const { participants, ...totals } = figures;
      const { participants: expectedParticipants, ...expectedTotals } = row.expect;
      assert.deepEqual(totals, expectedTotals);
      assert.deepEqual(
        participants.map(({ organisationId, organisationName, quantity, maxQuantity, ...rest }) => rest),
        expectedParticipants,
      );
      assert.deepEqual(
        participants.map((p) => [p.organisationId, p.organisationName, p.quantity, p.maxQuantity]),
        row.declarations.map((d) => [d.organisationId, d.organisationName, d.quantity, d.maxQuantity]),
      );
    });
  }

  const percentRows: { tiers: Tier[]; quantities: number[]; percent: number; why: string }[] = [
    // each alone 3,00 €, together 2,00 €: cost 2·200 = 400, saving 2·100 = 200 → 200/600 = 33,33 % → 33,3
    { tiers: [{ minQuantity: 1, unitPriceCents: 300 }, { minQuantity: 2, unitPriceCents: 200 }], quantities: [1, 1], percent: 33.3, why: 'rounds 33,33 down' },
    // together 1,00 €: cost 200, saving 400 → 400/600 = 66,67 % → 66,7
    { tiers: [{ minQuantity: 1, unitPriceCents: 300 }, { minQuantity: 2, unitPriceCents: 100 }], quantities: [1, 1], percent: 66.7, why: 'rounds 66,67 up' },
    // together 19,99 € instead of 20,00 €: cost 3.998, saving 2 → 2/4.000 = 0,05 % → 0,1
    { tiers: [{ minQuantity: 1, unitPriceCents: 2000 }, { minQuantity: 2, unitPriceCents: 1999 }], quantities: [1, 1], percent: 0.1, why: 'rounds exactly half up' },
    // free at 2 units: cost 0, saving 2·500 = 1.000 → 1.000/1.000 = 100 %
    { tiers: [{ minQuantity: 1, unitPriceCents: 500 }, { minQuantity: 2, unitPriceCents: 0 }], quantities: [1, 1], percent: 100, why: 'everything saved' },
  ];
  for (const row of percentRows) {
    it(`saving percent ${row.percent} (${row.why})`, () => {
      const figures = computeBundle({ tiers: row.tiers, termMonths: 1, optionMonths: 0, oneTimeFeeCents: null }, row.quantities.map((q, i) => org(`Org ${i}`, q)));
      assert.equal(figures.savingPercent, row.percent);
    });
  }

  it('refuses figures too large to compute exactly instead of returning a rounded amount', () => {
    // 1.000.000.000 units · 1.000.000.000 cents · 1.000 months = 10^21 > 2^53
    assert.throws(
      () => computeBundle({ tiers: [{ minQuantity: 1, unitPriceCents: 1_000_000_000 }], termMonths: 1000, optionMonths: 0, oneTimeFeeCents: null }, [org('Altena', 1_000_000_000)]),
      /not a safe integer/,
    );
  });

  it('refuses fractional or negative quantities and a maximum below the quantity', () => {
    const terms: Terms = { tiers: TIERS, termMonths: 12, optionMonths: 0, oneTimeFeeCents: null };
    assert.throws(() => computeBundle(terms, [org('Altena', 1.5)]), /quantity/);
    assert.throws(() => computeBundle(terms, [org('Altena', -1)]), /quantity/);
    assert.throws(() => computeBundle(terms, [org('Altena', 10, 9)]), /maxQuantity/);
    assert.throws(() => computeBundle({ ...terms, termMonths: 1.5 }, [org('Altena', 10)]), /termMonths/);
  });
});

describe('checking price tiers', () => {
  const rows: { name: string; tiers: Tier[]; problems: string[] }[] = [
    { name: 'a falling price list is fine', tiers: TIERS, problems: [] },
    { name: 'a single tier from 1 unit is fine', tiers: [{ minQuantity: 1, unitPriceCents: 1000 }], problems: [] },
    { name: 'equal prices on consecutive tiers are fine (never rising)', tiers: [{ minQuantity: 1, unitPriceCents: 900 }, { minQuantity: 50, unitPriceCents: 900 }], problems: [] },
    { name: 'a free top tier is fine', tiers: [{ minQuantity: 1, unitPriceCents: 900 }, { minQuantity: 50, unitPriceCents: 0 }], problems: [] },
    { name: 'no tiers at all', tiers: [], problems: ['procurement.validation.tiersEmpty'] },
    { name: 'the first minimum is not 1', tiers: [{ minQuantity: 2, unitPriceCents: 1000 }], problems: ['procurement.validation.tierFirstMinimum'] },
    { name: 'two tiers with the same minimum', tiers: [{ minQuantity: 1, unitPriceCents: 1000 }, { minQuantity: 50, unitPriceCents: 900 }, { minQuantity: 50, unitPriceCents: 800 }], problems: ['procurement.validation.tierMinimumsIncreasing'] },
    { name: 'a falling minimum', tiers: [{ minQuantity: 1, unitPriceCents: 1000 }, { minQuantity: 50, unitPriceCents: 900 }, { minQuantity: 40, unitPriceCents: 800 }], problems: ['procurement.validation.tierMinimumsIncreasing'] },
    { name: 'a rising price', tiers: [{ minQuantity: 1, unitPriceCents: 900 }, { minQuantity: 50, unitPriceCents: 1000 }], problems: ['procurement.validation.tierPricesRising'] },
    { name: 'a price with a fraction of a cent (9,995 €)', tiers: [{ minQuantity: 1, unitPriceCents: 999.5 }], problems: ['procurement.validation.tierPriceWholeCents'] },
    { name: 'a negative price', tiers: [{ minQuantity: 1, unitPriceCents: -100 }], problems: ['procurement.validation.tierPriceNegative'] },
    { name: 'a fractional minimum', tiers: [{ minQuantity: 1, unitPriceCents: 1000 }, { minQuantity: 2.5, unitPriceCents: 900 }], problems: ['procurement.validation.tierMinimumWhole'] },
    {
      name: 'every problem at once is reported once each',
      tiers: [{ minQuantity: 0, unitPriceCents: 900 }, { minQuantity: 0, unitPriceCents: 1000 }],
      problems: ['procurement.validation.tierFirstMinimum', 'procurement.validation.tierMinimumWhole', 'procurement.validation.tierMinimumsIncreasing', 'procurement.validation.tierPricesRising'],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      assert.deepEqual(validateTiers(row.tiers), row.problems);
    });
  }

  it('a price typed with three decimals is refused before it becomes a tier', () => {
    assert.equal(parseEuroToCents('9,995'), null);
  });

  it('every problem has a German and an English message', () => {
    const keys = new Set(rows.flatMap((r) => r.problems));
    for (const key of keys) {
      assert.equal(typeof lookup(de, key), 'string', `de: ${key}`);
      assert.equal(typeof lookup(en, key), 'string', `en: ${key}`);
    }
  });
});

describe('reading euro amounts typed in German', () => {
  const rows: { input: string; cents: number | null }[] = [
    { input: '12', cents: 1200 },
    { input: '0', cents: 0 },
    { input: '0,01', cents: 1 },
    { input: '12,5', cents: 1250 }, // one decimal means tens of cents
    { input: '1234,56', cents: 123_456 },
    { input: '1.234,56', cents: 123_456 },
    { input: '1.234.567,89', cents: 123_456_789 },
    { input: '1.500', cents: 150_000 }, // a point groups thousands
    { input: ' 1.234,56 € ', cents: 123_456 },
    { input: '€ 216.000', cents: 21_600_000 },
    { input: '216000 EUR', cents: 21_600_000 },
    { input: '12,345', cents: null }, // fraction of a cent
    { input: '9,995', cents: null },
    { input: '12.50', cents: null }, // an English decimal point would be misread as thousands: refused
    { input: '1234.56', cents: null },
    { input: '1.23', cents: null },
    { input: '12.3456', cents: null },
    { input: '-5', cents: null },
    { input: '', cents: null },
    { input: 'zwölf', cents: null },
    { input: '12,', cents: null },
    { input: ',50', cents: null },
    { input: '1,2,3', cents: null },
    { input: '99999999999999999999', cents: null }, // beyond exact integer range
  ];
  for (const row of rows) {
    it(`"${row.input}" → ${row.cents ?? 'refused'}`, () => {
      assert.equal(parseEuroToCents(row.input), row.cents);
    });
  }
});

describe('showing amounts', () => {
  const rows: { cents: number; de: string; en: string }[] = [
    { cents: 0, de: '0,00\u00a0€', en: '€0.00' },
    { cents: 5, de: '0,05\u00a0€', en: '€0.05' },
    { cents: 123_456, de: '1.234,56\u00a0€', en: '€1,234.56' },
    { cents: 21_600_000, de: '216.000,00\u00a0€', en: '€216,000.00' },
    { cents: -1_250, de: '-12,50\u00a0€', en: '-€12.50' },
    { cents: Number.MAX_SAFE_INTEGER, de: '90.071.992.547.409,91\u00a0€', en: '€90,071,992,547,409.91' }, // exact, no float rounding
  ];
  for (const row of rows) {
    it(`${row.cents} cents read "${row.de}" and "${row.en}"`, () => {
      assert.equal(formatCents(row.cents, 'de'), row.de);
      assert.equal(formatCents(row.cents, 'en'), row.en);
    });
  }
  it('refuses a fraction of a cent', () => {
    assert.throws(() => formatCents(0.5, 'de'), /not a safe integer/);
  });
});
