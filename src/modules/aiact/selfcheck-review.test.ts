import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import JSZip from 'jszip';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { makeSolution, viewerOf } from '../../../test/support/catalogue.js';
import { completeSetup, signedIn } from '../../../test/support/factories.js';
import { errorSummary, pageText } from '../../../test/support/page.js';

const db = (t: TestApp) => t.database.db;

/** A system that pre-checks housing benefit and profiles applicants: high-risk under Annex III point 5(a), with personal data. */
const HOUSING = { ai_system: 'yes', h_public_benefits: 'yes', f_profiling: 'yes', d_personal_data: 'yes' };
/** A chatbot in the citizens' office that processes personal data with an external vendor. */
const CHATBOT = { ai_system: 'yes', t_chatbot: 'yes', d_personal_data: 'yes', d_external_vendor: 'yes' };

const questionOn = (html: string) => ({
  id: /<input type="hidden" name="question" value="([^"]+)"/.exec(html)?.[1] ?? '',
  step: /<input type="hidden" name="step" value="([^"]+)"/.exec(html)?.[1] ?? '',
});

/** Answers every open question of a draft ("no" unless the map says otherwise), confirming where asked, up to the review page. */
async function answerToReview(visitor: Visitor, id: number, answers: Record<string, string>, from: string | null = null): Promise<void> {
  let res = from ? null : await visitor.get(`/selbstcheck/${id}`);
  let url = from;
  for (let i = 0; i < 60; i++) {
    if (res) {
      const to = String(res.headers.location ?? '');
      if (res.statusCode === 303 && to === `/selbstcheck/${id}/pruefen`) return;
      assert.equal(res.statusCode, 303, errorSummary(res.body));
      url = to;
    }
    const page = await visitor.get(url!);
    const q = questionOn(page.body);
    const form = { step: q.step, question: q.id, answer: answers[q.id] ?? 'no' };
    res = await visitor.post(`/selbstcheck/${id}/schritt/${q.step}`, form);
    if (res.statusCode === 200) res = await visitor.post(`/selbstcheck/${id}/schritt/${q.step}`, { ...form, confirm: 'yes' });
  }
  assert.fail('no review page');
}

async function store(visitor: Visitor, id: number) {
  await visitor.get(`/selbstcheck/${id}/pruefen`);
  const res = await visitor.post(`/selbstcheck/${id}/pruefen`);
  assert.equal(res.statusCode, 303, errorSummary(res.body));
  assert.equal(res.headers.location, `/selbstcheck/${id}`);
}

async function standalone(visitor: Visitor, title: string): Promise<number> {
  await visitor.get('/selbstcheck/neu');
  const res = await visitor.post('/selbstcheck/neu', { title });
  return Number(/^\/selbstcheck\/(\d+)\/schritt\/1$/.exec(String(res.headers.location))?.[1]);
}

