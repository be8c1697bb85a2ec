import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, createUser, organisationId, signedIn } from '../../../test/support/factories.js';
import { countRows } from '../../../test/support/members.js';
import { formFields, makeSolution, resultSlugs, solutionForm, unescapeHtml, viewerOf } from '../../../test/support/catalogue.js';
import { pageText } from '../../../test/support/page.js';
import { EDITABLE } from './service.js';
import { EXAMPLES } from './examples.js';
import { SOURCE_INFO } from './fields.js';

const db = (t: TestApp) => t.database.db;

async function solutionRow(t: TestApp, slug: string) {
  return db(t).selectFrom('solutions').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();
}

async function versionRows(t: TestApp, slug: string) {
  const { id } = await solutionRow(t, slug);
  return db(t).selectFrom('solution_versions').selectAll().where('solution_id', '=', id).orderBy('version').execute();
}

/** The lines of the "Im Einsatz bei" list of a solution page. */
function deploymentLines(html: string): string[] {
  const list = /<h2 id="runs-at">[\s\S]*?(<ul class="deployments">([\s\S]*?)<\/ul>|<p>[^<]*<\/p>)/.exec(html);
  if (!list || !list[2]) return [];
  return [...list[2].matchAll(/<li><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => unescapeHtml(m[1]));
}

describe('creating and editing solutions', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('lets a member describe a new solution, which belongs to their organisation and opens with its facts', async () => {
    const { visitor, user } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe', name: 'Olga Ohm' });
    const form = await visitor.get('/loesungen/neu');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<h1>Neue Lösung<\/h1>/);
    // The test sends exactly the fields the form has.
    const formHtml = form.body.slice(form.body.indexOf('action="/loesungen/neu"'));
    const names = new Set([...formHtml.slice(0, formHtml.indexOf('</form>')).matchAll(/ name="([^"]+)"/g)].map((m) => m[1]));
    for (const name of [...Object.keys(solutionForm()), 'own_development', 'reuse_offered']) assert.ok(names.has(name), `the form has a field "${name}"`);
    assert.equal(formFields(form.body, '/loesungen/neu').visibility, 'members', 'a new solution is preset to the members');

    const res = await visitor.submit('/loesungen/neu', solutionForm({ title: 'Bürger-Chatbot für das Bürgerbüro' }));
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/loesungen/buerger-chatbot-fuer-das-buergerbuero');

    const row = await solutionRow(t, 'buerger-chatbot-fuer-das-buergerbuero');
    assert.equal(row.organisation_id, await organisationId(db(t), 'Olpe'));
    assert.equal(row.created_by, user.id);
    assert.equal(row.title, 'Bürger-Chatbot für das Bürgerbüro');
    assert.equal(row.maturity, 'pilot');
    assert.equal(row.cost_min_eur, 5000);
    assert.equal(row.cost_max_eur, 12000);
    assert.equal(row.cooperation_wanted, 1);
    assert.equal(row.own_development, 0);
    assert.equal(row.version, 1);
    const versions = await versionRows(t, row.slug);
    assert.equal(versions.length, 1);
    assert.equal(versions[0].changed_by, user.id);

    const page = await visitor.get(res.headers.location as string);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Die Lösung ist angelegt\./);
    assert.match(page.body, /<h1>Bürger-Chatbot für das Bürgerbüro<\/h1>/);
    assert.match(page.body, /Beschrieben von <a href="\/organisationen\/olpe">Olpe<\/a>/);
    assert.match(page.body, /<p class="meta">Pilot · Beschrieben von/);
    assert.match(page.body, /<dt>Verfahren<\/dt><dd>Generative KI \/ Sprachmodell<\/dd>/);
    assert.match(page.body, /5\.000 – 12\.000 €/);
    assert.match(page.body, /<a href="mailto:digital@olpe\.example">/);
    assert.match(page.body, /href="\/loesungen\/buerger-chatbot-fuer-das-buergerbuero\/bearbeiten"/);

    // The same title again gets a numbered address instead of failing.
    const second = await visitor.submit('/loesungen/neu', solutionForm({ title: 'Bürger-Chatbot für das Bürgerbüro' }));
    assert.equal(second.headers.location, '/loesungen/buerger-chatbot-fuer-das-buergerbuero-2');
  });

  it('does not let anonymous visitors describe solutions', async () => {
    const anon = new Visitor(t.app);
    const page = await anon.get('/loesungen/neu');
    assert.equal(page.statusCode, 303);
    assert.match(String(page.headers.location), /^\/anmelden/);
    const before = await countRows(db(t), 'solutions');
    const post = await anon.post('/loesungen/neu', solutionForm({ title: 'Anonym' }), null);
    assert.ok([401, 403].includes(post.statusCode), String(post.statusCode));
    assert.equal(await countRows(db(t), 'solutions'), before);
  });

  it('rejects invalid input with 422 and a German message, keeps what was typed and stores nothing', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const before = await countRows(db(t), 'solutions');
    // Ends in a letter, so trimming does not shorten it.
    const long = (n: number) => `${'Sehr lange Beschreibung '.repeat(30).slice(0, n - 1)}x`;
    const cases: { name: string; fields: Record<string, string>; message: string; kept: RegExp[] }[] = [
      { name: 'title over 100 characters', fields: { title: long(101) }, message: '„Titel“ darf höchstens 100 Zeichen lang sein.', kept: [new RegExp(`value="${long(101)}"`)] },
      { name: 'summary over 350 characters', fields: { title: 'Sommerbad-Auslastung', summary: long(351) }, message: '„Kurzbeschreibung“ darf höchstens 350 Zeichen lang sein.', kept: [new RegExp(`>${long(351)}</textarea>`), /value="Sommerbad-Auslastung"/] },
      { name: 'missing title', fields: { title: '', summary: 'Ein Chatbot ohne Titel' }, message: 'Bitte füllen Sie „Titel“ aus.', kept: [/>Ein Chatbot ohne Titel<\/textarea>/] },
      { name: 'title of blanks only', fields: { title: '    ' }, message: 'Bitte füllen Sie „Titel“ aus.', kept: [] },
      { name: 'unknown maturity', fields: { title: 'Reife Leistung', maturity: 'genial' }, message: 'Bitte wählen Sie bei „Reifegrad“ einen Eintrag aus der Liste.', kept: [/value="Reife Leistung"/] },
      { name: 'unknown visibility', fields: { title: 'Sichtbar', visibility: 'alle' }, message: 'Bitte wählen Sie bei „Sichtbarkeit“ einen Eintrag aus der Liste.', kept: [/value="Sichtbar"/] },
      { name: 'maximum cost below minimum', fields: { title: 'Teure Sache', cost_min_eur: '9000', cost_max_eur: '500' }, message: 'Der Höchstbetrag darf nicht kleiner als der Mindestbetrag sein.', kept: [/value="9000"/, /value="500"/, /value="Teure Sache"/] },
      { name: 'cost in words', fields: { title: 'Kosten', cost_min_eur: 'zwölf' }, message: 'Bitte geben Sie einen Betrag in ganzen Euro an, zum Beispiel 12000.', kept: [/value="zwölf"/] },
      { name: 'bad contact e-mail', fields: { title: 'Kontakt', contact_email: 'digital-at-olpe.example' }, message: 'Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@stadt.de.', kept: [/value="digital-at-olpe\.example"/] },
      { name: 'open-source link over http', fields: { title: 'Quelloffen', open_source_url: 'http://git.example/olpe/chatbot' }, message: 'Bitte geben Sie eine vollständige Adresse an, die mit https:// beginnt.', kept: [/value="http:\/\/git\.example\/olpe\/chatbot"/] },
      { name: 'open-source link without scheme', fields: { title: 'Quelloffen', open_source_url: 'git.example/olpe/chatbot' }, message: 'Bitte geben Sie eine vollständige Adresse an, die mit https:// beginnt.', kept: [/value="git\.example\/olpe\/chatbot"/] },
      { name: 'open-source link with another scheme', fields: { title: 'Quelloffen', open_source_url: 'javascript:alert(1)' }, message: 'Bitte geben Sie eine vollständige Adresse an, die mit https:// beginnt.', kept: [] },
    ];
    for (const c of cases) {
      const res = await visitor.submit('/loesungen/neu', solutionForm(c.fields));
      assert.equal(res.statusCode, 422, c.name);
      assert.ok(res.body.includes('<div class="error-summary"'), `${c.name}: error summary`);
      assert.ok(pageText(res.body).includes(c.message), `${c.name}: message "${c.message}"`);
      for (const re of c.kept) assert.match(res.body, re, `${c.name}: keeps ${re}`);
      // Fields that were fine are kept as well.
      assert.match(res.body, /value="Beispiel GmbH"/, c.name);
      assert.match(res.body, /<option value="generative" selected>/, c.name);
    }
    assert.equal(await countRows(db(t), 'solutions'), before);

    // An https link is accepted.
    const ok = await visitor.submit('/loesungen/neu', solutionForm({ title: 'Quelloffener Chatbot', open_source_url: 'https://git.example/olpe/chatbot' }));
    assert.equal(ok.statusCode, 303);
    assert.equal((await solutionRow(t, 'quelloffener-chatbot')).open_source_url, 'https://git.example/olpe/chatbot');
  });

  it('saves an edit as a new version with exactly the changed fields and who changed them; the history shows before, after and the editor', async () => {
    const { visitor: olga } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe', name: 'Olga Ohm' });
    const created = await olga.submit('/loesungen/neu', solutionForm({ title: 'Wertstoffhof-Terminbuchung', summary: 'Termine für den Wertstoffhof per Sprachassistent.' }));
    const slug = String(created.headers.location).replace('/loesungen/', '');

    const { visitor: bernd, user: berndUser } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe', name: 'Bernd Berg' });
    const edit = await bernd.get(`/loesungen/${slug}/bearbeiten`);
    assert.equal(edit.statusCode, 200);
    const fields = formFields(edit.body, `/loesungen/${slug}/bearbeiten`);
    assert.equal(fields.title, 'Wertstoffhof-Terminbuchung');
    assert.equal(fields.cooperation_wanted, '1');
    const changed: Record<string, string> = { ...fields, title: 'Wertstoffhof-Termine per Sprachassistent', maturity: 'production', cost_max_eur: '15000' };
    delete changed.cooperation_wanted; // the box is unticked
    const res = await bernd.post(`/loesungen/${slug}/bearbeiten`, changed);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/loesungen/${slug}`);

    const row = await solutionRow(t, slug);
    assert.equal(row.title, 'Wertstoffhof-Termine per Sprachassistent');
    assert.equal(row.version, 2);
    assert.equal(row.updated_by, berndUser.id);
    const versions = await versionRows(t, slug);
    assert.equal(versions.length, 2);
    assert.deepEqual(JSON.parse(versions[1].changed_fields), ['title', 'maturity', 'cost_max_eur', 'cooperation_wanted']);
    assert.equal(versions[1].changed_by, berndUser.id);
    assert.deepEqual(JSON.parse(versions[0].changed_fields), [...EDITABLE]);

    const page = await bernd.get(res.headers.location as string);
    assert.match(page.body, /Die Lösung ist gespeichert\./);
    assert.match(page.body, /<h1>Wertstoffhof-Termine per Sprachassistent<\/h1>/);

    const history = await new Visitor(t.app).get(`/loesungen/${slug}/versionen`);
    assert.equal(history.statusCode, 200);
    const text = pageText(history.body);
    assert.match(text, /Version 2 · [^·]+ · Bernd Berg/);
    assert.match(text, /Version 1 · [^·]+ · Olga Ohm/);
    assert.ok(text.includes('Geändert: Titel, Reifegrad, Kosten bis (Euro), Kooperation gesucht'), text);
    assert.ok(text.indexOf('Version 2') < text.indexOf('Version 1'), 'newest version first');
    const table = /<table class="table diff">([\s\S]*?)<\/table>/.exec(history.body)?.[1] ?? '';
    const rows = [...table.matchAll(/<tr><th scope="row">([^<]*)<\/th><td><del>([^<]*)<\/del><\/td><td><ins>([^<]*)<\/ins><\/td><\/tr>/g)].map((m) => m.slice(1).map(unescapeHtml));
    assert.deepEqual(rows, [
      ['Titel', 'Wertstoffhof-Terminbuchung', 'Wertstoffhof-Termine per Sprachassistent'],
      ['Reifegrad', 'Pilot', 'Produktiv'],
      ['Kosten bis (Euro)', '12000', '15000'],
      ['Kooperation gesucht', 'Ja', 'Nein'],
    ]);
  });

  it('adds no version when an edit is saved without changes', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const created = await visitor.submit('/loesungen/neu', solutionForm({
      title: 'Unveränderte Lösung', description: 'Erste Zeile.\r\nZweite Zeile mit "Anführungszeichen" & <Zeichen>.', own_development: '1',
      cost_min_eur: '', cost_max_eur: '', field_of_action: '', reuse_offered: '1',
    }));
    const slug = String(created.headers.location).replace('/loesungen/', '');
    const edit = await visitor.get(`/loesungen/${slug}/bearbeiten`);
    const res = await visitor.post(`/loesungen/${slug}/bearbeiten`, formFields(edit.body, `/loesungen/${slug}/bearbeiten`));
    assert.equal(res.statusCode, 303);
    assert.match((await visitor.get(`/loesungen/${slug}`)).body, /Es gab keine Änderungen\./);
    assert.equal((await versionRows(t, slug)).length, 1);
    assert.equal((await solutionRow(t, slug)).version, 1);
  });

  it('adds no version when a text written with plain line breaks (an import, the API) is saved unchanged from a browser', async () => {
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Olpe' })).id);
    const { slug } = await makeSolution(db(t), author, { title: 'Mehrzeilige Beschreibung', summary: 'Zwei Zeilen.', description: 'Erste Zeile.\nZweite Zeile.\n\nNeuer Absatz.' });
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const fields = formFields((await visitor.get(`/loesungen/${slug}/bearbeiten`)).body, `/loesungen/${slug}/bearbeiten`);
    assert.equal(fields.description, 'Erste Zeile.\r\nZweite Zeile.\r\n\r\nNeuer Absatz.');
    assert.equal((await visitor.post(`/loesungen/${slug}/bearbeiten`, fields)).statusCode, 303);
    assert.equal((await versionRows(t, slug)).length, 1);
    assert.match((await visitor.get(`/loesungen/${slug}`)).body, /Es gab keine Änderungen\./);
  });

  it('refuses edits by members of another organisation (403) and lets moderators and administrators edit', async () => {
    const { visitor: owner } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const created = await owner.submit('/loesungen/neu', solutionForm({ title: 'Olper Parkraum-Analyse' }));
    const slug = String(created.headers.location).replace('/loesungen/', '');
    const ownerForm = formFields((await owner.get(`/loesungen/${slug}/bearbeiten`)).body, `/loesungen/${slug}/bearbeiten`);

    const { visitor: other } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const page = await other.get(`/loesungen/${slug}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /\/bearbeiten"/, 'no edit link for another organisation');
    assert.equal((await other.get(`/loesungen/${slug}/bearbeiten`)).statusCode, 403);
    const refused = await other.post(`/loesungen/${slug}/bearbeiten`, { ...ownerForm, title: 'Gekapert' });
    assert.equal(refused.statusCode, 403);
    const invalid = await other.post(`/loesungen/${slug}/bearbeiten`, { ...ownerForm, title: '' });
    assert.equal(invalid.statusCode, 403, 'an invalid edit is refused too, without showing the edit form');
    assert.doesNotMatch(invalid.body, /bearbeiten<\/h1>/);
    assert.equal((await solutionRow(t, slug)).title, 'Olper Parkraum-Analyse');
    assert.equal((await versionRows(t, slug)).length, 1);

    const anon = new Visitor(t.app);
    assert.equal((await anon.get(`/loesungen/${slug}/bearbeiten`)).statusCode, 303);

    for (const [role, title] of [['moderator', 'Olper Parkraum-Analyse (geprüft)'], ['admin', 'Parkraum-Analyse Olpe']] as const) {
      const { visitor, user } = await signedIn(t.app, db(t), role, { organisation: 'Arnsberg' });
      assert.match((await visitor.get(`/loesungen/${slug}`)).body, new RegExp(`href="/loesungen/${slug}/bearbeiten"`), role);
      const form = formFields((await visitor.get(`/loesungen/${slug}/bearbeiten`)).body, `/loesungen/${slug}/bearbeiten`);
      const res = await visitor.post(`/loesungen/${slug}/bearbeiten`, { ...form, title });
      assert.equal(res.statusCode, 303, role);
      const row = await solutionRow(t, slug);
      assert.equal(row.title, title, role);
      assert.equal(row.organisation_id, await organisationId(db(t), 'Olpe'), `${role}: the solution stays Olpe's`);
      const last = (await versionRows(t, slug)).at(-1)!;
      assert.equal(last.changed_by, user.id, role);
      assert.deepEqual(JSON.parse(last.changed_fields), ['title'], role);
    }
  });
});

