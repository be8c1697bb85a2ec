/**
 * The AI-Act and data-protection self-check as one declarative table: questions with the
 * conditions under which they are asked, the facts and classes derived from the answers, the
 * deployer obligations, the GDPR and staff-council to-dos, their sources and the dated rule
 * versions. The engine (engine.ts) only interprets this table.
 *
 * Legal basis: Regulation (EU) 2024/1689 (KI-VO), Regulation (EU) 2016/679 (DSGVO) and the
 * NRW staff-representation act (LPVG NRW); see README "#### Rules" for the sources.
 */

export type RiskClass = 'prohibited' | 'high_risk' | 'transparency' | 'minimal' | 'not_ai';
export type Answers = Record<string, string>;

export type Section = 'scope' | 'prohibited' | 'high_risk' | 'exception' | 'transparency' | 'data_protection' | 'staff_council';
export const SECTIONS: readonly Section[] = ['scope', 'prohibited', 'high_risk', 'exception', 'transparency', 'data_protection', 'staff_council'];

/** A condition over the answers given so far; `fact` refers to a named condition in FACTS. */
export type Condition =
  | { q: string; is: string }
  | { anyYes: readonly string[] }
  | { fact: FactName }
  | { all: readonly Condition[] }
  | { any: readonly Condition[] }
  | { not: Condition };

export interface Question {
  id: string;
  section: Section;
  articleRef: string;
  /** Asked only when this holds; a question left out is skipped and its answer ignored. */
  askIf?: Condition;
  options: readonly string[];
}

const YES_NO = ['yes', 'no'] as const;

/** Article 5(1) practices, in the order of the domain notes (P1–P8). */
export const PROHIBITED_QUESTIONS = [
  'p_social_scoring', 'p_emotion_workplace', 'p_manipulation', 'p_crime_prediction',
  'p_face_scraping', 'p_biometric_categorisation', 'p_realtime_biometric_id', 'p_intimate_content',
] as const;

/** Annex III points (H1–H9). Point 2, critical infrastructure, is excluded from Art. 27 and Art. 49(3). */
export const ANNEX_III_QUESTIONS = [
  'h_biometrics', 'h_critical_infrastructure', 'h_education', 'h_employment', 'h_public_benefits',
  'h_emergency_calls', 'h_credit_insurance', 'h_migration', 'h_law_enforcement_elections',
] as const;

export const TRANSPARENCY_QUESTIONS = ['t_chatbot', 't_deepfake', 't_public_text', 't_emotion_biometric', 't_own_generative'] as const;

/** Named conditions the questions, classes, obligations and to-dos refer to. */
export const FACTS = {
  ai: { q: 'ai_system', is: 'yes' },
  prohibited: { anyYes: PROHIBITED_QUESTIONS },
  /** An AI system with no prohibited practice: the remaining AI-Act questions apply. */
  classifiable: { all: [{ q: 'ai_system', is: 'yes' }, { not: { anyYes: PROHIBITED_QUESTIONS } }] },
  annex_i: { q: 'h_annex_i_product', is: 'yes' },
  annex_iii: { anyYes: ANNEX_III_QUESTIONS },
  /** Annex III areas other than point 2 (critical infrastructure). */
  annex_iii_beyond_infrastructure: { anyYes: ANNEX_III_QUESTIONS.filter((id) => id !== 'h_critical_infrastructure') },
  /** Art. 6(3): the exception can only be claimed when no natural persons are profiled. */
  exception_applies: { all: [{ q: 'f_profiling', is: 'no' }, { q: 'f_exception', is: 'yes' }] },
  annex_iii_high_risk: { all: [{ anyYes: ANNEX_III_QUESTIONS }, { not: { all: [{ q: 'f_profiling', is: 'no' }, { q: 'f_exception', is: 'yes' }] } }] },
  transparency_case: { anyYes: TRANSPARENCY_QUESTIONS },
  personal_data: { q: 'd_personal_data', is: 'yes' },
} as const satisfies Record<string, Condition>;
export type FactName = keyof typeof FACTS;

