import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { errorSummary, pageText } from '../../../test/support/page.js';

describe('first start and setup wizard', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  it('loads the 59 municipalities and 5 districts of the region on first start', async () => {
    const rows = await t.database.db.selectFrom('organisations').select(['kind', 'ags', 'name', 'population']).execute();
    assert.equal(rows.filter((r) => r.kind === 'gemeinde').length, 59);
    assert.equal(rows.filter((r) => r.kind === 'kreis').length, 5);
    const arnsberg = rows.find((r) => r.name === 'Arnsberg');
    assert.equal(arnsberg?.ags, '05958004');
    assert.equal(arnsberg?.population, 73456);
  });

  it('sends every page to the setup page while no administrator exists', async () => {
    const v = new Visitor(t.app);
    for (const url of ['/', '/organisationen', '/mitmachen', '/anmelden', '/impressum']) {
      const res = await v.get(url);
      assert.equal(res.statusCode, 303, url);
      assert.equal(res.headers.location, '/einrichtung');
    }
    assert.equal((await v.get('/healthz')).statusCode, 200);
  });

  it('says that the Impressum and the Datenschutzerklärung are still empty and that joining waits for them', async () => {
    const res = await new Visitor(t.app).get('/einrichtung');
    assert.equal(res.statusCode, 200);
    const text = pageText(res.body);
    assert.ok(text.includes('Impressum oder Datenschutzerklärung fehlen noch'), text);
    assert.ok(text.includes('Noch leer: Impressum, Datenschutzerklärung. Das Formular „Mitmachen“ bleibt geschlossen, bis beide veröffentlicht sind.'), text);
    assert.ok(text.includes('Nach der Einrichtung füllen Sie beide Texte in der Verwaltung aus.'), text);
  });

  it('rejects a setup form with mismatching passwords, keeping what was typed', async () => {
    const v = new Visitor(t.app);
    const res = await v.submit('/einrichtung', { name: 'Anna Admin', email: 'anna@sit.example', organisation: 'andere', organisationOther: 'Südwestfalen-IT', password: 'ein-langes-passwort', passwordRepeat: 'anders' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /stimmen nicht überein/);
    assert.match(res.body, /value="Anna Admin"/);
    assert.match(res.body, /value="Südwestfalen-IT"/);
    assert.doesNotMatch(res.body, /ein-langes-passwort/);
  });

  it('refuses an easy password for the first administrator, such as their own e-mail address, keeping what was typed', async () => {
    const v = new Visitor(t.app);
    const res = await v.submit('/einrichtung', { name: 'Anna Admin', email: 'anna@sit.example', organisation: 'andere', organisationOther: 'Südwestfalen-IT', password: 'anna@sit.example', passwordRepeat: 'anna@sit.example' });
    assert.equal(res.statusCode, 422);
    assert.match(errorSummary(res.body), /Dieses Passwort ist zu leicht zu erraten \(es enthält Ihren Namen, Ihre E-Mail-Adresse oder den Namen der Plattform\)/);
    assert.match(res.body, /value="Anna Admin"/);
    assert.match(res.body, /value="Südwestfalen-IT"/);
    const count = await t.database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  it('creates the first administrator once; afterwards the setup page is gone for good', async () => {
    const v = new Visitor(t.app);
    const res = await v.submit('/einrichtung', { name: 'Anna Admin', email: 'Anna@SIT.example', organisation: 'andere', organisationOther: 'Südwestfalen-IT', password: 'ein-langes-passwort', passwordRepeat: 'ein-langes-passwort' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/verwaltung');
    const admin = await v.get('/verwaltung');
    assert.equal(admin.statusCode, 200);
    assert.match(admin.body, /Einrichtung ist abgeschlossen/);
    const user = await t.database.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    assert.equal(user.email, 'anna@sit.example');
    assert.equal(user.role, 'admin');
    assert.match(user.password_hash ?? '', /^\$argon2id\$/);

    const again = new Visitor(t.app);
    assert.equal((await again.get('/einrichtung')).statusCode, 404);
    assert.equal((await again.get('/')).statusCode, 200);
    const post = await v.post('/einrichtung', { name: 'Mallory', email: 'm@x.example', organisation: 'andere', organisationOther: 'X', password: 'ein-langes-passwort', passwordRepeat: 'ein-langes-passwort' });
    assert.equal(post.statusCode, 404);
    const count = await t.database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });
});