describe('who sees which solution', () => {
  let t: TestApp;
  let anon: Visitor, olpe: Visitor, arnsberg: Visitor, moderator: Visitor, admin: Visitor;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Olpe' })).id);
    await makeSolution(db(t), author, { title: 'Entwurf Friedhofsverwaltung', summary: 'Grabstellen mit KI planen, noch ein Entwurf.', visibility: 'draft' });
    await makeSolution(db(t), author, { title: 'Interne Personalplanung', summary: 'Dienstpläne der Feuerwehr mit KI, nur für Mitglieder.', visibility: 'members' });
    await makeSolution(db(t), author, { title: 'Öffentliche Baumkataster-Pflege', summary: 'Baumkontrollen mit Bilderkennung, für alle sichtbar.', visibility: 'public' });
    anon = new Visitor(t.app);
    olpe = (await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' })).visitor;
    arnsberg = (await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' })).visitor;
    moderator = (await signedIn(t.app, db(t), 'moderator', { organisation: 'Arnsberg' })).visitor;
    admin = (await signedIn(t.app, db(t), 'admin', { organisation: 'Arnsberg' })).visitor;
  });
  after(() => t.close());

  const exportSlugs = async (v: Visitor, query = '') => {
    const csv = await v.get(`/loesungen/export.csv${query}`);
    const json = await v.get(`/loesungen/export.json${query}`);
    const fromCsv = (parse(csv.body, { delimiter: ';', bom: true, columns: true }) as { slug: string }[]).map((r) => r.slug).sort();
    const fromJson = (JSON.parse(json.body).solutions as { slug: string }[]).map((r) => r.slug).sort();
    assert.deepEqual(fromCsv, fromJson);
    return fromCsv;
  };

  it('shows a draft only to its organisation and to moderators and administrators (others: 403, anonymous: 404)', async () => {
    const url = '/loesungen/entwurf-friedhofsverwaltung';
    for (const [who, v] of [['Olpe member', () => olpe], ['moderator', () => moderator], ['admin', () => admin]] as const) {
      const res = await v().get(url);
      assert.equal(res.statusCode, 200, who);
      assert.match(res.body, /Entwurf – nur für die eigene Organisation und die Moderation sichtbar/, who);
      assert.equal((await v().get(`${url}/versionen`)).statusCode, 200, who);
    }
    assert.equal((await arnsberg.get(url)).statusCode, 403);
    assert.equal((await arnsberg.get(`${url}/versionen`)).statusCode, 403);
    assert.equal((await anon.get(url)).statusCode, 404);
    assert.equal((await anon.get(`${url}/versionen`)).statusCode, 404);

    assert.ok(resultSlugs((await olpe.get('/loesungen')).body).includes('entwurf-friedhofsverwaltung'));
    assert.ok(resultSlugs((await moderator.get('/loesungen')).body).includes('entwurf-friedhofsverwaltung'));
    assert.ok(!resultSlugs((await arnsberg.get('/loesungen')).body).includes('entwurf-friedhofsverwaltung'));
    assert.ok(!resultSlugs((await anon.get('/loesungen')).body).includes('entwurf-friedhofsverwaltung'));
    assert.deepEqual(resultSlugs((await arnsberg.get('/loesungen?q=Friedhofsverwaltung')).body), []);
    assert.deepEqual(resultSlugs((await olpe.get('/loesungen?q=Friedhofsverwaltung')).body), ['entwurf-friedhofsverwaltung']);
    assert.ok(!(await exportSlugs(arnsberg)).includes('entwurf-friedhofsverwaltung'));
    assert.ok((await exportSlugs(olpe)).includes('entwurf-friedhofsverwaltung'));
  });

  it('hides members-only solutions from anonymous visitors: page (404), list, search and exports', async () => {
    const url = '/loesungen/interne-personalplanung';
    assert.equal((await anon.get(url)).statusCode, 404);
    assert.equal((await anon.get(`${url}/versionen`)).statusCode, 404);
    const list = (await anon.get('/loesungen')).body;
    assert.deepEqual(resultSlugs(list), ['oeffentliche-baumkataster-pflege']);
    assert.match(list, /1 Lösung</);
    assert.deepEqual(resultSlugs((await anon.get('/loesungen?q=Personalplanung')).body), []);
    assert.deepEqual(resultSlugs((await anon.get('/loesungen?q=Dienstpl%C3%A4ne+Feuerwehr')).body), []);
    assert.deepEqual(await exportSlugs(anon), ['oeffentliche-baumkataster-pflege']);
    assert.deepEqual(await exportSlugs(anon, '?q=Personalplanung'), []);

    for (const [who, v] of [['Arnsberg member', () => arnsberg], ['Olpe member', () => olpe]] as const) {
      const page = await v().get(url);
      assert.equal(page.statusCode, 200, who);
      assert.match(page.body, /Nur für Mitglieder sichtbar/, who);
      assert.deepEqual(resultSlugs((await v().get('/loesungen?q=Personalplanung')).body), ['interne-personalplanung'], who);
      assert.ok((await exportSlugs(v())).includes('interne-personalplanung'), who);
    }
  });

  it('shows public solutions to everyone', async () => {
    for (const v of [anon, olpe, arnsberg, moderator, admin]) {
      const res = await v.get('/loesungen/oeffentliche-baumkataster-pflege');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<h1>Öffentliche Baumkataster-Pflege<\/h1>/);
    }
    assert.deepEqual(resultSlugs((await anon.get('/loesungen?q=Baumkataster')).body), ['oeffentliche-baumkataster-pflege']);
  });
});