const classifiable: Condition = { fact: 'classifiable' };
const notProhibited: Condition = { not: { fact: 'prohibited' } };
/** High-risk as a whole: Annex I product, or an Annex III area not lifted by Art. 6(3). */
const highRisk: Condition = { all: [classifiable, { any: [{ fact: 'annex_i' }, { fact: 'annex_iii_high_risk' }] }] };
const annexIIIHighRisk: Condition = { all: [classifiable, { fact: 'annex_iii_high_risk' }] };

export const QUESTIONS: readonly Question[] = [
  // 0 Scope
  { id: 'ai_system', section: 'scope', articleRef: 'Art. 3 Nr. 1 KI-VO', options: YES_NO },
  { id: 'provider', section: 'scope', articleRef: 'Art. 3 Nr. 3, Art. 25 KI-VO', askIf: { fact: 'ai' }, options: YES_NO },
  // 1 Prohibited practices: the first yes ends the questionnaire.
  ...([
    ['p_social_scoring', 'Art. 5 Abs. 1 lit. c KI-VO'],
    ['p_emotion_workplace', 'Art. 5 Abs. 1 lit. f KI-VO'],
    ['p_manipulation', 'Art. 5 Abs. 1 lit. a und b KI-VO'],
    ['p_crime_prediction', 'Art. 5 Abs. 1 lit. d KI-VO'],
    ['p_face_scraping', 'Art. 5 Abs. 1 lit. e KI-VO'],
    ['p_biometric_categorisation', 'Art. 5 Abs. 1 lit. g KI-VO'],
    ['p_realtime_biometric_id', 'Art. 5 Abs. 1 lit. h KI-VO'],
    ['p_intimate_content', 'Art. 5 KI-VO i. d. F. des Digital-Omnibus'],
  ] as const).map(([id, articleRef], i): Question => ({
    id, section: 'prohibited', articleRef, options: YES_NO,
    askIf: { all: [{ fact: 'ai' }, { not: { anyYes: PROHIBITED_QUESTIONS.slice(0, i) } }] },
  })),
  // 2 High-risk: Annex I products (Art. 6(1)) and the Annex III areas (Art. 6(2)).
  { id: 'h_annex_i_product', section: 'high_risk', articleRef: 'Art. 6 Abs. 1, Anhang I KI-VO', askIf: classifiable, options: YES_NO },
  ...([
    ['h_biometrics', 'Anhang III Nr. 1 KI-VO'],
    ['h_critical_infrastructure', 'Anhang III Nr. 2 KI-VO'],
    ['h_education', 'Anhang III Nr. 3 KI-VO'],
    ['h_employment', 'Anhang III Nr. 4 KI-VO'],
    ['h_public_benefits', 'Anhang III Nr. 5 lit. a KI-VO'],
    ['h_emergency_calls', 'Anhang III Nr. 5 lit. d KI-VO'],
    ['h_credit_insurance', 'Anhang III Nr. 5 lit. b und c KI-VO'],
    ['h_migration', 'Anhang III Nr. 7 KI-VO'],
    ['h_law_enforcement_elections', 'Anhang III Nr. 6 und Nr. 8 lit. b KI-VO'],
  ] as const).map(([id, articleRef]): Question => ({ id, section: 'high_risk', articleRef, askIf: classifiable, options: YES_NO })),
  // 3 Art. 6(3) exception, only when an Annex III area applies; profiling rules it out.
  { id: 'f_profiling', section: 'exception', articleRef: 'Art. 6 Abs. 3 UAbs. 3 KI-VO, Art. 4 Nr. 4 DSGVO', askIf: { all: [classifiable, { fact: 'annex_iii' }] }, options: YES_NO },
  { id: 'f_exception', section: 'exception', articleRef: 'Art. 6 Abs. 3 und 4 KI-VO', askIf: { all: [classifiable, { fact: 'annex_iii' }, { q: 'f_profiling', is: 'no' }] }, options: YES_NO },
  // 4 Transparency cases, cumulative and in addition to high-risk duties.
  ...([
    ['t_chatbot', 'Art. 50 Abs. 1 und 5 KI-VO'],
    ['t_deepfake', 'Art. 50 Abs. 4 UAbs. 1 KI-VO'],
    ['t_public_text', 'Art. 50 Abs. 4 UAbs. 2 KI-VO'],
    ['t_emotion_biometric', 'Art. 50 Abs. 3 KI-VO'],
    ['t_own_generative', 'Art. 50 Abs. 2 KI-VO'],
  ] as const).map(([id, articleRef]): Question => ({ id, section: 'transparency', articleRef, askIf: classifiable, options: YES_NO })),
  // 5 Data protection and staff council: for every use case, AI or not, unless prohibited.
  { id: 'd_personal_data', section: 'data_protection', articleRef: 'Art. 4 Nr. 1, Art. 6 DSGVO', askIf: notProhibited, options: YES_NO },
  { id: 'd_external_vendor', section: 'data_protection', articleRef: 'Art. 28, Art. 44 ff. DSGVO', askIf: { all: [notProhibited, { fact: 'personal_data' }] }, options: YES_NO },
  // A high-risk AI system always needs a DPIA, so the question is only asked for the others.
  { id: 'd_high_risk_processing', section: 'data_protection', articleRef: 'Art. 35 DSGVO', askIf: { all: [notProhibited, { fact: 'personal_data' }, { not: highRisk }] }, options: YES_NO },
  { id: 'd_automated_decision', section: 'data_protection', articleRef: 'Art. 22 DSGVO', askIf: { all: [notProhibited, { fact: 'personal_data' }] }, options: YES_NO },
  { id: 'd_staff_data', section: 'staff_council', articleRef: '§ 72 Abs. 3 Nr. 1 LPVG NRW', askIf: notProhibited, options: YES_NO },
];

