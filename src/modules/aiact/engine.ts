/** Pure functions over the rule table in rules.ts: the path through the questionnaire and the result. */
import {
  CLASS_RULES, FACTS, OBLIGATIONS, QUESTIONS, REASONS, RULE_VERSIONS, SOURCES, TODOS,
  type Answers, type Condition, type DateRef, type Question, type RiskClass, type RuleVersion,
} from './rules.js';

export type { Answers, RiskClass } from './rules.js';

export interface QuestionView {
  id: string;
  section: string;
  /** 1-based position on the current path. */
  step: number;
  options: { value: string; labelKey: string }[];
  textKey: string;
  explanationKey: string;
  exampleKey: string;
  /** Short name of the question, used in the reason sentence and the report. */
  shortKey: string;
  articleRef: string;
}

export interface Obligation {
  id: string;
  article: string;
  titleKey: string;
  explanationKey: string;
  /** YYYY-MM-DD */
  appliesFrom: string;
  source: string;
  sourceUrl: string;
}

export interface Todo {
  id: string;
  area: 'gdpr' | 'staff_council';
  textKey: string;
  article: string;
  source: string;
  sourceUrl: string;
}

export interface CheckResult {
  riskClass: RiskClass;
  /** Translate with reasonParams; the params hold catalogue keys that the sentence nests with $t(). */
  reasonKey: string;
  reasonParams: Record<string, string>;
  decisiveQuestionId: string | null;
  obligations: Obligation[];
  todos: Todo[];
  ruleVersion: string;
}

/** The newest rule version: the one a check evaluated today uses. */
export const RULE_VERSION: string = RULE_VERSIONS[RULE_VERSIONS.length - 1].id;

export const ANSWER_ERRORS = {
  unknownQuestion: 'aiact.questions.errors.unknownQuestion',
  notOnPath: 'aiact.questions.errors.notOnPath',
  invalidValue: 'aiact.questions.errors.invalidValue',
} as const;

const byId = new Map(QUESTIONS.map((q) => [q.id, q]));

/** Whether a condition holds for the answers (unanswered questions count as neither yes nor no). */
export function holds(condition: Condition, answers: Answers): boolean {
  if ('q' in condition) return answers[condition.q] === condition.is;
  if ('anyYes' in condition) return condition.anyYes.some((id) => answers[id] === 'yes');
  if ('fact' in condition) return holds(FACTS[condition.fact], answers);
  if ('all' in condition) return condition.all.every((c) => holds(c, answers));
  if ('any' in condition) return condition.any.some((c) => holds(c, answers));
  return !holds(condition.not, answers);
}

function view(question: Question, step: number): QuestionView {
  const base = `aiact.questions.${question.id}`;
  return {
    id: question.id,
    section: question.section,
    step,
    options: question.options.map((value) => ({ value, labelKey: value === 'yes' ? 'common.yes' : value === 'no' ? 'common.no' : `${base}.options.${value}` })),
    textKey: `${base}.text`,
    explanationKey: `${base}.explanation`,
    exampleKey: `${base}.example`,
    shortKey: `${base}.short`,
    articleRef: question.articleRef,
  };
}

/**
 * Walks the table in order: the questions asked, each with its valid answer (if any), and the
 * answers that count. A question is asked when its condition holds for the answers before it.
 */
function walk(answers: Answers): { asked: Question[]; counted: Answers; complete: boolean } {
  const asked: Question[] = [];
  const counted: Answers = {};
  for (const question of QUESTIONS) {
    if (question.askIf && !holds(question.askIf, counted)) continue;
    asked.push(question);
    const value = answers[question.id];
    if (value === undefined || !question.options.includes(value)) return { asked, counted, complete: false };
    counted[question.id] = value;
  }
  return { asked, counted, complete: true };
}

/** The questions on the current path, in order, up to and including the first unanswered one. */
export function path(answers: Answers): QuestionView[] {
  return walk(answers).asked.map((q, i) => view(q, i + 1));
}

/** The first unanswered question on the path; null when the check is complete. */
export function nextQuestion(answers: Answers): QuestionView | null {
  const { asked, complete } = walk(answers);
  return complete ? null : view(asked[asked.length - 1], asked.length);
}

export function isComplete(answers: Answers): boolean {
  return walk(answers).complete;
}

/**
 * Drops answers to questions that are no longer asked (and invalid values). Answers after a
 * question that a change has newly brought onto the path are kept while they still apply, so
 * going back and changing one answer does not wipe the rest.
 */
export function pruneAnswers(answers: Answers): Answers {
  const kept: Answers = {};
  for (const question of QUESTIONS) {
    if (question.askIf && !holds(question.askIf, kept)) continue;
    const value = answers[question.id];
    if (value !== undefined && question.options.includes(value)) kept[question.id] = value;
  }
  return kept;
}

