import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import type { Visitor } from '../../../test/support/client.js';
import { makeSolution, viewerOf } from '../../../test/support/catalogue.js';
import { completeSetup, signedIn } from '../../../test/support/factories.js';
import { errorSummary, pageText } from '../../../test/support/page.js';
import { setRiskClass } from '../catalogue/service.js';

const db = (t: TestApp) => t.database.db;

/** Answers for a system that decides on housing benefit and profiles applicants: high-risk under Annex III point 5(a). */
const HIGH_RISK = { ai_system: 'yes', h_public_benefits: 'yes', f_profiling: 'yes', d_personal_data: 'yes' };
/** A chatbot in the citizens' office: transparency duties under Art. 50. */
const CHATBOT = { ai_system: 'yes', t_chatbot: 'yes' };

/** The question a step page asks, by its hidden field. */
function questionOn(html: string): { id: string; step: string } {
  const id = /<input type="hidden" name="question" value="([^"]+)"/.exec(html)?.[1];
  const step = /<input type="hidden" name="step" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(id && step, 'a step page with its question');
  return { id, step };
}

/**
 * Walks a check from wherever it is to its report, answering each question as the map says ("no" where it says
 * nothing), exactly as a person pressing "Weiter" would: confirming an answer that ends the check ("Sind Sie
 * sicher?") and storing the result on the review page. Returns the number of steps answered.
 */