/** The classes in order of precedence: the first whose condition holds is the result. */
export const CLASS_RULES: readonly { riskClass: RiskClass; when: Condition }[] = [
  { riskClass: 'not_ai', when: { not: { fact: 'ai' } } },
  { riskClass: 'prohibited', when: { fact: 'prohibited' } },
  { riskClass: 'high_risk', when: highRisk },
  { riskClass: 'transparency', when: { all: [classifiable, { fact: 'transparency_case' }] } },
  { riskClass: 'minimal', when: classifiable },
];

/**
 * The reason sentence: the first entry whose condition holds names the decisive question,
 * either fixed or the first question of a list answered "yes".
 */
export const REASONS: readonly { key: string; when: Condition; decisive: string | readonly string[] | null }[] = [
  { key: 'aiact.results.reasons.not_ai', when: { not: { fact: 'ai' } }, decisive: 'ai_system' },
  { key: 'aiact.results.reasons.prohibited', when: { fact: 'prohibited' }, decisive: PROHIBITED_QUESTIONS },
  { key: 'aiact.results.reasons.high_risk_profiling', when: { all: [annexIIIHighRisk, { q: 'f_profiling', is: 'yes' }] }, decisive: 'f_profiling' },
  { key: 'aiact.results.reasons.high_risk_annex_iii', when: annexIIIHighRisk, decisive: ANNEX_III_QUESTIONS },
  { key: 'aiact.results.reasons.high_risk_annex_i', when: highRisk, decisive: 'h_annex_i_product' },
  { key: 'aiact.results.reasons.transparency_exception', when: { all: [classifiable, { fact: 'transparency_case' }, { fact: 'exception_applies' }] }, decisive: TRANSPARENCY_QUESTIONS },
  { key: 'aiact.results.reasons.transparency', when: { all: [classifiable, { fact: 'transparency_case' }] }, decisive: TRANSPARENCY_QUESTIONS },
  { key: 'aiact.results.reasons.minimal_exception', when: { all: [classifiable, { fact: 'exception_applies' }] }, decisive: 'f_exception' },
  { key: 'aiact.results.reasons.minimal', when: classifiable, decisive: null },
];

