import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/harness.js';
import { completeSetup, createUser, signedIn } from '../../test/support/factories.js';
import { meetingForm } from '../../test/support/meetings.js';
import { createApiToken } from '../modules/members/tokens.js';
import { slugify } from './slug.js';

const PARALLEL = 24;

describe('slugs of things created at the same moment', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('turn umlauts into readable letters', () => {
    assert.equal(slugify('Bürger-Chatbot für Ämter & Straßen'), 'buerger-chatbot-fuer-aemter-strassen');
  });

  it(`${PARALLEL} solutions with one title posted to the API at once all succeed with distinct slugs`, async () => {
    const user = await createUser(t.database.db, { organisation: 'Arnsberg' });
    const { token } = await createApiToken(t.database.db, user.id, { name: 'Parallel' }, {});
    const body = JSON.stringify({ title: 'Gleichzeitiger Chatbot', summary: 'Eine kurze Beschreibung.', maturity: 'pilot', language: 'de', visibility: 'public' });
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => t.app.inject({
      method: 'POST', url: '/api/v1/solutions', payload: body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    })));
    assert.deepEqual(answers.map((r) => r.statusCode), Array(PARALLEL).fill(201), answers.find((r) => r.statusCode !== 201)?.body);
    const slugs = answers.map((r) => JSON.parse(r.body).slug as string);
    assert.equal(new Set(slugs).size, PARALLEL);
    assert.ok(slugs.includes('gleichzeitiger-chatbot'));
    for (const s of slugs) assert.match(s, /^gleichzeitiger-chatbot(-\d+)?$/);
    const stored = await t.database.db.selectFrom('solutions').select('slug').where('title', '=', 'Gleichzeitiger Chatbot').execute();
    assert.equal(stored.length, PARALLEL);
  });

  it(`${PARALLEL} meetings with one title and day sent through the organiser's form at once are all created`, async () => {
    const { visitor } = await signedIn(t.app, t.database.db, 'moderator', { organisation: 'Olpe' });
    await visitor.get('/treffen/neu');
    const fields = meetingForm({ title: 'Gleichzeitige Runde' });
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => visitor.post('/treffen/neu', fields)));
    assert.deepEqual(answers.map((r) => r.statusCode), Array(PARALLEL).fill(303), answers.find((r) => r.statusCode !== 303)?.body.slice(0, 2000));
    const locations = answers.map((r) => String(r.headers.location));
    assert.equal(new Set(locations).size, PARALLEL);
    const stored = await t.database.db.selectFrom('meetings').select('slug').where('title', '=', 'Gleichzeitige Runde').execute();
    assert.equal(new Set(stored.map((m) => m.slug)).size, PARALLEL);
  });
});