describe('self-check: review, confirmation, changing and withdrawing', () => {
  let t: TestApp;
  let member: Visitor;
  let memberId: number;
  const row = (id: number) => db(t).selectFrom('ai_act_checks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const solutionRow = (slug: string) => db(t).selectFrom('solutions').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    const m = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg', name: 'Maria Muster' });
    member = m.visitor;
    memberId = m.user.id;
  });
  after(() => t.close());

  const startFor = async (slug: string) => {
    await member.get(`/loesungen/${slug}/selbstcheck`);
    const res = await member.post(`/loesungen/${slug}/selbstcheck`);
    return Number(/^\/selbstcheck\/(\d+)$/.exec(String(res.headers.location))?.[1]);
  };

  it('shows the self-check in the main navigation to members, with "Frage 1 von 27", the section and "Zurück" before "Weiter"', async () => {
    assert.match((await member.get('/')).body, /<a[^>]*href="\/selbstcheck"[^>]*>KI-Selbstcheck<\/a>/);
    assert.doesNotMatch((await new Visitor(t.app).get('/')).body, /href="\/selbstcheck"/, 'not for visitors who are not signed in');
    const id = await standalone(member, 'Fortschritt');
    const first = pageText((await member.get(`/selbstcheck/${id}/schritt/1`)).body);
    assert.ok(first.includes('Frage 1 von 27 · Abschnitt 1 von 7: Anwendungsbereich'), first);
    await member.post(`/selbstcheck/${id}/schritt/1`, { step: '1', question: 'ai_system', answer: 'yes' });
    await member.post(`/selbstcheck/${id}/schritt/2`, { step: '2', question: 'provider', answer: 'no' });
    const third = (await member.get(`/selbstcheck/${id}/schritt/3`)).body;
    assert.ok(pageText(third).includes('Frage 3 von 27 · Abschnitt 2 von 7: Verbotene Praktiken'));
    assert.ok(third.indexOf('>Zurück<') > 0 && third.indexOf('>Zurück<') < third.indexOf('>Weiter<'), '"Zurück" comes before "Weiter"');
    assert.match(third, /<a class="button button-secondary" href="\/selbstcheck\/\d+\/schritt\/2">Zurück<\/a>/);
  });

  it('the last answer leads to the review; "ändern" there opens that question and returns to the review; the result is stored only from the review', async () => {
    const slug = (await makeSolution(db(t), await viewerOf(db(t), memberId), { title: 'Wohngeld-Vorprüfung', summary: 'Prüft Anträge vor.', ai_act_class: 'minimal' })).slug;
    const id = await startFor(slug);
    await answerToReview(member, id, HOUSING);
    assert.equal((await row(id)).status, 'draft', 'no result before the review is confirmed');
    assert.equal((await solutionRow(slug)).ai_act_class, 'minimal');
    const review = await member.get(`/selbstcheck/${id}/pruefen`);
    const text = pageText(review.body);
    assert.ok(text.includes('30 Antworten'), text);
    assert.ok(text.includes('Hochrisiko'), 'the result these answers give');
    const change = /href="(\/selbstcheck\/\d+\/schritt\/(\d+)\?pruefen=1)">ändern<span class="visually-hidden">: Verarbeitung personenbezogener Daten/.exec(review.body);
    assert.ok(change, 'an "ändern" link per answer');
    const page = await member.get(change[1]);
    assert.equal(questionOn(page.body).id, 'd_personal_data');
    assert.match(page.body, /name="review" value="1"/);
    // Changing the data-protection answer takes questions off the path and goes straight back to the review.
    const back = await member.post(`/selbstcheck/${id}/schritt/${change[2]}`, { step: change[2], question: 'd_personal_data', answer: 'no', review: '1' });
    assert.equal(back.headers.location, `/selbstcheck/${id}/pruefen`);
    assert.ok(pageText((await member.get(`/selbstcheck/${id}/pruefen`)).body).includes('28 Antworten'), 'two data-protection questions fewer');
    // Steps 14 and 16 are education and public benefits. Taking the benefits area away takes Art. 6(3) off the path: back to the review.
    await member.get(`/selbstcheck/${id}/schritt/16?pruefen=1`);
    const off = await member.post(`/selbstcheck/${id}/schritt/16`, { step: '16', question: 'h_public_benefits', answer: 'no', review: '1' });
    assert.equal(off.headers.location, `/selbstcheck/${id}/pruefen`);
    // Education brings the profiling question back onto the path: it is asked next, then the review again.
    const on = await member.post(`/selbstcheck/${id}/schritt/14`, { step: '14', question: 'h_education', answer: 'yes', review: '1' });
    const profiling = String(on.headers.location);
    assert.match(profiling, new RegExp(`^/selbstcheck/${id}/schritt/\\d+\\?pruefen=1$`));
    const asked = await member.get(profiling);
    assert.equal(questionOn(asked.body).id, 'f_profiling');
    const again = await member.post(profiling.split('?')[0], { step: questionOn(asked.body).step, question: 'f_profiling', answer: 'yes', review: '1' });
    assert.equal(again.headers.location, `/selbstcheck/${id}/pruefen`);
    assert.equal((await row(id)).status, 'draft');
    assert.equal((await member.post(`/selbstcheck/${id}/pruefen`)).statusCode, 303);
    const stored = await row(id);
    assert.equal(stored.status, 'complete');
    assert.equal(stored.risk_class, 'high_risk');
    assert.equal((await solutionRow(slug)).ai_act_class, 'high_risk');
    assert.equal((await member.post(`/selbstcheck/${id}/pruefen`)).statusCode, 409, 'stored once');
  });

  it('an answer that ends the check asks "Sind Sie sicher?" with the reason, and stores nothing until confirmed', async () => {
    const id = await standalone(member, 'Gebührenrechner');
    const asked = await member.post(`/selbstcheck/${id}/schritt/1`, { step: '1', question: 'ai_system', answer: 'no' });
    assert.equal(asked.statusCode, 200);
    const text = pageText(asked.body);
    assert.ok(text.includes('Sind Sie sicher?'));
    assert.ok(text.includes('Kein KI-System im Sinne der KI-Verordnung, weil Sie „Leitet das Werkzeug aus den Eingaben selbst ab'), text);
    assert.ok(text.includes('Die weiteren Fragen zur KI-Verordnung entfallen'));
    assert.deepEqual(JSON.parse((await row(id)).answers), {}, 'nothing saved yet');
    assert.match(asked.body, /<a class="button button-secondary" href="\/selbstcheck\/\d+\/schritt\/1">Nein, zurück zur Frage<\/a>/);
    const confirmed = await member.post(`/selbstcheck/${id}/schritt/1`, { step: '1', question: 'ai_system', answer: 'no', confirm: 'yes' });
    assert.equal(confirmed.statusCode, 303);
    assert.deepEqual(JSON.parse((await row(id)).answers), { ai_system: 'no' });

    const banned = await standalone(member, 'Stimmungsanalyse');
    for (const [step, question, answer] of [[1, 'ai_system', 'yes'], [2, 'provider', 'no'], [3, 'p_social_scoring', 'no']] as const) {
      await member.post(`/selbstcheck/${banned}/schritt/${step}`, { step: String(step), question, answer });
    }
    const prohibited = pageText((await member.post(`/selbstcheck/${banned}/schritt/4`, { step: '4', question: 'p_emotion_workplace', answer: 'yes' })).body);
    assert.ok(prohibited.includes('Verboten, weil Sie „Erkennt das System Emotionen von Beschäftigten'), prohibited);
    assert.ok(prohibited.includes('Alle weiteren Fragen entfallen'));
  });

  it('"Antwort ändern" in the report opens that question; the change becomes a new check that goes to the review; the report stays', async () => {
    const id = await standalone(member, 'Chatbot Bürgerbüro');
    await answerToReview(member, id, CHATBOT);
    await store(member, id);
    const report = (await member.get(`/selbstcheck/${id}`)).body;
    assert.match(report, new RegExp(`href="/selbstcheck/${id}/aendern/t_chatbot">Antwort ändern`));
    const page = await member.get(`/selbstcheck/${id}/aendern/t_chatbot`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /value="yes" checked/);
    const changed = await member.post(`/selbstcheck/${id}/aendern/t_chatbot`, { step: questionOn(page.body).step, question: 't_chatbot', answer: 'no' });
    assert.equal(changed.statusCode, 303, errorSummary(changed.body));
    const newId = Number(/^\/selbstcheck\/(\d+)\/pruefen$/.exec(String(changed.headers.location))?.[1]);
    assert.ok(newId > id, 'straight to the review of a new check');
    assert.ok(pageText((await member.get(`/selbstcheck/${newId}/pruefen`)).body).includes('Minimales Risiko'));
    assert.equal((await row(id)).risk_class, 'transparency', 'the earlier report is unchanged');
    // Changing to an answer that ends the check asks first.
    const ending = await member.post(`/selbstcheck/${id}/aendern/ai_system`, { step: '1', question: 'ai_system', answer: 'no' });
    assert.equal(ending.statusCode, 200);
    assert.ok(pageText(ending.body).includes('Sind Sie sicher?'));
    assert.equal((await member.get(`/selbstcheck/${id}/aendern/gibt_es_nicht`)).statusCode, 404);
  });

  it('a finished check can be withdrawn: it stays in the history as withdrawn, the solution takes its earlier class', async () => {
    const slug = (await makeSolution(db(t), await viewerOf(db(t), memberId), { title: 'Leitstelle', summary: 'Notrufe.', ai_act_class: 'minimal' })).slug;
    const first = await startFor(slug);
    await answerToReview(member, first, CHATBOT);
    await store(member, first);
    // The next check of the solution starts with the earlier answers; every question is answered again.
    const second = await startFor(slug);
    await answerToReview(member, second, HOUSING, `/selbstcheck/${second}/schritt/1`);
    await store(member, second);
    assert.equal((await solutionRow(slug)).ai_act_class, 'high_risk');

    const { visitor: other } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    await other.get('/');
    assert.equal((await other.post(`/selbstcheck/${second}/zurueckziehen`)).statusCode, 403, 'another organisation may not withdraw');
    const page = pageText((await member.get(`/selbstcheck/${second}/zurueckziehen`)).body);
    assert.ok(page.includes('Der Bericht bleibt in der Übersicht, als „zurückgezogen“ gekennzeichnet.'), page);
    assert.equal((await member.post(`/selbstcheck/${second}/zurueckziehen`)).statusCode, 303);
    assert.ok((await row(second)).withdrawn_at);
    const solution = await solutionRow(slug);
    assert.equal(solution.ai_act_class, 'transparency', 'the class of the earlier, still valid check');
    assert.equal(solution.ai_act_check_id, first);
    const report = pageText((await member.get(`/selbstcheck/${second}`)).body);
    assert.ok(/Zurückgezogen am .*Dieses Ergebnis gilt nicht mehr\./.test(report), report);
    assert.ok(!report.includes('Antwort ändern') && !report.includes('Vorlagen zum Herunterladen'));
    const history = pageText((await member.get(`/loesungen/${slug}/selbstcheck`)).body);
    assert.ok(history.includes('Hochrisiko (zurückgezogen)'), history);
    assert.equal((await member.post(`/selbstcheck/${second}/zurueckziehen`)).statusCode, 409, 'once only');
    // Withdrawing the only remaining check leaves the solution without a class from a check.
    await member.get(`/selbstcheck/${first}/zurueckziehen`);
    await member.post(`/selbstcheck/${first}/zurueckziehen`);
    const cleared = await solutionRow(slug);
    assert.equal(cleared.ai_act_class, null);
    assert.equal(cleared.ai_act_check_id, null);
    const version = await db(t).selectFrom('solution_versions').selectAll().where('solution_id', '=', cleared.id).where('version', '=', cleared.version).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(version.changed_fields), ['ai_act_class'], 'recorded as a new version of the solution');
  });
});

