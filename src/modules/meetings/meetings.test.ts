import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { h } from 'preact';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, createUser, signedIn } from '../../../test/support/factories.js';
import { countRows, mailsTo } from '../../../test/support/members.js';
import { hoursFromNow, makeMeeting, meetingForm, organiser, shiftMeeting, viewerOf } from '../../../test/support/meetings.js';
import { errorMessages, pageText } from '../../../test/support/page.js';
import type { CurrentUser } from '../../platform/policy.js';
import { addMeetingSection } from './sections.js';
import { translatorFor } from '../../platform/i18n/index.js';
import {
  FORMATS, MODES, VISIBILITIES, findMeetingBySlug, meetingState, nextMeetingInSeries, registerForMeeting, type MeetingDeps, type MeetingRow,
} from './service.js';
import { meetingLabels } from './views.js';

const db = (t: TestApp) => t.database.db;
const deps = (t: TestApp): MeetingDeps => ({ db: db(t), config: t.config });

async function meetingRow(t: TestApp, slug: string): Promise<MeetingRow> {
  return (await findMeetingBySlug(db(t), slug))!;
}

async function person(t: TestApp, name?: string): Promise<CurrentUser> {
  return viewerOf(db(t), (await createUser(db(t), { name })).id);
}

describe('organising meetings', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
  });
  after(() => t.close());

  it('lets a moderator create a meeting in Berlin time; it is stored in UTC and shown with date, year and time zone', async () => {
    const { visitor, user } = await signedIn(t.app, db(t), 'moderator');
    const form = await visitor.get('/treffen/neu');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<h1>Neues Treffen<\/h1>/);
    assert.match(form.body, /<label for="f-start_date">Datum<span class="req"> \(Pflichtfeld\)<\/span><\/label>/);
    assert.match(form.body, /<input id="f-start_date" name="start_date" type="date"/);
    assert.match(form.body, /<input id="f-start_time" name="start_time" type="time"/);

    const res = await visitor.post('/treffen/neu', meetingForm({ title: 'KI-Community Runde 2', start_date: '2030-01-15', start_time: '18:00', end_time: '20:30' }));
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/treffen/ki-community-runde-2-2030-01-15');
    const row = await meetingRow(t, 'ki-community-runde-2-2030-01-15');
    assert.equal(row.starts_at, '2030-01-15T17:00:00.000Z');
    assert.equal(row.ends_at, '2030-01-15T19:30:00.000Z');
    assert.equal(row.created_by, user.id);
    assert.equal(row.sequence, 0);
    assert.equal(row.series, 'KI-Community');

    const page = await visitor.get(res.headers.location as string);
    const text = pageText(page.body);
    assert.match(text, /Das Treffen ist angelegt\./);
    assert.match(page.body, /<h1>KI-Community Runde 2<\/h1>/);
    assert.match(text, /Wann Di\., 15\.01\.2030, 18:00–20:30 Uhr MEZ/);
    assert.match(text, /Ort Kreishaus Olpe/);
    assert.match(text, /Anmeldung offen/);
    assert.match(page.body, /<strong>Chatbots<\/strong>/, 'the description is Markdown');

    // Summer time: the same wall-clock time is two hours ahead of UTC.
    await visitor.get('/treffen/neu');
    await visitor.post('/treffen/neu', meetingForm({ title: 'Sommertreffen', start_date: '2030-07-16', start_time: '18:00', end_date: '2030-07-17', end_time: '12:00' }));
    const summer = await meetingRow(t, 'sommertreffen-2030-07-16');
    assert.equal(summer.starts_at, '2030-07-16T16:00:00.000Z');
    assert.equal(summer.ends_at, '2030-07-17T10:00:00.000Z');
    assert.match(pageText((await visitor.get('/treffen/sommertreffen-2030-07-16')).body), /Di\., 16\.07\.2030, 18:00 MESZ – Mi\., 17\.07\.2030, 12:00 MESZ/);

    // The form shows the stored times in Berlin time again.
    const edit = await visitor.get('/treffen/sommertreffen-2030-07-16/bearbeiten');
    assert.match(edit.body, /name="start_date" type="date" value="2030-07-16"/);
    assert.match(edit.body, /name="start_time" type="time" value="18:00"/);
    assert.match(edit.body, /name="end_date" type="date" value="2030-07-17"/);
  });

  it('returns a broken form with 422, German messages at each field and everything typed', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'admin');
    await visitor.get('/treffen/neu');
    const before = await countRows(db(t), 'meetings');
    const res = await visitor.post('/treffen/neu', meetingForm({
      title: 'Falsch herum', start_date: '2030-05-05', start_time: '18:00', end_time: '17:00', address: '',
      closes_date: '2030-05-06', format: 'in_person',
    }));
    assert.equal(res.statusCode, 422);
    assert.deepEqual(errorMessages(res.body), [
      'Das Ende muss nach dem Beginn liegen.',
      'Bitte geben Sie die Adresse an; das Treffen findet (auch) vor Ort statt.',
      'Der Anmeldeschluss darf nicht nach dem Beginn des Treffens liegen.',
    ]);
    assert.match(res.body, /<a href="#f-end_time">Das Ende muss nach dem Beginn liegen\.<\/a>/);
    assert.match(res.body, /id="f-end_time" name="end_time" type="time" value="17:00"[^>]*aria-invalid="true" aria-describedby="f-end_time-hint f-end_time-error"/);
    assert.match(res.body, /name="title" type="text" value="Falsch herum"/);
    assert.equal(await countRows(db(t), 'meetings'), before, 'nothing stored');

    const online = await visitor.post('/treffen/neu', meetingForm({ format: 'hybrid', online_url: 'http://unsicher.example', capacity_online: '0' }));
    assert.equal(online.statusCode, 422);
    assert.deepEqual(errorMessages(online.body), ['Der Link muss mit https:// beginnen.', 'Bitte geben Sie die Zahl der Plätze als ganze Zahl ab 1 an.']);

    const missing = await visitor.post('/treffen/neu', meetingForm({ title: '', start_date: '15.01.2030', format: 'online', online_url: '', capacity_online: '' }));
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(errorMessages(missing.body), ['Bitte füllen Sie „Titel“ aus.', 'Bitte geben Sie ein gültiges Datum an, zum Beispiel 10.03.2026.']);
    const missing2 = await visitor.post('/treffen/neu', meetingForm({ format: 'online', online_url: '', capacity_online: '', opens_date: '2030-01-01', closes_date: '2029-12-31', start_date: '2030-02-01' }));
    assert.deepEqual(errorMessages(missing2.body), [
      'Bitte geben Sie den Link zur Videokonferenz an; das Treffen findet (auch) online statt.',
      'Bitte geben Sie „Plätze online“ an.',
      'Die Anmeldung muss vor dem Anmeldeschluss öffnen.',
    ]);
    assert.equal(await countRows(db(t), 'meetings'), before);
  });

  it('lets only organisers create and edit meetings', async () => {
    const { visitor } = await signedIn(t.app, db(t), 'member');
    assert.equal((await visitor.get('/treffen/neu')).statusCode, 403);
    await visitor.get('/treffen');
    assert.equal((await visitor.post('/treffen/neu', meetingForm())).statusCode, 403);
    const anonymous = await new Visitor(t.app).get('/treffen/neu');
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, '/anmelden?weiter=%2Ftreffen%2Fneu');
    assert.doesNotMatch((await visitor.get('/treffen')).body, /href="\/treffen\/neu"/);
  });

  it('tells everyone registered or waiting when time or place change, once per change, with a fresh calendar entry for the registered', async () => {
    const org = await organiser(db(t));
    const m = await makeMeeting(db(t), org, { title: 'Wird verlegt', capacity_onsite: '1' });
    const [anna, bert] = [await person(t, 'Anna'), await person(t, 'Bert')];
    await registerForMeeting(deps(t), anna, m.slug);
    await registerForMeeting(deps(t), bert, m.slug);
    const { visitor } = await signedIn(t.app, db(t), 'moderator');

    // A new title alone is no reason to write.
    await visitor.get(`/treffen/${m.slug}/bearbeiten`);
    const renamed = await visitor.post(`/treffen/${m.slug}/bearbeiten`, meetingForm({ title: 'Wird verlegt!', capacity_onsite: '1' }));
    assert.equal(renamed.statusCode, 303);
    assert.equal((await meetingRow(t, m.slug)).sequence, 1);
    assert.equal((await mailsTo(db(t), anna.email)).length, 1, 'only the confirmation so far');

    // Another room: both are told; sending the same form again changes nothing and mails nobody.
    const moved = meetingForm({ title: 'Wird verlegt!', capacity_onsite: '1', address: 'Rathaus Siegen, Markt 2, 57072 Siegen, Saal 1' });
    await visitor.get(`/treffen/${m.slug}/bearbeiten`);
    const saved = await visitor.post(`/treffen/${m.slug}/bearbeiten`, moved);
    assert.equal(saved.statusCode, 303);
    assert.match(pageText((await visitor.get(`/treffen/${m.slug}`)).body), /Die Änderungen sind gespeichert\. 2 angemeldete Personen erhalten eine E-Mail mit den neuen Angaben\./);
    await visitor.get(`/treffen/${m.slug}/bearbeiten`);
    await visitor.post(`/treffen/${m.slug}/bearbeiten`, moved);
    const annaMails = await mailsTo(db(t), anna.email);
    const bertMails = await mailsTo(db(t), bert.email);
    assert.deepEqual(annaMails.map((x) => x.subject), ['Anmeldung bestätigt: Wird verlegt', 'Geändert: Wird verlegt!']);
    assert.deepEqual(bertMails.map((x) => x.subject), ['Warteliste: Wird verlegt', 'Geändert: Wird verlegt!']);
    assert.match(annaMails[1].body_text, /Ort: Rathaus Siegen, Markt 2, 57072 Siegen, Saal 1/);
    const attachments = async (id: number) => JSON.parse((await db(t).selectFrom('outbox').select('attachments').where('id', '=', id).executeTakeFirstOrThrow()).attachments) as { content: string }[];
    assert.match((await attachments(annaMails[1].id))[0].content, /SEQUENCE:2[\s\S]*LOCATION:Rathaus Siegen/);
    assert.deepEqual(await attachments(bertMails[1].id), [], 'the person waiting gets no calendar entry');
  });

  it('refuses fewer places than people registered and dropping a way of taking part someone chose; more places admit people waiting', async () => {
    const org = await organiser(db(t));
    const m = await makeMeeting(db(t), org, { title: 'Platzfrage', capacity_onsite: '2' });
    const people = [await person(t), await person(t), await person(t)];
    for (const p of people) await registerForMeeting(deps(t), p, m.slug);
    const { visitor } = await signedIn(t.app, db(t), 'moderator');
    await visitor.get(`/treffen/${m.slug}/bearbeiten`);
    const fewer = await visitor.post(`/treffen/${m.slug}/bearbeiten`, meetingForm({ title: 'Platzfrage', capacity_onsite: '1' }));
    assert.equal(fewer.statusCode, 422);
    assert.deepEqual(errorMessages(fewer.body), ['Es sind schon 2 Personen angemeldet; weniger Plätze sind nicht möglich.']);
    const online = await visitor.post(`/treffen/${m.slug}/bearbeiten`, meetingForm({ title: 'Platzfrage', format: 'online', online_url: 'https://k.example/x', capacity_online: '5' }));
    assert.equal(online.statusCode, 422);
    assert.deepEqual(errorMessages(online.body), ['Für die Teilnahme vor Ort sind schon 3 Personen angemeldet oder auf der Warteliste; sie kann nicht wegfallen.']);
    assert.equal((await meetingRow(t, m.slug)).sequence, 0, 'nothing changed');

    const more = await visitor.post(`/treffen/${m.slug}/bearbeiten`, meetingForm({ title: 'Platzfrage', capacity_onsite: '3' }));
    assert.equal(more.statusCode, 303);
    const statuses = await db(t).selectFrom('meeting_registrations').select('status').where('meeting_id', '=', m.id).execute();
    assert.deepEqual(statuses.map((s) => s.status), ['registered', 'registered', 'registered']);
    assert.deepEqual((await mailsTo(db(t), people[2].email)).map((x) => x.subject), ['Warteliste: Platzfrage', 'Ein Platz ist frei geworden: Platzfrage']);
  });

  it('cancels a meeting: everyone registered or waiting is mailed once with the reason; it cannot be cancelled twice', async () => {
    const org = await organiser(db(t));
    const m = await makeMeeting(db(t), org, { title: 'Fällt leider aus', capacity_onsite: '1' });
    const [anna, bert] = [await person(t, 'Anna'), await person(t, 'Bert')];
    await registerForMeeting(deps(t), anna, m.slug);
    await registerForMeeting(deps(t), bert, m.slug);
    const { visitor } = await signedIn(t.app, db(t), 'admin');
    const confirm = await visitor.get(`/treffen/${m.slug}/absagen`);
    assert.equal(confirm.statusCode, 200);
    assert.match(pageText(confirm.body), /2 angemeldete oder wartende Personen erhalten eine E-Mail\./);
    const res = await visitor.post(`/treffen/${m.slug}/absagen`, { reason: 'Die Referentin ist erkrankt.', confirm: '1' });
    assert.equal(res.statusCode, 303);
    const page = pageText((await visitor.get(`/treffen/${m.slug}`)).body);
    assert.match(page, /Das Treffen ist abgesagt\. 2 Personen werden per E-Mail benachrichtigt\./);
    assert.match(page, /abgesagt .*Dieses Treffen ist abgesagt\. Die Referentin ist erkrankt\./);
    assert.equal((await meetingRow(t, m.slug)).status, 'cancelled');
    for (const p of [anna, bert]) {
      const last = (await mailsTo(db(t), p.email)).at(-1)!;
      assert.equal(last.subject, 'Abgesagt: Fällt leider aus');
      assert.match(last.body_text, /ist abgesagt\.[\s\S]*Begründung:\nDie Referentin ist erkrankt\./);
    }

    await visitor.get(`/treffen/${m.slug}/absagen`);
    const again = await visitor.post(`/treffen/${m.slug}/absagen`, { reason: 'Noch einmal', confirm: '1' });
    assert.equal(again.statusCode, 422);
    assert.deepEqual(errorMessages(again.body), ['Das Treffen ist bereits abgesagt.']);
    assert.equal(await countRows(db(t), 'outbox', { subject: 'Abgesagt: Fällt leider aus' }), 2, 'each person was mailed once');
    await visitor.get(`/treffen/${m.slug}`);
    assert.equal((await visitor.post(`/treffen/${m.slug}/bearbeiten`, meetingForm())).statusCode, 422, 'a cancelled meeting is not edited');
  });

  it('lists upcoming meetings soonest first and past ones; members-only meetings only for members', async () => {
    const fresh = await startTestApp();
    try {
      await completeSetup(db(fresh));
      const org = await organiser(db(fresh));
      await makeMeeting(db(fresh), org, { title: 'Später', start_date: '2030-09-01' });
      await makeMeeting(db(fresh), org, { title: 'Früher', start_date: '2030-08-01' });
      await makeMeeting(db(fresh), org, { title: 'Intern', start_date: '2030-08-15', visibility: 'members' });
      const past = await makeMeeting(db(fresh), org, { title: 'Vorbei' });
      await shiftMeeting(db(fresh), past.slug, { starts_at: hoursFromNow(-50), ends_at: hoursFromNow(-48) });
      const titles = (html: string, section: string) => {
        const part = html.slice(html.indexOf(`id="${section}"`));
        return [...part.slice(0, part.indexOf('</section>')).matchAll(/<h3><a href="[^"]+">([^<]+)<\/a><\/h3>/g)].map((x) => x[1]);
      };
      const anonymous = await new Visitor(fresh.app).get('/treffen');
      assert.equal(anonymous.statusCode, 200);
      assert.deepEqual(titles(anonymous.body, 'upcoming'), ['Früher', 'Später']);
      assert.deepEqual(titles(anonymous.body, 'past'), ['Vorbei']);
      assert.match(pageText(anonymous.body), /Vergangene Treffen Vorbei stattgefunden/);
      const { visitor } = await signedIn(fresh.app, db(fresh));
      assert.deepEqual(titles((await visitor.get('/treffen')).body, 'upcoming'), ['Früher', 'Intern', 'Später']);

      const intern = (await db(fresh).selectFrom('meetings').select('slug').where('title', '=', 'Intern').executeTakeFirstOrThrow()).slug;
      const hidden = await new Visitor(fresh.app).get(`/treffen/${intern}`);
      assert.equal(hidden.statusCode, 303);
      assert.equal(hidden.headers.location, `/anmelden?weiter=${encodeURIComponent(`/treffen/${intern}`)}`);
      assert.equal((await visitor.get(`/treffen/${intern}`)).statusCode, 200);
      assert.match((await visitor.get('/treffen')).body, /<a href="\/treffen" aria-current="page">Treffen<\/a>/, 'the main navigation leads to the meetings');
    } finally {
      await fresh.close();
    }
  });

  it('names every state, form, way of taking part and visibility in German and English', () => {
    const labels = (lang: 'de' | 'en', key: string) => translatorFor(lang)(key);
    const keys = [
      ...['planned', 'registration_open', 'full', 'closed', 'held', 'cancelled'].map((s) => `meetings.states.${s}`),
      ...FORMATS.map((f) => `meetings.formats.${f}`), ...MODES.map((m) => `meetings.modes.${m}`), ...MODES.map((m) => `meetings.errors.modeInUse.${m}`),
      ...VISIBILITIES.map((v) => `meetings.visibilities.${v}`), ...['registered', 'waiting'].map((s) => `meetings.registrationStatus.${s}`),
      ...Object.keys(meetingLabels({ t: translatorFor('de') })).map((f) => `meetings.fields.${f}`),
    ];
    for (const key of keys) for (const lang of ['de', 'en'] as const) assert.notEqual(labels(lang, key), key, `${lang}: ${key}`);
  });

  it('derives the state a person sees from time and counts', () => {
    const base = {
      id: 1, slug: 's', title: 'T', description: '', series: null, format: 'hybrid', address: 'a', online_url: 'https://x.example',
      capacity_onsite: 2, capacity_online: 1, visibility: 'public', status: 'planned', cancel_reason: '', minutes: '', sequence: 0,
      created_by: null, created_at: '2030-01-01T00:00:00.000Z', updated_at: '2030-01-01T00:00:00.000Z',
      starts_at: '2030-03-10T17:00:00.000Z', ends_at: '2030-03-10T19:00:00.000Z', registration_opens_at: '2030-02-01T00:00:00.000Z', registration_closes_at: '2030-03-08T22:59:00.000Z',
    } as unknown as MeetingRow;
    const counts = (onsite: number, online: number) => ({ onsite: { registered: onsite, waiting: 0 }, online: { registered: online, waiting: 3 } });
    assert.equal(meetingState(base, counts(0, 0), '2030-01-15T00:00:00.000Z'), 'planned');
    assert.equal(meetingState(base, counts(0, 0), '2030-02-15T00:00:00.000Z'), 'registration_open');
    assert.equal(meetingState(base, counts(2, 0), '2030-02-15T00:00:00.000Z'), 'registration_open', 'online places are left');
    assert.equal(meetingState(base, counts(2, 1), '2030-02-15T00:00:00.000Z'), 'full');
    assert.equal(meetingState(base, counts(0, 0), '2030-03-09T00:00:00.000Z'), 'closed');
    assert.equal(meetingState(base, counts(0, 0), '2030-03-10T18:00:00.000Z'), 'closed', 'running');
    assert.equal(meetingState(base, counts(0, 0), '2030-03-10T19:00:00.000Z'), 'held');
    assert.equal(meetingState({ ...base, status: 'cancelled' }, counts(0, 0), '2030-02-15T00:00:00.000Z'), 'cancelled');
  });

  it('finds the next meeting of a series, skipping cancelled ones, and lists the series on each meeting page', async () => {
    const org = await organiser(db(t));
    const series = { series: 'Reihe Test' };
    const one = await makeMeeting(db(t), org, { ...series, title: 'Teil 1', start_date: '2031-01-10' });
    const two = await makeMeeting(db(t), org, { ...series, title: 'Teil 2', start_date: '2031-02-10' });
    const three = await makeMeeting(db(t), org, { ...series, title: 'Teil 3', start_date: '2031-03-10' });
    await makeMeeting(db(t), org, { series: 'Andere Reihe', title: 'Fremd', start_date: '2031-01-20' });
    assert.equal((await nextMeetingInSeries(db(t), one))?.slug, two.slug);
    await db(t).updateTable('meetings').set({ status: 'cancelled' }).where('id', '=', two.id).execute();
    assert.equal((await nextMeetingInSeries(db(t), one))?.slug, three.slug);
    assert.equal(await nextMeetingInSeries(db(t), three), undefined);
    assert.equal(await nextMeetingInSeries(db(t), { ...one, series: null }), undefined);
    const page = pageText((await new Visitor(t.app).get(`/treffen/${three.slug}`)).body);
    assert.match(page, /Weitere Treffen der Reihe „Reihe Test“ Teil 1 – .*Teil 2 – .*Teil 3 – /);
  });

  it('shows the sections other parts of the platform add, after the description', async () => {
    const org = await organiser(db(t));
    const m = await makeMeeting(db(t), org, { title: 'Mit Abschnitt' });
    addMeetingSection(async ({ meeting, viewer, lang }) =>
      meeting.slug === m.slug ? h('section', { id: 'probe' }, `Abschnitt für ${meeting.title} (${viewer ? viewer.name : 'Gast'}, ${lang})`) : null);
    const html = (await new Visitor(t.app).get(`/treffen/${m.slug}`)).body;
    assert.match(html, /<section id="probe">Abschnitt für Mit Abschnitt \(Gast, de\)<\/section>/);
    assert.ok(html.indexOf('id="about"') < html.indexOf('id="probe"'), 'after the description');
    const other = await makeMeeting(db(t), org, { title: 'Ohne Abschnitt' });
    assert.doesNotMatch((await new Visitor(t.app).get(`/treffen/${other.slug}`)).body, /id="probe"/);
  });
});
