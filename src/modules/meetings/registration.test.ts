import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { backend, startAppOnDatabase, startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { countRows, mailsTo } from '../../../test/support/members.js';
import { hoursFromNow, makeMeeting, organiser, shiftMeeting, viewerOf } from '../../../test/support/meetings.js';
import { errorMessages, pageText } from '../../../test/support/page.js';
import type { CurrentUser } from '../../platform/policy.js';
import { cancelRegistration, registerForMeeting, type MeetingDeps } from './service.js';

const db = (t: TestApp) => t.database.db;
const deps = (t: TestApp): MeetingDeps => ({ db: db(t), config: t.config });

async function registrations(t: TestApp, meetingId: number) {
  return db(t).selectFrom('meeting_registrations').selectAll().where('meeting_id', '=', meetingId).orderBy('id').execute();
}

/** The messages of the error summary at the top of a page refused with 422, as one text. */
const summary = (html: string) => errorMessages(html).join(' ');

describe('registering for a meeting', () => {
  let t: TestApp;
  let org: CurrentUser;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    org = await organiser(db(t));
  });
  after(() => t.close());

  it('registers a member, shows it on the page and mails a confirmation with the calendar entry', async () => {
    const m = await makeMeeting(db(t), org, { title: 'Chatbots im Bürgerbüro' });
    const { visitor, user } = await signedIn(t.app, db(t), 'member', { name: 'Rita Register', organisation: 'Attendorn' });
    const page = await visitor.get(`/treffen/${m.slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(pageText(page.body), /Plätze Vor Ort: 20 von 20 Plätzen frei/i);
    assert.match(page.body, /<button type="submit" class="button">Platz reservieren<\/button>/);

    const res = await visitor.post(`/treffen/${m.slug}/anmelden`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/treffen/${m.slug}`);
    const after = await visitor.get(`/treffen/${m.slug}`);
    const text = pageText(after.body);
    assert.match(text, /Ihr Platz ist reserviert \(vor Ort\)\. Die Bestätigung mit dem Kalendereintrag kommt per E-Mail\./);
    assert.match(text, /19 von 20 Plätzen frei/);
    assert.match(after.body, /<button type="submit" class="button button-secondary">Teilnahme absagen<\/button>/);

    const rows = await registrations(t, m.id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].user_id, user.id);
    assert.equal(rows[0].status, 'registered');
    assert.equal(rows[0].mode, 'onsite');

    const mails = await mailsTo(db(t), user.email);
    assert.equal(mails.length, 1);
    assert.equal(mails[0].subject, 'Anmeldung bestätigt: Chatbots im Bürgerbüro');
    assert.match(mails[0].body_text, /Sie sind für „Chatbots im Bürgerbüro“ angemeldet \(vor Ort\)\./);
    assert.match(mails[0].body_text, /Ort: Kreishaus Olpe/);
    assert.match(mails[0].body_text, new RegExp(`http://localhost:3000/treffen/${m.slug}`));
    const stored = await db(t).selectFrom('outbox').select('attachments').where('id', '=', mails[0].id).executeTakeFirstOrThrow();
    const [ics] = JSON.parse(stored.attachments) as { filename: string; contentType: string; content: string }[];
    assert.equal(ics.filename, `${m.slug}.ics`);
    assert.match(ics.contentType, /^text\/calendar/);
    assert.match(ics.content, /BEGIN:VEVENT[\s\S]*SUMMARY:Chatbots im Bürgerbüro/);
  });

  it('refuses a second registration of the same person with a German message and changes nothing', async () => {
    const m = await makeMeeting(db(t), org);
    const { visitor, user } = await signedIn(t.app, db(t));
    assert.equal((await visitor.post(`/treffen/${m.slug}/anmelden`)).statusCode, 303);
    await visitor.get(`/treffen/${m.slug}`);
    const again = await visitor.post(`/treffen/${m.slug}/anmelden`);
    assert.equal(again.statusCode, 422);
    assert.equal(summary(again.body), 'Sie sind für dieses Treffen bereits angemeldet.');
    assert.equal((await registrations(t, m.id)).length, 1);
    assert.equal((await mailsTo(db(t), user.email)).length, 1, 'the confirmation is sent once');
  });

  it('lets two simultaneous registrations of one person count once', async () => {
    const m = await makeMeeting(db(t), org);
    const person = await viewerOf(db(t), (await createUser(db(t))).id);
    const results = await Promise.allSettled([registerForMeeting(deps(t), person, m.slug), registerForMeeting(deps(t), person, m.slug)]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal((await registrations(t, m.id)).length, 1);
    assert.equal((await mailsTo(db(t), person.email)).length, 1);
  });

  it('puts the next registration of a full meeting on the waiting list and shows each person their position', async () => {
    const m = await makeMeeting(db(t), org, { title: 'Kleine Runde', capacity_onsite: '1' });
    const first = await signedIn(t.app, db(t));
    const second = await signedIn(t.app, db(t), 'member', { name: 'Willi Warte' });
    const third = await signedIn(t.app, db(t));
    for (const p of [first, second, third]) {
      await p.visitor.get(`/treffen/${m.slug}`);
      assert.equal((await p.visitor.post(`/treffen/${m.slug}/anmelden`)).statusCode, 303);
    }
    const secondPage = pageText((await second.visitor.get(`/treffen/${m.slug}`)).body);
    assert.match(secondPage, /Alle Plätze sind vergeben: Sie stehen auf Platz 1 der Warteliste\./);
    assert.match(secondPage, /Sie stehen auf Platz 1 der Warteliste \(vor Ort\)\./);
    assert.match(secondPage, /0 von 1 Plätzen frei \(2 Personen auf der Warteliste\)/);
    assert.match(secondPage, /ausgebucht/);
    assert.match(pageText((await third.visitor.get(`/treffen/${m.slug}`)).body), /Sie stehen auf Platz 2 der Warteliste/);

    // Someone not registered sees that only the waiting list is left.
    const fourth = await signedIn(t.app, db(t));
    const offer = await fourth.visitor.get(`/treffen/${m.slug}`);
    assert.match(pageText(offer.body), /Alle Plätze sind vergeben\. Sie können sich auf die Warteliste setzen lassen/);
    assert.match(offer.body, />Auf die Warteliste<\/button>/);

    const [waitingMail] = await mailsTo(db(t), second.user.email);
    assert.equal(waitingMail.subject, 'Warteliste: Kleine Runde');
    assert.match(waitingMail.body_text, /Sie stehen auf Platz 1 der Warteliste/);
    const stored = await db(t).selectFrom('outbox').select('attachments').where('id', '=', waitingMail.id).executeTakeFirstOrThrow();
    assert.equal(stored.attachments, '[]', 'no calendar entry for a place not yet had');
  });

  it('promotes the first person waiting when someone cancels, mails them, and moves everyone else up, first come first served', async () => {
    const m = await makeMeeting(db(t), org, { title: 'Nachrücken', capacity_onsite: '2' });
    const people: Awaited<ReturnType<typeof signedIn>>[] = [];
    for (let i = 0; i < 5; i++) people.push(await signedIn(t.app, db(t), 'member', { name: `Person ${i + 1}` }));
    for (const p of people) {
      await p.visitor.get(`/treffen/${m.slug}`);
      await p.visitor.post(`/treffen/${m.slug}/anmelden`);
    }
    const status = async () => (await registrations(t, m.id)).filter((r) => r.status !== 'cancelled').map((r) => `${people.findIndex((p) => p.user.id === r.user_id) + 1}:${r.status}`);
    assert.deepEqual(await status(), ['1:registered', '2:registered', '3:waiting', '4:waiting', '5:waiting']);

    // Person 2 cancels: person 3, first on the list, gets the place.
    await people[1].visitor.get(`/treffen/${m.slug}`);
    const cancel = await people[1].visitor.post(`/treffen/${m.slug}/abmelden`);
    assert.equal(cancel.statusCode, 303);
    assert.match(pageText((await people[1].visitor.get(`/treffen/${m.slug}`)).body), /Ihre Teilnahme ist abgesagt; der Platz ist wieder frei\./);
    assert.deepEqual(await status(), ['1:registered', '3:registered', '4:waiting', '5:waiting']);
    const promoted = (await mailsTo(db(t), people[2].user.email)).map((x) => x.subject);
    assert.deepEqual(promoted, ['Warteliste: Nachrücken', 'Ein Platz ist frei geworden: Nachrücken']);
    assert.match(pageText((await people[3].visitor.get(`/treffen/${m.slug}`)).body), /Sie stehen auf Platz 1 der Warteliste/);
    assert.match(pageText((await people[4].visitor.get(`/treffen/${m.slug}`)).body), /Sie stehen auf Platz 2 der Warteliste/);

    // Person 5 leaves the waiting list: nobody is promoted, person 4 stays first.
    await people[4].visitor.post(`/treffen/${m.slug}/abmelden`);
    assert.deepEqual(await status(), ['1:registered', '3:registered', '4:waiting']);

    // Person 1 cancels: person 4 moves up. Person 2 registering again queues at the end, not in their old place.
    await people[1].visitor.get(`/treffen/${m.slug}`);
    assert.equal((await people[1].visitor.post(`/treffen/${m.slug}/anmelden`)).statusCode, 303);
    await people[0].visitor.get(`/treffen/${m.slug}`);
    await people[0].visitor.post(`/treffen/${m.slug}/abmelden`);
    assert.deepEqual(await status(), ['3:registered', '4:registered', '2:waiting']);
    assert.equal((await mailsTo(db(t), people[3].user.email)).at(-1)?.subject, 'Ein Platz ist frei geworden: Nachrücken');
    assert.equal((await mailsTo(db(t), people[4].user.email)).length, 1, 'person 5, who left, was not mailed again');
  });

  it('keeps one waiting list per way of taking part in a hybrid meeting; a free place goes to someone of the same mode', async () => {
    const m = await makeMeeting(db(t), org, { format: 'hybrid', online_url: 'https://konferenz.example/raum-7', capacity_onsite: '1', capacity_online: '1' });
    const people: CurrentUser[] = [];
    for (let i = 0; i < 4; i++) people.push(await viewerOf(db(t), (await createUser(db(t))).id));
    const [a, b, c, d] = people;
    await assert.rejects(registerForMeeting(deps(t), a, m.slug), (err: { fields?: Record<string, { key: string }> }) => err.fields?.mode?.key === 'meetings.errors.chooseMode');
    assert.equal((await registerForMeeting(deps(t), a, m.slug, 'onsite')).status, 'registered');
    assert.equal((await registerForMeeting(deps(t), b, m.slug, 'online')).status, 'registered');
    assert.deepEqual(await registerForMeeting(deps(t), c, m.slug, 'online'), { status: 'waiting', mode: 'online', position: 1 });
    assert.deepEqual(await registerForMeeting(deps(t), d, m.slug, 'onsite'), { status: 'waiting', mode: 'onsite', position: 1 });
    await cancelRegistration(deps(t), a, m.slug);
    const rows = await registrations(t, m.id);
    assert.equal(rows.find((r) => r.user_id === d.id)?.status, 'registered', 'the on-site place went to the person waiting on site');
    assert.equal(rows.find((r) => r.user_id === c.id)?.status, 'waiting', 'the person waiting online still waits');

    // Over HTTP the choice is a labelled select; without a choice the page says what is missing.
    const { visitor } = await signedIn(t.app, db(t));
    const page = await visitor.get(`/treffen/${m.slug}`);
    assert.match(page.body, /<label for="f-mode">Teilnahme/);
    assert.match(page.body, /<option value="onsite">vor Ort \(nur Warteliste\)<\/option>/);
    const refused = await visitor.post(`/treffen/${m.slug}/anmelden`, { mode: '' });
    assert.equal(refused.statusCode, 422);
    assert.equal(summary(refused.body), 'Bitte wählen Sie, ob Sie vor Ort oder online teilnehmen.');
    assert.match(refused.body, /aria-describedby="f-mode-error"/);
  });

  it('refuses registration after the deadline, for a cancelled meeting and before the opening, each with a clear message', async () => {
    const { visitor, user } = await signedIn(t.app, db(t));
    const late = await makeMeeting(db(t), org, { title: 'Zu spät' });
    await shiftMeeting(db(t), late.slug, { registration_closes_at: hoursFromNow(-1) });
    const early = await makeMeeting(db(t), org, { title: 'Zu früh' });
    await shiftMeeting(db(t), early.slug, { registration_opens_at: '2099-01-10T08:00:00.000Z' });
    const cancelled = await makeMeeting(db(t), org, { title: 'Fällt aus' });
    await db(t).updateTable('meetings').set({ status: 'cancelled' }).where('id', '=', cancelled.id).execute();

    for (const [m, message] of [
      [late, 'Der Anmeldeschluss ist vorbei; eine Anmeldung ist nicht mehr möglich.'],
      [early, 'Die Anmeldung öffnet erst am 10.01.2099, 09:00 MEZ.'],
      [cancelled, 'Das Treffen ist abgesagt; eine Anmeldung ist nicht möglich.'],
    ] as const) {
      await visitor.get('/treffen');
      const res = await visitor.post(`/treffen/${m.slug}/anmelden`);
      assert.equal(res.statusCode, 422, m.title);
      assert.equal(summary(res.body), message);
      assert.equal((await registrations(t, m.id)).length, 0, `nothing stored for ${m.title}`);
    }
    assert.equal((await mailsTo(db(t), user.email)).length, 0);
    await visitor.get('/sprache/en');
    await visitor.get('/treffen');
    const inEnglish = await visitor.post(`/treffen/${early.slug}/anmelden`);
    assert.equal(summary(inEnglish.body), 'Registration opens on 10/01/2099, 09:00 CET.');
    await visitor.get('/sprache/de');
    assert.match(pageText((await visitor.get(`/treffen/${late.slug}`)).body), /Anmeldung geschlossen.*Die Anmeldung ist geschlossen\./);
    assert.match(pageText((await visitor.get(`/treffen/${early.slug}`)).body), /geplant.*Die Anmeldung öffnet am 10\.01\.2099, 09:00 MEZ\./);
  });

  it('shows the online link only to people registered and to organisers', async () => {
    const m = await makeMeeting(db(t), org, { format: 'online', online_url: 'https://konferenz.example/geheim-42', capacity_online: '100', address: '' });
    const secret = /konferenz\.example\/geheim-42/;
    const anonymous = await new Visitor(t.app).get(`/treffen/${m.slug}`);
    assert.equal(anonymous.statusCode, 200);
    assert.doesNotMatch(anonymous.body, secret);
    assert.match(pageText(anonymous.body), /Der Link wird angemeldeten Personen angezeigt\./);
    assert.match(anonymous.body, /href="\/anmelden\?weiter=%2Ftreffen%2F/);

    const { visitor, user } = await signedIn(t.app, db(t));
    assert.doesNotMatch((await visitor.get(`/treffen/${m.slug}`)).body, secret);
    await visitor.post(`/treffen/${m.slug}/anmelden`);
    assert.match((await visitor.get(`/treffen/${m.slug}`)).body, /<a href="https:\/\/konferenz\.example\/geheim-42"/);
    assert.match((await mailsTo(db(t), user.email))[0].body_text, /Online-Zugang: https:\/\/konferenz\.example\/geheim-42/);

    const moderator = await signedIn(t.app, db(t), 'moderator');
    assert.match((await moderator.visitor.get(`/treffen/${m.slug}`)).body, secret);
  });

  it('asks anonymous visitors to sign in: the register form is not offered and a post is refused', async () => {
    const m = await makeMeeting(db(t), org);
    const anonymous = new Visitor(t.app);
    const page = await anonymous.get(`/treffen/${m.slug}`);
    assert.match(pageText(page.body), /Um einen Platz zu reservieren, melden Sie sich bitte zuerst an\./);
    assert.doesNotMatch(page.body, /action="\/treffen\/[^"]+\/anmelden"/);
    const res = await anonymous.post(`/treffen/${m.slug}/anmelden`);
    assert.equal(res.statusCode, 401);
    assert.equal((await registrations(t, m.id)).length, 0);
  });
});