describe('self-check: register entries and templates', () => {
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

  it('a check without a catalogue entry is published to the organisation\'s register as an entry of its own; withdrawing removes it', async () => {
    const id = await standalone(member, 'Telefonassistent Bürgeramt');
    await answerToReview(member, id, CHATBOT);
    await store(member, id);
    assert.ok(pageText((await member.get(`/selbstcheck/${id}`)).body).includes('Im KI-Register veröffentlichen'));
    await member.get(`/selbstcheck/${id}/register`);
    const empty = await member.post(`/selbstcheck/${id}/register`, { purpose: ' ', contact: 'Bürgeramt, buergeramt@arnsberg.example' });
    assert.equal(empty.statusCode, 422);
    assert.match(errorSummary(empty.body), /Zweck des Systems/);
    assert.match(empty.body, /value="Bürgeramt, buergeramt@arnsberg.example"/, 'what was typed stays');
    const ok = await member.post(`/selbstcheck/${id}/register`, {
      purpose: 'Beantwortet Anrufe zu Öffnungszeiten.', contact: 'Bürgeramt, buergeramt@arnsberg.example', oversight: 'Das Bürgeramt hört Stichproben ab.', legal_basis: '',
    });
    assert.equal(ok.statusCode, 303, errorSummary(ok.body));

    const anonymous = new Visitor(t.app);
    const register = pageText((await anonymous.get('/organisationen/arnsberg/ki-register')).body);
    for (const expected of ['1 KI-System', 'Telefonassistent Bürgeramt (ohne Katalogeintrag)', 'Beantwortet Anrufe zu Öffnungszeiten.', 'Transparenzpflicht (Art. 50)', 'Das Bürgeramt hört Stichproben ab.', 'Bürgeramt, buergeramt@arnsberg.example']) {
      assert.ok(register.includes(expected), `${expected} in ${register}`);
    }
    const json = JSON.parse((await anonymous.get('/organisationen/arnsberg/ki-register.json')).body) as { count: number; systems: Record<string, string | null>[] };
    assert.equal(json.count, 1);
    assert.equal(json.systems[0].name, 'Telefonassistent Bürgeramt');
    assert.equal(json.systems[0].ai_act_class, 'transparency');
    assert.equal(json.systems[0].lawful_basis, null);
    assert.match(String(json.systems[0].url), new RegExp(`/organisationen/arnsberg/ki-register#eintrag-${id}$`));

    await member.get(`/selbstcheck/${id}/zurueckziehen`);
    await member.post(`/selbstcheck/${id}/zurueckziehen`);
    assert.ok(pageText((await anonymous.get('/organisationen/arnsberg/ki-register')).body).includes('noch keinen öffentlichen KI-Einsatz'));
    assert.equal((await member.get(`/selbstcheck/${id}/register`)).statusCode, 404, 'a withdrawn check cannot be published');
  });

  it('the templates are filled from the check: chatbot text and staff-council notice for one, DPIA and Art. 27 outline for another', async () => {
    const chatbot = await standalone(member, 'Bürger-Chatbot');
    await answerToReview(member, chatbot, CHATBOT);
    await store(member, chatbot);
    const report = pageText((await member.get(`/selbstcheck/${chatbot}`)).body);
    assert.ok(report.includes('Hinweistext für den KI-Dialog (Art. 50 KI-VO): Bürger-Chatbot: Markdown'), 'the template offered on the report');

    const md = await member.get(`/selbstcheck/${chatbot}/vorlagen/chatbot-hinweis.md`);
    assert.equal(md.statusCode, 200);
    assert.match(String(md.headers['content-type']), /^text\/markdown/);
    assert.match(String(md.headers['content-disposition']), /chatbot-hinweis-\d+\.md/);
    for (const expected of [
      '# Hinweistext für den KI-Dialog (Art. 50 KI-VO): Bürger-Chatbot',
      '- **Organisation:** Arnsberg',
      '- **Pflicht gilt ab:** 2. August 2026',
      'Sie schreiben mit einem KI-System. Arnsberg setzt für „Bürger-Chatbot“ ein KI-System ein, das Ihre Fragen automatisch beantwortet.',
      'Wie Ihre Angaben verarbeitet werden, erfahren Sie in unserer Datenschutzerklärung: \\[Adresse ergänzen\\] (Art. 13 DSGVO).',
      '- Art. 50 Abs. 1 und 5 KI-VO: [Art. 50 KI-VO – Transparenzpflichten (aiact.annotated.nl)](https://aiact.annotated.nl/en/aiact/art/50/)',
    ]) assert.ok(md.body.includes(expected), `${expected}\n---\n${md.body}`);
    // No staff data, no high-risk: no staff-council notice, no DPIA, no Art. 27 outline for this check.
    for (const kind of ['personalrat', 'grundrechte', 'dsfa']) assert.equal((await member.get(`/selbstcheck/${chatbot}/vorlagen/${kind}.md`)).statusCode, 404, kind);

    const docx = await member.get(`/selbstcheck/${chatbot}/vorlagen/chatbot-hinweis.docx`);
    assert.equal(docx.statusCode, 200);
    assert.equal(docx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    assert.ok(xml.includes('Hinweistext für den KI-Dialog (Art. 50 KI-VO): Bürger-Chatbot'));
    assert.ok(xml.includes('Guten Tag, hier spricht der KI-gestützte Telefonassistent von Arnsberg.'));

    const slug = (await makeSolution(db(t), await viewerOf(db(t), memberId), { title: 'Wohngeld-Vorprüfung', summary: 'Prüft Anträge vor.' })).slug;
    await member.get(`/loesungen/${slug}/selbstcheck`);
    const housing = Number(/^\/selbstcheck\/(\d+)$/.exec(String((await member.post(`/loesungen/${slug}/selbstcheck`)).headers.location))?.[1]);
    await answerToReview(member, housing, HOUSING);
    await store(member, housing);
    const fria = (await member.get(`/selbstcheck/${housing}/vorlagen/grundrechte.md`)).body;
    for (const expected of [
      '# Grundrechte-Folgenabschätzung (Gliederung nach Art. 27 KI-VO): Wohngeld-Vorprüfung',
      '- **Durchzuführen vor dem ersten Einsatz, spätestens ab:** 2. Dezember 2027',
      '## a) Verfahren, in denen das System entsprechend seiner Zweckbestimmung eingesetzt wird',
      '- Prüft das System, ob jemand Anspruch auf öffentliche Unterstützungsleistungen oder Dienste hat, oder hilft es, solche Leistungen zu gewähren, zu kürzen, zu widerrufen oder zurückzufordern? Ja (Anhang III Nr. 5 lit. a KI-VO)',
      'Das Ergebnis der Folgenabschätzung wird der Marktüberwachungsbehörde mitgeteilt.',
      '- Art. 27 KI-VO: [Art. 27 KI-VO – Grundrechte-Folgenabschätzung (perea.ai)](https://perea.ai/research/article-27-fria-methodology-field-manual)',
    ]) assert.ok(fria.includes(expected), `${expected}\n---\n${fria}`);
    const dpia = (await member.get(`/selbstcheck/${housing}/vorlagen/dsfa.md`)).body;
    for (const expected of [
      '# Datenschutz-Folgenabschätzung (Gliederung): Wohngeld-Vorprüfung',
      '## 6. Angaben des Anbieters (Art. 26 Abs. 9 KI-VO)',
      'Für Hochrisiko-KI-Systeme nutzt die Kommune die Angaben des Anbieters für diese Folgenabschätzung; die Pflicht gilt ab 2. Dezember 2027.',
      '- Art. 35 DSGVO: [Verordnung (EU) 2016/679 (DSGVO), EUR-Lex](https://eur-lex.europa.eu/eli/reg/2016/679/oj)',
    ]) assert.ok(dpia.includes(expected), `${expected}\n---\n${dpia}`);
    const notice = (await member.get(`/selbstcheck/${housing}/vorlagen/personalrat.md`)).body;
    for (const expected of [
      '# Information des Personalrats: Wohngeld-Vorprüfung',
      '- Personalrat und betroffene Beschäftigte informieren, bevor das Hochrisiko-KI-System am Arbeitsplatz eingesetzt wird. (Art. 26 Abs. 7 KI-VO)',
      '- Art. 26 Abs. 7 KI-VO: [Art. 26 KI-VO – Pflichten der Betreiber (overview.legal)](https://overview.legal/laws/ai-act/art-26)',
    ]) assert.ok(notice.includes(expected), `${expected}\n---\n${notice}`);
    assert.equal((await member.get(`/selbstcheck/${housing}/vorlagen/chatbot-hinweis.md`)).statusCode, 404);
    assert.equal((await member.get(`/selbstcheck/${housing}/vorlagen/unbekannt.md`)).statusCode, 404);
    const { visitor: other } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    assert.equal((await other.get(`/selbstcheck/${chatbot}/vorlagen/chatbot-hinweis.md`)).statusCode, 404, 'another organisation\'s check does not exist for them');
  });
});
