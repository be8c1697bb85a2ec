/**
 * The procurement-law consequences of a bundle: which warnings the initiative page shows, each with its rule and source.
 * Pure: the same figures and dates always give the same warnings.
 */
import { formatCents, type BundleFigures } from './pricing.js';
import { thresholdFor, type ContractKind } from './thresholds.js';

export interface Warning {
  level: 'warning' | 'info' | 'error';
  /** i18n key under procurement.rules */
  key: string;
  /** amounts end in "Cents" (whole cents), dates are YYYY-MM-DD, `kind` is a ContractKind; see warningText */
  params: Record<string, string | number>;
  /** the legal rule, e.g. '§ 106 GWB, § 3 VgV' */
  rule: string;
  /** citation of the source */
  source: string;
  sourceUrl: string;
}

export interface WarningInput {
  figures: BundleFigures;
  kind: ContractKind;
  /** planned start of the procurement procedure, YYYY-MM-DD */
  plannedStart: string;
  termMonths: number;
  optionMonths: number;
  /** each municipality's own by-law limit, where it recorded one */
  ownLimits: { organisationId: number; organisationName: string; limitCents: number }[];
}

/** Framework agreements run at most four years unless a special case justifies more (§ 21 Abs. 6 VgV). */
export const MAX_FRAMEWORK_MONTHS = 48;

/** § 75a GO NRW replaced the state's value limits for municipal procedures started from this day on. */
export const GO_NRW_75A_FROM = '2026-01-01';

const SOURCES = {
  vgv3: { source: '§ 3 VgV (Schätzung des Auftragswerts); Begründung zu § 3 VgV', sourceUrl: 'https://www.gesetze-im-internet.de/vgv_2016/__3.html' },
  goNrw: { source: '§ 75a GO NRW, GV. NRW. 2025 Nr. 32 vom 16.07.2025, S. 617', sourceUrl: 'https://www.ihk.de/hannover/hauptnavigation/unternehmensfoerderung/oeffentliches-auftragswesen/vergaberecht/nrw-wertgrenzen-fuer-kommunale-6774998' },
  vergabegrundsaetze: { source: 'Kommunale Vergabegrundsätze NRW, Runderlass des MHKBG vom 28.08.2018 (§ 26 KomHVO NRW)', sourceUrl: 'https://recht.nrw.de/lmi/owa/br_text_anzeigen?v_id=82420180911091633384' },
  vgv21: { source: '§ 21 Abs. 6 VgV (Rahmenvereinbarungen)', sourceUrl: 'https://www.gesetze-im-internet.de/vgv_2016/__21.html' },
};

/** Every warning for a bundle: EU threshold or national rules, own by-law limits, framework term. */
export function procurementWarnings(input: WarningInput): Warning[] {
  const { figures, kind, plannedStart } = input;
  const warnings: Warning[] = [];
  const valueCents = figures.estimatedValueCents;
  const threshold = thresholdFor(kind, plannedStart);

  if (threshold === null) {
    // Never a silent pass: without a threshold nobody can tell whether an EU procedure is needed.
    warnings.push({
      level: 'error', key: 'procurement.rules.noThreshold', params: { date: plannedStart, kind, valueCents },
      rule: '§ 106 GWB', source: 'Schwellenwerttabelle der Plattform (hinterlegt für 01.01.2024–31.12.2027)', sourceUrl: 'https://www.gesetze-im-internet.de/gwb/__106.html',
    });
  } else if (valueCents >= threshold.valueCents) {
    const everyShareBelow = figures.participants.length > 1 && figures.participants.every((p) => p.estimatedShareCents < threshold.valueCents);
    warnings.push({
      level: 'warning',
      key: everyShareBelow ? 'procurement.rules.euProcedureBundled' : 'procurement.rules.euProcedure',
      params: { valueCents, thresholdCents: threshold.valueCents, kind, participants: figures.participants.length },
      rule: '§ 106 GWB, § 3 VgV (Teil 4 GWB, VgV)',
      source: `${threshold.source}; ${SOURCES.vgv3.source}`,
      sourceUrl: threshold.sourceUrl,
    });
  } else {
    const newLaw = plannedStart >= GO_NRW_75A_FROM;
    warnings.push({
      level: 'info',
      key: newLaw ? 'procurement.rules.nationalRules' : 'procurement.rules.nationalRulesBefore2026',
      params: { valueCents, thresholdCents: threshold.valueCents, kind },
      rule: newLaw ? '§ 75a GO NRW' : 'Kommunale Vergabegrundsätze NRW',
      ...(newLaw ? SOURCES.goNrw : SOURCES.vergabegrundsaetze),
    });
  }

  // Own by-law limits only matter below the EU threshold (above it the EU procedure is required anyway).
  // They are compared with the value of the whole joint contract, not with the organisation's share:
  // the participants award one contract together (§ 4 VgV), its value is estimated as a whole (§ 3 VgV,
  // splitting to stay below a limit is forbidden), so each participant's own rules apply to that whole value.
  const euProcedure = threshold !== null && valueCents >= threshold.valueCents;
  if (!euProcedure) {
    for (const own of input.ownLimits) {
      if (valueCents >= own.limitCents) {
        warnings.push({
          level: 'warning', key: 'procurement.rules.ownLimit',
          params: { organisation: own.organisationName, limitCents: own.limitCents, valueCents },
          rule: '§ 75a Abs. 2 GO NRW (eigene Vergabesatzung)',
          ...SOURCES.goNrw,
        });
      }
    }
  }

  const months = input.termMonths + input.optionMonths;
  if (months > MAX_FRAMEWORK_MONTHS) {
    warnings.push({
      level: 'warning', key: 'procurement.rules.frameworkTerm',
      params: { months, termMonths: input.termMonths, optionMonths: input.optionMonths, max: MAX_FRAMEWORK_MONTHS },
      rule: '§ 21 Abs. 6 VgV', ...SOURCES.vgv21,
    });
  }
  return warnings;
}

type Translate = (key: string, vars?: Record<string, unknown>) => string;

/**
 * The text of a warning in one language: amounts ("…Cents") become "216.000,00 €" under the name without
 * the suffix, dates become "01.01.2028", the contract kind its label.
 */
export function warningText(warning: Warning, t: Translate, lang: 'de' | 'en'): string {
  const vars: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(warning.params)) {
    if (name.endsWith('Cents') && typeof value === 'number') vars[name.slice(0, -'Cents'.length)] = formatCents(value, lang);
    else if (name === 'date' && typeof value === 'string') vars.date = formatDay(value, lang);
    else if (name === 'kind') vars.kind = t(`procurement.rules.kinds.${String(value)}`);
    else vars[name] = value;
  }
  return t(warning.key, vars);
}

function formatDay(date: string, lang: 'de' | 'en'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return lang === 'de' ? `${m[3]}.${m[2]}.${m[1]}` : date;
}