describe('deployments: marking', () => {
  let t: TestApp;
  let slug: string;
  let olpeId: number;
  const deployments = () => db(t).selectFrom('deployments').selectAll().execute();
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    olpeId = await organisationId(db(t), 'Olpe');
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Arnsberg' })).id);
    // An idea: its describing organisation does not count as running it, so only the marked deployments are listed.
    slug = (await makeSolution(db(t), author, { title: 'Sitzungsprotokolle automatisch erstellen', summary: 'Aus der Aufnahme einer Ratssitzung entsteht ein Protokollentwurf.', maturity: 'idea' })).slug;
  });
  after(() => t.close());

  it('adds one deployment of the member\'s organisation with one click; a second click updates it instead of adding another', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const page = await visitor.get(`/loesungen/${slug}`);
    assert.match(page.body, /Noch keine Kommune hat einen Einsatz eingetragen\./);
    assert.doesNotMatch(page.body, /name="status" value="[a-z_]+" checked/, 'no status is chosen for the visitor');
    const button = { organisation: String(olpeId), status: 'production' };
    assert.equal(formFields(page.body, `/loesungen/${slug}/einsatz`).organisation, button.organisation, 'the marking names the visitor\'s organisation');

    const first = await visitor.post(`/loesungen/${slug}/einsatz`, button);
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, `/loesungen/${slug}`);
    const after1 = await visitor.get(`/loesungen/${slug}`);
    assert.match(after1.body, /Eingetragen: Olpe – produktiv\./);
    assert.deepEqual(deploymentLines(after1.body), ['Olpe, produktiv']);
    const second = await visitor.post(`/loesungen/${slug}/einsatz`, button);
    assert.equal(second.statusCode, 303);
    const rows = await deployments();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].organisation_id, olpeId);
    assert.equal(rows[0].status, 'production');
    assert.equal(rows[0].since, null);
  });

  it('shows "Olpe, produktiv seit 03/2025" on the solution page and lists the deployment on the organisation page', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const form = await visitor.get(`/loesungen/${slug}/einsatz`);
    assert.equal(form.statusCode, 200);
    const fields = formFields(form.body, `/loesungen/${slug}/einsatz`);
    assert.equal(fields.status, 'production', 'the form shows the stored deployment');
    const res = await visitor.post(`/loesungen/${slug}/einsatz`, { ...fields, since: '2025-03', contact: 'Team Digitales, 02761 83-0', experience: 'Spart uns pro Sitzung zwei Stunden.' });
    assert.equal(res.statusCode, 303);
    assert.equal((await deployments()).length, 1);

    const anon = new Visitor(t.app);
    const page = await anon.get(`/loesungen/${slug}`);
    assert.deepEqual(deploymentLines(page.body), ['Olpe, produktiv seit 03/2025']);
    assert.match(page.body, /<a href="\/organisationen\/olpe">Olpe, produktiv seit 03\/2025<\/a>/);
    assert.doesNotMatch(page.body, /Spart uns pro Sitzung/, 'experience reports are for members');
    assert.match((await visitor.get(`/loesungen/${slug}`)).body, /Spart uns pro Sitzung zwei Stunden\./);

    const org = await anon.get('/organisationen/olpe');
    assert.equal(org.statusCode, 200);
    assert.ok(pageText(org.body).includes('Sitzungsprotokolle automatisch erstellen – produktiv seit 03/2025'), pageText(org.body));
    assert.match(org.body, new RegExp(`<a href="/loesungen/${slug}">Sitzungsprotokolle automatisch erstellen</a>`));
    assert.doesNotMatch((await anon.get('/organisationen/arnsberg')).body, /Sitzungsprotokolle/);
  });

  it('keeps the details entered in the form (month, report, members-only) when the button is clicked again', async () => {
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Arnsberg' })).id);
    const other = (await makeSolution(db(t), author, { title: 'Baumkataster mit Luftbildern', summary: 'Baumarten und Kronen werden aus Luftbildern erkannt.', maturity: 'idea' })).slug;
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Finnentrop' });
    await visitor.get(`/loesungen/${other}/einsatz`);
    const saved = await visitor.post(`/loesungen/${other}/einsatz`, { status: 'pilot', since: '2024-11', contact: 'Grünflächenamt', cost_paid: '8.000 €', experience: 'Gute Ergebnisse bei Laubbäumen.', visibility: 'members' });
    assert.equal(saved.statusCode, 303);
    assert.deepEqual(deploymentLines((await new Visitor(t.app).get(`/loesungen/${other}`)).body), [], 'members only');

    await visitor.get(`/loesungen/${other}`);
    assert.equal((await visitor.post(`/loesungen/${other}/einsatz`, { status: 'production' })).statusCode, 303);
    const { id } = await solutionRow(t, other);
    const row = await db(t).selectFrom('deployments').selectAll().where('solution_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'production');
    assert.equal(row.since, '2024-11');
    assert.equal(row.contact, 'Grünflächenamt');
    assert.equal(row.cost_paid, '8.000 €');
    assert.equal(row.experience, 'Gute Ergebnisse bei Laubbäumen.');
    assert.equal(row.visibility, 'members');
    assert.deepEqual(deploymentLines((await new Visitor(t.app).get(`/loesungen/${other}`)).body), [], 'still members only');
    assert.deepEqual(deploymentLines((await visitor.get(`/loesungen/${other}`)).body), ['Finnentrop, produktiv seit 11/2024']);
  });

  it('shows "Interesse" after "Wir sind interessiert"', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Attendorn' });
    const page = await visitor.get(`/loesungen/${slug}`);
    assert.match(page.body, /<input type="radio" id="mark-interested" name="status" value="interested" required\/><label for="mark-interested">Wir sind interessiert<\/label>/);
    const res = await visitor.post(`/loesungen/${slug}/einsatz`, { status: 'interested' });
    assert.equal(res.statusCode, 303);
    const lines = deploymentLines((await new Visitor(t.app).get(`/loesungen/${slug}`)).body);
    assert.deepEqual(lines, ['Olpe, produktiv seit 03/2025', 'Attendorn, Interesse']);
    assert.ok(pageText((await visitor.get('/organisationen/attendorn')).body).includes('Sitzungsprotokolle automatisch erstellen – Interesse'));
  });

  it('rejects a month in the wrong format with 422 and leaves the deployment as it was', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    for (const since of ['2025-13', 'März 2025', '2025-00', '13/2025']) {
      await visitor.get(`/loesungen/${slug}/einsatz`);
      const res = await visitor.post(`/loesungen/${slug}/einsatz`, { status: 'pilot', since, visibility: 'public' });
      assert.equal(res.statusCode, 422, since);
      assert.ok(pageText(res.body).includes('Bitte geben Sie den Monat als MM/JJJJ oder JJJJ-MM an, zum Beispiel 09/2025.'), since);
      assert.ok(res.body.includes(`value="${since}"`), `${since} is kept`);
    }
    const mine = (await deployments()).filter((d) => d.organisation_id === olpeId);
    assert.equal(mine.length, 1);
    assert.equal(mine[0].status, 'production');
    assert.equal(mine[0].since, '2025-03');
  });

  it('removes the organisation\'s deployment', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Attendorn' });
    await visitor.get(`/loesungen/${slug}/einsatz`);
    // First asked, with what goes; nothing is removed yet.
    const stored = (await deployments()).length;
    const asked = await visitor.post(`/loesungen/${slug}/einsatz/entfernen`);
    assert.equal(asked.statusCode, 200);
    assert.match(pageText(asked.body), /Der Eintrag von Attendorn zur Lösung „[^“]+“ wird gelöscht: Status, seit wann, Ansprechperson, gemeldete Kosten und Erfahrungsbericht\./);
    assert.equal((await deployments()).length, stored, 'nothing removed before the confirmation');
    const res = await visitor.post(`/loesungen/${slug}/einsatz/entfernen`, { confirm: 'yes' });
    assert.equal(res.statusCode, 303);
    const page = await visitor.get(`/loesungen/${slug}`);
    assert.match(page.body, /Der Eintrag Ihrer Organisation ist entfernt\./);
    assert.deepEqual(deploymentLines(page.body), ['Olpe, produktiv seit 03/2025']);
    const { id } = await solutionRow(t, slug);
    assert.deepEqual((await deployments()).filter((d) => d.solution_id === id).map((d) => d.organisation_id), [olpeId]);
    assert.match((await visitor.get('/organisationen/attendorn')).body, /Diese Organisation hat noch keinen Einsatz eingetragen\./);
  });

  it('leaves exactly one deployment when several members of one organisation mark it at the same time', async () => {
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Arnsberg' })).id);
    const other = (await makeSolution(db(t), author, { title: 'Müllabfuhr-Routenplanung', summary: 'Touren der Müllabfuhr werden täglich neu berechnet.', maturity: 'idea' })).slug;
    const members: Awaited<ReturnType<typeof signedIn>>[] = [];
    for (let i = 0; i < 4; i++) members.push(await signedIn(t.app, db(t), 'member', { organisation: 'Wenden' }));
    for (const m of members) await m.visitor.get(`/loesungen/${other}`);
    const statuses = ['production', 'pilot', 'interested', 'production', 'planned', 'pilot', 'production', 'interested'];
    const answers = await Promise.all(statuses.map((status, i) => members[i % members.length].visitor.post(`/loesungen/${other}/einsatz`, { status })));
    assert.deepEqual(answers.map((a) => a.statusCode), statuses.map(() => 303));
    const { id } = await solutionRow(t, other);
    const rows = await db(t).selectFrom('deployments').selectAll().where('solution_id', '=', id).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].organisation_id, await organisationId(db(t), 'Wenden'));
    assert.ok(statuses.includes(rows[0].status));
    assert.equal(deploymentLines((await new Visitor(t.app).get(`/loesungen/${other}`)).body).length, 1);
  });

  it('does not let anonymous visitors mark deployments', async () => {
    const anon = new Visitor(t.app);
    const page = await anon.get(`/loesungen/${slug}`);
    assert.doesNotMatch(page.body, /Einsatz eintragen/);
    const res = await anon.post(`/loesungen/${slug}/einsatz`, { status: 'production' }, null);
    assert.ok([401, 403].includes(res.statusCode), String(res.statusCode));
    assert.equal((await deployments()).length, 3);
  });
});

