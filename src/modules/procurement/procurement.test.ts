import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import type { Visitor } from '../../../test/support/client.js';
import { makeSolution } from '../../../test/support/catalogue.js';
import { completeSetup, organisationId, signedIn } from '../../../test/support/factories.js';
import { countRows } from '../../../test/support/members.js';
import { errorMessages, pageText } from '../../../test/support/page.js';
import { collectingInitiative, initiativeForm, memberOf, passDeadline } from '../../../test/support/procurement.js';

const db = (t: TestApp) => t.database.db;

/** The messages of the error summary at the top of a page refused with 422, as one text. */
const summary = (html: string) => errorMessages(html).join(' ');

/** The value of a text field as the page shows it again. */
function fieldValue(html: string, name: string): string | undefined {
  return new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];
}

async function initiativeRow(t: TestApp, id: number) {
  return db(t).selectFrom('procurement_initiatives').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function declarations(t: TestApp, id: number) {
  return db(t).selectFrom('procurement_declarations').selectAll().where('initiative_id', '=', id).orderBy('id').execute();
}

/** Opens an initiative through the form as the visitor; returns its id. */
async function openInitiative(visitor: Visitor, fields: Record<string, string> = {}): Promise<number> {
  const res = await visitor.submit('/beschaffung/neu', initiativeForm(fields));
  assert.equal(res.statusCode, 303, summary(res.body));
  const id = Number(/^\/beschaffung\/(\d+)$/.exec(String(res.headers.location))?.[1]);
  assert.ok(id > 0);
  return id;
}

async function post(visitor: Visitor, pageUrl: string, action: string, fields: Record<string, string> = {}) {
  await visitor.get(pageUrl);
  return visitor.post(action, fields);
}

describe('joint procurement: initiatives', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('a member opens an initiative led by their organisation; it starts as a draft seen by the lead and the administrators only', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const form = await visitor.get('/beschaffung/neu');
    assert.equal(form.statusCode, 200);
    assert.equal((form.body.match(/name="tier_min_\d"/g) ?? []).length, 6, 'six tier rows without JavaScript');
    const id = await openInitiative(visitor);
    const row = await initiativeRow(t, id);
    assert.equal(row.state, 'draft');
    assert.equal(row.lead_organisation_id, await organisationId(db(t), 'Arnsberg'));
    assert.equal(row.term_months, 36);
    assert.equal(row.option_months, 12);
    assert.match(row.deadline_at, /^\d{4}-\d{2}-\d{2}T1[01]:00:00\.000Z$/, 'deadline 12:00 Berlin stored in UTC');
    const tiers = await db(t).selectFrom('procurement_tiers').select(['min_quantity', 'unit_price_cents']).where('initiative_id', '=', id).orderBy('min_quantity').execute();
    assert.deepEqual(tiers, [{ min_quantity: 1, unit_price_cents: 1000 }, { min_quantity: 50, unit_price_cents: 800 }, { min_quantity: 200, unit_price_cents: 650 }]);

    const text = pageText((await visitor.get(`/beschaffung/${id}`)).body);
    assert.match(text, /Entwurf · federführend: Arnsberg/);
    assert.match(text, /ab Menge Preis je Einheit und Monat Stand 1 Lizenz 10,00 € .*50 Lizenzen 8,00 € .*200 Lizenzen 6,50 €/);
    assert.match(text, /noch 1 Lizenz bis zur nächsten Preisstufe \(10,00 € je Lizenz und Monat\)/);

    const { visitor: other } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    // A draft does not exist for other organisations, on every route of the initiative, so ids cannot be walked.
    for (const path of ['', '/bearbeiten', '/export.csv', '/druck']) {
      const res = await other.get(`/beschaffung/${id}${path}`);
      assert.equal(res.statusCode, 404, `a draft is not shown to other organisations: ${path}`);
      assert.doesNotMatch(res.body, /KI-Assistent für Bürgeranfragen/);
    }
    assert.equal((await other.get(`/beschaffung/${id + 1000}`)).statusCode, 404);
    assert.doesNotMatch((await other.get('/beschaffung')).body, /KI-Assistent für Bürgeranfragen/);
    const { visitor: admin } = await signedIn(t.app, db(t), 'admin', { organisation: 'Siegen' });
    assert.equal((await admin.get(`/beschaffung/${id}`)).statusCode, 200);
    const anonymous = await t.app.inject({ method: 'GET', url: `/beschaffung/${id}` });
    assert.equal(anonymous.statusCode, 303, 'visitors are asked to sign in');
  });

  const badInitiatives: { name: string; fields: Record<string, string>; message: RegExp }[] = [
    { name: 'tier minimums that do not increase', fields: { tier_min_2: '50', tier_min_3: '50' }, message: /Die Mindestmengen müssen von Preisstufe zu Preisstufe steigen\./ },
    { name: 'a first tier that does not start at 1', fields: { tier_min_1: '5' }, message: /Die erste Preisstufe muss bei einer Menge von 1 beginnen\./ },
    { name: 'rising prices', fields: { tier_price_3: '9,00' }, message: /Der Preis je Einheit darf von Preisstufe zu Preisstufe nicht steigen\./ },
    { name: 'fractions of a cent', fields: { tier_price_2: '7,995' }, message: /Preisstufe 2: Bitte geben Sie den Preis in Euro mit höchstens zwei Nachkommastellen an/ },
    { name: 'a price that is no number', fields: { tier_price_1: 'zehn' }, message: /Preisstufe 1: Bitte geben Sie den Preis in Euro/ },
    { name: 'a tier with a minimum but no price', fields: { tier_min_4: '500' }, message: /Preisstufe 4: Bitte geben Sie Mindestmenge und Preis an/ },
    { name: 'no tier at all', fields: { tier_min_1: '', tier_price_1: '', tier_min_2: '', tier_price_2: '', tier_min_3: '', tier_price_3: '' }, message: /Bitte geben Sie mindestens eine Preisstufe an\./ },
    { name: 'a term that is no whole number', fields: { term_months: '3,5' }, message: /„Vertragslaufzeit in Monaten“ eine ganze Zahl von Monaten zwischen 1 und 600/ },
    { name: 'a one-time fee with fractions of a cent', fields: { one_time_fee: '12,345' }, message: /„Einmalige Gebühr .*“ einen Betrag in Euro mit höchstens zwei Nachkommastellen/ },
    { name: 'a deadline in the past', fields: { deadline_date: '2020-01-01' }, message: /Die Frist für Bedarfserklärungen muss in der Zukunft liegen\./ },
    { name: 'a solution that is not in the catalogue', fields: { solution: '/loesungen/gibt-es-nicht' }, message: /Diese Lösung gibt es im Katalog nicht/ },
    { name: 'no title', fields: { title: '' }, message: /Titel/ },
  ];
  for (const bad of badInitiatives) {
    it(`refuses ${bad.name} with a German message, keeps what was typed and stores nothing`, async () => {
      const { visitor } = await signedIn(t.app, db(t), 'member');
      const before = await countRows(db(t), 'procurement_initiatives');
      const res = await visitor.submit('/beschaffung/neu', initiativeForm({ product: 'Getippt und behalten', ...bad.fields }));
      assert.equal(res.statusCode, 422);
      assert.match(summary(res.body), bad.message);
      assert.equal(fieldValue(res.body, 'product'), 'Getippt und behalten');
      for (const [name, value] of Object.entries(bad.fields)) if (name !== 'title') assert.equal(fieldValue(res.body, name) ?? value, value, `${name} kept`);
      assert.equal(await countRows(db(t), 'procurement_initiatives'), before);
    });
  }

  it('links a catalogue solution the member may see, and refuses another organisation\'s draft', async () => {
    const olpe = await memberOf(db(t), 'Olpe');
    const visible = await makeSolution(db(t), olpe, { title: 'Telefonassistent mit KI', summary: 'Nimmt Anrufe an.' });
    const draft = await makeSolution(db(t), olpe, { title: 'Geheimer Entwurf', summary: 'Noch nicht fertig.', visibility: 'draft' });
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const refused = await visitor.submit('/beschaffung/neu', initiativeForm({ solution: `/loesungen/${draft.slug}` }));
    assert.equal(refused.statusCode, 422);
    assert.match(summary(refused.body), /Diese Lösung gibt es im Katalog nicht, oder Sie können sie nicht sehen/);
    const id = await openInitiative(visitor, { solution: `http://localhost:3000/loesungen/${visible.slug}` });
    assert.equal((await initiativeRow(t, id)).solution_slug, visible.slug);
    assert.match((await visitor.get(`/beschaffung/${id}`)).body, new RegExp(`<a href="/loesungen/${visible.slug}">Telefonassistent mit KI</a>`));
  });

  it('only the lead organisation\'s members and the administrators edit it and change its state', async () => {
    const { visitor: lead } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const id = await openInitiative(lead);
    const { visitor: colleague } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const { visitor: stranger } = await signedIn(t.app, db(t), 'moderator', { organisation: 'Olpe' });
    const { visitor: admin } = await signedIn(t.app, db(t), 'admin', { organisation: 'Siegen' });

    await post(colleague, `/beschaffung/${id}`, `/beschaffung/${id}/status`, { to: 'collecting' });
    assert.equal((await initiativeRow(t, id)).state, 'collecting', 'a colleague of the lead organisation starts collecting');

    assert.equal((await stranger.get(`/beschaffung/${id}/bearbeiten`)).statusCode, 403);
    await stranger.get(`/beschaffung/${id}`);
    assert.doesNotMatch(stranger.lastPage, /Initiative abbrechen/, 'no state buttons for others');
    assert.equal((await stranger.post(`/beschaffung/${id}/bearbeiten`, initiativeForm({ title: 'Übernommen' }))).statusCode, 403);
    assert.equal((await stranger.post(`/beschaffung/${id}/status`, { to: 'cancelled' })).statusCode, 403);
    const row = await initiativeRow(t, id);
    assert.equal(row.state, 'collecting');
    assert.equal(row.title, 'KI-Assistent für Bürgeranfragen');

    const edit = await admin.submit(`/beschaffung/${id}/bearbeiten`, { ...initiativeForm({ title: 'KI-Assistent, neu verhandelt', tier_price_2: '7,50' }) });
    assert.equal(edit.statusCode, 303);
    assert.equal((await initiativeRow(t, id)).title, 'KI-Assistent, neu verhandelt');
    assert.match(pageText((await admin.get(`/beschaffung/${id}`)).body), /50 Lizenzen 7,50 €/);

    const jump = await post(lead, `/beschaffung/${id}`, `/beschaffung/${id}/status`, { to: 'handed_over' });
    assert.equal(jump.statusCode, 422);
    assert.match(summary(jump.body), /Dieser Schritt ist im jetzigen Stand der Initiative nicht möglich\./);
    const early = await post(lead, `/beschaffung/${id}`, `/beschaffung/${id}/status`, { to: 'binding' });
    assert.equal(early.statusCode, 422);
    assert.match(summary(early.body), /Verbindlich machen geht erst nach Ablauf der Frist am \d\d\.\d\d\.\d{4}, 12:00 MES?Z/);
    await colleague.get('/sprache/en');
    const earlyInEnglish = await post(colleague, `/beschaffung/${id}`, `/beschaffung/${id}/status`, { to: 'binding' });
    assert.equal(earlyInEnglish.statusCode, 422);
    assert.match(summary(earlyInEnglish.body), /only be made binding after the deadline on \d\d\/\d\d\/\d{4}, 12:00 CES?T:/, 'the date is written the English way');
    await passDeadline(db(t), id);
    const empty = await post(lead, `/beschaffung/${id}`, `/beschaffung/${id}/status`, { to: 'binding' });
    assert.equal(empty.statusCode, 422);
    assert.match(summary(empty.body), /mindestens eine Organisation Bedarf erklärt hat/);
    await post(admin, `/beschaffung/${id}`, `/beschaffung/${id}/status`, { to: 'cancelled', confirm: 'yes' });
    assert.equal((await initiativeRow(t, id)).state, 'cancelled', 'an administrator cancels');
    assert.equal((await lead.get(`/beschaffung/${id}/bearbeiten`)).statusCode, 200);
    const late = await lead.post(`/beschaffung/${id}/bearbeiten`, initiativeForm());
    assert.equal(late.statusCode, 422);
    assert.match(summary(late.body), /lassen sich nicht mehr ändern/);
  });

  it('carries an initiative from collecting to binding and hand-over: three organisations declare, the page shows shares and savings', async () => {
    const { visitor: lead } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const id = await openInitiative(lead, { title: 'Chat-Assistent gemeinsam' });
    await post(lead, `/beschaffung/${id}`, `/beschaffung/${id}/status`, { to: 'collecting' });
    const page = `/beschaffung/${id}`;
    const declare = async (visitor: Visitor, quantity: string, max = '') => {
      await visitor.get(page);
      const res = await visitor.post(`${page}/erklaerung`, { organisation: /name="organisation" value="(\d+)"/.exec(visitor.lastPage)![1], quantity, max_quantity: max });
      assert.equal(res.statusCode, 303, summary(res.body));
    };
    const { visitor: olpe } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const { visitor: siegen } = await signedIn(t.app, db(t), 'member', { organisation: 'Siegen' });
    await declare(lead, '30', '40');
    await declare(olpe, '15');
    await declare(siegen, '10');

    const text = pageText((await lead.get(page)).body);
    assert.match(text, /Zusammen 55 Lizenzen von 3 Organisationen; gebündelter Preis: 8,00 € je Lizenz und Monat\./);
    assert.match(text, /noch 145 Lizenzen bis zur nächsten Preisstufe \(6,50 € je Lizenz und Monat\)/);
    assert.match(text, /Arnsberg 30 40 240,00 € 8\.640,00 € 10,00 € 2\.160,00 € 8\.640,00 €/);
    assert.match(text, /Olpe 15 – 120,00 € 4\.320,00 € 10,00 € 1\.080,00 € 4\.320,00 €/);
    assert.match(text, /Siegen 10 – 80,00 € 2\.880,00 € 10,00 € 720,00 € 2\.880,00 €/);
    assert.match(text, /Summe 55 65 440,00 € 15\.840,00 € 8,00 € 3\.960,00 € 15\.840,00 €/);
    assert.match(text, /Zusammen: Kosten 15\.840,00 €, Ersparnis 3\.960,00 € \(20 %\)/);
    assert.match(text, /Geschätzter Auftragswert nach § 3 VgV: 24\.960,00 €/);
    assert.match(text, /Hinweis: Der geschätzte Auftragswert von 24\.960,00 € liegt unter dem EU-Schwellenwert von 216\.000,00 € für Liefer- und Dienstleistungen\./);
    assert.match(text, /Rechtsgrundlage: § 75a GO NRW · Quelle: § 75a GO NRW/);

    // The chart: inline SVG with a title, no style attribute, and the same figures in a table.
    const html = (await lead.get(page)).body;
    const svg = /<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    assert.match(svg, /role="img"/);
    assert.match(svg, /<title id="savings-title">Balkendiagramm: Ersparnis je Organisation über die Laufzeit<\/title>/);
    assert.equal((svg.match(/<rect /g) ?? []).length, 3, 'one bar per participant');
    assert.doesNotMatch(svg, /style=/);
    assert.match(svg, /<rect x="210" y="4" width="380"/, 'the largest saving (Arnsberg) fills the bar');
    assert.match(pageText(html), /Ersparnis je Organisation \(Daten des Diagramms\) Organisation Ersparnis über die Laufzeit Arnsberg 2\.160,00 € Olpe 1\.080,00 € Siegen 720,00 € Summe 3\.960,00 €/);

    await passDeadline(db(t), id);
    const bound = await post(lead, page, `${page}/status`, { to: 'binding', confirm: 'yes' });
    assert.equal(bound.statusCode, 303);
    assert.match(pageText((await lead.get(page)).body), /verbindlich · federführend: Arnsberg.*Die Initiative ist verbindlich/);

    // After binding: nobody joins or changes.
    const { visitor: attendorn } = await signedIn(t.app, db(t), 'member', { organisation: 'Attendorn' });
    const join = await post(attendorn, page, `${page}/erklaerung`, { quantity: '5' });
    assert.equal(join.statusCode, 422);
    assert.match(summary(join.body), /Die Initiative ist verbindlich: Die Beteiligten stehen fest/);
    const change = await post(olpe, page, `${page}/erklaerung/aendern`, { quantity: '100' });
    assert.equal(change.statusCode, 422);
    const withdraw = await post(siegen, page, `${page}/erklaerung/zurueckziehen`);
    assert.equal(withdraw.statusCode, 422);
    assert.deepEqual((await declarations(t, id)).map((d) => d.quantity), [30, 15, 10]);

    const home = pageText((await t.app.inject({ method: 'GET', url: '/' })).body);
    assert.match(home, /Gemeinsam gespart: 3\.960,00 € in 1 verbindlichen Initiative mit 3 beteiligten Organisationen\./);

    await post(lead, page, `${page}/status`, { to: 'handed_over', confirm: 'yes' });
    const row = await initiativeRow(t, id);
    assert.equal(row.state, 'handed_over');
    assert.ok(row.bound_at && row.handed_over_at);
    assert.match(pageText((await t.app.inject({ method: 'GET', url: '/' })).body), /Gemeinsam gespart: 3\.960,00 €/, 'handed-over initiatives still count');
  });

  it('exports the participants as CSV for German Excel: BOM, semicolons, euros with a decimal comma and a row of totals', async () => {
    const lead = await memberOf(db(t), 'Arnsberg');
    const id = await collectingInitiative(db(t), lead, { one_time_fee: '500,00' });
    const { visitor: arnsberg } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const { visitor: olpe } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    await post(arnsberg, `/beschaffung/${id}`, `/beschaffung/${id}/erklaerung`, { quantity: '40' });
    await post(olpe, `/beschaffung/${id}`, `/beschaffung/${id}/erklaerung`, { quantity: '20', max_quantity: '25' });
    const res = await olpe.get(`/beschaffung/${id}/export.csv`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="beschaffung-\d+\.csv"/);
    assert.ok(res.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 byte order mark');
    assert.match(res.body, /\r\n/);
    const rows = parse(res.body.replace(/^\uFEFF/, ''), { delimiter: ';' }) as string[][];
    assert.deepEqual(rows[0], [
      'Organisation', 'Menge', 'Höchstmenge', 'Gebündelter Preis je Einheit und Monat (EUR)', 'Kosten je Monat (EUR)', 'Kosten über die Laufzeit (EUR)',
      'Preis allein je Einheit und Monat (EUR)', 'Ersparnis über die Laufzeit (EUR)', 'Einmalgebühr (EUR)', 'Gesamtkosten (EUR)',
    ]);
    // Q = 60 → 8,00 €; Arnsberg alone 40 → 10,00 €, Olpe alone 20 → 10,00 €; 36 months.
    assert.deepEqual(rows[1], ['Arnsberg', '40', '', '8,00', '320,00', '11520,00', '10,00', '2880,00', '500,00', '12020,00']);
    assert.deepEqual(rows[2], ['Olpe', '20', '25', '8,00', '160,00', '5760,00', '10,00', '1440,00', '500,00', '6260,00']);
    assert.deepEqual(rows[3], ['Summe', '60', '65', '8,00', '480,00', '17280,00', '', '4320,00', '1000,00', '18280,00']);
    assert.equal(rows.length, 4);
  });

  it('prints the basis of a joint-award agreement under § 4 VgV: lead, participants, quantities, cost split, term and options', async () => {
    const lead = await memberOf(db(t), 'Arnsberg');
    const id = await collectingInitiative(db(t), lead, { title: 'Übersetzungsdienst', term_months: '24', option_months: '12' });
    const { visitor: arnsberg } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const { visitor: siegen } = await signedIn(t.app, db(t), 'member', { organisation: 'Siegen' });
    await post(arnsberg, `/beschaffung/${id}`, `/beschaffung/${id}/erklaerung`, { quantity: '45' });
    await post(siegen, `/beschaffung/${id}`, `/beschaffung/${id}/erklaerung`, { quantity: '5', max_quantity: '10' });
    const res = await siegen.get(`/beschaffung/${id}/druck`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<link rel="stylesheet" href="\/static\/procurement.css\?v=[0-9a-f]+"/);
    const text = pageText(res.body);
    assert.match(text, /Gemeinsame Auftragsvergabe: Übersetzungsdienst/);
    assert.match(text, /Grundlage für eine Vereinbarung über die gelegentliche gemeinsame Auftragsvergabe nach § 4 VgV/);
    assert.match(text, /2\. Federführende Stelle Arnsberg führt das Vergabeverfahren im eigenen Namen und im Namen und Auftrag der übrigen Beteiligten durch/);
    // Q = 50 → 8,00 €; 24 months.
    assert.match(text, /Arnsberg 45 – 360,00 € 8\.640,00 € 10,00 € 2\.160,00 € 8\.640,00 €/);
    assert.match(text, /Siegen 5 10 40,00 € 960,00 € 10,00 € 240,00 € 960,00 €/);
    assert.match(text, /Alle Einheiten werden zum gebündelten Preis von 8,00 € je Lizenz und Monat abgerechnet \(Gesamtmenge 50 Lizenzen\)/);
    assert.match(text, /Vertragslaufzeit in Monaten 24 Monate Verlängerungsoptionen in Monaten 12 Monate/);
    // M = 55 → 8,00 €; 55 · 8,00 € · 36 months = 15.840,00 €.
    assert.match(text, /Höchstmenge aller Beteiligten 55 Lizenzen Geschätzter Auftragswert \(§ 3 VgV\) 15\.840,00 €/);
    assert.match(text, /gemeinsam verantwortlich.*\(§ 4 Abs\. 2 VgV\)/);
    assert.match(text, /6\. Unterschriften Organisation Ort, Datum Unterschrift Arnsberg Siegen/);
  });

  it('warns that the bundled value needs an EU-wide procedure although every share is below, and that term and options exceed 48 months', async () => {
    const lead = await memberOf(db(t), 'Arnsberg');
    const id = await collectingInitiative(db(t), lead, {
      term_months: '36', option_months: '24', tier_min_1: '1', tier_price_1: '100,00', tier_min_2: '', tier_price_2: '', tier_min_3: '', tier_price_3: '',
    });
    for (const organisation of ['Arnsberg', 'Olpe', 'Siegen']) {
      const { visitor } = await signedIn(t.app, db(t), 'member', { organisation });
      await post(visitor, `/beschaffung/${id}`, `/beschaffung/${id}/erklaerung`, { quantity: '20' });
    }
    const { visitor } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    const html = (await visitor.get(`/beschaffung/${id}`)).body;
    const text = pageText(html);
    // 60 · 100,00 € · 60 months = 360.000,00 €; each share 120.000,00 €.
    assert.match(text, /Warnung: EU-weites Vergabeverfahren nötig: Der geschätzte Auftragswert von 360\.000,00 € erreicht den EU-Schwellenwert von 216\.000,00 €/);
    assert.match(text, /obwohl jede der 3 beteiligten Organisationen mit ihrem Anteil allein unter dem Schwellenwert läge/);
    assert.match(text, /Rechtsgrundlage: § 106 GWB, § 3 VgV/);
    assert.match(html, /<a href="https:\/\/eur-lex\.europa\.eu\/eli\/reg_del\/2025\/2152\/oj" rel="noopener noreferrer">Delegierte Verordnung \(EU\) 2025\/2152/);
    assert.match(text, /Laufzeit zu lang für eine Rahmenvereinbarung: .* ergeben zusammen 60 Monate/);
    assert.match(text, /Rechtsgrundlage: § 21 Abs\. 6 VgV/);
  });

  it('an organisation records its own by-law limit, which then warns on its initiatives; members cannot record another organisation\'s limit', async () => {
    const { visitor: arnsberg } = await signedIn(t.app, db(t), 'member', { organisation: 'Arnsberg' });
    const page = await arnsberg.get('/beschaffung/wertgrenze');
    assert.equal(page.statusCode, 200);
    assert.match(pageText(page.body), /Für Arnsberg ist noch keine Wertgrenze eingetragen\./);
    const bad = await arnsberg.post('/beschaffung/wertgrenze', { organisation: /name="organisation" value="(\d+)"/.exec(page.body)![1], limit: '20.000,005', note: '' });
    assert.equal(bad.statusCode, 422);
    assert.match(summary(bad.body), /„Wertgrenze \(€ netto\)“ einen Betrag in Euro mit höchstens zwei Nachkommastellen/);
    assert.equal(fieldValue(bad.body, 'limit'), '20.000,005');
    const olpeId = String(await organisationId(db(t), 'Olpe'));
    const forged = await arnsberg.post('/beschaffung/wertgrenze', { organisation: olpeId, limit: '1,00', note: '' });
    assert.equal(forged.statusCode, 422);
    assert.match(summary(forged.body), /Sie können nur die Wertgrenze Ihrer eigenen Organisation \(Arnsberg\) eintragen/);
    assert.equal(await countRows(db(t), 'procurement_limits'), 0);

    const saved = await arnsberg.post('/beschaffung/wertgrenze', { limit: '20.000,00', note: 'Vergabesatzung 2026' });
    assert.equal(saved.statusCode, 303);
    assert.match(pageText((await arnsberg.get('/beschaffung/wertgrenze')).body), /Eingetragene Wertgrenze von Arnsberg: 20\.000,00 €\./);

    const lead = await memberOf(db(t), 'Olpe');
    const id = await collectingInitiative(db(t), lead);
    await post(arnsberg, `/beschaffung/${id}`, `/beschaffung/${id}/erklaerung`, { quantity: '30', max_quantity: '40' });
    const { visitor: olpe } = await signedIn(t.app, db(t), 'member', { organisation: 'Olpe' });
    await post(olpe, `/beschaffung/${id}`, `/beschaffung/${id}/erklaerung`, { quantity: '25' });
    // M = 65 → 8,00 €, 48 months: 24.960,00 € ≥ 20.000,00 €.
    const text = pageText((await olpe.get(`/beschaffung/${id}`)).body);
    assert.match(text, /Warnung: Eigene Wertgrenze erreicht: Der geschätzte Auftragswert von 24\.960,00 € erreicht die Wertgrenze von 20\.000,00 €, die Arnsberg in ihrer Vergabesatzung festgelegt hat\./);

    const { visitor: admin } = await signedIn(t.app, db(t), 'admin', { organisation: 'Siegen' });
    await admin.get('/beschaffung/wertgrenze');
    assert.equal((await admin.post('/beschaffung/wertgrenze', { organisation: olpeId, limit: '50.000,00', note: '' })).statusCode, 303, 'administrators record any organisation\'s limit');
    const limit = await db(t).selectFrom('procurement_limits').select('limit_cents').where('organisation_id', '=', Number(olpeId)).executeTakeFirstOrThrow();
    assert.equal(Number(limit.limit_cents), 5_000_000);
  });
});
