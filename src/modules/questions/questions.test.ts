import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { countRows } from '../../../test/support/members.js';
import { answer, ask, errorSummary, flash, listedTitles, listedTotal, notificationTexts, pageText, questionForm } from './fixtures/support.js';

const db = (t: TestApp) => t.database.db;

async function questionRow(t: TestApp, id: number) {
  return db(t).selectFrom('questions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The answers of a question page in page order: author line and whether it is marked accepted. */
function answerHeadings(html: string): string[] {
  return [...html.matchAll(/<h3 id="antwort-\d+-title">([\s\S]*?)<\/h3>/g)].map((m) => pageText(m[1]).trim());
}

describe('asking and answering', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('lets a member ask a question with tags and a field of action; it opens with its text and is listed', async () => {
    const { visitor, user } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg', name: 'Anna Arnsberg' });
    const form = await visitor.get('/fragen/neu');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<h1>Neue Frage<\/h1>/);
    for (const name of Object.keys(questionForm())) assert.match(form.body, new RegExp(`name="${name}"`), `the form has a field "${name}"`);

    const { res, id } = await ask(visitor, { title: 'Wer setzt einen KI-Telefonservice ein?', tags: 'Telefon, #Bürgerservice, telefon' });
    assert.equal(res.statusCode, 303);
    const row = await questionRow(t, id);
    assert.equal(row.author_id, user.id);
    assert.equal(row.field_of_action, 'general_public_services');
    assert.equal(row.accepted_answer_id, null);
    const tags = await db(t).selectFrom('question_tags').select('tag').where('question_id', '=', id).orderBy('tag').execute();
    assert.deepEqual(tags.map((r) => r.tag), ['bürgerservice', 'telefon'], 'tags are stored once each, in lower case, without #');

    const page = await visitor.get(`/fragen/${id}`);
    assert.equal(page.statusCode, 200);
    assert.equal(flash(page.body), 'Ihre Frage ist veröffentlicht.');
    assert.match(page.body, /<h1 id="question-title">Wer setzt einen KI-Telefonservice ein\?<\/h1>/);
    assert.match(page.body, /<strong>Bürgerbüro<\/strong>/, 'the Markdown is rendered');
    assert.match(pageText(page.body), /Offen Gefragt von Anna Arnsberg \(Arnsberg\) am/);
    assert.match(page.body, /<a href="\/fragen\?tag=telefon">telefon<\/a>/);
    assert.match(page.body, /<a href="\/fragen\?field=general_public_services">Allgemeine Verwaltung<\/a>/);

    const list = await new Visitor(t.app).get('/fragen');
    assert.ok(listedTitles(list.body).includes('Wer setzt einen KI-Telefonservice ein?'));
  });

  it('shows public questions to everyone, asks anonymous visitors to sign in for members-only ones, and lets only members ask', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const { id: publicId } = await ask(visitor, { title: 'Öffentliche Frage zur E-Akte', visibility: 'public' });
    const { id: membersId } = await ask(visitor, { title: 'Interne Frage zum Personalrat', visibility: 'members' });

    const anon = new Visitor(t.app);
    assert.equal((await anon.get(`/fragen/${publicId}`)).statusCode, 200);
    const hidden = await anon.get(`/fragen/${membersId}`);
    assert.equal(hidden.statusCode, 303);
    assert.equal(hidden.headers.location, `/anmelden?weiter=${encodeURIComponent(`/fragen/${membersId}`)}`);
    const list = await anon.get('/fragen');
    assert.ok(listedTitles(list.body).includes('Öffentliche Frage zur E-Akte'));
    assert.ok(!listedTitles(list.body).includes('Interne Frage zum Personalrat'), 'members-only questions are not listed for visitors');
    assert.ok(listedTitles((await visitor.get('/fragen')).body).includes('Interne Frage zum Personalrat'));

    const askPage = await anon.get('/fragen/neu');
    assert.equal(askPage.statusCode, 303);
    const before = await countRows(db(t), 'questions');
    const post = await anon.post('/fragen/neu', questionForm(), null);
    assert.ok([401, 403].includes(post.statusCode), String(post.statusCode));
    assert.equal(await countRows(db(t), 'questions'), before);
    assert.equal((await anon.get('/fragen/999999')).statusCode, 404);
  });

  it('refuses empty or overlong posts and bad tags with a German message, keeps what was typed and stores nothing', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member');
    const long = (n: number) => `${'Lange Frage '.repeat(2000).slice(0, n - 1)}x`;
    const cases: { fields: Record<string, string>; message: string; kept: RegExp }[] = [
      { fields: { title: '' }, message: 'Bitte füllen Sie „Titel“ aus.', kept: /Wir möchten Anrufe/ },
      { fields: { title: 'Nur ein Titel', body: '   ' }, message: 'Bitte füllen Sie „Ihre Frage (Markdown)“ aus.', kept: /value="Nur ein Titel"/ },
      { fields: { title: long(151) }, message: '„Titel“ darf höchstens 150 Zeichen lang sein.', kept: new RegExp(`value="${long(151)}"`) },
      { fields: { title: 'Zu lang', body: long(20_001) }, message: '„Ihre Frage (Markdown)“ darf höchstens 20000 Zeichen lang sein.', kept: /value="Zu lang"/ },
      { fields: { title: 'Viele Schlagwörter', tags: 'a, b, c, d, e, f' }, message: 'Bitte nennen Sie höchstens 5 Schlagwörter.', kept: /value="a, b, c, d, e, f"/ },
      { fields: { title: 'Langes Schlagwort', tags: `chatbot, ${'x'.repeat(41)}` }, message: `Das Schlagwort „${'x'.repeat(41)}“ ist zu lang: höchstens 40 Zeichen.`, kept: /value="Langes Schlagwort"/ },
      { fields: { title: 'Unbekanntes Feld', field_of_action: 'weltraum' }, message: 'Bitte wählen Sie bei „Handlungsfeld“ einen Eintrag aus der Liste.', kept: /value="Unbekanntes Feld"/ },
      { fields: { title: 'Falsche Lösung', solutions: 'https://example.org/loesungen/gibt-es-nicht' }, message: 'Die Lösung „https://example.org/loesungen/gibt-es-nicht“ gibt es im Katalog nicht, oder sie ist für Sie nicht sichtbar. Bitte kopieren Sie die Adresse der Lösungsseite.', kept: /gibt-es-nicht<\/textarea>/ },
    ];
    const before = await countRows(db(t), 'questions');
    for (const c of cases) {
      const { res } = await ask(visitor, c.fields);
      assert.equal(res.statusCode, 422, JSON.stringify(c.fields).slice(0, 80));
      assert.equal(errorSummary(res.body), `Bitte korrigieren Sie die folgenden Angaben: ${c.message}`);
      assert.match(res.body, c.kept);
      assert.match(res.body, /aria-invalid="true"/);
    }
    assert.equal(await countRows(db(t), 'questions'), before, 'nothing was stored');

    const { id } = await ask(visitor, { title: 'Eine gültige Frage' });
    const answersBefore = await countRows(db(t), 'answers');
    const other = (await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' })).visitor;
    for (const [body, message] of [['  ', 'Bitte füllen Sie „Ihre Antwort (Markdown)“ aus.'], ['y'.repeat(10_001), '„Ihre Antwort (Markdown)“ darf höchstens 10000 Zeichen lang sein.']]) {
      const { res } = await answer(other, id, body);
      assert.equal(res.statusCode, 422);
      assert.equal(errorSummary(res.body), `Bitte korrigieren Sie die folgenden Angaben: ${message}`);
    }
    assert.equal(await countRows(db(t), 'answers'), answersBefore);
  });

  it('renders script and event-handler HTML in questions and answers inert', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member');
    const evil = 'Frage mit Tücken <script>alert("q")</script>\n\n<img src="x" onerror="alert(1)"> [Klick](javascript:alert(2)) <a href="https://example.org" onclick="alert(3)">Link</a>';
    const { res, id } = await ask(visitor, { title: 'Skript im Text', body: evil });
    assert.equal(res.statusCode, 303);
    assert.equal((await questionRow(t, id)).body, evil, 'the text is stored as typed');
    const other = (await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' })).visitor;
    assert.equal((await answer(other, id, '<script>document.location="https://evil.example"</script>Antwort mit <b onmouseover="x()">Trick</b>')).res.statusCode, 303);

    const page = await other.get(`/fragen/${id}`);
    assert.match(flash(page.body), /HTML wie Skripte oder Ereignis-Attribute wird nicht ausgeführt/);
    const main = page.body.slice(page.body.indexOf('<main'));
    assert.doesNotMatch(main, /<script/i);
    assert.doesNotMatch(main, /\son\w+=/i);
    assert.doesNotMatch(main, /javascript:/i);
    assert.match(main, /Frage mit Tücken/);
    assert.match(main, /<a href="https:\/\/example.org">Link<\/a>/);
    assert.match(main, /Antwort mit/);
  });

  it('notifies the asker of an answer; the asker accepts one, which then shows first and marks the question answered', async () => {
    const asker = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg', name: 'Anna Asker' });
    const first = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe', name: 'Otto Olpe' });
    const second = await signedIn(t.app, db(t), 'member', { organisation: 'Siegen', name: 'Sina Siegen' });
    const { id } = await ask(asker.visitor, { title: 'Wie starten wir mit einem Chatbot?' });
    await answer(first.visitor, id, 'Fangen Sie klein an.');
    const { id: secondId } = await answer(second.visitor, id, 'Wir haben mit den häufigsten Fragen begonnen.');
    await answer(asker.visitor, id, 'Danke, wir melden uns!');

    const texts = (await notificationTexts(db(t), asker.user.id)).map((n) => `${n.kind}: ${n.text}`);
    assert.deepEqual(texts.sort(), [
      'answer: Otto Olpe (Olpe) hat Ihre Frage „Wie starten wir mit einem Chatbot?“ beantwortet.',
      'answer: Sina Siegen (Siegen) hat Ihre Frage „Wie starten wir mit einem Chatbot?“ beantwortet.',
    ], 'one notification per answer of someone else, none for the asker\'s own');

    let page = await asker.visitor.get(`/fragen/${id}`);
    assert.deepEqual(answerHeadings(page.body), ['Antwort von Otto Olpe (Olpe)', 'Antwort von Sina Siegen (Siegen)', 'Antwort von Anna Asker (Arnsberg)']);
    const res = await asker.visitor.post(`/fragen/${id}/antworten/${secondId}/annehmen`, {});
    assert.equal(res.statusCode, 303);
    page = await asker.visitor.get(`/fragen/${id}`);
    assert.equal(flash(page.body), 'Die Antwort ist angenommen; die Frage gilt als beantwortet.');
    assert.deepEqual(answerHeadings(page.body)[0], 'Angenommene Antwort Antwort von Sina Siegen (Siegen)');
    assert.match(pageText(page.body), /Beantwortet Gefragt von Anna Asker/);
    assert.equal((await questionRow(t, id)).accepted_answer_id, secondId);
    assert.deepEqual((await notificationTexts(db(t), second.user.id)).map((n) => n.text), ['Ihre Antwort auf „Wie starten wir mit einem Chatbot?“ wurde angenommen.']);

    const answered = await asker.visitor.get('/fragen?status=answered');
    assert.ok(listedTitles(answered.body).includes('Wie starten wir mit einem Chatbot?'));
    assert.ok(!listedTitles((await asker.visitor.get('/fragen?status=open')).body).includes('Wie starten wir mit einem Chatbot?'));
  });

  it('refuses accepting an answer on someone else\'s question with a German message; a moderator may, and it is audited', async () => {
    const asker = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const other = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const { id } = await ask(asker.visitor, { title: 'Wer hat Erfahrung mit Übersetzungs-KI?' });
    const { id: answerId } = await answer(other.visitor, id, 'Wir nutzen DeepL im Bürgerbüro.');

    const refused = await other.visitor.post(`/fragen/${id}/antworten/${answerId}/annehmen`, {});
    assert.equal(refused.statusCode, 422);
    assert.equal(errorSummary(refused.body), 'Bitte korrigieren Sie die folgenden Angaben: Nur wer die Frage gestellt hat (oder die Moderation), kann eine Antwort annehmen. Es wurde nichts geändert.');
    assert.equal((await questionRow(t, id)).accepted_answer_id, null);
    assert.doesNotMatch(refused.body, /Diese Antwort annehmen/, 'the button is offered only to the asker and the moderators');

    const moderator = await signedIn(t.app, db(t), 'moderator', { organisation: 'Siegen' });
    await moderator.visitor.get(`/fragen/${id}`);
    assert.equal((await moderator.visitor.post(`/fragen/${id}/antworten/${answerId}/annehmen`, {})).statusCode, 303);
    assert.equal((await questionRow(t, id)).accepted_answer_id, answerId);
    const audit = await db(t).selectFrom('audit_log').selectAll().where('action', '=', 'answer.accepted').where('target_id', '=', String(answerId)).execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor_id, moderator.user.id);
  });

  it('counts a helpful mark once per person and never from the answer\'s author', async () => {
    const asker = await signedIn(t.app, db(t), 'member');
    const author = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const { id } = await ask(asker.visitor, { title: 'Welche Datenschutz-Folgenabschätzung braucht ein Chatbot?' });
    const { id: answerId } = await answer(author.visitor, id, 'Eine DSFA lohnt sich immer.');
    const helpful = (v: Visitor) => v.post(`/fragen/${id}/antworten/${answerId}/hilfreich`, {});

    await asker.visitor.get(`/fragen/${id}`);
    assert.equal((await helpful(asker.visitor)).statusCode, 303);
    const twice = await helpful(asker.visitor);
    assert.equal(twice.statusCode, 422);
    assert.match(errorSummary(twice.body), /Sie haben diese Antwort bereits als hilfreich markiert\./);
    const own = await helpful(author.visitor);
    assert.equal(own.statusCode, 422);
    assert.match(errorSummary(own.body), /Die eigene Antwort können Sie nicht als hilfreich markieren\./);
    const third = await signedIn(t.app, db(t), 'member', { organisation: 'Siegen' });
    await third.visitor.get(`/fragen/${id}`);
    assert.equal((await helpful(third.visitor)).statusCode, 303);

    assert.equal(await countRows(db(t), 'helpful_marks', { answer_id: answerId }), 2);
    const page = await third.visitor.get(`/fragen/${id}`);
    assert.match(pageText(page.body), /2 Personen fanden das hilfreich/);
    assert.match(page.body, /Sie fanden das hilfreich\./);
  });

  it('lets the author edit their question, a moderator edit someone else\'s answer (audited), and nobody else', async () => {
    const asker = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const other = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const { id } = await ask(asker.visitor, { title: 'Erster Titel' });
    const { id: answerId } = await answer(other.visitor, id, 'Erste Antwort');

    const edit = await asker.visitor.get(`/fragen/${id}/bearbeiten`);
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /value="Erster Titel"/);
    assert.match(edit.body, /value="bürgerservice, telefon"/);
    assert.equal((await asker.visitor.post(`/fragen/${id}/bearbeiten`, questionForm({ title: 'Zweiter Titel', tags: 'chatbot' }))).statusCode, 303);
    assert.equal((await questionRow(t, id)).title, 'Zweiter Titel');
    assert.equal(await countRows(db(t), 'audit_log', { action: 'post.edited', target_id: String(id) }), 0, 'an author\'s own edit is no moderation');

    assert.equal((await other.visitor.get(`/fragen/${id}/bearbeiten`)).statusCode, 403);
    await other.visitor.get(`/fragen/${id}`);
    assert.equal((await other.visitor.post(`/fragen/${id}/bearbeiten`, questionForm({ title: 'Gekapert' }))).statusCode, 403);
    assert.equal((await asker.visitor.get(`/fragen/${id}/antworten/${answerId}/bearbeiten`)).statusCode, 403);
    assert.equal((await questionRow(t, id)).title, 'Zweiter Titel');

    const moderator = await signedIn(t.app, db(t), 'moderator', { organisation: 'Siegen' });
    const form = await moderator.visitor.get(`/fragen/${id}/antworten/${answerId}/bearbeiten`);
    assert.match(form.body, />Erste Antwort<\/textarea>/);
    assert.equal((await moderator.visitor.post(`/fragen/${id}/antworten/${answerId}/bearbeiten`, { body: 'Erste Antwort (ohne Werbung)' })).statusCode, 303);
    assert.equal((await db(t).selectFrom('answers').select('body').where('id', '=', answerId).executeTakeFirstOrThrow()).body, 'Erste Antwort (ohne Werbung)');
    const audit = await db(t).selectFrom('audit_log').selectAll().where('action', '=', 'post.edited').where('target_type', '=', 'answer').where('target_id', '=', String(answerId)).execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor_id, moderator.user.id);
  });

  it('refuses an answer to a hidden question with a German message and stores nothing', async () => {
    const asker = await signedIn(t.app, db(t), 'member');
    const { id } = await ask(asker.visitor, { title: 'Bald ausgeblendete Frage' });
    const other = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    await other.visitor.get(`/fragen/${id}`);
    const moderator = await signedIn(t.app, db(t), 'moderator');
    await moderator.visitor.get(`/fragen/${id}`);
    assert.equal((await moderator.visitor.post(`/fragen/moderation/frage/${id}/ausblenden`, {})).statusCode, 303);

    assert.equal((await other.visitor.get(`/fragen/${id}`)).statusCode, 404, 'a hidden question is gone for other members');
    const before = await countRows(db(t), 'answers');
    const res = await other.visitor.post(`/fragen/${id}/antworten`, { body: 'Trotzdem eine Antwort' });
    assert.equal(res.statusCode, 404);
    const byModerator = await moderator.visitor.post(`/fragen/${id}/antworten`, { body: 'Antwort der Moderation' });
    assert.equal(byModerator.statusCode, 422);
    assert.equal(errorSummary(byModerator.body), 'Bitte korrigieren Sie die folgenden Angaben: Diese Frage ist ausgeblendet; Antworten sind erst wieder möglich, wenn die Moderation sie freigibt. Es wurde nichts gespeichert.');
    assert.equal(await countRows(db(t), 'answers'), before);
  });
});

