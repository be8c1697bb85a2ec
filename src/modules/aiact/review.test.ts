import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { de } from '../../platform/i18n/de.js';
import { translatorFor } from '../../platform/i18n/index.js';
import { endingAnswer, evaluate, expectedLength, nextQuestion, path, type Answers } from './engine.js';
import { ANNEX_III_QUESTIONS, OBLIGATIONS } from './rules.js';

const t = translatorFor('de');
const TODAY = '2026-12-08';

/** Every complete path with at most one Annex III area answered "yes" (more areas add no new staff-council case). */
function everyPath(visit: (answers: Answers) => void): number {
  let count = 0;
  const walk = (answers: Answers) => {
    const q = nextQuestion(answers);
    if (!q) { count++; visit(answers); return; }
    const oneArea = ANNEX_III_QUESTIONS.some((id) => answers[id] === 'yes') && (ANNEX_III_QUESTIONS as readonly string[]).includes(q.id);
    for (const value of oneArea ? ['no'] : q.options.map((o) => o.value)) walk({ ...answers, [q.id]: value });
  };
  walk({});
  return count;
}

describe('self-check report: what it says agrees with itself', () => {
  it('every duty that names the staff council appears in the staff-council section, on every path', () => {
    const naming = OBLIGATIONS.filter((o) => {
      const texts = (de.aiact.obligations as Record<string, { title: string; explanation: string }>)[o.id];
      return /Personalrat/.test(`${texts.title} ${texts.explanation}`);
    });
    assert.deepEqual(naming.map((o) => o.id), ['inform_staff'], 'the duties that name the staff council');
    let withDuty = 0;
    const paths = everyPath((answers) => {
      const result = evaluate(answers, TODAY);
      const staff = result.todos.filter((x) => x.area === 'staff_council');
      for (const duty of result.obligations.filter((o) => naming.some((n) => n.id === o.id))) {
        withDuty++;
        assert.ok(staff.some((x) => x.article.includes(duty.article)), `${JSON.stringify(answers)}: ${duty.article} is missing from the staff-council section`);
      }
    });
    assert.ok(paths > 1000 && withDuty > 100, `${paths} paths, ${withDuty} with the duty`);
  });

  it('the reason quotes the question as it was asked: "Telefonassistent", not another wording', () => {
    const answers: Answers = { ai_system: 'yes', t_chatbot: 'yes' };
    for (let q = nextQuestion(answers); q; q = nextQuestion(answers)) answers[q.id] = 'no';
    const result = evaluate(answers, TODAY);
    const reason = t(result.reasonKey, result.reasonParams);
    assert.equal(reason, 'Transparenzpflichten, weil Sie „Spricht oder schreibt das System direkt mit Menschen, etwa als Chatbot oder Telefonassistent?“ bejaht haben (Art. 50 KI-VO).');
    // And on every path: the quoted question is word for word the one on the page.
    everyPath((answers) => {
      const r = evaluate(answers, TODAY);
      if (r.decisiveQuestionId) assert.ok(t(r.reasonKey, r.reasonParams).includes(t(`aiact.questions.${r.decisiveQuestionId}.text`)), JSON.stringify(answers));
    });
  });

  it('asks "Sind Sie sicher?" exactly for answers that make the check "verboten" or "kein KI-System"', () => {
    assert.deepEqual(endingAnswer({}, 'ai_system', 'no'), {
      riskClass: 'not_ai', reasonKey: 'aiact.results.reasons.not_ai', reasonParams: { question: 'aiact.questions.ai_system.text' },
    });
    assert.equal(endingAnswer({}, 'ai_system', 'yes'), null);
    const upToBans = { ai_system: 'yes', provider: 'no', p_social_scoring: 'no' };
    assert.equal(endingAnswer(upToBans, 'p_emotion_workplace', 'yes')?.riskClass, 'prohibited');
    assert.equal(endingAnswer(upToBans, 'p_emotion_workplace', 'yes')?.reasonParams.question, 'aiact.questions.p_emotion_workplace.text');
    assert.equal(endingAnswer(upToBans, 'p_emotion_workplace', 'no'), null);
    // Answering the same again, once it is settled, needs no second confirmation.
    assert.equal(endingAnswer({ ai_system: 'no' }, 'ai_system', 'no'), null);
  });

  it('counts "Frage 8 von 27": the total follows the answers', () => {
    assert.equal(expectedLength({}), 27, 'an AI system, nothing else: 2 scope + 8 bans + 10 high-risk + 5 transparency + 2 data and staff questions');
    assert.equal(expectedLength({ ai_system: 'yes', d_personal_data: 'yes' }), 30, 'with personal data: three more data-protection questions');
    assert.equal(expectedLength({ ai_system: 'no' }), 3, 'not AI: the scope question, personal data and staff data');
    assert.equal(expectedLength({ ai_system: 'yes', provider: 'no', p_social_scoring: 'yes' }), 3, 'a ban ends the questionnaire');
    assert.equal(path({ ai_system: 'yes', provider: 'no' })[2].step, 3);
  });
});
