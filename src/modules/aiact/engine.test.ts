import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ANSWER_ERRORS, RULE_VERSION, answerError, evaluate, isComplete, nextQuestion, path, pruneAnswers, ruleVersionOn,
  type Answers, type CheckResult, type RiskClass,
} from './engine.js';
import { ANNEX_III_QUESTIONS, PROHIBITED_QUESTIONS, QUESTIONS, RULE_VERSIONS, TRANSPARENCY_QUESTIONS } from './rules.js';

const TODAY = '2026-11-27';
const [ORIGINAL, OMNIBUS] = RULE_VERSIONS;
const AI_ACT_SECTIONS = new Set(['scope', 'prohibited', 'high_risk', 'exception', 'transparency']);
const sectionOf = new Map(QUESTIONS.map((q) => [q.id, q.section]));

/** Answers every question on the path with the given choice until the check is complete. */
function complete(answers: Answers, choose: (id: string) => string = () => 'no'): Answers {
  const out = { ...answers };
  for (let q = nextQuestion(out); q; q = nextQuestion(out)) out[q.id] = choose(q.id);
  return out;
}

const yes = (...ids: string[]) => Object.fromEntries(ids.map((id) => [id, 'yes']));
const run = (given: Answers, asOf = TODAY) => evaluate(complete({ ai_system: 'yes', ...given }), asOf);
const ids = (r: CheckResult) => r.obligations.map((o) => o.id);
const dateOf = (r: CheckResult, id: string) => r.obligations.find((o) => o.id === id)?.appliesFrom;

/**
 * The expected result, derived from the articles independently of the rule table:
 * Art. 3(1) scope, Art. 5 bans, Art. 6(1)/(2)/(3) with Annex I and III, Art. 50, Arts. 4, 25, 26, 27, 49(3),
 * and the GDPR / LPVG NRW items (domain notes 2.2–2.4), with the dates of the Digital-Omnibus version.
 */
function expected(a: Answers): { riskClass: RiskClass; obligations: Record<string, string>; todos: string[]; decisive: string | null } {
  const y = (id: string) => a[id] === 'yes';
  const personal = y('d_personal_data');
  const gdprTodos = (highRisk: boolean) => [
    ...(personal ? ['legal_basis', 'information_duties', 'records'] : []),
    ...(personal && y('d_external_vendor') ? ['processing_agreement'] : []),
    ...(personal && (highRisk || y('d_high_risk_processing')) ? ['dpia'] : []),
    ...(personal && y('d_automated_decision') ? ['automated_decision'] : []),
    // Art. 26(7): a high-risk system is announced to the staff council; where it co-determines, that to-do names Art. 26(7).
    ...(highRisk && !y('d_staff_data') ? ['inform_staff_council'] : []),
    ...(y('d_staff_data') ? ['codetermination'] : []),
  ];
  if (!y('ai_system')) return { riskClass: 'not_ai', obligations: {}, todos: gdprTodos(false), decisive: 'ai_system' };
  const banned = PROHIBITED_QUESTIONS.find(y);
  if (banned) {
    const obligations: Record<string, string> = banned === 'p_intimate_content' ? { stop_use_intimate_content: '2026-12-02' } : { stop_use: '2025-02-02' };
    return { riskClass: 'prohibited', obligations, todos: [], decisive: banned };
  }
  const areas = ANNEX_III_QUESTIONS.filter(y);
  const exception = areas.length > 0 && !y('f_profiling') && y('f_exception');
  const annexIII = areas.length > 0 && !exception;
  const annexI = y('h_annex_i_product');
  const high = annexI || annexIII;
  const transparency = TRANSPARENCY_QUESTIONS.filter(y);
  const riskClass: RiskClass = high ? 'high_risk' : transparency.length ? 'transparency' : 'minimal';
  const highDate = annexIII ? '2027-12-02' : '2028-08-02';
  const o: Record<string, string> = { ai_literacy: '2025-02-02' };
  if (y('provider')) o.provider_role = high ? highDate : transparency.length ? '2026-08-02' : '2025-02-02';
  if (high) for (const id of ['use_per_instructions', 'human_oversight', 'input_data', 'monitoring', 'logs', 'inform_staff', 'dpia_support']) o[id] = highDate;
  if (annexIII) o.inform_affected = '2027-12-02';
  // Art. 27(1) and Art. 49(3) leave out Annex III point 2.
  if (annexIII && areas.some((id) => id !== 'h_critical_infrastructure')) { o.registration = '2027-12-02'; o.fria = '2027-12-02'; }
  if (exception) o.exception_documentation = '2027-12-02';
  const duty = { t_chatbot: 'disclose_chatbot', t_deepfake: 'disclose_deepfake', t_public_text: 'disclose_public_text', t_emotion_biometric: 'inform_emotion_recognition', t_own_generative: 'mark_generated_content' } as const;
  for (const t of transparency) o[duty[t]] = '2026-08-02';
  const decisive = annexIII && y('f_profiling') ? 'f_profiling' : annexIII ? areas[0] : annexI ? 'h_annex_i_product'
    : transparency.length ? transparency[0] : exception ? 'f_exception' : null;
  return { riskClass, obligations: o, todos: gdprTodos(high), decisive };
}

