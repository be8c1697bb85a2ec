import assert from 'node:assert/strict';
import { pageText } from '../../../test/support/page.js';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { completeSetup, signedIn } from '../../../test/support/factories.js';
import { Visitor } from '../../../test/support/client.js';

const FOOTER = /<footer class="site-footer">[\s\S]*<a href="\/impressum">Impressum<\/a>[\s\S]*<a href="\/datenschutz">Datenschutzerklärung<\/a>[\s\S]*<\/footer>/;

const HOSTILE_MARKDOWN = [
  '# Angaben gemäß § 5 DDG',
  '',
  '**Stadt Arnsberg**, Rathausplatz 1, 59759 Arnsberg',
  '',
  '- [E-Mail](mailto:info@arnsberg.example)',
  '- [Website](https://www.arnsberg.de/)',
  '',
  "<script>alert('skript')</script>",
  '',
  '<img src="x" onerror="alert(1)">',
  '',
  '<a href="javascript:alert(2)">Klick mich</a>',
  '',
  'Ein [Markdown-Link](javascript:alert(3)) im Text.',
  '',
  '<p onclick="alert(4)" style="color:red">Absatz mit Handler</p>',
  '',
  '<iframe src="https://evil.example/"></iframe>',
].join('\n');

async function auditRows(t: TestApp) {
  return t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'legal.updated').orderBy('id').execute();
}

