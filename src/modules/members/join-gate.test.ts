import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { countRows, joinFields } from '../../../test/support/members.js';
import { pageText } from '../../../test/support/page.js';

const CLOSED = 'Das Formular für Beitrittsanfragen öffnet, sobald der Betreiber dieser Plattform Impressum und Datenschutzerklärung veröffentlicht hat.';
const MISSING = 'Impressum oder Datenschutzerklärung fehlen noch';

describe('the join form waits for the Impressum and the Datenschutzerklärung', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
    await createUser(t.database.db, { role: 'admin' });
  });
  after(() => t.close());

  const db = () => t.database.db;

  it('shows a visitor why the form is closed instead of the form, without links to the administration', async () => {
    const res = await new Visitor(t.app).get('/mitmachen');
    assert.equal(res.statusCode, 200);
    assert.ok(pageText(res.body).includes(CLOSED), pageText(res.body));
    assert.doesNotMatch(res.body, /<form[^>]*action="\/mitmachen"/);
    assert.doesNotMatch(res.body, /bearbeiten"/);
  });

  it('refuses a join form sent while it is closed with 409 and the explanation, storing and mailing nothing', async () => {
    const v = new Visitor(t.app);
    await v.get('/anmelden'); // a page with a form, for a valid form token
    const mailsBefore = await countRows(db(), 'outbox');
    const res = await v.post('/mitmachen', await joinFields(db(), { email: 'zu.frueh@olpe.example' }));
    assert.equal(res.statusCode, 409);
    assert.ok(pageText(res.body).includes(CLOSED));
    assert.equal(await countRows(db(), 'join_requests'), 0);
    assert.equal(await countRows(db(), 'outbox'), mailsBefore);
  });

  it('names the missing pages to administrators, on the closed form and in the administration, with links to fill them in', async () => {
    const { visitor: admin } = await signedIn(t.app, db(), 'admin');
    for (const url of ['/mitmachen', '/verwaltung']) {
      const page = await admin.get(url);
      assert.equal(page.statusCode, 200, url);
      assert.match(page.body, new RegExp(`<h2 id="legal-missing-title">${MISSING}</h2>`), url);
      assert.ok(pageText(page.body).includes('Noch leer: Impressum, Datenschutzerklärung.'), url);
      assert.match(page.body, /<a href="\/impressum\/bearbeiten">Impressum ausfüllen<\/a>/, url);
      assert.match(page.body, /<a href="\/datenschutz\/bearbeiten">Datenschutzerklärung ausfüllen<\/a>/, url);
    }
  });

  it('stays closed with only the Impressum published, and opens once the Datenschutzerklärung is published too', async () => {
    const { visitor: admin } = await signedIn(t.app, db(), 'admin');
    assert.equal((await admin.submit('/impressum/bearbeiten', { body: 'Südwestfalen-IT, Hemer' })).statusCode, 303);
    const half = await admin.get('/verwaltung');
    assert.ok(pageText(half.body).includes('Noch leer: Datenschutzerklärung.'));
    assert.doesNotMatch(half.body, /href="\/impressum\/bearbeiten">Impressum ausfüllen/);
    assert.ok(pageText((await new Visitor(t.app).get('/mitmachen')).body).includes(CLOSED));

    assert.equal((await admin.submit('/datenschutz/bearbeiten', { body: 'Wir verarbeiten Ihre Angaben nur für Ihre Anfrage.' })).statusCode, 303);
    assert.doesNotMatch((await admin.get('/verwaltung')).body, new RegExp(MISSING));

    const v = new Visitor(t.app);
    const form = await v.get('/mitmachen');
    assert.doesNotMatch(form.body, new RegExp(CLOSED.slice(0, 40)));
    // The consent checkbox's label links to the privacy notice it confirms.
    assert.match(form.body, /<label for="f-consent">Ich habe die <a href="\/datenschutz">Datenschutzerklärung<\/a> gelesen und bin mit der Verarbeitung meiner Angaben einverstanden\./);
    const sent = await v.post('/mitmachen', await joinFields(db(), { email: 'jetzt.aber@olpe.example' }));
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/mitmachen/danke');
    assert.equal(await countRows(db(), 'join_requests', { email: 'jetzt.aber@olpe.example' }), 1);
  });

  it('explains the closed form in English too', async () => {
    const fresh = await startTestApp();
    try {
      await completeSetup(fresh.database.db);
      const v = new Visitor(fresh.app);
      await v.get('/sprache/en');
      const res = await v.get('/mitmachen');
      assert.ok(pageText(res.body).includes('The form for requests to join opens once the operator of this platform has published the legal notice and the privacy notice.'));
    } finally {
      await fresh.close();
    }
  });
});
