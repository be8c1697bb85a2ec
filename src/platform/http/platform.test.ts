import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { Visitor } from '../../../test/support/client.js';
import { enqueueMail } from '../mail/outbox.js';
import { appVersion } from '../version.js';
import { formatDateTime } from '../i18n/index.js';

/** The directives of a Content-Security-Policy header, by name. */
function parseCsp(header: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of header.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [name, ...values] = part.split(/\s+/);
    directives.set(name.toLowerCase(), values);
  }
  return directives;
}

/** Every URL a page loads or links to: src, href, action, srcset, poster, data attributes. */
function referencedUrls(html: string): string[] {
  const urls: string[] = [];
  for (const m of html.matchAll(/\s(?:src|href|action|srcset|poster|data|formaction)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    urls.push(m[1] ?? m[2] ?? m[3]);
  }
  for (const m of html.matchAll(/url\(\s*['"]?([^'")]+)/gi)) urls.push(m[1]);
  return urls;
}

/** The raw Set-Cookie line for a cookie name, if the response sets it. */
function setCookieLine(headers: Record<string, unknown>, name: string): string | undefined {
  const raw = headers['set-cookie'];
  const lines = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  return lines.find((l: string) => l.startsWith(`${name}=`));
}

/** The session id inside the signed `sid` cookie value (`<id>.<signature>`). */
function sessionIdFrom(cookieHeader: string): string {
  const value = decodeURIComponent(/(?:^|; )sid=([^;]+)/.exec(cookieHeader)?.[1] ?? '');
  return value.slice(0, value.lastIndexOf('.'));
}

describe('platform: headers, assets, errors and language', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('sends a strict Content-Security-Policy and the other security headers on every page', async () => {
    const v = new Visitor(t.app);
    for (const url of ['/', '/organisationen', '/anmelden', '/impressum', '/gibt-es-nicht']) {
      const res = await v.get(url);
      const csp = parseCsp(String(res.headers['content-security-policy'] ?? ''));
      assert.deepEqual(csp.get('default-src'), ["'self'"], url);
      assert.deepEqual(csp.get('script-src'), ["'self'"], url);
      assert.deepEqual(csp.get('style-src'), ["'self'"], url);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], url);
      assert.deepEqual(csp.get('object-src'), ["'none'"], url);
      assert.deepEqual(csp.get('form-action'), ["'self'"], url);
      assert.deepEqual(csp.get('base-uri'), ["'self'"], url);
      const all = String(res.headers['content-security-policy']);
      assert.doesNotMatch(all, /unsafe-inline|unsafe-eval|\*/, `${url}: no unsafe sources or wildcards`);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['referrer-policy'], 'same-origin', url);
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN', url);
      // A page everyone shares (the start page) may be kept if asked for again (ETag, see page-cache.ts); others not at all.
      assert.equal(res.headers['cache-control'], url === '/' ? 'no-cache' : 'no-store', url);
      // Over plain http there is no HSTS header (it would only be ignored or, worse, pin a test host).
      assert.equal(res.headers['strict-transport-security'], undefined, url);
    }
  });

  it('references no third-party host: no external scripts, styles, fonts, images or links, and nothing inline', async () => {
    const anonymous = new Visitor(t.app);
    const { visitor: admin } = await signedIn(t.app, t.database.db, 'admin');
    const pages: [Visitor, string][] = [
      ...['/', '/organisationen', '/organisationen/hochsauerlandkreis', '/organisationen/arnsberg', '/impressum', '/datenschutz',
        '/anmelden', '/mitmachen', '/passwort-vergessen', '/gibt-es-nicht'].map((u) => [anonymous, u] as [Visitor, string]),
      ...['/', '/profil', '/mitglieder', '/verwaltung', '/verwaltung/anfragen', '/verwaltung/einladen', '/verwaltung/konten',
        '/verwaltung/postausgang', '/verwaltung/protokoll', '/impressum/bearbeiten', '/datenschutz/bearbeiten'].map((u) => [admin, u] as [Visitor, string]),
    ];
    for (const [visitor, url] of pages) {
      const res = await visitor.get(url);
      assert.ok([200, 404].includes(res.statusCode), `${url} answered ${res.statusCode}`);
      assert.match(res.body, /<link rel="stylesheet" href="\/static\/styles\.css\?v=[0-9a-f]{12}"\/?>/, url);
      const urls = referencedUrls(res.body);
      assert.ok(urls.length > 5, `${url}: found the links of the page`);
      for (const ref of urls) {
        const external = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(ref) && !/^(?:https?:)?\/\/localhost:3000(?:\/|$)/i.test(ref);
        assert.ok(!external, `${url} references a third-party host: ${ref}`);
        assert.doesNotMatch(ref, /^javascript:/i, url);
      }
      // Under the CSP inline code and inline styles would not run anyway; the pages must not need them.
      assert.doesNotMatch(res.body, /<script\b/i, `${url} has no script`);
      assert.doesNotMatch(res.body, /<style\b|\sstyle\s*=/i, `${url} has no inline style`);
      assert.doesNotMatch(res.body, /\son[a-z]+\s*=/i, `${url} has no inline event handler`);
    }
  });

  it('serves the stylesheet and icon from /static/, without stepping out of the public folder', async () => {
    const css = await t.app.inject({ method: 'GET', url: '/static/styles.css' });
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['content-type']), /^text\/css/);
    assert.ok(css.body.length > 100);
    assert.doesNotMatch(css.body, /@import|url\(\s*['"]?(https?:)?\/\//i, 'the stylesheet loads nothing from elsewhere');
    const icon = await t.app.inject({ method: 'GET', url: '/static/favicon.svg' });
    assert.equal(icon.statusCode, 200);
    for (const url of ['/static/../package.json', '/static/%2e%2e/package.json', '/static/..%2fpackage.json']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.notEqual(res.statusCode, 200, url);
      assert.doesNotMatch(res.body, /"dependencies"/, url);
    }
  });

  it('answers /healthz with 200 and JSON {status: "ok"} naming the running version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const body = res.json();
    assert.equal(body.status, 'ok');
    assert.equal(body.version, appVersion().version);
    assert.ok(body.commit === null || /^[0-9a-f]{7,40}$/.test(body.commit), String(body.commit));
  });

  it('shows the version in the footer to administrators only', async () => {
    const label = `Version ${appVersion().label}`;
    const { visitor: admin } = await signedIn(t.app, t.database.db, 'admin', { email: 'version-admin@olpe.de' });
    assert.ok((await admin.get('/impressum')).body.includes(label));
    const { visitor: member } = await signedIn(t.app, t.database.db, 'member', { email: 'version-member@olpe.de' });
    assert.ok(!(await member.get('/impressum')).body.includes(label));
    assert.ok(!(await new Visitor(t.app).get('/impressum')).body.includes(label));
  });

  it('refuses a request the visitor may not make before reading its body (form and API alike)', async () => {
    /** A body of up to 8 MB, produced only as the server reads it; tells how much the server took. */
    const lazyBody = () => {
      const counter = { read: 0 };
      const stream = new Readable({
        read() {
          if (counter.read >= 8 * 1024 * 1024) return void this.push(null);
          counter.read += 65536;
          this.push(Buffer.alloc(65536, 0x61));
        },
      });
      return { counter, stream };
    };
    const form = lazyBody();
    const page = await t.app.inject({ method: 'POST', url: '/treffen/neu', payload: form.stream, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(page.statusCode, 401);
    const api = lazyBody();
    const json = await t.app.inject({ method: 'POST', url: '/api/v1/solutions', payload: api.stream, headers: { 'content-type': 'application/json' } });
    assert.equal(json.statusCode, 401);
    assert.ok(form.counter.read < 256 * 1024 && api.counter.read < 256 * 1024, `bytes read: form ${form.counter.read}, API ${api.counter.read}`);
  });

  it('shows a German 404 page for an unknown address', async () => {
    const res = await new Visitor(t.app).get('/diese-seite/gibt-es-nicht');
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.body, /<html lang="de">/);
    assert.match(res.body, /<title>Seite nicht gefunden – KI-Community Südwestfalen<\/title>/);
    assert.match(res.body, /Diese Seite gibt es nicht \(mehr\)/);
    // The page is a full page with navigation and footer, not a bare error.
    assert.match(res.body, /href="\/impressum"/);
  });

  it('switches to English with /sprache/en (a cookie) and back with /sprache/de', async () => {
    const v = new Visitor(t.app);
    assert.match((await v.get('/')).body, /<html lang="de">/);

    const toEn = await v.get('/sprache/en?zurueck=%2Forganisationen');
    assert.equal(toEn.statusCode, 303);
    assert.equal(toEn.headers.location, '/organisationen');
    const langCookie = setCookieLine(toEn.headers, 'lang');
    assert.match(langCookie ?? '', /^lang=en;/);
    assert.match(langCookie ?? '', /Path=\//);
    assert.ok(v.hasCookie('lang'));

    const en = await v.get('/organisationen');
    assert.match(en.body, /<html lang="en">/);
    assert.match(en.body, /<a href="\/"[^>]*>Home<\/a>/);
    assert.match(en.body, /<a href="\/organisationen"[^>]*>Organisations<\/a>/);
    assert.match(en.body, /<a href="\/anmelden">Sign in<\/a>/);
    assert.match(en.body, />Legal notice</);
    assert.match(en.body, /City or municipality/);
    assert.match(en.body, /73,456/, 'numbers are formatted the English way');
    assert.doesNotMatch(en.body, />Anmelden</);
    const notFound = await v.get('/nirgends');
    assert.match(notFound.body, /Page not found/);

    const toDe = await v.get('/sprache/de?zurueck=%2F');
    assert.equal(toDe.statusCode, 303);
    const de = await v.get('/');
    assert.match(de.body, /<html lang="de">/);
    assert.match(de.body, /<a href="\/anmelden">Anmelden<\/a>/);
  });

  it('only sends the visitor back to an address on this site after switching the language', async () => {
    const v = new Visitor(t.app);
    // Browsers treat a backslash like a slash, so "/\\evil.example" is as foreign as "//evil.example".
    for (const back of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/\\/evil.example', '\\\\evil.example', 'javascript:alert(1)', '/\t/evil.example']) {
      const res = await v.get(`/sprache/en?zurueck=${encodeURIComponent(back)}`);
      assert.equal(res.statusCode, 303, back);
      assert.equal(res.headers.location, '/', `${JSON.stringify(back)} → ${res.headers.location}`);
    }
    const home = await v.get(`/sprache/en?zurueck=${encodeURIComponent('/organisationen/kreis-olpe')}`);
    assert.equal(home.headers.location, '/organisationen/kreis-olpe');
    const unknown = await v.get('/sprache/fr');
    assert.match(setCookieLine(unknown.headers, 'lang') ?? '', /^lang=de;/);
  });

  it('shows dates with the year and the German time zone', async () => {
    assert.equal(formatDateTime('2026-11-27T12:05:00.000Z', 'de'), '27.11.2026, 13:05 MEZ');
    assert.equal(formatDateTime('2026-11-27T12:05:00.000Z', 'en'), '27/11/2026, 13:05 CET');
    assert.equal(formatDateTime('2026-07-01T12:05:00.000Z', 'de'), '01.07.2026, 14:05 MESZ');
    assert.equal(formatDateTime('2026-07-01T12:05:00.000Z', 'en'), '01/07/2026, 14:05 CEST');
    // Around midnight the Berlin date is shown, not the UTC one.
    assert.equal(formatDateTime('2026-12-31T23:30:00.000Z', 'de'), '01.01.2027, 00:30 MEZ');

    await enqueueMail(t.database.db, { to: 'datum@example.org', subject: 'Datumstest', text: '…' });
    await t.database.db.updateTable('outbox').set({ created_at: '2026-11-27T12:05:00.000Z' }).where('subject', '=', 'Datumstest').execute();
    const { visitor: admin } = await signedIn(t.app, t.database.db, 'admin');
    assert.match((await admin.get('/verwaltung/postausgang')).body, /27\.11\.2026, 13:05 MEZ/);
    await admin.get('/sprache/en');
    assert.match((await admin.get('/verwaltung/postausgang')).body, /27\/11\/2026, 13:05 CET/);
  });
});

describe('platform: sessions', () => {
  let t: TestApp;
  let second: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
    second = await startAppOnDatabase(t);
  });
  after(async () => {
    await second.close();
    await t.close();
  });

  async function signIn(app = t) {
    const user = await createUser(app.database.db);
    const v = new Visitor(app.app);
    const res = await v.submit('/anmelden', { email: user.email, password: user.password });
    assert.equal(res.statusCode, 303);
    return { v, res, user };
  }

  it('sets the session cookie HttpOnly and SameSite=Lax, for the whole site, without Secure over http', async () => {
    const { res } = await signIn();
    const line = setCookieLine(res.headers, 'sid');
    assert.ok(line, 'a session cookie is set on sign-in');
    assert.match(line, /;\s*HttpOnly/i);
    assert.match(line, /;\s*SameSite=Lax/i);
    assert.match(line, /;\s*Path=\//);
    assert.doesNotMatch(line, /;\s*Secure/i);
    // Visitors who never sign in get no session at all.
    const anon = await new Visitor(t.app).get('/');
    assert.equal(setCookieLine(anon.headers, 'sid'), undefined);
  });

  it('keeps sessions in the sessions table; sign-out removes the row', async () => {
    const { v, user } = await signIn();
    const sid = sessionIdFrom(v.cookieHeader);
    assert.ok(sid.length >= 20);
    const row = await t.database.db.selectFrom('sessions').selectAll().where('sid', '=', sid).executeTakeFirstOrThrow();
    assert.equal(JSON.parse(row.data).userId, user.id);
    const hoursLeft = (Date.parse(row.expires_at) - Date.now()) / 3_600_000;
    assert.ok(hoursLeft > 11.9 && hoursLeft <= 12, `the session lasts SESSION_MAX_AGE_HOURS (12 h), got ${hoursLeft}`);

    assert.equal((await v.get('/profil')).statusCode, 200);
    const out = await v.post('/abmelden');
    assert.equal(out.statusCode, 303);
    assert.equal(await t.database.db.selectFrom('sessions').select('sid').where('sid', '=', sid).executeTakeFirst(), undefined);
    assert.equal((await v.get('/profil')).statusCode, 303);
  });

  it('accepts a session made by one instance on another instance using the same database', async () => {
    const { v, user } = await signIn(t);
    const onSecond = await second.app.inject({ method: 'GET', url: '/profil', headers: { cookie: v.cookieHeader } });
    assert.equal(onSecond.statusCode, 200);
    assert.match(onSecond.body, new RegExp(user.email.replace(/[.]/g, '\\.')));

    // And the other way round: signed in on the second, known on the first.
    const other = await signIn(second);
    const onFirst = await t.app.inject({ method: 'GET', url: '/profil', headers: { cookie: other.v.cookieHeader } });
    assert.equal(onFirst.statusCode, 200);
  });

  it('no longer signs in with a session whose row has expired', async () => {
    const { v } = await signIn();
    assert.equal((await v.get('/profil')).statusCode, 200);
    const sid = sessionIdFrom(v.cookieHeader);
    await t.database.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 60_000).toISOString() }).where('sid', '=', sid).execute();
    const res = await v.get('/profil');
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/anmelden/);
    const onSecond = await second.app.inject({ method: 'GET', url: '/profil', headers: { cookie: v.cookieHeader } });
    assert.equal(onSecond.statusCode, 303);
  });

  it('does not accept a session id whose signature is forged', async () => {
    const { v } = await signIn();
    const sid = sessionIdFrom(v.cookieHeader);
    const forged = await t.app.inject({ method: 'GET', url: '/profil', headers: { cookie: `sid=${encodeURIComponent(`${sid}.falsch`)}` } });
    assert.equal(forged.statusCode, 303);
  });
});

describe('platform behind HTTPS', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ BASE_URL: 'https://ki.example.de', TRUST_PROXY: '1' });
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('marks the session cookie Secure and sends HSTS when the site runs on https', async () => {
    const user = await createUser(t.database.db);
    const headers = { 'x-forwarded-proto': 'https' };
    const page = await t.app.inject({ method: 'GET', url: '/anmelden', headers });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['strict-transport-security']), /max-age=31536000/);
    assert.match(String(page.headers['content-security-policy']), /upgrade-insecure-requests/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const cookie = (page.cookies as { name: string; value: string }[]).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await t.app.inject({
      method: 'POST', url: '/anmelden', headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: user.email, password: user.password, _csrf: csrf }).toString(),
    });
    assert.equal(res.statusCode, 303);
    const line = setCookieLine(res.headers, 'sid');
    assert.ok(line);
    assert.match(line, /;\s*Secure/i);
    assert.match(line, /;\s*HttpOnly/i);
    assert.match(line, /;\s*SameSite=Lax/i);
  });
});