async function answerThrough(visitor: Visitor, checkId: number, answers: Record<string, string>, from = `/selbstcheck/${checkId}`): Promise<number> {
  let res = await visitor.get(from);
  let steps = 0;
  for (;;) {
    if (res.statusCode === 303 && /\/(schritt\/|pruefen)/.test(String(res.headers.location))) res = await visitor.get(String(res.headers.location));
    if (res.statusCode !== 200 || !/name="question"|action="\/selbstcheck\/\d+\/pruefen"/.test(res.body)) break;
    if (!/name="question"/.test(res.body)) {
      // The review page: store the result.
      res = await visitor.post(`/selbstcheck/${checkId}/pruefen`);
      assert.equal(res.statusCode, 303, errorSummary(res.body));
      res = await visitor.get(String(res.headers.location));
      break;
    }
    const q = questionOn(res.body);
    const url = `/selbstcheck/${checkId}/schritt/${q.step}`;
    const form = { step: q.step, question: q.id, answer: answers[q.id] ?? 'no' };
    let posted = await visitor.post(url, form);
    if (posted.statusCode === 200 && /Sind Sie sicher\?/.test(posted.body)) posted = await visitor.post(url, { ...form, confirm: 'yes' });
    assert.equal(posted.statusCode, 303, errorSummary(posted.body));
    steps++;
    assert.ok(steps < 60, 'the questionnaire ends');
    res = posted;
  }
  assert.equal(res.statusCode, 200, 'the report');
  assert.match(res.body, /class="report/, 'the report');
  return steps;
}

/** Starts the check of a solution from its page; returns the check's id. */
async function startFor(visitor: Visitor, slug: string): Promise<number> {
  await visitor.get(`/loesungen/${slug}/selbstcheck`);
  const res = await visitor.post(`/loesungen/${slug}/selbstcheck`);
  assert.equal(res.statusCode, 303, errorSummary(res.body));
  const id = Number(/^\/selbstcheck\/(\d+)$/.exec(String(res.headers.location))?.[1]);
  assert.ok(id > 0);
  return id;
}

async function checkRow(t: TestApp, id: number) {
  return db(t).selectFrom('ai_act_checks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function solutionRow(t: TestApp, slug: string) {
  return db(t).selectFrom('solutions').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
}

describe('AI Act self-check of a solution', () => {
  let t: TestApp;
  let member: Visitor;
  let memberId: number;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    const m = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg', name: 'Maria Muster' });
    member = m.visitor;
    memberId = m.user.id;
  });
  after(() => t.close());

  const solution = async (title: string, fields: Record<string, string> = {}) =>
    (await makeSolution(db(t), await viewerOf(db(t), memberId), { title, summary: 'Zum Prüfen des Selbstchecks.', ai_act_class: 'minimal', ...fields })).slug;

  it('the result sets the solution\'s risk class, shown on its page with the date and rule version, and the report lists the duties', async () => {
    const slug = await solution('Wohngeld-Vorprüfung');
    const id = await startFor(member, slug);
    await answerThrough(member, id, HIGH_RISK);

    const row = await solutionRow(t, slug);
    assert.equal(row.ai_act_class, 'high_risk');
    assert.equal(row.ai_act_check_id, id);
    const check = await checkRow(t, id);
    assert.equal(check.status, 'complete');
    assert.equal(check.risk_class, 'high_risk');
    assert.equal(row.ai_act_rule_version, check.rule_version);
    assert.ok(check.completed_at);
    // The change of class is a version of the solution like any edit.
    const versions = await db(t).selectFrom('solution_versions').select(['version', 'changed_fields']).where('solution_id', '=', row.id).orderBy('version').execute();
    assert.deepEqual(JSON.parse(versions.at(-1)!.changed_fields), ['ai_act_class']);

    const page = pageText((await member.get(`/loesungen/${slug}`)).body);
    assert.match(page, /Hochrisiko \(laut Selbstcheck vom \d\d\.\d\d\.\d{4}/);
    assert.ok(page.includes(`Regelstand ${check.rule_version}`), 'the rule version on the solution page');
    assert.match((await member.get(`/loesungen/${slug}`)).body, new RegExp(`href="/selbstcheck/${id}"`));

    const report = await member.get(`/selbstcheck/${id}`);
    assert.equal(report.statusCode, 200);
    const text = pageText(report.body);
    assert.ok(text.includes('Orientierungshilfe, keine Rechtsberatung'));
    assert.ok(text.includes('Hochrisiko'));
    assert.ok(text.includes('Art. 27 KI-VO'), 'the fundamental-rights impact assessment for a public body');
    assert.ok(text.includes('Art. 26 Abs. 2 KI-VO'), 'human oversight');
    assert.ok(text.includes('Art. 35 DSGVO'), 'the DPIA among the data-protection to-dos');
    assert.ok(text.includes(`Regelstand ${check.rule_version}`));
    assert.ok(text.includes('Maria Muster'), 'who answered');
    assert.match(report.body, /href="\/static\/aiact\.css\?v=[0-9a-f]+"/, 'the print stylesheet');
  });

  it('a redo is a new check: the earlier one and its report stay in the history', async () => {
    const slug = await solution('Chatbot Bürgerbüro');
    const first = await startFor(member, slug);
    await answerThrough(member, first, HIGH_RISK);
    const redo = await member.post(`/selbstcheck/${first}/wiederholen`);
    assert.equal(redo.statusCode, 303);
    const second = Number(/^\/selbstcheck\/(\d+)\/schritt\/1$/.exec(String(redo.headers.location))?.[1]);
    assert.ok(second > first, 'a new check');
    // The redo starts from the earlier answers: the first question is already ticked.
    assert.match((await member.get(`/selbstcheck/${second}/schritt/1`)).body, /value="yes" checked/);
    await answerThrough(member, second, CHATBOT, `/selbstcheck/${second}/schritt/1`);

    assert.equal((await solutionRow(t, slug)).ai_act_class, 'transparency');
    assert.equal((await checkRow(t, first)).risk_class, 'high_risk', 'the earlier result is kept');
    const history = pageText((await member.get(`/loesungen/${slug}/selbstcheck`)).body);
    assert.ok(history.includes('Hochrisiko') && history.includes('Transparenzpflicht'), history);
    assert.ok(pageText((await member.get(`/selbstcheck/${first}`)).body).includes('Hochrisiko'), 'the first report still opens');
    assert.ok(pageText((await member.get('/selbstcheck')).body).includes('Chatbot Bürgerbüro'), 'listed among the organisation\'s checks');
  });

  it('a half-finished check is a draft: it has no result, the solution keeps its class, the report address leads back to the open question', async () => {
    const slug = await solution('Halb fertig');
    const id = await startFor(member, slug);
    for (const [step, question, answer] of [[1, 'ai_system', 'yes'], [2, 'provider', 'no']] as const) {
      await member.get(`/selbstcheck/${id}/schritt/${step}`);
      assert.equal((await member.post(`/selbstcheck/${id}/schritt/${step}`, { step: String(step), question, answer })).statusCode, 303);
    }
    const check = await checkRow(t, id);
    assert.equal(check.status, 'draft');
    assert.equal(check.result, null);
    assert.equal(check.risk_class, null);
    assert.deepEqual(JSON.parse(check.answers), { ai_system: 'yes', provider: 'no' });
    const report = await member.get(`/selbstcheck/${id}`);
    assert.equal(report.statusCode, 303);
    assert.equal(report.headers.location, `/selbstcheck/${id}/schritt/3`);
    assert.equal((await solutionRow(t, slug)).ai_act_class, 'minimal');
    const history = pageText((await member.get(`/loesungen/${slug}/selbstcheck`)).body);
    assert.ok(history.includes('Entwurf'), history);
    assert.ok(!/Kein KI-System|Minimales Risiko \(laut/.test(pageText((await member.get(`/loesungen/${slug}`)).body)));
    // Starting again continues the draft instead of opening a second one.
    assert.equal(await startFor(member, slug), id);
  });

  it('going back shows the earlier answer ticked; changing it drops the answers no longer on the path', async () => {
    const slug = await solution('Zurück und ändern');
    const id = await startFor(member, slug);
    for (const [step, question, answer] of [[1, 'ai_system', 'yes'], [2, 'provider', 'no'], [3, 'p_social_scoring', 'no']] as const) {
      await member.get(`/selbstcheck/${id}/schritt/${step}`);
      assert.equal((await member.post(`/selbstcheck/${id}/schritt/${step}`, { step: String(step), question, answer })).statusCode, 303);
    }
    const back = await member.post(`/selbstcheck/${id}/schritt/4`, { navigate: 'back' });
    assert.equal(back.statusCode, 303);
    assert.equal(back.headers.location, `/selbstcheck/${id}/schritt/3`);
    const page = await member.get(`/selbstcheck/${id}/schritt/3`);
    assert.equal(questionOn(page.body).id, 'p_social_scoring');
    assert.match(page.body, /value="no" checked/);
    assert.match(page.body, /Zurück/);
    assert.match(page.body, /Weiter/);

    await member.get(`/selbstcheck/${id}/schritt/1`);
    assert.equal((await member.post(`/selbstcheck/${id}/schritt/1`, { step: '1', question: 'ai_system', answer: 'no', confirm: 'yes' })).statusCode, 303);
    assert.deepEqual(JSON.parse((await checkRow(t, id)).answers), { ai_system: 'no' }, 'the AI Act answers are off the path now');
  });

  it('tampered steps, unknown values, skipped questions and transparency answers for a non-AI system are refused with a message and change nothing', async () => {
    const slug = await solution('Falsche Eingaben');
    const id = await startFor(member, slug);
    await member.get(`/selbstcheck/${id}/schritt/1`);
    assert.equal((await member.post(`/selbstcheck/${id}/schritt/1`, { step: '1', question: 'ai_system', answer: 'no', confirm: 'yes' })).statusCode, 303);
    const before = await checkRow(t, id);

    const attempts: [string, Record<string, string>, RegExp][] = [
      // The step in the form is not the step of the address.
      [`/selbstcheck/${id}/schritt/2`, { step: '7', question: questionOn((await member.get(`/selbstcheck/${id}/schritt/2`)).body).id, answer: 'no' }, /passt nicht zu der Frage/],
      // A value the question does not offer.
      [`/selbstcheck/${id}/schritt/2`, { step: '2', question: 'd_personal_data', answer: 'vielleicht' }, /./],
      // No answer at all.
      [`/selbstcheck/${id}/schritt/2`, { step: '2', question: 'd_personal_data' }, /Bitte wählen Sie eine Antwort aus/],
      // A question further on, skipping the open one.
      [`/selbstcheck/${id}/schritt/5`, { step: '5', question: 'd_staff_data', answer: 'no' }, /noch nicht an der Reihe/],
      // A transparency question for something declared not to be AI.
      [`/selbstcheck/${id}/schritt/2`, { step: '2', question: 't_chatbot', answer: 'yes' }, /passt nicht zu der Frage/],
    ];
    for (const [url, fields, message] of attempts) {
      await member.get(`/selbstcheck/${id}/schritt/2`);
      const res = await member.post(url, fields);
      assert.equal(res.statusCode, 422, `${url} ${JSON.stringify(fields)}`);
      assert.match(errorSummary(res.body), message, JSON.stringify(fields));
      assert.match(res.body, /<html lang="de"/);
    }
    const afterwards = await checkRow(t, id);
    assert.equal(afterwards.answers, before.answers);
    assert.equal(afterwards.status, 'draft');
    assert.equal(afterwards.updated_at, before.updated_at);
  });

  it('only those who may edit the solution run its check; members of other organisations see the history only', async () => {
    const slug = await solution('Fremde Lösung');
    const id = await startFor(member, slug);
    const { visitor: other } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const page = await other.get(`/loesungen/${slug}/selbstcheck`);
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes(`action="/loesungen/${slug}/selbstcheck"`), 'no start button');
    assert.equal((await other.post(`/loesungen/${slug}/selbstcheck`)).statusCode, 403);
    // Another organisation's unfinished check is nobody else's business: it does not exist for them.
    assert.equal((await other.get(`/selbstcheck/${id}/schritt/1`)).statusCode, 404);
    await other.get('/selbstcheck');
    assert.equal((await other.post(`/selbstcheck/${id}/schritt/1`, { step: '1', question: 'ai_system', answer: 'yes' })).statusCode, 404);
    assert.equal((await checkRow(t, id)).answers, '{}');
    // A moderator may edit every solution, so may run its check.
    const { visitor: moderator } = await signedIn(t.app, db(t), 'moderator', { organisation: 'Olpe' });
    await moderator.get(`/loesungen/${slug}/selbstcheck`);
    assert.equal((await moderator.post(`/loesungen/${slug}/selbstcheck`)).statusCode, 303);
  });

  it('the check of a draft solution stays with its organisation and the moderators: 404 for everyone else on every check route', async () => {
    const slug = await solution('Geheimer Entwurf', { visibility: 'draft' });
    const id = await startFor(member, slug);
    await answerThrough(member, id, HIGH_RISK);
    const { visitor: other } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    await other.get('/selbstcheck');
    const refused = [
      await other.get(`/selbstcheck/${id}`),
      await other.get(`/selbstcheck/${id}/schritt/1`),
      await other.post(`/selbstcheck/${id}/schritt/1`, { step: '1', question: 'ai_system', answer: 'yes' }),
      await other.post(`/selbstcheck/${id}/wiederholen`),
    ];
    assert.deepEqual(refused.map((r) => r.statusCode), [404, 404, 404, 404]);
    for (const r of refused) {
      assert.ok(!r.body.includes('Geheimer Entwurf') && !r.body.includes('Maria Muster'), 'neither title nor person');
    }
    // An id that does not exist answers the same, so ids cannot be walked.
    assert.equal((await other.get(`/selbstcheck/${id + 1000}`)).statusCode, 404);
    assert.equal((await checkRow(t, id)).status, 'complete');
    const { visitor: moderator } = await signedIn(t.app, db(t), 'moderator', { organisation: 'Olpe' });
    assert.equal((await moderator.get(`/selbstcheck/${id}`)).statusCode, 200);
    assert.equal((await member.get(`/selbstcheck/${id}`)).statusCode, 200);
    // Once the solution is shared with the members, its completed check is too.
    await db(t).updateTable('solutions').set({ visibility: 'members' }).where('slug', '=', slug).execute();
    const shared = await other.get(`/selbstcheck/${id}`);
    assert.equal(shared.statusCode, 200);
    assert.ok(pageText(shared.body).includes('Geheimer Entwurf'));
  });

  it('another organisation\'s unfinished check of a shared solution is not listed on the solution\'s check page', async () => {
    const slug = await solution('Halbfertig geprüft');
    const id = await startFor(member, slug);
    const { visitor: other } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const page = await other.get(`/loesungen/${slug}/selbstcheck`);
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes(`/selbstcheck/${id}`), 'no link to the draft');
    assert.ok((await member.get(`/loesungen/${slug}/selbstcheck`)).body.includes(`/selbstcheck/${id}`), 'its own organisation sees it');
  });

  it('setRiskClass records a version only when the class changes and refuses who may not edit the solution', async () => {
    const slug = await solution('Direkt gesetzt');
    const row = await solutionRow(t, slug);
    const owner = await viewerOf(db(t), memberId);
    await db(t).transaction().execute((trx) => setRiskClass(trx, owner, row.id, 'minimal', { id: 1, ruleVersion: 'v-test' }));
    const same = await solutionRow(t, slug);
    assert.equal(same.version, row.version, 'no new version for the same class');
    assert.equal(same.ai_act_rule_version, 'v-test');
    await db(t).transaction().execute((trx) => setRiskClass(trx, owner, row.id, 'not_ai', { id: 1, ruleVersion: 'v-test' }));
    assert.equal((await solutionRow(t, slug)).version, row.version + 1);
    const { user } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const stranger = await viewerOf(db(t), user.id);
    await assert.rejects(db(t).transaction().execute((trx) => setRiskClass(trx, stranger, row.id, 'prohibited', { id: 1, ruleVersion: 'v-test' })), /FORBIDDEN/);
    assert.equal((await solutionRow(t, slug)).ai_act_class, 'not_ai');
  });
});

describe('AI Act self-check without a catalogue solution', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('a member names the system, answers the questions and gets the report; an empty name comes back with the error summary', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    await visitor.get('/selbstcheck/neu');
    const empty = await visitor.post('/selbstcheck/neu', { title: '  ' });
    assert.equal(empty.statusCode, 422);
    assert.match(errorSummary(empty.body), /Bezeichnung des Systems/);
    const res = await visitor.post('/selbstcheck/neu', { title: 'Übersetzungsdienst' });
    assert.equal(res.statusCode, 303);
    const id = Number(/^\/selbstcheck\/(\d+)\/schritt\/1$/.exec(String(res.headers.location))?.[1]);
    await answerThrough(visitor, id, { ai_system: 'no' });
    const report = pageText((await visitor.get(`/selbstcheck/${id}`)).body);
    assert.ok(report.includes('Kein KI-System'), report);
    assert.ok(report.includes('Übersetzungsdienst'));
    assert.equal((await checkRow(t, id)).solution_id, null);
    // Another organisation's member may not read a check that belongs to no public solution: for them it does not exist.
    const { visitor: other } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    assert.equal((await other.get(`/selbstcheck/${id}`)).statusCode, 404);
  });
});