/** An i18n key when the answer cannot be taken: unknown question, not on the current path, value not offered. */
export function answerError(answers: Answers, questionId: string, value: string): string | null {
  const question = byId.get(questionId);
  if (!question) return ANSWER_ERRORS.unknownQuestion;
  if (!walk(answers).asked.includes(question)) return ANSWER_ERRORS.notOnPath;
  if (!question.options.includes(value)) return ANSWER_ERRORS.invalidValue;
  return null;
}

/** The rule version in force on a day (YYYY-MM-DD). */
export function ruleVersionOn(asOf: string): RuleVersion {
  let found = RULE_VERSIONS[0];
  for (const version of RULE_VERSIONS) if (version.validFrom <= asOf) found = version;
  return found;
}

function dateFor(ref: DateRef, riskClass: RiskClass, answers: Answers, version: RuleVersion): string {
  if (ref === 'by_class') {
    if (riskClass === 'high_risk') return dateFor('high_risk', riskClass, answers, version);
    return riskClass === 'transparency' ? version.dates.art_50 : version.dates.general;
  }
  if (ref === 'high_risk') {
    const dates: string[] = [];
    if (holds({ fact: 'annex_iii_high_risk' }, answers)) dates.push(version.dates.annex_iii);
    if (holds({ fact: 'annex_i' }, answers)) dates.push(version.dates.annex_i);
    return dates.sort()[0] ?? version.dates.annex_iii;
  }
  return version.dates[ref];
}

/** The result of a complete check; throws when questions on the path are still open. */
export function evaluate(answers: Answers, asOf: string = new Date().toISOString().slice(0, 10)): CheckResult {
  const { counted, complete } = walk(answers);
  if (!complete) throw new Error('The self-check is not complete.');
  const version = ruleVersionOn(asOf);
  const riskClass = CLASS_RULES.find((rule) => holds(rule.when, counted))!.riskClass;
  const reason = REASONS.find((r) => holds(r.when, counted))!;
  const decisive = reason.decisive === null ? null
    : typeof reason.decisive === 'string' ? reason.decisive
      : reason.decisive.find((id) => counted[id] === 'yes') ?? null;
  return {
    riskClass,
    reasonKey: reason.key,
    // The reason quotes the question as it was asked, so its wording is the one the person answered.
    reasonParams: decisive ? { question: `aiact.questions.${decisive}.text` } : {},
    decisiveQuestionId: decisive,
    obligations: OBLIGATIONS.filter((o) => holds(o.when, counted)).map((o) => ({
      id: o.id,
      article: o.article,
      titleKey: `aiact.obligations.${o.id}.title`,
      explanationKey: `aiact.obligations.${o.id}.explanation`,
      appliesFrom: dateFor(o.date, riskClass, counted, version),
      source: SOURCES[o.source].label,
      sourceUrl: SOURCES[o.source].url,
    })),
    todos: TODOS.filter((t) => holds(t.when, counted)).map((t) => ({
      id: t.id,
      area: t.area,
      textKey: `aiact.todos.${t.id}`,
      article: t.article,
      source: SOURCES[t.source].label,
      sourceUrl: SOURCES[t.source].url,
    })),
    ruleVersion: version.id,
  };
}

/**
 * The number of questions on the path if every open question were answered "no" (or "yes" where "no" would end
 * the check): the "von 27" of "Frage 8 von 27". It changes only when an answer brings questions onto the path or
 * takes them off.
 */
export function expectedLength(answers: Answers): number {
  const filled: Answers = { ...answers };
  for (let i = 0; i < QUESTIONS.length; i++) {
    const open = nextQuestion(filled);
    if (!open) break;
    filled[open.id] = endingAnswer(filled, open.id, 'no') ? 'yes' : 'no';
  }
  return walk(filled).asked.length;
}

export interface EndingAnswer {
  riskClass: 'prohibited' | 'not_ai';
  reasonKey: string;
  reasonParams: Record<string, string>;
}

/**
 * Whether giving this answer settles the check as "verboten" or "kein KI-System" (the questions about the
 * AI Act end there): then the person confirms it before it is saved. Null for any other answer.
 */
export function endingAnswer(answers: Answers, questionId: string, value: string): EndingAnswer | null {
  const before = walk(answers).counted;
  const after = walk(pruneAnswers({ ...answers, [questionId]: value })).counted;
  for (const riskClass of ['not_ai', 'prohibited'] as const) {
    const rule = CLASS_RULES.find((r) => r.riskClass === riskClass)!;
    // "not_ai" holds for no answers at all, so it counts only once the scope question is answered.
    const settled = (a: Answers) => a.ai_system !== undefined && holds(rule.when, a);
    if (!settled(after) || settled(before)) continue;
    const reason = REASONS.find((r) => holds(r.when, after))!;
    const decisive = typeof reason.decisive === 'string' ? reason.decisive
      : reason.decisive?.find((id) => after[id] === 'yes') ?? null;
    return { riskClass, reasonKey: reason.key, reasonParams: decisive ? { question: `aiact.questions.${decisive}.text` } : {} };
  }
  return null;
}