/** Visits every complete answer set reachable through the questionnaire; `choices` may narrow a question's branches. */
function forEachPath(start: Answers, visit: (answers: Answers) => void, choices: (id: string, answers: Answers) => readonly string[] | null = () => null): number {
  let count = 0;
  const walk = (answers: Answers) => {
    const q = nextQuestion(answers);
    if (!q) { count++; visit(answers); return; }
    for (const value of choices(q.id, answers) ?? q.options.map((o) => o.value)) walk({ ...answers, [q.id]: value });
  };
  walk(start);
  return count;
}

function checkAgainstArticles(answers: Answers) {
  const result = evaluate(answers, TODAY);
  const want = expected(answers);
  const label = JSON.stringify(answers);
  assert.equal(result.riskClass, want.riskClass, label);
  assert.deepEqual(Object.fromEntries(result.obligations.map((o) => [o.id, o.appliesFrom])), want.obligations, label);
  assert.deepEqual(result.todos.map((t) => t.id).sort(), [...want.todos].sort(), label);
  assert.equal(result.decisiveQuestionId, want.decisive, label);
  assert.equal(result.ruleVersion, OMNIBUS.id);
  // The path only ever holds questions that matter.
  const asked = path(answers).map((q) => q.id);
  assert.deepEqual([...asked].sort(), Object.keys(answers).sort(), `${label}: exactly the path was answered`);
  if (want.riskClass === 'prohibited') assert.equal(asked[asked.length - 1], want.decisive, `${label}: nothing after a prohibited practice`);
  if (want.riskClass === 'not_ai') assert.ok(asked.slice(1).every((id) => !AI_ACT_SECTIONS.has(sectionOf.get(id)!)), `${label}: no AI-Act question after "not AI"`);
  const anyArea = ANNEX_III_QUESTIONS.some((id) => answers[id] === 'yes');
  assert.equal(asked.includes('f_profiling'), anyArea && want.riskClass !== 'prohibited', `${label}: Art. 6(3) only with an Annex III area`);
}

describe('AI-Act self-check: every path', () => {
  it('classifies every path through the AI-Act questions as the articles say (up to two Annex III areas at once)', () => {
    const count = forEachPath({}, checkAgainstArticles, (id, answers) => {
      if (!AI_ACT_SECTIONS.has(sectionOf.get(id)!)) return ['no'];
      // Every single Annex III area and every pair (point 2 with each other point); more add nothing new.
      if (sectionOf.get(id) === 'high_risk' && id !== 'h_annex_i_product' && ANNEX_III_QUESTIONS.filter((h) => answers[h] === 'yes').length >= 2) return ['no'];
      return null;
    });
    // 1 not-AI path + 2 provider answers × (8 bans + 2 Annex I answers × (1 without an area + 45 area sets × 3 Art. 6(3) branches) × 32 transparency combinations)
    assert.equal(count, 1 + 2 * (8 + 2 * (1 + 45 * 3) * 32));
  });

  it('lists the data-protection and staff-council to-dos for every combination of their answers', () => {
    const prefixes: Answers[] = [
      { ai_system: 'no' },
      complete({ ai_system: 'yes' }),
      { ...complete({ ai_system: 'yes', ...yes('h_public_benefits', 'f_profiling') }) },
      { ...complete({ ai_system: 'yes', ...yes('t_chatbot') }) },
    ].map((a) => Object.fromEntries(Object.entries(a).filter(([id]) => AI_ACT_SECTIONS.has(sectionOf.get(id)!))));
    let total = 0;
    for (const prefix of prefixes) total += forEachPath(prefix, checkAgainstArticles);
    // not-AI, minimal, transparency: 2 + 2×2×2×2 = 18 paths; high-risk: the DPIA question is skipped, 2 + 2×2×2 = 10.
    assert.equal(total, 18 + 18 + 10 + 18);
  });
});

