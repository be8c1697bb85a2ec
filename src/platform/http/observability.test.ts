import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { backend, startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, createUser } from '../../../test/support/factories.js';
import { pageText } from '../../../test/support/page.js';
import { enqueueMail } from '../mail/outbox.js';

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample line of the Prometheus text, or undefined when the line is missing. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('/metrics', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ METRICS_TOKEN: TOKEN });
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('does not exist without the token, nor with a wrong one', async () => {
    for (const authorization of [undefined, 'Bearer falsch', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const res = await t.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      assert.equal(res.statusCode, 404, String(authorization));
      assert.doesNotMatch(res.body, /http_requests_total/);
    }
  });

  it('counts requests by route pattern, and shows pool, outbox and page-cache figures', async () => {
    await t.app.inject('/treffen/gibt-es-nicht');
    await t.app.inject('/treffen/auch-nicht');
    await t.app.inject('/karte');
    await t.app.inject('/karte');
    await enqueueMail(t.database.db, { to: 'a@example.org', subject: 'Eins', text: 'x' });
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    assert.match(String(res.headers['cache-control']), /no-store/);
    const text = res.body;
    assert.equal(sample(text, 'http_requests_total', 'method="GET",route="/treffen/:slug",status="404"'), 2, 'two addresses, one route');
    assert.doesNotMatch(text, /gibt-es-nicht/, 'never the raw address');
    assert.equal(sample(text, 'http_request_duration_seconds_count', 'method="GET",route="/karte"'), 2);
    assert.ok((sample(text, 'page_cache_hits_total') ?? 0) >= 1, 'the second map was a cache hit');
    assert.ok((sample(text, 'page_cache_misses_total') ?? 0) >= 1, 'the first map was rendered');
    assert.equal(sample(text, 'outbox_pending_messages'), 1);
    assert.ok((sample(text, 'outbox_oldest_pending_age_seconds') ?? -1) >= 0);
    assert.ok((sample(text, 'db_pool_connections', 'state="total"') ?? 0) >= 1);
    if (backend === 'postgres') assert.notEqual(sample(text, 'db_pool_connections', 'state="idle"'), undefined);
    assert.match(text, /# TYPE job_runs_total counter/);
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  it('does not exist, whatever token is sent', async () => {
    assert.equal((await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 404);
  });
});

describe('/readyz and request ids', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('is ready when the database answers and every migration is applied; /healthz says alive', async () => {
    const res = await t.app.inject('/readyz');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ready' });
    assert.equal((await t.app.inject('/healthz')).statusCode, 200);
  });

  it('is not ready, naming the migration, when one is missing', async () => {
    const db = t.database.db as any;
    const row = await db.selectFrom('kysely_migration').select(['name', 'timestamp']).orderBy('name', 'desc').executeTakeFirstOrThrow();
    await db.deleteFrom('kysely_migration').where('name', '=', row.name).execute();
    try {
      const res = await t.app.inject('/readyz');
      assert.equal(res.statusCode, 503);
      assert.deepEqual(res.json(), { status: 'not ready', reason: 'migrations pending', pending: [row.name] });
    } finally {
      await db.insertInto('kysely_migration').values(row).execute();
    }
    assert.equal((await t.app.inject('/readyz')).statusCode, 200);
  });

  it('answers with an id per request, takes over a plain X-Request-Id and replaces one that is not', async () => {
    const own = await t.app.inject('/');
    assert.match(String(own.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const given = await t.app.inject({ url: '/', headers: { 'x-request-id': 'nginx-4f2a.17' } });
    assert.equal(given.headers['x-request-id'], 'nginx-4f2a.17');
    const forged = await t.app.inject({ url: '/', headers: { 'x-request-id': '<script>alert(1)</script>' } });
    assert.match(String(forged.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('shows the request id on an error page', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/anmelden', headers: { 'x-request-id': 'fall-1234', 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=a%40b.de',
    });
    assert.equal(res.statusCode, 403);
    assert.match(pageText(res.body), /Fehlernummer: fall-1234\./);
    assert.equal(res.headers['x-request-id'], 'fall-1234');
  });
});

describe('a database that goes away while running', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('makes /readyz answer 503 and pages answer a clear 503 page, not a crash', async () => {
    assert.equal((await t.app.inject('/treffen')).statusCode, 200);
    if (backend === 'sqlite') {
      t.database.sqlite!.close();
    } else {
      const admin = new pg.Client({ connectionString: process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
      await admin.connect();
      await admin.query(`drop database ${new URL(t.config.databaseUrl!).pathname.slice(1)} with (force)`);
      await admin.end();
    }
    const ready = await t.app.inject('/readyz');
    assert.equal(ready.statusCode, 503);
    assert.deepEqual(ready.json(), { status: 'not ready', reason: 'database unreachable' });
    const page = await t.app.inject({ url: '/treffen', headers: { 'x-request-id': 'ausfall-1' } });
    assert.equal(page.statusCode, 503);
    assert.equal(page.headers['retry-after'], '30');
    assert.match(pageText(page.body), /Vorübergehend nicht erreichbar/);
    assert.match(pageText(page.body), /Datenbank der Plattform antwortet gerade nicht/);
    assert.match(pageText(page.body), /Fehlernummer: ausfall-1/);
  });
});

describe('instances that disagree on the session secret', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  it('a second instance with the same secret starts', async () => {
    const second = await startAppOnDatabase(t);
    await second.close();
  });

  it('an instance with another SESSION_SECRET, or with a generated one, refuses to start and says why', async () => {
    await assert.rejects(startAppOnDatabase(t, {}, { sessionSecret: 'ein-anderes-geheimnis-'.padEnd(64, 'y') }),
      /SESSION_SECRET differs from the secret the other instances of this database use.*SESSION_SECRET_ROTATE=1/);
    await assert.rejects(startAppOnDatabase(t, {}, { sessionSecret: 'z'.repeat(64), sessionSecretSource: 'generated' }),
      /SESSION_SECRET is not set, so this instance uses a secret of its own \(generated now\)/);
  });

  it('SESSION_SECRET_ROTATE=1 replaces the secret on purpose; afterwards the old secret is refused', async () => {
    const rotated = await startAppOnDatabase(t, { SESSION_SECRET_ROTATE: '1' }, { sessionSecret: 'neues-geheimnis-'.padEnd(64, 'n') });
    await rotated.close();
    const again = await startAppOnDatabase(t, {}, { sessionSecret: 'neues-geheimnis-'.padEnd(64, 'n') });
    await again.close();
    await assert.rejects(startAppOnDatabase(t), /SESSION_SECRET differs/);
  });
});

describe('a proxy that sends no X-Forwarded-Proto', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ BASE_URL: 'https://ki.example.de', TRUST_PROXY: '1' });
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('pages are shown, but a form is refused with a page saying why, and nobody is half signed in', async () => {
    const user = await createUser(t.database.db);
    const page = await t.app.inject('/anmelden');
    assert.equal(page.statusCode, 200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const cookie = (page.cookies as { name: string; value: string }[]).map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await t.app.inject({
      method: 'POST', url: '/anmelden', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: user.email, password: user.password, _csrf: csrf }).toString(),
    });
    assert.equal(res.statusCode, 400);
    assert.match(pageText(res.body), /Verbindung nicht über https/);
    assert.match(pageText(res.body), /https:\/\/ki\.example\.de .*X-Forwarded-Proto/);
    assert.equal((res.cookies as { name: string }[]).some((c) => c.name === 'sid'), false);
  });
});
