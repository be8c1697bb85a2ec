/**
 * The figures of a joint procurement, computed exactly in whole euro cents.
 * Pure and deterministic: no database, no clock. Every result is checked to be a safe integer.
 */

/** One step of a vendor's price list: from `minQuantity` units on, every unit costs `unitPriceCents` net per month. */
export interface Tier { minQuantity: number; unitPriceCents: number }

/** One organisation's declared demand; `maxQuantity` is the most it may call off (null: the quantity itself). */
export interface Declaration { organisationId: number; organisationName: string; quantity: number; maxQuantity: number | null }

/** The commercial terms of an initiative: price tiers, contract term and extension options in months, one-time fee per organisation. */
export interface Terms { tiers: Tier[]; termMonths: number; optionMonths: number; oneTimeFeeCents: number | null }

export interface ParticipantFigures {
  organisationId: number;
  organisationName: string;
  quantity: number;
  maxQuantity: number | null;
  /** qᵢ · p(Q) */
  monthlyCents: number;
  /** qᵢ · p(Q) · T */
  termCents: number;
  /** p(qᵢ); null if its quantity reaches no tier */
  aloneUnitPriceCents: number | null;
  /** qᵢ · (p(qᵢ) − p(Q)) · T; 0 when either price is unknown */
  savingCents: number;
  oneTimeFeeCents: number;
  /** termCents + oneTimeFeeCents */
  totalCents: number;
  /** mᵢ · p(M) · (T + O) + its one-time fee: its part of the estimated contract value */
  estimatedShareCents: number;
}

export interface BundleFigures {
  /** Q = Σ qᵢ */
  totalQuantity: number;
  /** p(Q); null: below the first tier */
  unitPriceCents: number | null;
  nextTier: { minQuantity: number; unitPriceCents: number; missing: number } | null;
  participants: ParticipantFigures[];
  /** Σ (qᵢ · p(Q) · T + fee) */
  totalCostCents: number;
  /** Σ savingCents */
  totalSavingCents: number;
  /** totalSaving / (totalCost + totalSaving) in percent, rounded half up to 1 decimal; 0 if no cost */
  savingPercent: number;
  /** M = Σ mᵢ */
  maxQuantity: number;
  /** p(M); null: below the first tier */
  maxUnitPriceCents: number | null;
  /** Σ mᵢ · p(M) · (T + O) + Σ one-time fees (§ 3 VgV) */
  estimatedValueCents: number;
}

/** Throws when a figure leaves the range where integer arithmetic on numbers is exact. */
function safe(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`Procurement figure "${what}" is not a safe integer (${value}); the inputs are too large to compute exactly.`);
  }
  return value;
}

function wholeNumber(value: number, min: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`Procurement input "${what}" must be a whole number of at least ${min}, got ${value}.`);
  }
  return value;
}

/** The i18n keys of every problem with a list of tiers; [] when it can be used. */
export function validateTiers(tiers: Tier[]): string[] {
  const problems = new Set<string>();
  if (tiers.length === 0) return ['procurement.validation.tiersEmpty'];
  if (tiers[0].minQuantity !== 1) problems.add('procurement.validation.tierFirstMinimum');
  tiers.forEach((tier, i) => {
    if (!Number.isSafeInteger(tier.minQuantity) || tier.minQuantity < 1) problems.add('procurement.validation.tierMinimumWhole');
    if (!Number.isSafeInteger(tier.unitPriceCents)) problems.add('procurement.validation.tierPriceWholeCents');
    else if (tier.unitPriceCents < 0) problems.add('procurement.validation.tierPriceNegative');
    if (i > 0) {
      const before = tiers[i - 1];
      if (!(tier.minQuantity > before.minQuantity)) problems.add('procurement.validation.tierMinimumsIncreasing');
      if (tier.unitPriceCents > before.unitPriceCents) problems.add('procurement.validation.tierPricesRising');
    }
  });
  return [...problems];
}

/** p(q): the price of the highest tier whose minimum is at most `quantity`; null below the first tier. */
export function unitPrice(tiers: Tier[], quantity: number): number | null {
  let best: Tier | null = null;
  for (const tier of tiers) {
    if (tier.minQuantity <= quantity && (best === null || tier.minQuantity > best.minQuantity)) best = tier;
  }
  return best === null ? null : best.unitPriceCents;
}

/** The lowest tier above `quantity` and how many units are missing to reach it; null at the top tier. */
function nextTierAbove(tiers: Tier[], quantity: number): BundleFigures['nextTier'] {
  let next: Tier | null = null;
  for (const tier of tiers) {
    if (tier.minQuantity > quantity && (next === null || tier.minQuantity < next.minQuantity)) next = tier;
  }
  return next === null ? null : { minQuantity: next.minQuantity, unitPriceCents: next.unitPriceCents, missing: safe(next.minQuantity - quantity, 'missing') };
}

/** Rounds numerator/denominator·100 half up to one decimal, exactly (bigint). */
function percentOneDecimal(numerator: number, denominator: number): number {
  if (denominator <= 0) return 0;
  const n = BigInt(numerator) * 1000n;
  const d = BigInt(denominator);
  const sign = n < 0n ? -1n : 1n;
  const tenths = sign * ((sign * n * 2n + d) / (2n * d));
  return Number(tenths) / 10;
}

