import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { makeSolution } from '../../../test/support/catalogue.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { countRows } from '../../../test/support/members.js';
import { makeMeeting, organiser, viewerOf } from '../../../test/support/meetings.js';
import { errorMessages, pageText } from '../../../test/support/page.js';
import { MAX_FILE_BYTES } from './service.js';

const db = (t: TestApp) => t.database.db;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e5d8b30000000049454e44ae426082', 'hex');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(200)]);

/** The address the upload form posts to: the form token travels in it, as in the form's action. */
const uploadUrl = (slug: string, csrf: string | null) => `/treffen/${slug}/material/datei${csrf === null ? '' : `?_csrf=${encodeURIComponent(csrf)}`}`;

/** The upload form as a browser encodes it: content type with boundary, and the body. */
async function multipart(file: { name: string; bytes: Buffer; type?: string } | null, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set('file', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { contentType: request.headers.get('content-type')!, body: Buffer.from(await request.arrayBuffer()) };
}

/** Sends the upload form as a browser does: multipart, with the page's form token unless told otherwise. */
async function upload(t: TestApp, visitor: Visitor, slug: string, file: { name: string; bytes: Buffer; type?: string } | null, fields: Record<string, string> = {}, csrf: string | null = visitor.csrf ?? null): Promise<LightMyRequestResponse> {
  const { contentType, body } = await multipart(file, fields);
  return t.app.inject({ method: 'POST', url: uploadUrl(slug, csrf), headers: { cookie: visitor.cookieHeader, 'content-type': contentType }, payload: body });
}

/**
 * Sends an upload of `size` bytes whose body is produced only as the server reads it; tells how much of it
 * the server took before answering.
 */
async function lazyUpload(t: TestApp, visitor: Visitor, slug: string, size: number): Promise<{ res: LightMyRequestResponse; read: number }> {
  const boundary = '----probe-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nProbe\r\n--${boundary}\r\n`
    + `Content-Disposition: form-data; name="file"; filename="gross.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let read = 0;
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent === 0) { sent = 1; read += head.length; this.push(head); return; }
      if (read >= size) { this.push(tail); this.push(null); return; }
      read += chunk.length;
      this.push(chunk);
    },
  });
  const res = await t.app.inject({
    method: 'POST', url: uploadUrl(slug, visitor.csrf ?? null), payload: body,
    headers: { cookie: visitor.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  return { res, read };
}

/** The messages of the error summary at the top of a page refused with 422, as one text. */
const summary = (html: string) => errorMessages(html).join(' ');

describe('materials and minutes', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('lets an organiser upload slides as PDF, which everyone who sees the meeting finds on its page and downloads unchanged', async () => {
    const m = await makeMeeting(db(t), await organiser(db(t)), { title: 'Mit Folien' });
    const { visitor } = await signedIn(t.app, db(t), 'moderator');
    const page = await visitor.get(`/treffen/${m.slug}/material`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    assert.match(page.body, /<label for="file-f-file">Datei/);

    const res = await upload(t, visitor, m.slug, { name: 'Folien Chatbot (Olpe).pdf', bytes: PDF, type: 'application/pdf' }, { title: 'Folien: Chatbot im Bürgerbüro' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/treffen/${m.slug}/material`);
    const stored = await db(t).selectFrom('meeting_materials').selectAll().where('meeting_id', '=', m.id).executeTakeFirstOrThrow();
    assert.equal(stored.kind, 'file');
    assert.equal(stored.content_type, 'application/pdf');
    assert.equal(stored.size, PDF.length);

    const anonymous = new Visitor(t.app);
    const meetingPage = await anonymous.get(`/treffen/${m.slug}`);
    assert.match(meetingPage.body, new RegExp(`<a href="/treffen/${m.slug}/material/${stored.id}">Folien: Chatbot im Bürgerbüro</a> \\(Folien Chatbot \\(Olpe\\)\\.pdf, 1 KB\\)`));
    const download = await anonymous.get(`/treffen/${m.slug}/material/${stored.id}`);
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.match(String(download.headers['content-disposition']), /^attachment; filename="Folien Chatbot \(Olpe\)\.pdf"/);
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.ok(download.rawPayload.equals(PDF), 'the same bytes come back');

    // A PNG without a title is listed under its file name.
    assert.equal((await upload(t, visitor, m.slug, { name: 'gruppenfoto.png', bytes: PNG })).statusCode, 303);
    assert.match(pageText((await anonymous.get(`/treffen/${m.slug}`)).body), /gruppenfoto\.png \(gruppenfoto\.png, 1 KB\)/);
  });

  it('refuses a file over the size limit with 413 and a German message; nothing is stored and the title typed stays', async () => {
    const m = await makeMeeting(db(t), await organiser(db(t)), { title: 'Zu groß' });
    const { visitor } = await signedIn(t.app, db(t), 'moderator');
    await visitor.get(`/treffen/${m.slug}/material`);
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_FILE_BYTES - PDF.length + 1, 0x20)]);
    const res = await upload(t, visitor, m.slug, { name: 'riesig.pdf', bytes: big, type: 'application/pdf' }, { title: 'Sehr lange Folien' });
    assert.equal(res.statusCode, 413);
    assert.equal(summary(res.body), 'Die Datei ist zu groß: höchstens 20 MB. Es wurde nichts gespeichert.');
    assert.match(res.body, /<a href="#file-f-file">/);
    assert.match(res.body, /aria-describedby="file-f-file-hint file-f-file-error"/);
    assert.match(res.body, /name="title" type="text" value="Sehr lange Folien"/);
    assert.equal(await countRows(db(t), 'meeting_materials', { meeting_id: m.id }), 0);

    // Exactly at the limit is fine.
    const fits = Buffer.concat([PDF, Buffer.alloc(MAX_FILE_BYTES - PDF.length, 0x20)]);
    assert.equal((await upload(t, visitor, m.slug, { name: 'passt.pdf', bytes: fits })).statusCode, 303);
    assert.equal(await countRows(db(t), 'meeting_materials', { meeting_id: m.id }), 1);
  });

  it('refuses forbidden types and files whose content is not what their name says', async () => {
    const m = await makeMeeting(db(t), await organiser(db(t)), { title: 'Falsche Dateien' });
    const { visitor } = await signedIn(t.app, db(t), 'admin');
    await visitor.get(`/treffen/${m.slug}/material`);
    const refused = 'Diese Art von Datei ist nicht erlaubt. Erlaubt sind: PDF, PowerPoint, Word, Excel, OpenDocument, PNG, JPEG, Text, Markdown, CSV. Es wurde nichts gespeichert.';
    for (const file of [
      { name: 'programm.exe', bytes: EXE },
      { name: 'folien.pdf', bytes: EXE },
      { name: 'seite.html', bytes: Buffer.from('<script>alert(1)</script>') },
      { name: 'notizen.txt', bytes: PDF },
      { name: 'bild.jpg', bytes: PNG },
      { name: 'ohne-endung', bytes: PDF },
    ]) {
      const res = await upload(t, visitor, m.slug, file);
      assert.equal(res.statusCode, 422, file.name);
      assert.equal(summary(res.body), refused, file.name);
    }
    const none = await upload(t, visitor, m.slug, null, { title: 'Nur ein Titel' });
    assert.equal(none.statusCode, 422);
    assert.equal(summary(none.body), 'Bitte wählen Sie eine Datei aus.');
    assert.equal(await countRows(db(t), 'meeting_materials', { meeting_id: m.id }), 0);

    // Plain text is allowed as such.
    assert.equal((await upload(t, visitor, m.slug, { name: 'notizen.md', bytes: Buffer.from('# Notizen\n\n- Chatbot: läuft') })).statusCode, 303);
    const stored = await db(t).selectFrom('meeting_materials').select('content_type').where('meeting_id', '=', m.id).executeTakeFirstOrThrow();
    assert.equal(stored.content_type, 'text/markdown; charset=utf-8');
  });

  it('keeps uploads to organisers and refuses one without the form token; nothing is stored either way', async () => {
    const m = await makeMeeting(db(t), await organiser(db(t)), { title: 'Geschützt' });
    const member = await signedIn(t.app, db(t));
    await member.visitor.get(`/treffen/${m.slug}`);
    assert.equal((await member.visitor.get(`/treffen/${m.slug}/material`)).statusCode, 403);
    assert.equal((await upload(t, member.visitor, m.slug, { name: 'a.pdf', bytes: PDF })).statusCode, 403);
    const { visitor } = await signedIn(t.app, db(t), 'moderator');
    await visitor.get(`/treffen/${m.slug}/material`);
    assert.equal((await upload(t, visitor, m.slug, { name: 'a.pdf', bytes: PDF }, {}, null)).statusCode, 403);
    assert.equal((await upload(t, new Visitor(t.app), m.slug, { name: 'a.pdf', bytes: PDF }, {}, null)).statusCode, 401);
    assert.equal(await countRows(db(t), 'meeting_materials', { meeting_id: m.id }), 0);
  });

  it('answers an upload by someone who may not add material before reading its body', async () => {
    const m = await makeMeeting(db(t), await organiser(db(t)), { title: 'Nicht für alle' });
    const MB20 = 20 * 1024 * 1024;
    const anonymous = new Visitor(t.app);
    await anonymous.get(`/treffen/${m.slug}`);
    const anon = await lazyUpload(t, anonymous, m.slug, MB20);
    assert.equal(anon.res.statusCode, 401);
    assert.ok(anon.read < 1024 * 1024, `anonymous: ${anon.read} bytes read`);
    const member = await signedIn(t.app, db(t));
    await member.visitor.get(`/treffen/${m.slug}`);
    const refused = await lazyUpload(t, member.visitor, m.slug, MB20);
    assert.equal(refused.res.statusCode, 403);
    assert.ok(refused.read < 1024 * 1024, `member: ${refused.read} bytes read`);
    // An organiser, but of a meeting that is not there.
    const { visitor } = await signedIn(t.app, db(t), 'moderator');
    await visitor.get(`/treffen/${m.slug}/material`);
    const missing = await lazyUpload(t, visitor, `${m.slug}-gibt-es-nicht`, MB20);
    assert.equal(missing.res.statusCode, 404);
    assert.ok(missing.read < 1024 * 1024, `unknown meeting: ${missing.read} bytes read`);
    // Without the form token in the address the body is not read either.
    const noToken = await t.app.inject({ method: 'POST', url: uploadUrl(m.slug, null), headers: { cookie: visitor.cookieHeader, 'content-type': 'multipart/form-data; boundary=x' }, payload: Readable.from((function* () { for (;;) yield Buffer.alloc(65536); })()) });
    assert.equal(noToken.statusCode, 403);
    assert.equal(await countRows(db(t), 'meeting_materials', { meeting_id: m.id }), 0);
  });

  it('answers a cut-off or malformed upload with 400 and a German message; nothing is stored', async () => {
    const m = await makeMeeting(db(t), await organiser(db(t)), { title: 'Abgebrochen' });
    const { visitor } = await signedIn(t.app, db(t), 'moderator');
    const page = await visitor.get(`/treffen/${m.slug}/material`);
    assert.ok(page.body.includes(`action="${uploadUrl(m.slug, visitor.csrf!).replace(/&/g, '&amp;')}"`), 'the form sends its token in its address');
    const { contentType, body } = await multipart({ name: 'folien.pdf', bytes: PDF }, { title: 'Folien' });
    const send = (payload: Buffer, type = contentType) =>
      t.app.inject({ method: 'POST', url: uploadUrl(m.slug, visitor.csrf!), headers: { cookie: visitor.cookieHeader, 'content-type': type }, payload });
    for (const [what, res] of [
      ['cut off in the file', await send(body.subarray(0, body.length - 60))],
      ['cut off in a header', await send(body.subarray(0, 30))],
      ['without boundary', await send(body, 'multipart/form-data')],
      ['not multipart', await send(Buffer.from('title=x'), 'application/x-www-form-urlencoded')],
    ] as const) {
      assert.equal(res.statusCode, 400, `${what}: ${res.body.slice(0, 300)}`);
      assert.match(res.headers['content-type'] as string, /^text\/html/, what);
      assert.ok(pageText(res.body).includes('Die hochgeladene Datei kam nicht vollständig oder nicht lesbar an.'), what);
    }
    assert.equal(await countRows(db(t), 'meeting_materials', { meeting_id: m.id }), 0);
    // The whole body still goes through.
    assert.equal((await send(body)).statusCode, 303);
  });

  it('adds links and the catalogue solutions presented; a solution hidden from the visitor is not shown to them', async () => {
    const org = await organiser(db(t));
    const m = await makeMeeting(db(t), org, { title: 'Mit Links' });
    const author = await viewerOf(db(t), (await createUser(db(t), { organisation: 'Olpe' })).id);
    const shown = await makeSolution(db(t), author, { title: 'Schlaglocherkennung per Smartphone', summary: 'Fahrzeuge erkennen Schlaglöcher.' });
    const internal = await makeSolution(db(t), author, { title: 'Interner Chatbot', summary: 'Nur für Mitglieder.', visibility: 'members' });
    const { visitor } = await signedIn(t.app, db(t), 'moderator');
    await visitor.get(`/treffen/${m.slug}/material`);

    const badLink = await visitor.post(`/treffen/${m.slug}/material/link`, { link_title: 'Aufzeichnung', url: 'javascript:alert(1)' });
    assert.equal(badLink.statusCode, 422);
    assert.equal(summary(badLink.body), 'Der Link muss mit https:// oder http:// beginnen.');
    assert.match(badLink.body, /name="link_title" type="text" value="Aufzeichnung"/);
    assert.equal((await visitor.post(`/treffen/${m.slug}/material/link`, { link_title: 'Aufzeichnung', url: 'https://video.example/runde-2' })).statusCode, 303);

    const unknown = await visitor.post(`/treffen/${m.slug}/material/loesung`, { solution: 'https://ki.example/loesungen/gibt-es-nicht' });
    assert.equal(unknown.statusCode, 422);
    assert.equal(summary(unknown.body), 'Diese Lösung gibt es im Katalog nicht. Bitte kopieren Sie die Adresse der Lösungsseite.');
    assert.equal((await visitor.post(`/treffen/${m.slug}/material/loesung`, { solution: `http://localhost:3000/loesungen/${shown.slug}` })).statusCode, 303);
    assert.equal((await visitor.post(`/treffen/${m.slug}/material/loesung`, { solution: internal.slug })).statusCode, 303);

    const member = await signedIn(t.app, db(t));
    const forMember = (await member.visitor.get(`/treffen/${m.slug}`)).body;
    assert.match(forMember, /<a href="https:\/\/video\.example\/runde-2" rel="noopener noreferrer">Aufzeichnung<\/a>/);
    assert.match(forMember, new RegExp(`Vorgestellte Lösung: <a href="/loesungen/${shown.slug}">Schlaglocherkennung per Smartphone</a>`));
    assert.match(forMember, new RegExp(`<a href="/loesungen/${internal.slug}">Interner Chatbot</a>`));
    const forStranger = (await new Visitor(t.app).get(`/treffen/${m.slug}`)).body;
    assert.match(forStranger, /Schlaglocherkennung per Smartphone/);
    assert.doesNotMatch(forStranger, /Interner Chatbot/);

    // Removing one takes it off the page.
    const link = await db(t).selectFrom('meeting_materials').select('id').where('meeting_id', '=', m.id).where('kind', '=', 'link').executeTakeFirstOrThrow();
    await visitor.get(`/treffen/${m.slug}/material`);
    assert.equal((await visitor.post(`/treffen/${m.slug}/material/${link.id}/entfernen`, { confirm: 'yes' })).statusCode, 303);
    assert.doesNotMatch((await member.visitor.get(`/treffen/${m.slug}`)).body, /video\.example/);
  });

  it('shows the minutes as Markdown, with anything unsafe removed', async () => {
    const m = await makeMeeting(db(t), await organiser(db(t)), { title: 'Mit Protokoll' });
    const { visitor } = await signedIn(t.app, db(t), 'moderator');
    await visitor.get(`/treffen/${m.slug}/material`);
    const minutes = '## Ergebnisse\n\n- Olpe teilt den **Chatbot**\n- [Folien](https://ki.example/f.pdf)\n\n<script>alert(1)</script><a href="javascript:alert(2)">x</a>';
    assert.equal((await visitor.post(`/treffen/${m.slug}/protokoll`, { minutes })).statusCode, 303);
    const html = (await new Visitor(t.app).get(`/treffen/${m.slug}`)).body;
    const section = html.slice(html.indexOf('id="minutes"'));
    assert.match(section, /<h2>Ergebnisse<\/h2>/);
    assert.match(section, /<li>Olpe teilt den <strong>Chatbot<\/strong><\/li>/);
    assert.match(section, /<a href="https:\/\/ki\.example\/f\.pdf">Folien<\/a>/);
    assert.doesNotMatch(html, /<script>alert|javascript:alert/);
    assert.match((await visitor.get(`/treffen/${m.slug}/material`)).body, /## Ergebnisse/, 'the form shows the minutes to edit');
  });
});