/** Sources, numbered as in the domain notes; the regulation texts themselves first. */
export const SOURCES = {
  AIA: { label: 'Verordnung (EU) 2024/1689 (KI-Verordnung), EUR-Lex', url: 'https://eur-lex.europa.eu/eli/reg/2024/1689/oj' },
  GDPR: { label: 'Verordnung (EU) 2016/679 (DSGVO), EUR-Lex', url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj' },
  A1: { label: 'Art. 113 KI-VO – Geltungsbeginn (regulation-ai.eu)', url: 'https://www.regulation-ai.eu/en/articles/article-113/' },
  A3: { label: 'Art. 5 KI-VO – verbotene Praktiken (Snellman)', url: 'https://digitaldecade.snellman.com/?page_id=8690?art=0' },
  A4: { label: 'Anhang III KI-VO (aiact.annotated.nl)', url: 'https://aiact.annotated.nl/en/aiact/annex/iii/5/' },
  A6: { label: 'Art. 6 Abs. 3 KI-VO – Ausnahme (mmoww.net)', url: 'https://mmoww.net/ai/laws/eu-ai-act-article-6-3-derogation-exemptions/' },
  A7: { label: 'Art. 26 KI-VO – Pflichten der Betreiber (overview.legal)', url: 'https://overview.legal/laws/ai-act/art-26' },
  A8: { label: 'Art. 49 KI-VO – Registrierung (legalviz.eu)', url: 'https://legalviz.eu/aia/article/49' },
  A8b: { label: 'Art. 27 KI-VO – Grundrechte-Folgenabschätzung (perea.ai)', url: 'https://perea.ai/research/article-27-fria-methodology-field-manual' },
  A9: { label: 'Art. 50 KI-VO – Transparenzpflichten (aiact.annotated.nl)', url: 'https://aiact.annotated.nl/en/aiact/art/50/' },
  A11: { label: 'Digital-Omnibus zur KI-VO (Taylor Wessing)', url: 'https://www.taylorwessing.com/zh-hant/insights-and-events/insights/2026/05/the-eu-digital-omnibus-on-ai-what-the-political-deal-means' },
  A12: { label: 'Digital-Omnibus: Art. 4 KI-VO abgeschwächt (fixtheaigap.com)', url: 'https://fixtheaigap.com/research/policies/2026-05-07-eu-digital-omnibus-ai-act-article4-softened' },
  G1: { label: 'DSK-Orientierungshilfe KI und Datenschutz (datenschutz-praxis.de)', url: 'https://datenschutz-praxis.de/?p=116045' },
  G2: { label: 'Auftragsverarbeitung Art. 28 DSGVO (BayLfD)', url: 'https://www.datenschutz-bayern.de/datenschutzreform2018/aki60.html' },
  G3: { label: 'OVG NRW, Beschluss vom 20.01.2000 – 1 A 128/98.PVL', url: 'https://www.aufrecht.de/urteile/arbeitsrecht/ovg-muenster-beschluss-vom-20-januar-2000-az-1-a-12898-personenbezogene-daten' },
} as const;
export type SourceId = keyof typeof SOURCES;

/** Keys of the dates a rule version fixes. */
export type DateKey = 'general' | 'annex_iii' | 'annex_i' | 'art_50' | 'intimate_content_ban';
/** `high_risk` resolves to the earliest date of the Annex I/III bases that apply; `by_class` follows the class. */
export type DateRef = DateKey | 'high_risk' | 'by_class';

export interface RuleVersion {
  id: string;
  /** Checks evaluated on or after this day use this version. */
  validFrom: string;
  dates: Record<DateKey, string>;
}

/**
 * Dated rule versions, oldest first. A postponement is a new entry here.
 * Digital Omnibus (COM(2025) 836): political deal 7 May 2026, EP vote 16 Jun 2026, Council
 * approval reported 24 or 29 Jun 2026; publication in the Official Journal unconfirmed [A11].
 */
export const RULE_VERSIONS: readonly RuleVersion[] = [
  {
    id: '2024-08 (KI-VO Art. 113: Anhang III ab 2026-08-02, Anhang I ab 2027-08-02)',
    validFrom: '2024-08-01',
    dates: { general: '2025-02-02', annex_iii: '2026-08-02', annex_i: '2027-08-02', art_50: '2026-08-02', intimate_content_ban: '2026-12-02' },
  },
  {
    id: '2026-11 (Digital-Omnibus-Entwurf: Anhang III ab 2027-12-02, Anhang I ab 2028-08-02)',
    validFrom: '2026-06-29',
    dates: { general: '2025-02-02', annex_iii: '2027-12-02', annex_i: '2028-08-02', art_50: '2026-08-02', intimate_content_ban: '2026-12-02' },
  },
];

export interface ObligationRule {
  id: string;
  article: string;
  when: Condition;
  date: DateRef;
  source: SourceId;
}

/** Obligations of the municipality as deployer (and, where it is one, as provider). */
export const OBLIGATIONS: readonly ObligationRule[] = [
  { id: 'stop_use', article: 'Art. 5 KI-VO', when: { all: [{ fact: 'prohibited' }, { not: { q: 'p_intimate_content', is: 'yes' } }] }, date: 'general', source: 'A3' },
  { id: 'stop_use_intimate_content', article: 'Art. 5 KI-VO i. d. F. des Digital-Omnibus', when: { q: 'p_intimate_content', is: 'yes' }, date: 'intimate_content_ban', source: 'A11' },
  { id: 'ai_literacy', article: 'Art. 4 KI-VO', when: classifiable, date: 'general', source: 'A12' },
  { id: 'provider_role', article: 'Art. 25, Art. 16 KI-VO', when: { all: [classifiable, { q: 'provider', is: 'yes' }] }, date: 'by_class', source: 'AIA' },
  { id: 'use_per_instructions', article: 'Art. 26 Abs. 1 KI-VO', when: highRisk, date: 'high_risk', source: 'A7' },
  { id: 'human_oversight', article: 'Art. 26 Abs. 2 KI-VO', when: highRisk, date: 'high_risk', source: 'A7' },
  { id: 'input_data', article: 'Art. 26 Abs. 4 KI-VO', when: highRisk, date: 'high_risk', source: 'A7' },
  { id: 'monitoring', article: 'Art. 26 Abs. 5 KI-VO', when: highRisk, date: 'high_risk', source: 'A7' },
  { id: 'logs', article: 'Art. 26 Abs. 6 KI-VO', when: highRisk, date: 'high_risk', source: 'A7' },
  { id: 'inform_staff', article: 'Art. 26 Abs. 7 KI-VO', when: highRisk, date: 'high_risk', source: 'A7' },
  // Art. 49(3): public deployers register Annex III systems, except point 2 (registered nationally, Art. 49(5)).
  { id: 'registration', article: 'Art. 26 Abs. 8, Art. 49 Abs. 3 KI-VO', when: { all: [annexIIIHighRisk, { fact: 'annex_iii_beyond_infrastructure' }] }, date: 'annex_iii', source: 'A8' },
  { id: 'dpia_support', article: 'Art. 26 Abs. 9 KI-VO', when: highRisk, date: 'high_risk', source: 'A7' },
  { id: 'inform_affected', article: 'Art. 26 Abs. 11 KI-VO', when: annexIIIHighRisk, date: 'annex_iii', source: 'A7' },
  // Art. 27(1): bodies governed by public law, Art. 6(2) systems, except Annex III point 2.
  { id: 'fria', article: 'Art. 27 KI-VO', when: { all: [annexIIIHighRisk, { fact: 'annex_iii_beyond_infrastructure' }] }, date: 'annex_iii', source: 'A8b' },
  { id: 'exception_documentation', article: 'Art. 6 Abs. 4, Art. 49 Abs. 2 KI-VO', when: { all: [classifiable, { fact: 'annex_iii' }, { fact: 'exception_applies' }] }, date: 'annex_iii', source: 'A6' },
  { id: 'disclose_chatbot', article: 'Art. 50 Abs. 1 und 5 KI-VO', when: { all: [classifiable, { q: 't_chatbot', is: 'yes' }] }, date: 'art_50', source: 'A9' },
  { id: 'disclose_deepfake', article: 'Art. 50 Abs. 4 UAbs. 1 KI-VO', when: { all: [classifiable, { q: 't_deepfake', is: 'yes' }] }, date: 'art_50', source: 'A9' },
  { id: 'disclose_public_text', article: 'Art. 50 Abs. 4 UAbs. 2 KI-VO', when: { all: [classifiable, { q: 't_public_text', is: 'yes' }] }, date: 'art_50', source: 'A9' },
  { id: 'inform_emotion_recognition', article: 'Art. 50 Abs. 3 KI-VO', when: { all: [classifiable, { q: 't_emotion_biometric', is: 'yes' }] }, date: 'art_50', source: 'A9' },
  { id: 'mark_generated_content', article: 'Art. 50 Abs. 2 KI-VO', when: { all: [classifiable, { q: 't_own_generative', is: 'yes' }] }, date: 'art_50', source: 'A9' },
];

export interface TodoRule {
  id: string;
  area: 'gdpr' | 'staff_council';
  article: string;
  when: Condition;
  source: SourceId;
}

/** Data-protection and staff-council to-dos; they apply to every use case that is not prohibited. */
export const TODOS: readonly TodoRule[] = [
  { id: 'legal_basis', area: 'gdpr', article: 'Art. 6 Abs. 1 lit. e, Abs. 3 DSGVO; Art. 9 DSGVO', when: { all: [notProhibited, { fact: 'personal_data' }] }, source: 'GDPR' },
  { id: 'information_duties', area: 'gdpr', article: 'Art. 13, Art. 14 DSGVO', when: { all: [notProhibited, { fact: 'personal_data' }] }, source: 'GDPR' },
  { id: 'records', area: 'gdpr', article: 'Art. 30 DSGVO', when: { all: [notProhibited, { fact: 'personal_data' }] }, source: 'GDPR' },
  { id: 'processing_agreement', area: 'gdpr', article: 'Art. 28, Art. 44 ff. DSGVO', when: { all: [notProhibited, { fact: 'personal_data' }, { q: 'd_external_vendor', is: 'yes' }] }, source: 'G2' },
  { id: 'dpia', area: 'gdpr', article: 'Art. 35 DSGVO', when: { all: [notProhibited, { fact: 'personal_data' }, { any: [highRisk, { q: 'd_high_risk_processing', is: 'yes' }] }] }, source: 'G1' },
  { id: 'automated_decision', area: 'gdpr', article: 'Art. 22 DSGVO', when: { all: [notProhibited, { fact: 'personal_data' }, { q: 'd_automated_decision', is: 'yes' }] }, source: 'GDPR' },
  // Art. 26(7): the staff council is informed before a high-risk system is used at the workplace; where the
  // staff council co-determines anyway (staff data), the co-determination to-do names Art. 26(7) as well.
  { id: 'inform_staff_council', area: 'staff_council', article: 'Art. 26 Abs. 7 KI-VO', when: { all: [highRisk, { not: { q: 'd_staff_data', is: 'yes' } }] }, source: 'A7' },
  { id: 'codetermination', area: 'staff_council', article: '§ 72 Abs. 3 Nr. 1 LPVG NRW; Art. 26 Abs. 7 KI-VO', when: { all: [notProhibited, { q: 'd_staff_data', is: 'yes' }] }, source: 'G3' },
];
