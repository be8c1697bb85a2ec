import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, signedIn } from '../../../test/support/factories.js';
import { solutionForm } from '../../../test/support/catalogue.js';
import { pageText } from '../../../test/support/page.js';
import { createApiToken } from '../../modules/members/tokens.js';

describe('control characters in input', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('shows the German 404 page for an address with a NUL or another control character', async () => {
    for (const url of ['/loesungen/%00', '/loesungen/chat%00bot', '/organisationen/%01', '/fragen/%00', '/treffen/%7F', '/loesungen/%0A']) {
      const res = await t.app.inject(url);
      assert.equal(res.statusCode, 404, url);
      assert.match(pageText(res.body), /Seite nicht gefunden/, url);
    }
    const api = await t.app.inject('/api/v1/solutions/%00');
    assert.equal(api.statusCode, 404);
    assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
  });

  it('searches with a query string that has a NUL as without it', async () => {
    const res = await t.app.inject('/loesungen?q=Chat%00bot&seite=%00');
    assert.equal(res.statusCode, 200);
    assert.equal((await t.app.inject('/api/v1/solutions?q=%00')).statusCode, 200);
  });

  it('saves a form field without its control characters, keeping tabs and line breaks', async () => {
    const { visitor } = await signedIn(t.app, t.database.db);
    await visitor.get('/loesungen/neu');
    const res = await visitor.post('/loesungen/neu', solutionForm({
      title: 'Chat\u0000bot\u0007 für\u0085 Anträge', description: 'Zeile 1\r\n\tZeile\u0000 2',
    }));
    assert.equal(res.statusCode, 303, res.body);
    const row = await t.database.db.selectFrom('solutions').select(['title', 'description']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(row.title, 'Chatbot für Anträge');
    assert.equal(row.description, 'Zeile 1\n\tZeile 2', 'line breaks are stored as LF');
  });

  it('takes a JSON body with NUL in its strings like the same body without them', async () => {
    const { user } = await signedIn(t.app, t.database.db);
    const { token } = await createApiToken(t.database.db, user.id, { name: 'Probe' }, {});
    const body = JSON.stringify({
      title: 'API\u0000-Lösung', summary: 'Kurz\u0000 beschrieben.', maturity: 'pilot', visibility: 'public', language: 'de',
    });
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/solutions', payload: body,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().title, 'API-Lösung');
    assert.equal(res.json().summary, 'Kurz beschrieben.');
  });
});