describe('AI-Act self-check: named cases', () => {
  it('a prohibited practice wins over everything and ends the questionnaire', () => {
    const answers = { ai_system: 'yes', provider: 'yes', p_social_scoring: 'no', p_emotion_workplace: 'yes' };
    assert.equal(nextQuestion(answers), null);
    const result = evaluate(answers, TODAY);
    assert.equal(result.riskClass, 'prohibited');
    assert.equal(result.decisiveQuestionId, 'p_emotion_workplace');
    assert.deepEqual(ids(result), ['stop_use']);
    assert.deepEqual(result.todos, []);
    // Later answers that would make it high-risk or add transparency duties do not count.
    const tampered = { ...answers, h_public_benefits: 'yes', t_chatbot: 'yes', d_personal_data: 'yes' };
    assert.equal(evaluate(tampered, TODAY).riskClass, 'prohibited');
    assert.deepEqual(pruneAnswers(tampered), answers);
  });

  it('profiling keeps an Annex III system high-risk despite Art. 6(3)', () => {
    const profiled = run(yes('h_public_benefits', 'f_profiling'));
    assert.equal(profiled.riskClass, 'high_risk');
    assert.equal(profiled.decisiveQuestionId, 'f_profiling');
    assert.equal(profiled.reasonKey, 'aiact.results.reasons.high_risk_profiling');
    // The exception question is not even asked once profiling is confirmed.
    assert.ok(!path(complete({ ai_system: 'yes', ...yes('h_public_benefits', 'f_profiling') })).some((q) => q.id === 'f_exception'));
    const narrow = run({ ...yes('h_public_benefits', 'f_exception'), f_profiling: 'no' });
    assert.equal(narrow.riskClass, 'minimal');
    assert.deepEqual(ids(narrow), ['ai_literacy', 'exception_documentation']);
  });

  it('Art. 27 and Art. 49(3) do not apply to critical infrastructure under Annex III point 2', () => {
    const utilities = run(yes('h_critical_infrastructure'));
    assert.equal(utilities.riskClass, 'high_risk');
    assert.ok(!ids(utilities).includes('fria'), 'no fundamental-rights impact assessment');
    assert.ok(!ids(utilities).includes('registration'), 'no registration by the municipality');
    assert.ok(ids(utilities).includes('human_oversight'));
    // Another area next to point 2 brings both back.
    const both = run(yes('h_critical_infrastructure', 'h_employment'));
    assert.ok(ids(both).includes('fria') && ids(both).includes('registration'));
  });

  it('transparency duties add to high-risk ones', () => {
    const result = run(yes('h_employment', 't_chatbot', 't_public_text'));
    assert.equal(result.riskClass, 'high_risk');
    for (const id of ['human_oversight', 'fria', 'registration', 'disclose_chatbot', 'disclose_public_text', 'ai_literacy']) assert.ok(ids(result).includes(id), id);
    assert.equal(dateOf(result, 'disclose_chatbot'), '2026-08-02');
    assert.equal(dateOf(result, 'human_oversight'), '2027-12-02');
  });

  it('"not an AI system" stops the AI-Act questions and keeps only data protection and co-determination', () => {
    assert.deepEqual(path({ ai_system: 'no' }).map((q) => q.id), ['ai_system', 'd_personal_data']);
    const result = evaluate(complete({ ai_system: 'no' }, () => 'yes'), TODAY);
    assert.equal(result.riskClass, 'not_ai');
    assert.deepEqual(result.obligations, []);
    assert.deepEqual(result.todos.map((t) => t.id), ['legal_basis', 'information_duties', 'records', 'processing_agreement', 'dpia', 'automated_decision', 'codetermination']);
  });

  it('a chatbot without high-risk use has transparency duties, a plain tool only AI literacy', () => {
    const chatbot = run(yes('t_chatbot'));
    assert.equal(chatbot.riskClass, 'transparency');
    assert.deepEqual(ids(chatbot), ['ai_literacy', 'disclose_chatbot']);
    assert.equal(chatbot.reasonKey, 'aiact.results.reasons.transparency');
    const plain = run({});
    assert.equal(plain.riskClass, 'minimal');
    assert.deepEqual(ids(plain), ['ai_literacy']);
    assert.equal(plain.decisiveQuestionId, null);
  });

  it('an Annex I product is high-risk from the Annex I date, without the Annex III duties', () => {
    const lift = run(yes('h_annex_i_product'));
    assert.equal(lift.riskClass, 'high_risk');
    assert.equal(lift.decisiveQuestionId, 'h_annex_i_product');
    for (const id of ['fria', 'registration', 'inform_affected']) assert.ok(!ids(lift).includes(id), id);
    assert.equal(dateOf(lift, 'human_oversight'), '2028-08-02');
    assert.ok(!path(complete({ ai_system: 'yes', ...yes('h_annex_i_product') })).some((q) => q.section === 'exception'), 'no Art. 6(3) questions');
  });

  it('a municipality that offers the system under its own name gets the provider note', () => {
    assert.ok(ids(run({ provider: 'yes' })).includes('provider_role'));
    assert.ok(!ids(run({ provider: 'no' })).includes('provider_role'));
  });

  it('asks for a DPIA only when the AI part has not already made it necessary', () => {
    const high = complete({ ai_system: 'yes', ...yes('h_education', 'd_personal_data') });
    assert.ok(!path(high).some((q) => q.id === 'd_high_risk_processing'));
    assert.ok(evaluate(high, TODAY).todos.some((t) => t.id === 'dpia'));
    const minimal = complete({ ai_system: 'yes', d_personal_data: 'yes' });
    assert.ok(path(minimal).some((q) => q.id === 'd_high_risk_processing'));
    assert.ok(!evaluate(minimal, TODAY).todos.some((t) => t.id === 'dpia'));
  });
});