describe('example solutions', () => {
  let t: TestApp;
  let admin: Visitor;
  const exampleIds = async () => (await db(t).selectFrom('solutions').select('id').where('is_example', '=', 1).execute()).map((r) => r.id);
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  it('loads the six examples from the setup wizard, each marked "Beispiel"', async () => {
    admin = new Visitor(t.app);
    const wizard = await admin.get('/einrichtung');
    assert.match(wizard.body, /<input id="f-examples" name="examples" type="checkbox" value="1" checked/);
    assert.match(wizard.body, /Beispiel-Lösungen laden/);
    const res = await admin.post('/einrichtung', {
      name: 'Anna Admin', email: 'anna@kreis-olpe.example', organisation: String(await organisationId(db(t), 'Kreis Olpe')), organisationOther: '',
      password: 'ein-langes-passwort', passwordRepeat: 'ein-langes-passwort', examples: '1',
    });
    assert.equal(res.statusCode, 303);
    const rows = await db(t).selectFrom('solutions').selectAll().orderBy('id').execute();
    assert.deepEqual(rows.map((r) => r.title), EXAMPLES.map((e) => e.title));
    assert.ok(rows.every((r) => r.is_example === 1 && r.visibility === 'public' && r.organisation_id === null));
    for (const r of rows) {
      assert.equal(await countRows(db(t), 'solution_versions', { solution_id: r.id }), 1, r.title);
      assert.ok(await countRows(db(t), 'search_terms', { solution_id: r.id }) > 5, r.title);
    }

    const list = await new Visitor(t.app).get('/loesungen');
    assert.match(list.body, /6 Lösungen</);
    const metas = [...list.body.matchAll(/<p class="meta">([^<]*)<\/p>/g)].map((m) => m[1]);
    assert.equal(metas.length, 6);
    assert.ok(metas.every((m) => m.endsWith(' · Beispiel')), metas.join('\n'));
    const page = await new Visitor(t.app).get('/loesungen/schlaglocherkennung-per-smartphone');
    assert.match(page.body, /Dies ist ein Beispieleintrag\./);
  });

  it('does not duplicate the examples when they are loaded again', async () => {
    assert.equal((await admin.get('/verwaltung/beispiele')).statusCode, 200);
    assert.match(admin.lastPage, /6 Einträge/);
    const res = await admin.post('/verwaltung/beispiele/laden');
    assert.equal(res.statusCode, 303);
    assert.match((await admin.get('/verwaltung/beispiele')).body, /0 Beispiele sind geladen\./);
    assert.equal((await exampleIds()).length, 6);
    assert.equal(await countRows(db(t), 'solutions'), 6);
  });

  it('removes all examples in one action, with their versions, index terms and deployments, and leaves other solutions alone', async () => {
    const { visitor: member } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const own = await member.submit('/loesungen/neu', solutionForm({ title: 'Schlaglochmeldungen aus der Bürger-App', summary: 'Bürger melden Schlaglöcher per App, eine KI sortiert die Meldungen.' }));
    const ownSlug = String(own.headers.location).replace('/loesungen/', '');
    await member.get(`/loesungen/${ownSlug}`);
    assert.equal((await member.post(`/loesungen/${ownSlug}/einsatz`, { status: 'production' })).statusCode, 303);
    await member.get('/loesungen/schlaglocherkennung-per-smartphone');
    assert.equal((await member.post('/loesungen/schlaglocherkennung-per-smartphone/einsatz', { status: 'pilot' })).statusCode, 303);
    const ownRow = await solutionRow(t, ownSlug);
    const ownTerms = await countRows(db(t), 'search_terms', { solution_id: ownRow.id });

    // Members may not remove them.
    await member.get('/loesungen');
    assert.equal((await member.post('/verwaltung/beispiele/entfernen')).statusCode, 403);
    assert.equal((await exampleIds()).length, 6);

    const ids = await exampleIds();
    await admin.get('/verwaltung/beispiele');
    const asked = await admin.post('/verwaltung/beispiele/entfernen');
    assert.match(pageText(asked.body), /6 Beispiel-Lösungen werden mit ihren Versionen, Einsätzen und Suchbegriffen gelöscht\./);
    assert.equal((await exampleIds()).length, 6, 'nothing removed before the confirmation');
    const res = await admin.post('/verwaltung/beispiele/entfernen', { confirm: 'yes' });
    assert.equal(res.statusCode, 303);
    assert.match((await admin.get('/verwaltung/beispiele')).body, /6 Beispiele sind entfernt\./);
    assert.deepEqual(await exampleIds(), []);
    for (const table of ['solution_versions', 'search_terms', 'deployments'] as const) {
      const left = await db(t).selectFrom(table).select(sql<number>`count(*)`.as('n')).where('solution_id', 'in', ids).executeTakeFirstOrThrow();
      assert.equal(Number(left.n), 0, table);
    }
    // The member's own solution keeps everything.
    assert.equal(await countRows(db(t), 'solutions'), 1);
    assert.equal(await countRows(db(t), 'solution_versions', { solution_id: ownRow.id }), 1);
    assert.equal(await countRows(db(t), 'search_terms', { solution_id: ownRow.id }), ownTerms);
    assert.equal(await countRows(db(t), 'deployments', { solution_id: ownRow.id }), 1);

    const anon = new Visitor(t.app);
    assert.deepEqual(resultSlugs((await anon.get('/loesungen')).body), [ownSlug]);
    assert.deepEqual(resultSlugs((await anon.get('/loesungen?q=Schlagl%C3%B6cher')).body), [ownSlug]);
    assert.equal((await anon.get('/loesungen/schlaglocherkennung-per-smartphone')).statusCode, 404);
  });
});