describe('many registrations at once', () => {
  let t: TestApp;
  let second: TestApp | undefined;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    // On PostgreSQL the registrations arrive at two instances of the platform on one database, as behind a load balancer.
    if (backend === 'postgres') second = await startAppOnDatabase(t);
  });
  after(async () => {
    await second?.close();
    await t.close();
  });

  it(`admits exactly 50 of 200 simultaneous registrations and queues 150 in order (${backend === 'postgres' ? 'two instances' : 'one instance'})`, async () => {
    const org = await organiser(db(t));
    const m = await makeMeeting(db(t), org, { title: 'Großer Andrang', capacity_onsite: '50' });
    const people: CurrentUser[] = [];
    for (let i = 0; i < 200; i++) {
      const u = await createUser(db(t), { name: `Andrang ${i}` });
      people.push({ id: u.id, name: `Andrang ${i}`, email: u.email, role: 'member', organisationId: 1, organisationName: 'Arnsberg' });
    }
    const instances = second ? [t, second] : [t];
    const results = await Promise.all(people.map((p, i) => registerForMeeting(deps(instances[i % instances.length]), p, m.slug)));

    assert.equal(results.filter((r) => r.status === 'registered').length, 50);
    assert.equal(results.filter((r) => r.status === 'waiting').length, 150);
    assert.deepEqual(results.filter((r) => r.status === 'waiting').map((r) => r.position).sort((a, b) => a! - b!), Array.from({ length: 150 }, (_, i) => i + 1),
      'every waiting person got a position of their own, 1 to 150');

    const rows = await registrations(t, m.id);
    assert.equal(rows.length, 200);
    assert.equal(new Set(rows.map((r) => r.user_id)).size, 200);
    const registered = rows.filter((r) => r.status === 'registered');
    const waiting = rows.filter((r) => r.status === 'waiting');
    assert.equal(registered.length, 50);
    assert.equal(waiting.length, 150);
    // First come, first served: everyone admitted came before everyone waiting, and the list keeps arrival order.
    assert.ok(Math.max(...registered.map((r) => r.id)) < Math.min(...waiting.map((r) => r.id)), 'all admitted registrations precede the waiting ones');
    for (let i = 1; i < waiting.length; i++) assert.ok(waiting[i].created_at >= waiting[i - 1].created_at, 'waiting list in order of arrival');
    const positionOf = new Map(waiting.map((r, i) => [r.user_id, i + 1]));
    people.forEach((p, i) => {
      if (results[i].status === 'waiting') assert.equal(results[i].position, positionOf.get(p.id), `${p.name} was told the position they hold`);
    });
    assert.equal(await countRows(db(t), 'outbox', { subject: 'Anmeldung bestätigt: Großer Andrang' }), 50);
    assert.equal(await countRows(db(t), 'outbox', { subject: 'Warteliste: Großer Andrang' }), 150);

    // Ten people cancel at once: the first ten waiting take their places, in order, and nobody else.
    const leaving = registered.slice(0, 10).map((r) => people.find((p) => p.id === r.user_id)!);
    await Promise.all(leaving.map((p, i) => cancelRegistration(deps(instances[i % instances.length]), p, m.slug)));
    const afterwards = await registrations(t, m.id);
    const nowRegistered = new Set(afterwards.filter((r) => r.status === 'registered').map((r) => r.user_id));
    assert.equal(nowRegistered.size, 50, 'the meeting is full again, not over-full');
    for (const r of waiting.slice(0, 10)) assert.ok(nowRegistered.has(r.user_id), `waiting position ${positionOf.get(r.user_id)} was promoted`);
    for (const r of waiting.slice(10)) assert.ok(!nowRegistered.has(r.user_id), `waiting position ${positionOf.get(r.user_id)} still waits`);
    assert.equal(afterwards.filter((r) => r.status === 'waiting').length, 140);
    assert.equal(await countRows(db(t), 'outbox', { subject: 'Ein Platz ist frei geworden: Großer Andrang' }), 10);
  });
});