/** Bundles the declared demand: bundled price, each participant's cost and saving, totals and the estimated contract value. */
export function computeBundle(terms: Terms, declarations: Declaration[]): BundleFigures {
  const T = wholeNumber(terms.termMonths, 0, 'termMonths');
  const O = wholeNumber(terms.optionMonths, 0, 'optionMonths');
  const fee = terms.oneTimeFeeCents === null ? 0 : wholeNumber(terms.oneTimeFeeCents, 0, 'oneTimeFeeCents');
  for (const tier of terms.tiers) {
    wholeNumber(tier.minQuantity, 0, 'minQuantity');
    wholeNumber(tier.unitPriceCents, 0, 'unitPriceCents');
  }
  for (const d of declarations) {
    wholeNumber(d.quantity, 0, 'quantity');
    if (d.maxQuantity !== null) wholeNumber(d.maxQuantity, d.quantity, 'maxQuantity');
  }

  const Q = safe(declarations.reduce((sum, d) => sum + d.quantity, 0), 'totalQuantity');
  const M = safe(declarations.reduce((sum, d) => sum + (d.maxQuantity ?? d.quantity), 0), 'maxQuantity');
  const pQ = unitPrice(terms.tiers, Q);
  const pM = unitPrice(terms.tiers, M);

  const participants = declarations.map((d): ParticipantFigures => {
    const monthlyCents = safe(d.quantity * (pQ ?? 0), 'monthlyCents');
    const termCents = safe(monthlyCents * T, 'termCents');
    const alone = unitPrice(terms.tiers, d.quantity);
    const savingCents = alone === null || pQ === null ? 0 : safe(d.quantity * (alone - pQ) * T, 'savingCents');
    const m = d.maxQuantity ?? d.quantity;
    const estimatedShareCents = safe(m * (pM ?? 0) * (T + O) + fee, 'estimatedShareCents');
    return {
      organisationId: d.organisationId,
      organisationName: d.organisationName,
      quantity: d.quantity,
      maxQuantity: d.maxQuantity,
      monthlyCents,
      termCents,
      aloneUnitPriceCents: alone,
      savingCents,
      oneTimeFeeCents: fee,
      totalCents: safe(termCents + fee, 'totalCents'),
      estimatedShareCents,
    };
  });

  const totalCostCents = safe(participants.reduce((sum, p) => sum + p.totalCents, 0), 'totalCostCents');
  const totalSavingCents = safe(participants.reduce((sum, p) => sum + p.savingCents, 0), 'totalSavingCents');
  // The base is what the same participants would pay each on its own (fees included, as they are due either way).
  const savingPercent = percentOneDecimal(totalSavingCents, safe(totalCostCents + totalSavingCents, 'costAlone'));
  const estimatedValueCents = safe(participants.reduce((sum, p) => sum + p.estimatedShareCents, 0), 'estimatedValueCents');

  return {
    totalQuantity: Q,
    unitPriceCents: pQ,
    nextTier: nextTierAbove(terms.tiers, Q),
    participants,
    totalCostCents,
    totalSavingCents,
    savingPercent,
    maxQuantity: M,
    maxUnitPriceCents: pM,
    estimatedValueCents,
  };
}

const GROUPED = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/;

/**
 * Reads an amount in euros as Germans type it ("1.234,56", "1234,56", "12", "12,5", optionally with "€")
 * and returns whole cents; null for anything else, including negative amounts and fractions of a cent.
 * A point is only read as a thousands separator ("1.500" is 1500 €), so "12.50" is refused rather than misread.
 */
export function parseEuroToCents(input: string): number | null {
  const text = input.replace(/[\s\u00a0\u202f]+/g, ' ').trim().replace(/^€ ?|(?: ?€|EUR)$/g, '').trim();
  const match = GROUPED.exec(text);
  if (!match) return null;
  const euros = match[1].replaceAll('.', '');
  const cents = (match[2] ?? '').padEnd(2, '0');
  const value = Number(euros) * 100 + Number(cents);
  return Number.isSafeInteger(value) ? value : null;
}

const POINT_DECIMAL = /^(\d{1,3}(?:,\d{3})+|\d+)\.(\d{1,2})$/;

/**
 * An amount typed with a decimal point, as in English ("16.50", "16.5", "1,234.56"): the same amount written the
 * German way ("16,50", "1.234,56"), to say what to type instead; null for anything else. "1.500" is not one: a
 * point before three digits is a thousands separator, and parseEuroToCents reads it so.
 */
export function germanDecimalFor(input: string): string | null {
  const text = input.replace(/[\s\u00a0\u202f]+/g, ' ').trim().replace(/^€ ?|(?: ?€|EUR)$/g, '').trim();
  const match = POINT_DECIMAL.exec(text);
  if (!match) return null;
  const euros = match[1].replaceAll(',', '').replace(/^0+(?=\d)/, '');
  const grouped = euros.replace(/\B(?=(\d{3})+$)/g, '.');
  return `${grouped},${match[2].padEnd(2, '0')}`;
}

const CURRENCY = {
  de: new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }),
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }),
};

/** "1.234,56 €" (with a no-break space) or "€1,234.56"; exact for every safe integer. */
export function formatCents(cents: number, lang: 'de' | 'en'): string {
  safe(cents, 'cents');
  const abs = Math.abs(cents);
  const decimal = `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  // A decimal string keeps the value exact where cents/100 as a float would not be.
  return CURRENCY[lang].format(decimal as unknown as number);
}
