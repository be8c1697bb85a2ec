import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { createApiToken } from '../../modules/members/tokens.js';
import { makeMeeting, organiser } from '../../../test/support/meetings.js';
import { pageText } from '../../../test/support/page.js';

/** One raw HTTP/1.1 exchange: status, lower-cased headers and body of the answer. */
function rawRequest(port: number, request: string | Buffer): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => {}); // the server may close while the rest of an oversized request is still being written
    socket.setTimeout(5000, () => { socket.destroy(); reject(new Error('no answer within 5 s')); });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

function assertSecurityHeaders(headers: Record<string, unknown>, what: string) {
  assert.match(String(headers['content-security-policy']), /default-src 'self'/, `${what}: content-security-policy`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${what}: x-content-type-options`);
  assert.equal(headers['referrer-policy'], 'same-origin', `${what}: referrer-policy`);
  assert.match(String(headers['permissions-policy']), /camera=\(\).*geolocation=\(\).*microphone=\(\).*payment=\(\).*usb=\(\)/, `${what}: permissions-policy`);
}

describe('answers to malformed requests', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  });
  after(() => t.close());

  const close = 'Host: localhost\r\nConnection: close\r\n';

  it('answers "*" and absolute-form request targets like any unknown page', async () => {
    for (const target of ['*', 'http://localhost/', 'http://evil.example/loesungen']) {
      const res = await rawRequest(port, `GET ${target} HTTP/1.1\r\n${close}\r\n`);
      assert.equal(res.status, 404, target);
      assert.match(res.headers['content-type'], /^text\/html/, target);
      assert.match(pageText(res.body), /Seite nicht gefunden/, target);
      assertSecurityHeaders(res.headers, target);
    }
    const api = await rawRequest(port, `GET http://localhost/api/v1/solutions HTTP/1.1\r\n${close}\r\n`);
    assert.equal(api.status, 404);
    assert.match(api.headers['content-type'], /^application\/problem\+json/);
  });

  it('answers refusals of the router and of Node\'s parser in German, with the security headers', async () => {
    const cases: [string, string | Buffer, number, RegExp][] = [
      ['bad percent-encoding', `GET /loesungen/%E0%A4%A HTTP/1.1\r\n${close}\r\n`, 400, /Ungültige Adresse/],
      ['overlong path segment', `GET /loesungen/${'a'.repeat(500)} HTTP/1.1\r\n${close}\r\n`, 414, /Adresse zu lang/],
      ['overlong address', `GET /loesungen?q=${'a'.repeat(20_000)} HTTP/1.1\r\n${close}\r\n`, 431, /Anfrage zu groß/],
      ['oversized headers', `GET / HTTP/1.1\r\n${close}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, /Anfrage zu groß/],
      ['malformed request line', 'HELLO\r\n\r\n', 400, /Ungültige Anfrage/],
      ['oversized form', `POST /anmelden HTTP/1.1\r\n${close}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 300000\r\n\r\n${'a'.repeat(300_000)}`, 413, /Zu viele Daten/],
      ['unsupported media type', `POST /anmelden HTTP/1.1\r\n${close}Content-Type: text/x-unbekannt\r\nContent-Length: 3\r\n\r\nabc`, 415, /Format nicht unterstützt/],
    ];
    for (const [what, request, status, text] of cases) {
      const res = await rawRequest(port, request);
      assert.equal(res.status, status, what);
      assert.match(res.headers['content-type'], /^text\/html; charset=utf-8/, what);
      assert.match(pageText(res.body), text, what);
      assertSecurityHeaders(res.headers, what);
    }
    assert.equal((await t.app.inject('/healthz')).statusCode, 200);
  });

  it('answers the same refusals under /api/ as problem details', async () => {
    // The body is read only after the caller is known, so these are sent with a member's token.
    const member = await createUser(t.database.db, { role: 'member' });
    const { token } = await createApiToken(t.database.db, member.id, { name: 'Test' }, {});
    const auth = `Authorization: Bearer ${token}\r\n`;
    const cases: [string, string, number, RegExp][] = [
      ['bad percent-encoding', `GET /api/v1/solutions/%E0%A4%A HTTP/1.1\r\n${close}\r\n`, 400, /ungültig kodierte Zeichen/],
      ['bad JSON', `POST /api/v1/solutions HTTP/1.1\r\n${close}${auth}Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{"a":`, 400, /kein gültiges JSON/],
      ['unsupported media type', `POST /api/v1/solutions HTTP/1.1\r\n${close}${auth}Content-Type: text/x-unbekannt\r\nContent-Length: 3\r\n\r\nabc`, 415, /Format/],
    ];
    for (const [what, request, status, detail] of cases) {
      const res = await rawRequest(port, request);
      assert.equal(res.status, status, what);
      assert.match(res.headers['content-type'], /^application\/problem\+json/, what);
      assert.match(JSON.parse(res.body).detail, detail, what);
      assertSecurityHeaders(res.headers, what);
    }
  });
});

describe('caching and browser features', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('denies camera, microphone, geolocation, payment and the like on pages, assets and the API', async () => {
    for (const url of ['/', '/static/styles.css', '/api/v1/solutions', '/gibt-es-nicht']) {
      assertSecurityHeaders((await t.app.inject(url)).headers, url);
    }
  });

  it('keeps API answers and the exports of signed-in people out of shared caches', async () => {
    assert.equal((await t.app.inject('/api/v1/solutions')).headers['cache-control'], 'private, no-store');
    const by = await organiser(t.database.db);
    const meeting = await makeMeeting(t.database.db, by);
    const { visitor } = await signedIn(t.app, t.database.db, 'moderator');
    for (const url of [`/treffen/${meeting.slug}/kalender.ics`, `/treffen/${meeting.slug}/anmeldungen.csv`]) {
      const res = await visitor.get(url);
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['cache-control'], 'private, no-store', url);
    }
    // The public calendar and feeds stay cacheable for anonymous readers, as before.
    assert.equal((await t.app.inject('/loesungen/feed.atom')).headers['cache-control'], 'no-cache');
  });
});
