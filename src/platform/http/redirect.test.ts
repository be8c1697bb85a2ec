import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { Visitor } from '../../../test/support/client.js';
import { sameSitePath } from './redirect.js';

describe('redirect targets', () => {
  it('keeps same-site paths and writes them percent-encoded, so that they are valid header values', () => {
    assert.equal(sameSitePath('/loesungen/chatbot?seite=2#antworten'), '/loesungen/chatbot?seite=2#antworten');
    assert.equal(sameSitePath('/loesungen/。'), '/loesungen/%E3%80%82');
    assert.equal(sameSitePath('/fragen?q=Bürgerbüro Ä'), '/fragen?q=B%C3%BCrgerb%C3%BCro%20%C3%84');
    assert.equal(sameSitePath('/anmelden?weiter=%2Fimpressum'), '/anmelden?weiter=%2Fimpressum');
  });

  it('refuses other sites, scripts and control characters', () => {
    for (const value of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/\\/evil.example', '\\\\evil.example',
      'javascript:alert(1)', '/\t/evil.example', '/\x01x', '/a\r\nSet-Cookie: x=1', '/\x00', '', ' /', undefined, ['/'], 42]) {
      assert.equal(sameSitePath(value), null, JSON.stringify(value));
    }
  });
});

describe('one way to redirect', () => {
  it('no module calls reply.redirect() itself: every redirect goes through seeOther()', () => {
    const root = join(import.meta.dirname, '..', '..');
    const offenders = (readdirSync(root, { recursive: true }) as string[])
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.endsWith(join('http', 'platform.tsx')))
      .filter((f) => /\.redirect\(/.test(readFileSync(join(root, f), 'utf8')));
    assert.deepEqual(offenders, []);
  });
});

describe('redirects after sign-in and following a topic', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('answers a sign-in whose return address has characters a header cannot carry, and keeps serving', async () => {
    const cases: [string, string][] = [
      ['/%01x', '/'],
      ['/%E3%80%82', '/'],
      ['/loesungen/%E3%80%82', '/loesungen/%E3%80%82'],
      ['/organisationen%0d%0aSet-Cookie:%20x=1', '/'],
      ['/organisationen/arnsberg', '/organisationen/arnsberg'],
      ['/gibt-es-nicht', '/'],
    ];
    for (const [weiter, location] of cases) {
      const user = await createUser(t.database.db);
      const v = new Visitor(t.app);
      const page = await v.get(`/anmelden?weiter=${weiter}`);
      assert.equal(page.statusCode, 200, weiter);
      const hidden = /name="weiter" value="([^"]*)"/.exec(page.body)?.[1];
      assert.equal(hidden, location, `${weiter}: the form carries the checked address`);
      // The form as an attacker would post it: the raw value, not the one the page offers.
      const res = await v.post('/anmelden', { email: user.email, password: user.password, weiter: decodeURIComponent(weiter) });
      assert.equal(res.statusCode, 303, weiter);
      assert.equal(res.headers.location, location, weiter);
      assert.equal((await t.app.inject('/healthz')).statusCode, 200);
    }
  });

  it('sends a follower back to a page of the questions only, written as a valid header value', async () => {
    const { visitor } = await signedIn(t.app, t.database.db);
    await visitor.get('/fragen/themen');
    for (const [zurueck, location] of [['/fragen?tag=\x01', '/fragen?tag='], ['/fragen?tag=。', '/fragen?tag=%E3%80%82'], ['/profil', '/fragen/themen'], ['//evil.example', '/fragen/themen']]) {
      const res = await visitor.post('/fragen/themen', { kind: 'tag', value: 'Chatbot', zurueck });
      assert.equal(res.statusCode, 303, JSON.stringify(zurueck));
      assert.equal(res.headers.location, location, JSON.stringify(zurueck));
    }
  });
});