describe('AI-Act self-check: steps, bad input and going back', () => {
  it('numbers the steps along the current path and returns the first open question', () => {
    assert.deepEqual(path({}).map((q) => [q.id, q.step]), [['ai_system', 1]]);
    const answers = { ai_system: 'yes', provider: 'no', p_social_scoring: 'no' };
    const steps = path(answers);
    assert.deepEqual(steps.map((q) => q.step), [1, 2, 3, 4]);
    assert.equal(nextQuestion(answers)?.id, 'p_emotion_workplace');
    assert.equal(nextQuestion(answers)?.step, 4);
    assert.equal(steps[0].textKey, 'aiact.questions.ai_system.text');
    assert.equal(steps[2].articleRef, 'Art. 5 Abs. 1 lit. c KI-VO');
    assert.deepEqual(steps[0].options, [{ value: 'yes', labelKey: 'common.yes' }, { value: 'no', labelKey: 'common.no' }]);
    assert.equal(isComplete(answers), false);
    assert.throws(() => evaluate(answers), /not complete/);
  });

  it('rejects unknown questions, skipped or contradictory questions and values that do not exist', () => {
    const notAi = { ai_system: 'no' };
    assert.equal(answerError(notAi, 'no_such_question', 'yes'), ANSWER_ERRORS.unknownQuestion);
    assert.equal(answerError(notAi, 't_chatbot', 'yes'), ANSWER_ERRORS.notOnPath, 'transparency for something declared not AI');
    assert.equal(answerError({}, 'p_social_scoring', 'no'), ANSWER_ERRORS.notOnPath, 'skipping ahead');
    assert.equal(answerError({ ai_system: 'yes', provider: 'no' }, 'f_exception', 'yes'), ANSWER_ERRORS.notOnPath, 'Art. 6(3) without an Annex III area');
    assert.equal(answerError(notAi, 'd_personal_data', 'maybe'), ANSWER_ERRORS.invalidValue);
    assert.equal(answerError(notAi, 'd_personal_data', ''), ANSWER_ERRORS.invalidValue);
    assert.equal(answerError(notAi, 'd_personal_data', 'yes'), null);
    // Going back: an earlier question on the path may be answered again.
    assert.equal(answerError({ ai_system: 'no', d_personal_data: 'yes' }, 'ai_system', 'yes'), null);
  });

  it('ignores tampered and invalid stored answers instead of counting them', () => {
    const tampered = { ai_system: 'maybe', t_chatbot: 'yes' };
    assert.deepEqual(pruneAnswers(tampered), {});
    assert.equal(nextQuestion(tampered)?.id, 'ai_system');
    assert.equal(isComplete(tampered), false);
  });

  it('drops the answers that no longer matter after an earlier answer changes, and keeps the rest', () => {
    const highRisk = complete({ ai_system: 'yes', ...yes('h_public_benefits', 'f_profiling', 't_chatbot', 'd_personal_data') });
    assert.equal(evaluate(highRisk, TODAY).riskClass, 'high_risk');
    // Going back and declaring it not AI drops every AI-Act answer but keeps data protection.
    const notAi = pruneAnswers({ ...highRisk, ai_system: 'no' });
    assert.ok(Object.keys(notAi).every((id) => id === 'ai_system' || !AI_ACT_SECTIONS.has(sectionOf.get(id)!)));
    assert.equal(notAi.d_personal_data, 'yes');
    // The DPIA question, skipped while the system was high-risk, now has to be answered.
    assert.equal(nextQuestion(notAi)?.id, 'd_high_risk_processing');
    assert.equal(notAi.d_staff_data, 'no', 'answers after the new question are kept');
    assert.equal(evaluate({ ...notAi, d_high_risk_processing: 'no' }, TODAY).riskClass, 'not_ai');
    // Going back and removing the Annex III area drops the Art. 6(3) answers and asks for the DPIA question.
    const changed = pruneAnswers({ ...highRisk, h_public_benefits: 'no' });
    assert.equal(changed.f_profiling, undefined);
    assert.equal(changed.t_chatbot, 'yes');
    assert.equal(nextQuestion(changed)?.id, 'd_high_risk_processing');
    assert.equal(evaluate(complete(changed), TODAY).riskClass, 'transparency');
  });
});