describe('the organisers’ registration list', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('lists registered and waiting people with their organisations, exports them as CSV for Excel and records attendance', async () => {
    const org = await organiser(db(t));
    const m = await makeMeeting(db(t), org, { title: 'Runde mit Liste', capacity_onsite: '2' });
    const names = [['Anna Arnsberg', 'Arnsberg'], ['Otto Olpe', 'Olpe'], ['=Wanda Warte', 'Siegen']] as const;
    const people: CurrentUser[] = [];
    for (const [name, organisation] of names) {
      const u = await createUser(db(t), { name, organisation });
      people.push(await viewerOf(db(t), u.id));
      await registerForMeeting(deps(t), people.at(-1)!, m.slug);
    }
    const { visitor } = await signedIn(t.app, db(t), 'moderator');
    const list = await visitor.get(`/treffen/${m.slug}/anmeldungen`);
    assert.equal(list.statusCode, 200);
    const text = pageText(list.body);
    assert.match(text, /2 angemeldete Personen/);
    assert.match(text, /Anna Arnsberg Arnsberg vor Ort/);
    assert.match(text, /Otto Olpe Olpe vor Ort/);
    assert.match(text, /Eine Person auf der Warteliste Platz auf der Warteliste Name Organisation Teilnahme Angemeldet am 1 =Wanda Warte Siegen/);
    assert.match(text, /Die Anwesenheit lässt sich ab Beginn des Treffens eintragen\./);

    const csv = await visitor.get(`/treffen/${m.slug}/anmeldungen.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(csv.headers['content-disposition']), new RegExp(`attachment; filename="anmeldungen-${m.slug}\\.csv"`));
    assert.ok(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'starts with the UTF-8 byte order mark');
    assert.match(csv.body, /\r\n/);
    const rows = parse(csv.body, { delimiter: ';', bom: true }) as string[][];
    assert.deepEqual(rows[0], ['Name', 'Organisation', 'Funktion', 'E-Mail', 'Teilnahme', 'Status', 'Platz auf der Warteliste', 'Angemeldet am', 'Anwesend']);
    assert.equal(rows.length, 4);
    assert.deepEqual(rows[1].slice(0, 7), ['Anna Arnsberg', 'Arnsberg', 'Digitalisierung', people[0].email, 'vor Ort', 'angemeldet', '']);
    assert.match(rows[1][7], /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} ME(S)?Z$/);
    assert.equal(rows[1][8], 'Nein');
    assert.deepEqual(rows[3].slice(0, 7), ["'=Wanda Warte", 'Siegen', 'Digitalisierung', people[2].email, 'vor Ort', 'Warteliste', '1'],
      'a cell that a spreadsheet would run as a formula is defused');
    assert.equal(rows[3][8], '');

    // Before the start nothing can be marked.
    const early = await visitor.post(`/treffen/${m.slug}/anmeldungen`, { attended: '1' });
    assert.equal(early.statusCode, 422);
    assert.equal(summary(early.body), 'Die Anwesenheit lässt sich erst ab Beginn des Treffens eintragen.');

    // After the meeting: Anna was there, Otto was not.
    await shiftMeeting(db(t), m.slug, { starts_at: hoursFromNow(-3), ends_at: hoursFromNow(-1) });
    const form = await visitor.get(`/treffen/${m.slug}/anmeldungen`);
    const annaId = (await registrations(t, m.id)).find((r) => r.user_id === people[0].id)!.id;
    assert.match(form.body, new RegExp(`<input type="checkbox" name="attended" value="${annaId}" id="attended-${annaId}" aria-label="Anna Arnsberg war anwesend"`));
    const saved = await visitor.post(`/treffen/${m.slug}/anmeldungen`, { attended: String(annaId) });
    assert.equal(saved.statusCode, 303);
    assert.match(pageText((await visitor.get(`/treffen/${m.slug}/anmeldungen`)).body), /Gespeichert: eine Person war anwesend\./);
    const attended = parse((await visitor.get(`/treffen/${m.slug}/anmeldungen.csv`)).body, { delimiter: ';', bom: true }) as string[][];
    assert.deepEqual(attended.slice(1).map((r) => [r[0], r[8]]), [['Anna Arnsberg', 'Ja'], ['Otto Olpe', 'Nein'], ["'=Wanda Warte", '']]);
  });

  it('keeps the list and its export from members', async () => {
    const m = await makeMeeting(db(t), await organiser(db(t)));
    const { visitor } = await signedIn(t.app, db(t));
    assert.equal((await visitor.get(`/treffen/${m.slug}/anmeldungen`)).statusCode, 403);
    assert.equal((await visitor.get(`/treffen/${m.slug}/anmeldungen.csv`)).statusCode, 403);
  });
});