describe('export', () => {
  let t: TestApp;
  const HEADER = ['slug', ...EDITABLE.filter((f) => f !== 'visibility'), 'visibility', 'organisation_name', 'source', 'source_id', 'source_url', 'source_org', 'source_country', 'licence', 'updated_at'];
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Olpe' })).id);
    await makeSolution(db(t), author, { title: 'Parken; Laden und Bezahlen', summary: 'Erste Zeile\nZweite Zeile mit "Anführungszeichen"; und Semikolon', cost_min_eur: '100' });
    await makeSolution(db(t), author, { title: 'Nur für Mitglieder: Haushaltsprognose', summary: 'Prognose der Gewerbesteuer.', visibility: 'members' });
    await makeSolution(db(t), author, { title: 'Entwurf Hundesteuer', summary: 'Hundesteuerbescheide prüfen.', visibility: 'draft' });
    await makeSolution(db(t), author, { title: 'Chatbot for benefit claims', summary: 'A chatbot answers questions about benefit claims.', language: 'en' }, {
      organisation_id: null, source: 'pstw', source_id: 'PSTW-123', source_url: 'https://interoperable-europe.ec.europa.eu/case/123', source_org: 'City of Example', source_country: 'IE', licence: 'CC BY 4.0',
    });
  });
  after(() => t.close());

  it('exports CSV for Excel: UTF-8 BOM, semicolons, CRLF, the expected columns, quoted fields, only what the visitor may see', async () => {
    const res = await new Visitor(t.app).get('/loesungen/export.csv');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="loesungen\.csv"/);
    assert.deepEqual([...res.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const body = res.rawPayload.toString('utf8');
    const firstLine = body.slice(1, body.indexOf('\r\n'));
    assert.equal(firstLine, HEADER.join(';'));
    assert.ok(firstLine.startsWith('slug;title;summary;description;'));
    assert.doesNotMatch(body.replace(/"[^"]*"/g, ''), /[^\r]\n/, 'every record ends with CRLF');

    const rows = parse(body, { delimiter: ';', bom: true, columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => r.title).sort(), ['Chatbot for benefit claims', 'Parken; Laden und Bezahlen']);
    const parking = rows.find((r) => r.slug === 'parken-laden-und-bezahlen')!;
    assert.equal(parking.title, 'Parken; Laden und Bezahlen');
    assert.equal(parking.summary, 'Erste Zeile\nZweite Zeile mit "Anführungszeichen"; und Semikolon');
    assert.equal(parking.organisation_name, 'Olpe');
    assert.equal(parking.cost_min_eur, '100');
    assert.equal(parking.cost_max_eur, '');
    assert.equal(parking.visibility, 'public');
    const imported = rows.find((r) => r.source === 'pstw')!;
    assert.equal(imported.licence, 'CC BY 4.0');
    assert.equal(imported.source_url, 'https://interoperable-europe.ec.europa.eu/case/123');

    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const member = parse((await visitor.get('/loesungen/export.csv')).body, { delimiter: ';', bom: true, columns: true }) as Record<string, string>[];
    assert.deepEqual(member.map((r) => r.title).sort(), ['Chatbot for benefit claims', 'Nur für Mitglieder: Haushaltsprognose', 'Parken; Laden und Bezahlen']);
    const { visitor: olpe } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const own = parse((await olpe.get('/loesungen/export.csv')).body, { delimiter: ';', bom: true, columns: true }) as Record<string, string>[];
    assert.equal(own.length, 4);
  });

  it('keeps a member-written formula from running when the CSV is opened in a spreadsheet', async () => {
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Olpe' })).id);
    await makeSolution(db(t), author, { title: '=HYPERLINK("http://evil.example";"Klick")', summary: '+49 Telefonnummer als Formel?' });
    const rows = parse((await new Visitor(t.app).get('/loesungen/export.csv')).body, { delimiter: ';', bom: true, columns: true }) as Record<string, string>[];
    const formula = rows.find((r) => r.title.includes('HYPERLINK'))!;
    assert.equal(formula.title, `'=HYPERLINK("http://evil.example";"Klick")`);
    assert.equal(formula.summary, `'+49 Telefonnummer als Formel?`);
    await db(t).deleteFrom('solutions').where('title', 'like', '%HYPERLINK%').execute();
  });

  it('exports JSON with the attribution of imported sources, only what the visitor may see, filtered like the list', async () => {
    const res = await new Visitor(t.app).get('/loesungen/export.json');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const data = JSON.parse(res.body) as { count: number; solutions: Record<string, unknown>[] };
    assert.equal(data.count, 2);
    assert.deepEqual(data.solutions.map((s) => s.slug).sort(), ['chatbot-for-benefit-claims', 'parken-laden-und-bezahlen']);
    const imported = data.solutions.find((s) => s.source === 'pstw')!;
    assert.equal(imported.attribution, SOURCE_INFO.pstw.attribution);
    assert.equal(imported.licence, 'CC BY 4.0');
    assert.equal(imported.source_org, 'City of Example');
    const own = data.solutions.find((s) => s.source === 'own')!;
    assert.equal(own.attribution, null);
    assert.equal(own.organisation_name, 'Olpe');
    for (const s of data.solutions) for (const hidden of ['id', 'created_by', 'updated_by', 'title_key']) assert.ok(!(hidden in s), hidden);

    const english = JSON.parse((await new Visitor(t.app).get('/loesungen/export.json?language=en')).body);
    assert.deepEqual(english.solutions.map((s: { slug: string }) => s.slug), ['chatbot-for-benefit-claims']);
    const searched = JSON.parse((await new Visitor(t.app).get('/loesungen/export.json?q=Parken')).body);
    assert.deepEqual(searched.solutions.map((s: { slug: string }) => s.slug), ['parken-laden-und-bezahlen']);
    const none = JSON.parse((await new Visitor(t.app).get('/loesungen/export.json?q=Haushaltsprognose')).body);
    assert.equal(none.count, 0);
  });

  it('links the exports from the list with the current search', async () => {
    const list = await new Visitor(t.app).get('/loesungen?q=Parken&language=de');
    assert.match(list.body, /<a href="\/loesungen\/export\.csv\?q=Parken&amp;language=de">Als CSV \(Excel\)<\/a>/);
    assert.match(list.body, /<a href="\/loesungen\/export\.json\?q=Parken&amp;language=de">Als JSON<\/a>/);
  });
});