describe('AI-Act self-check: dated rule versions', () => {
  it('uses the Digital-Omnibus dates today and names the rule version', () => {
    assert.equal(RULE_VERSION, OMNIBUS.id);
    assert.match(RULE_VERSION, /Anhang III ab 2027-12-02, Anhang I ab 2028-08-02/);
    assert.equal(ruleVersionOn(TODAY).id, OMNIBUS.id);
    const result = run(yes('h_employment', 'h_annex_i_product'));
    assert.equal(result.ruleVersion, OMNIBUS.id);
    assert.equal(dateOf(result, 'human_oversight'), '2027-12-02', 'the earlier of the Annex III and Annex I dates');
    assert.equal(dateOf(result, 'fria'), '2027-12-02');
    assert.equal(dateOf(result, 'ai_literacy'), '2025-02-02');
  });

  it('keeps the original Art. 113 dates for checks evaluated before the postponement', () => {
    const before = '2026-03-01';
    assert.equal(ruleVersionOn(before).id, ORIGINAL.id);
    const annexIII = run(yes('h_employment'), before);
    assert.equal(annexIII.ruleVersion, ORIGINAL.id);
    assert.equal(dateOf(annexIII, 'human_oversight'), '2026-08-02');
    assert.equal(dateOf(annexIII, 'registration'), '2026-08-02');
    assert.equal(dateOf(run(yes('h_annex_i_product'), before), 'logs'), '2027-08-02');
    assert.equal(dateOf(run(yes('t_chatbot'), before), 'disclose_chatbot'), '2026-08-02');
  });

  it('evaluates with today\'s rule version by default', () => {
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(evaluate(complete({ ai_system: 'no' })).ruleVersion, ruleVersionOn(today).id);
  });
});
