import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { makeSolution, viewerOf } from '../../../test/support/catalogue.js';
import { completeSetup, createUser } from '../../../test/support/factories.js';
import { pageText } from '../../../test/support/page.js';
import { markDeployment } from '../catalogue/service.js';
import { REGISTER_FIELDS } from './register.js';

const db = (t: TestApp) => t.database.db;

describe('transparency register of an organisation', () => {
  let t: TestApp;
  let anonymous: Visitor;

  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    anonymous = new Visitor(t.app);
    const arnsberg = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Arnsberg' })).id);
    const olpe = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Olpe' })).id);
    const solution = async (title: string, fields: Record<string, string> = {}) =>
      (await makeSolution(db(t), arnsberg, { title, summary: `${title}: kurz beschrieben.`, ...fields })).slug;
    const deploy = (who: typeof arnsberg, slug: string, fields: Record<string, string>) => markDeployment(db(t), who, slug, fields, {});

    const shown = await solution('Chatbot im Bürgerbüro', {
      problem_goal: 'Fragen zu Terminen rund um die Uhr beantworten.', ai_act_class: 'transparency', human_oversight: 'Das Bürgerbüro prüft die Antworten monatlich.',
      legal_basis: 'Art. 6 Abs. 1 lit. e DSGVO', vendor: 'Beispiel GmbH', contact_email: 'digital@arnsberg.example',
    });
    await deploy(arnsberg, shown, { status: 'production', since: '2026-03', contact: 'Team Digitales', visibility: 'public' });
    // Not in the register: a members-only deployment, a members-only solution, a draft, mere interest, another organisation's use.
    await deploy(arnsberg, await solution('Nur für Mitglieder eingesetzt'), { status: 'production', visibility: 'members' });
    await deploy(arnsberg, await solution('Interne Lösung', { visibility: 'members' }), { status: 'production', visibility: 'public' });
    await deploy(arnsberg, await solution('Entwurfslösung', { visibility: 'draft' }), { status: 'pilot', visibility: 'public' });
    await deploy(arnsberg, await solution('Nur Interesse'), { status: 'interested', visibility: 'public' });
    // Described by Arnsberg as an idea (so Arnsberg does not run it), run by Olpe.
    await deploy(olpe, await solution('Läuft in Olpe', { maturity: 'idea' }), { status: 'production', visibility: 'public' });
  });
  after(() => t.close());

  it('lists only the organisation\'s public deployments of public solutions, with purpose, class, oversight, contact and legal basis', async () => {
    const res = await anonymous.get('/organisationen/arnsberg/ki-register');
    assert.equal(res.statusCode, 200);
    const text = pageText(res.body);
    for (const expected of ['Chatbot im Bürgerbüro', 'Fragen zu Terminen rund um die Uhr beantworten.', 'Transparenzpflicht (Art. 50)',
      'Das Bürgerbüro prüft die Antworten monatlich.', 'Team Digitales', 'Art. 6 Abs. 1 lit. e DSGVO', '1 KI-System']) {
      assert.ok(text.includes(expected), expected);
    }
    for (const hidden of ['Nur für Mitglieder eingesetzt', 'Interne Lösung', 'Entwurfslösung', 'Nur Interesse', 'Läuft in Olpe']) {
      assert.ok(!text.includes(hidden), hidden);
    }
    assert.match((await anonymous.get('/organisationen/arnsberg')).body, /href="\/organisationen\/arnsberg\/ki-register"/);
    assert.equal((await anonymous.get('/organisationen/gibt-es-nicht/ki-register')).statusCode, 404);
    // Olpe's register has its own system only.
    const olpe = pageText((await anonymous.get('/organisationen/olpe/ki-register')).body);
    assert.ok(olpe.includes('Läuft in Olpe') && !olpe.includes('Chatbot im Bürgerbüro'));
  });

  it('exports JSON with the field names of the Dutch Algoritmeregister standard', async () => {
    const res = await anonymous.get('/organisationen/arnsberg/ki-register.json');
    assert.equal(res.statusCode, 200);
    const data = res.json() as { organization: string; count: number; systems: Record<string, unknown>[] };
    assert.equal(data.count, 1);
    assert.deepEqual(Object.keys(data.systems[0]), [...REGISTER_FIELDS]);
    const [system] = data.systems;
    assert.equal(system.name, 'Chatbot im Bürgerbüro');
    assert.equal(system.organization, 'Arnsberg');
    assert.equal(system.status, 'in_gebruik');
    assert.equal(system.begin_date, '2026-03');
    assert.equal(system.human_intervention, 'Das Bürgerbüro prüft die Antworten monatlich.');
    assert.equal(system.lawful_basis, 'Art. 6 Abs. 1 lit. e DSGVO');
    assert.equal(system.goal, 'Fragen zu Terminen rund um die Uhr beantworten.');
    assert.equal(system.provider, 'Beispiel GmbH');
    assert.equal(system.contact_email, 'digital@arnsberg.example');
    assert.equal(system.ai_act_class, 'transparency');
    assert.match(String(system.url), /\/loesungen\/chatbot-im-buergerbuero$/);
  });

  it('exports CSV for German spreadsheets: UTF-8 with BOM, semicolons, the same fields', async () => {
    const res = await anonymous.get('/organisationen/arnsberg/ki-register.csv');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.ok(res.body.startsWith('\uFEFF'), 'byte order mark');
    assert.equal(res.body.slice(1).split('\r\n')[0], REGISTER_FIELDS.join(';'));
    const rows = parse(res.body.slice(1), { delimiter: ';', columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 1);
    assert.equal(rows[0].name, 'Chatbot im Bürgerbüro');
    assert.equal(rows[0].human_intervention, 'Das Bürgerbüro prüft die Antworten monatlich.');
  });

  it('the home page counts the region\'s solutions per risk class and links to the catalogue facet', async () => {
    const home = await anonymous.get('/');
    const text = pageText(home.body);
    assert.ok(text.includes('Lösungen nach Risikoklasse der EU-KI-Verordnung:'), text);
    assert.ok(text.includes('Transparenzpflicht (Art. 50): 1'), text);
    assert.match(home.body, /href="\/loesungen\?origin=region&amp;ai_act_class=transparency"/);
  });
});