describe('page cache', () => {
  let t: TestApp;
  let slug: string;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Olpe' })).id);
    slug = (await makeSolution(db(t), author, { title: 'Bürgeranfragen sortieren', summary: 'Eingehende E-Mails werden dem richtigen Amt zugeordnet.' })).slug;
    await makeSolution(db(t), author, { title: 'Geheime Kassenprüfung', summary: 'Nur für Mitglieder.', visibility: 'members' });
  });
  after(() => t.close());

  it('serves anonymous visitors the cached list, and shows an edit at once', async () => {
    const anon = new Visitor(t.app);
    const first = await anon.get('/loesungen');
    assert.match(first.body, /Bürgeranfragen sortieren/);
    // A change behind the platform's back (no new catalogue version) is not seen: the page comes from the cache.
    await db(t).updateTable('solutions').set({ title: 'Heimlich geändert' }).where('slug', '=', slug).execute();
    const cached = await new Visitor(t.app).get('/loesungen');
    assert.equal(cached.body, first.body);

    const { visitor: editor } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const form = formFields((await editor.get(`/loesungen/${slug}/bearbeiten`)).body, `/loesungen/${slug}/bearbeiten`);
    assert.equal((await editor.post(`/loesungen/${slug}/bearbeiten`, { ...form, title: 'Bürgeranfragen automatisch zuordnen' })).statusCode, 303);
    const fresh = await anon.get('/loesungen');
    assert.match(fresh.body, /Bürgeranfragen automatisch zuordnen/);
    assert.doesNotMatch(fresh.body, /Bürgeranfragen sortieren|Heimlich geändert/);
    assert.match((await anon.get(`/loesungen/${slug}`)).body, /<h1>Bürgeranfragen automatisch zuordnen<\/h1>/);
  });

  it('shows a new deployment on the cached solution page at once', async () => {
    const anon = new Visitor(t.app);
    // The describing organisation counts as running its pilot.
    assert.deepEqual(deploymentLines((await anon.get(`/loesungen/${slug}`)).body), ['Olpe, Pilot']);
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Drolshagen' });
    await visitor.get(`/loesungen/${slug}`);
    await visitor.post(`/loesungen/${slug}/einsatz`, { status: 'pilot' });
    assert.deepEqual(deploymentLines((await anon.get(`/loesungen/${slug}`)).body), ['Olpe, Pilot', 'Drolshagen, Pilot']);
  });

  it('never gives a signed-in member a page cached for someone else, nor caches a member\'s page for others', async () => {
    const anon = new Visitor(t.app);
    const anonList = await anon.get('/loesungen?sort=title');
    assert.doesNotMatch(anonList.body, /Geheime Kassenprüfung/);

    const { visitor: member } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const memberList = await member.get('/loesungen?sort=title');
    assert.match(memberList.body, /Geheime Kassenprüfung/);
    assert.match(memberList.body, /action="\/abmelden"/);
    assert.match(memberList.body, /Neue Lösung beschreiben/);

    // The member loads a page first; the anonymous visitor after them must not get the member's page.
    const memberFirst = await member.get('/loesungen?sort=newest');
    assert.match(memberFirst.body, /Geheime Kassenprüfung/);
    const anonAfter = await new Visitor(t.app).get('/loesungen?sort=newest');
    assert.doesNotMatch(anonAfter.body, /Geheime Kassenprüfung|action="\/abmelden"/);

    // A second member gets their own page too (with their own form token), not the first member's.
    const token = /name="_csrf" value="([^"]+)"/.exec(memberFirst.body)![1];
    const { visitor: other } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const otherPage = await other.get('/loesungen?sort=newest');
    assert.match(otherPage.body, /action="\/abmelden"/);
    assert.ok(!otherPage.body.includes(token));
    assert.equal((await other.post('/abmelden', {})).statusCode, 303, 'the page\'s own token works');
  });
});