describe('the question list: search, filters, sorting, feed', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    ids = {};
    const add = async (key: string, fields: Record<string, string>) => { ids[key] = (await ask(visitor, fields)).id; };
    await add('chatbot', { title: 'Chatbots im Bürgerbüro', body: 'Wer beantwortet Fragen per Chatbot?', tags: 'chatbot', field_of_action: 'general_public_services' });
    await add('strassen', { title: 'Schlaglöcher erkennen', body: 'Wie finden wir Schäden an Straßen schneller?', tags: 'straßen', field_of_action: 'economic_affairs' });
    await add('wetter', { title: 'Starkregen vorhersagen', body: 'Ein Chatbot ist hier nicht gemeint, sondern Warnungen für Ortsteile.', tags: 'klima', field_of_action: 'environmental_protection' });
    await add('intern', { title: 'Chatbot-Ausschreibung intern', body: 'Vergabe eines Chatbots.', tags: 'chatbot, vergabe', visibility: 'members', field_of_action: 'general_public_services' });
    const other = await signedIn(t.app, db(t), 'member', { organisation: 'Siegen' });
    const { id: answerId } = await answer(other.visitor, ids.strassen, 'Mit einer Smartphone-App.');
    await visitor.get(`/fragen/${ids.strassen}`);
    await visitor.post(`/fragen/${ids.strassen}/antworten/${answerId}/annehmen`, {});
  });
  after(() => t.close());

  it('finds questions with the catalogue\'s analyser: stems, umlauts, title above text', async () => {
    const anon = new Visitor(t.app);
    const chat = await anon.get('/fragen?q=Chatbot');
    assert.deepEqual(listedTitles(chat.body), ['Chatbots im Bürgerbüro', 'Starkregen vorhersagen'], 'title hits rank above text hits; members-only questions stay hidden from visitors');
    assert.equal(listedTotal(chat.body), 2);
    assert.match(chat.body, /<h2 id="results-title">2 Fragen zu „Chatbot“<\/h2>/);
    assert.deepEqual(listedTitles((await anon.get('/fragen?q=Buergerbuero')).body), ['Chatbots im Bürgerbüro'], 'ue matches ü');
    assert.deepEqual(listedTitles((await anon.get('/fragen?q=Schlagloch')).body), ['Schlaglöcher erkennen'], 'singular finds plural');
    assert.deepEqual(listedTitles((await anon.get('/fragen?q=Strasse')).body), ['Schlaglöcher erkennen'], 'ß folds to ss');
    assert.equal(listedTotal((await anon.get('/fragen?q=Quantencomputer')).body), 0);
    const member = (await signedIn(t.app, db(t), 'member')).visitor;
    const forMembers = listedTitles((await member.get('/fragen?q=Chatbot')).body);
    assert.deepEqual(forMembers.slice(0, 2).sort(), ['Chatbot-Ausschreibung intern', 'Chatbots im Bürgerbüro'], 'members also find members-only questions');
    assert.equal(forMembers[2], 'Starkregen vorhersagen');
  });

  it('filters by state, tag and field of action, and sorts by newest or latest activity', async () => {
    const member = (await signedIn(t.app, db(t), 'member')).visitor;
    assert.deepEqual(listedTitles((await member.get('/fragen?status=answered')).body), ['Schlaglöcher erkennen']);
    assert.deepEqual(listedTitles((await member.get('/fragen?status=open&tag=chatbot')).body), ['Chatbot-Ausschreibung intern', 'Chatbots im Bürgerbüro']);
    assert.deepEqual(listedTitles((await member.get('/fragen?tag=chatbot&tag=vergabe')).body), ['Chatbot-Ausschreibung intern'], 'several tags: all must apply');
    assert.deepEqual(listedTitles((await member.get('/fragen?field=environmental_protection')).body), ['Starkregen vorhersagen']);
    assert.deepEqual(listedTitles((await member.get('/fragen?field=unbekannt')).body).length, 4, 'an unknown field is ignored');
    assert.deepEqual(listedTitles((await member.get('/fragen')).body), ['Chatbot-Ausschreibung intern', 'Starkregen vorhersagen', 'Schlaglöcher erkennen', 'Chatbots im Bürgerbüro'], 'newest first');
    assert.equal(listedTitles((await member.get('/fragen?sort=activity')).body)[0], 'Schlaglöcher erkennen', 'the answered question had the latest activity');
    const page = await member.get('/fragen?tag=chatbot');
    assert.match(page.body, /<option value="chatbot" selected>chatbot \(2\)<\/option>/, 'the tag filter offers tags with counts');
  });

  it('pages through many questions, 20 at a time', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Brilon' });
    for (let i = 1; i <= 21; i++) await ask(visitor, { title: `Serienfrage ${String(i).padStart(2, '0')}`, tags: 'serie', field_of_action: '' });
    const first = await visitor.get('/fragen?tag=serie');
    assert.equal(listedTotal(first.body), 21);
    assert.equal(listedTitles(first.body).length, 20);
    assert.equal(listedTitles(first.body)[0], 'Serienfrage 21');
    assert.match(first.body, /href="\/fragen\?tag=serie&amp;seite=2" rel="next"/);
    const second = await visitor.get('/fragen?tag=serie&seite=2');
    assert.deepEqual(listedTitles(second.body), ['Serienfrage 01']);
  });

  it('offers the public questions as a valid Atom feed, announced in the head of the list', async () => {
    const anon = new Visitor(t.app);
    const list = await anon.get('/fragen');
    assert.match(list.body, /<link rel="alternate" type="application\/atom\+xml" href="\/fragen\/feed\.atom" title="Öffentliche Fragen – KI-Community Südwestfalen"\/>/);
    const res = await anon.get('/fragen/feed.atom');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/atom\+xml/);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(res.body);
    const feed = xml.feed;
    assert.equal(feed.xmlns, 'http://www.w3.org/2005/Atom');
    assert.match(feed.id, /^tag:localhost,2026-11-27:questions$/);
    assert.ok(feed.updated && feed.title);
    const links = [feed.link].flat();
    assert.ok(links.some((l: { rel: string; href: string }) => l.rel === 'self' && l.href === 'http://localhost:3000/fragen/feed.atom'));
    const entries = [feed.entry].flat();
    const titles = entries.map((e: { title: { '#text': string } }) => e.title['#text']);
    assert.ok(titles.includes('Chatbots im Bürgerbüro'));
    assert.ok(!titles.includes('Chatbot-Ausschreibung intern'), 'members-only questions stay out of the feed');
    const entry = entries.find((e: { title: { '#text': string } }) => e.title['#text'] === 'Chatbots im Bürgerbüro');
    assert.match(entry.id, new RegExp(`^tag:localhost,\\d{4}-\\d{2}-\\d{2}:question:${ids.chatbot}$`));
    assert.equal(entry.link.href, `http://localhost:3000/fragen/${ids.chatbot}`);
    assert.ok(entry.updated && entry.published);
    const again = await anon.get('/fragen/feed.atom');
    assert.equal(again.body, res.body, 'the same questions give the same feed, ids included');
  });
});