describe('legal pages', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(t.database.db);
  });
  after(() => t.close());

  it('are public and show a placeholder until a text is stored', async () => {
    const v = new Visitor(t.app);
    for (const [url, title] of [['/impressum', 'Impressum'], ['/datenschutz', 'Datenschutzerklärung']]) {
      const res = await v.get(url);
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, new RegExp(`<h1>${title}</h1>`));
      assert.match(res.body, /Dieser Text wurde noch nicht hinterlegt/);
      assert.doesNotMatch(res.body, /bearbeiten"/, 'no edit link for visitors');
    }
  });

  it('are linked from the footer of every page, also for members, admins and on error pages', async () => {
    const anonymous = new Visitor(t.app);
    const { visitor: member } = await signedIn(t.app, t.database.db, 'member');
    const { visitor: admin } = await signedIn(t.app, t.database.db, 'admin');
    const visits: [Visitor, string, number][] = [
      [anonymous, '/', 200], [anonymous, '/organisationen', 200], [anonymous, '/organisationen/kreis-soest', 200],
      [anonymous, '/anmelden', 200], [anonymous, '/mitmachen', 200], [anonymous, '/passwort-vergessen', 200],
      [anonymous, '/impressum', 200], [anonymous, '/datenschutz', 200], [anonymous, '/nicht-da', 404],
      [member, '/profil', 200], [member, '/mitglieder', 200], [member, '/verwaltung', 403],
      [admin, '/verwaltung', 200], [admin, '/verwaltung/postausgang', 200], [admin, '/impressum/bearbeiten', 200],
    ];
    for (const [visitor, url, status] of visits) {
      const res = await visitor.get(url);
      assert.equal(res.statusCode, status, url);
      assert.match(res.body, FOOTER, `${url} links both legal pages in its footer`);
    }
    await anonymous.get('/sprache/en');
    const en = await anonymous.get('/');
    assert.match(en.body, /<a href="\/impressum">Legal notice<\/a>/);
    assert.match(en.body, /<a href="\/datenschutz">Privacy notice<\/a>/);
  });

  it('can be edited by an administrator; Markdown renders as HTML, with scripts, handlers and javascript: links removed', async () => {
    const { visitor: admin, user } = await signedIn(t.app, t.database.db, 'admin');
    const view = await admin.get('/impressum');
    assert.match(view.body, /<a class="button-small" href="\/impressum\/bearbeiten">Bearbeiten/);

    const form = await admin.get('/impressum/bearbeiten');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<h1>Impressum bearbeiten<\/h1>/);
    assert.match(form.body, /<textarea[^>]*name="body"/);

    const saved = await admin.post('/impressum/bearbeiten', { body: HOSTILE_MARKDOWN });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/impressum');

    // What the public sees.
    const page = await new Visitor(t.app).get('/impressum');
    assert.equal(page.statusCode, 200);
    const prose = /<div class="prose">([\s\S]*?)<\/div>/.exec(page.body)?.[1] ?? '';
    assert.match(prose, /<h2>Angaben gemäß § 5 DDG<\/h2>/, 'a heading, one level below the page title');
    assert.match(prose, /<strong>Stadt Arnsberg<\/strong>, Rathausplatz 1, 59759 Arnsberg/);
    assert.match(prose, /<a href="mailto:info@arnsberg\.example">E-Mail<\/a>/);
    assert.match(prose, /<a href="https:\/\/www\.arnsberg\.de\/">Website<\/a>/);
    assert.match(prose, /Klick mich/, 'the text of a dangerous link stays');
    assert.match(prose, /Ein <a>Markdown-Link<\/a> im Text\./, 'a Markdown link to javascript: loses its target');
    assert.match(prose, /Absatz mit Handler/);
    assert.doesNotMatch(page.body, /<script/i);
    assert.doesNotMatch(page.body, /alert\(/);
    assert.doesNotMatch(page.body, /\son[a-z]+\s*=/i, 'no event handler attributes');
    assert.doesNotMatch(page.body, /javascript:/i);
    assert.doesNotMatch(page.body, /<img|<iframe|style=/i);
    assert.doesNotMatch(page.body, /evil\.example/);
    assert.match(page.body, /Zuletzt geändert: \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} MES?Z/);

    // The admin sees the confirmation once.
    const after = await admin.get('/impressum');
    assert.match(after.body, /Die Seite ist gespeichert\./);
    assert.doesNotMatch((await admin.get('/impressum')).body, /Die Seite ist gespeichert\./);

    // The Markdown is stored as written; it is made safe when shown, and shown escaped in the form.
    const row = await t.database.db.selectFrom('legal_pages').selectAll().where('slug', '=', 'impressum').executeTakeFirstOrThrow();
    assert.equal(row.body, HOSTILE_MARKDOWN);
    assert.equal(row.updated_by, user.id);
    const again = await admin.get('/impressum/bearbeiten');
    assert.ok(again.body.includes("&lt;script>alert('skript')&lt;/script>"), 'the stored text is escaped inside the textarea');
    assert.doesNotMatch(again.body, /<script/i);

    const audit = await auditRows(t);
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor_id, user.id);
    assert.equal(audit[0].target_type, 'legal_page');
    assert.equal(audit[0].target_id, 'impressum');
    const log = await admin.get('/verwaltung/protokoll');
    assert.match(pageText(log.body), /hat die Seite „Impressum“ geändert\./);
  });

  it('edits the privacy page the same way, independently of the imprint', async () => {
    const { visitor: admin } = await signedIn(t.app, t.database.db, 'admin');
    const res = await admin.submit('/datenschutz/bearbeiten', { body: 'Verantwortlich ist die *Südwestfalen-IT*.' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/datenschutz');
    const page = await new Visitor(t.app).get('/datenschutz');
    assert.match(page.body, /Verantwortlich ist die <em>Südwestfalen-IT<\/em>\./);
    assert.doesNotMatch(page.body, /Stadt Arnsberg/);
    assert.match((await new Visitor(t.app).get('/impressum')).body, /Stadt Arnsberg/);
    assert.deepEqual((await auditRows(t)).map((r) => r.target_id), ['impressum', 'datenschutz']);
  });

  it('refuses the edit page to members (403) and to strangers, and changes nothing', async () => {
    const before = await t.database.db.selectFrom('legal_pages').selectAll().orderBy('slug').execute();
    const auditBefore = (await auditRows(t)).length;

    const { visitor: member } = await signedIn(t.app, t.database.db, 'member');
    for (const slug of ['impressum', 'datenschutz']) {
      const page = await member.get(`/${slug}/bearbeiten`);
      assert.equal(page.statusCode, 403, slug);
      assert.match(page.body, /Kein Zugriff/);
      assert.doesNotMatch(page.body, /<textarea/);
      await member.get(`/${slug}`); // a page the member may see, for a valid form token
      assert.doesNotMatch(member.lastPage, /bearbeiten"/, 'no edit link for members');
      const post = await member.post(`/${slug}/bearbeiten`, { body: 'Übernommen!' });
      assert.equal(post.statusCode, 403, slug);
    }
    const { visitor: moderator } = await signedIn(t.app, t.database.db, 'moderator');
    assert.equal((await moderator.get('/impressum/bearbeiten')).statusCode, 403);

    const stranger = new Visitor(t.app);
    const get = await stranger.get('/impressum/bearbeiten');
    assert.equal(get.statusCode, 303);
    assert.equal(get.headers.location, '/anmelden?weiter=%2Fimpressum%2Fbearbeiten');
    await stranger.get('/impressum');
    assert.equal((await stranger.post('/impressum/bearbeiten', { body: 'Übernommen!' })).statusCode, 401);

    assert.deepEqual(await t.database.db.selectFrom('legal_pages').selectAll().orderBy('slug').execute(), before);
    assert.equal((await auditRows(t)).length, auditBefore);
  });

  it('answers an empty text with 422, a German message and the form again, keeping the stored page', async () => {
    const { visitor: admin } = await signedIn(t.app, t.database.db, 'admin');
    const auditBefore = (await auditRows(t)).length;
    for (const body of ['', '   \n  ']) {
      const res = await admin.submit('/impressum/bearbeiten', { body });
      assert.equal(res.statusCode, 422, JSON.stringify(body));
      assert.match(res.body, /<html lang="de">/);
      assert.match(res.body, /Bitte korrigieren Sie die folgenden Angaben:/);
      assert.match(res.body, /Bitte füllen Sie „Text \(Markdown\)“ aus\./);
      assert.match(res.body, /<form method="post" action="\/impressum\/bearbeiten"/);
      assert.match(res.body, /<textarea[^>]*name="body"/);
      assert.match(res.body, /aria-describedby="f-body-error"|id="f-body-error"/);
    }
    const row = await t.database.db.selectFrom('legal_pages').selectAll().where('slug', '=', 'impressum').executeTakeFirstOrThrow();
    assert.equal(row.body, HOSTILE_MARKDOWN);
    assert.equal((await auditRows(t)).length, auditBefore);
  });

  it('refuses a form sent without the CSRF token', async () => {
    const { visitor: admin } = await signedIn(t.app, t.database.db, 'admin');
    const res = await admin.post('/impressum/bearbeiten', { body: 'Fremd eingeschleust' }, null);
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /Formular abgelaufen/);
    const row = await t.database.db.selectFrom('legal_pages').selectAll().where('slug', '=', 'impressum').executeTakeFirstOrThrow();
    assert.equal(row.body, HOSTILE_MARKDOWN);
  });
});