describe('following tags and fields of action', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('notifies followers of a tag or field of a new question there, once, and not the asker; unfollowing stops it', async () => {
    const follower = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const fieldFollower = await signedIn(t.app, db(t), 'member', { organisation: 'Siegen' });
    const asker = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const bystander = await createUser(db(t), { organisation: 'Brilon' });

    const topics = await follower.visitor.get('/fragen/themen');
    assert.equal(topics.statusCode, 200);
    assert.match(topics.body, /Sie folgen noch keinem Thema\./);
    const res = await follower.visitor.post('/fragen/themen', { kind: 'tag', tag: ' #Chatbot ' });
    assert.equal(res.statusCode, 303);
    assert.equal(flash((await follower.visitor.get('/fragen/themen')).body), 'Sie folgen jetzt „chatbot“. Neue Fragen dazu erscheinen in Ihren Benachrichtigungen.');
    await fieldFollower.visitor.get('/fragen/themen');
    await fieldFollower.visitor.post('/fragen/themen', { kind: 'field', field: 'education' });
    await asker.visitor.get('/fragen/themen');
    await asker.visitor.post('/fragen/themen', { kind: 'tag', tag: 'chatbot' });

    await ask(asker.visitor, { title: 'Chatbot für die Schulanmeldung?', tags: 'chatbot, schule', field_of_action: 'education' });
    await ask(asker.visitor, { title: 'Ganz anderes Thema', tags: 'friedhof', field_of_action: 'housing_community' });
    assert.deepEqual(await notificationTexts(db(t), follower.user.id), [
      { kind: 'followed', text: 'Neue Frage von Arnsberg zu chatbot, schule, Bildung: „Chatbot für die Schulanmeldung?“', url: (await notificationTexts(db(t), follower.user.id))[0].url },
    ]);
    assert.equal((await notificationTexts(db(t), follower.user.id, 'en'))[0].text,
      'New question from Arnsberg on chatbot, schule, Education: “Chatbot für die Schulanmeldung?”', 'the field of action in the reader\'s language');
    assert.equal((await notificationTexts(db(t), fieldFollower.user.id)).length, 1);
    await ask(asker.visitor, { title: 'Lernplattform ohne Schlagwort', tags: '', field_of_action: 'education' });
    assert.deepEqual((await notificationTexts(db(t), fieldFollower.user.id, 'en')).map((n) => n.text)[0],
      'New question from Arnsberg on Education: “Lernplattform ohne Schlagwort”');
    assert.equal((await notificationTexts(db(t), asker.user.id)).length, 0, 'the asker is not notified of their own question');
    assert.equal((await notificationTexts(db(t), bystander.id)).length, 0);

    const page = await follower.visitor.get('/fragen/themen');
    assert.match(pageText(page.body), /Schlagwort: chatbot/);
    await follower.visitor.post('/fragen/themen/entfernen', { kind: 'tag', value: 'chatbot', zurueck: '/fragen' });
    await ask(asker.visitor, { title: 'Noch ein Chatbot', tags: 'chatbot' });
    assert.equal((await notificationTexts(db(t), follower.user.id)).length, 1, 'no notification after unfollowing');
  });

  it('follows from the question page and refuses unknown fields with a German message', async () => {
    const asker = await signedIn(t.app, db(t), 'member');
    const { id } = await ask(asker.visitor, { title: 'Frage mit Themen', tags: 'gis', field_of_action: 'environmental_protection' });
    const member = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const page = await member.visitor.get(`/fragen/${id}`);
    assert.match(page.body, /„gis“ folgen/);
    const res = await member.visitor.post('/fragen/themen', { kind: 'tag', value: 'gis', zurueck: `/fragen/${id}` });
    assert.equal(res.headers.location, `/fragen/${id}`);
    assert.match((await member.visitor.get(`/fragen/${id}`)).body, /„gis“ nicht mehr folgen/);
    const elsewhere = await member.visitor.post('/fragen/themen', { kind: 'tag', value: 'gis', zurueck: 'https://evil.example/' });
    assert.equal(elsewhere.headers.location, '/fragen/themen', 'never leads to another site');

    await member.visitor.get('/fragen/themen');
    const bad = await member.visitor.post('/fragen/themen', { kind: 'field', field: 'weltraum' });
    assert.equal(bad.statusCode, 422);
    assert.equal(errorSummary(bad.body), 'Bitte korrigieren Sie die folgenden Angaben: Bitte wählen Sie ein Handlungsfeld aus der Liste.');
    assert.equal(await countRows(db(t), 'follows', { user_id: member.user.id }), 1);
  });
});
