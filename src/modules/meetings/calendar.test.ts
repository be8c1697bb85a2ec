import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import { startTestApp, type TestApp } from '../../../test/support/harness.js';
import { Visitor } from '../../../test/support/client.js';
import { completeSetup, signedIn } from '../../../test/support/factories.js';
import { mailsTo } from '../../../test/support/members.js';
import { makeMeeting, meetingForm, organiser } from '../../../test/support/meetings.js';
import type { CurrentUser } from '../../platform/policy.js';
import { cancelMeeting, parseMeeting, updateMeeting, type MeetingDeps } from './service.js';

const db = (t: TestApp) => t.database.db;
const deps = (t: TestApp): MeetingDeps => ({ db: db(t), config: t.config });

interface ParsedEvent {
  uid: string;
  sequence: number;
  summary: string;
  location: string;
  description: string;
  url: string;
  status: string;
  tzid: string;
  /** DTSTART as written, local to its zone: 2030-01-15T18:00:00 */
  localStart: string;
  startUtc: string;
  endUtc: string;
}

/** Parses iCalendar text with ical.js, registering its time zones, as a calendar client does. */
function parseCalendar(text: string): { calendar: ICAL.Component; events: ParsedEvent[]; zones: string[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const zones = calendar.getAllSubcomponents('vtimezone').map((z) => {
    ICAL.TimezoneService.register(z);
    return String(z.getFirstPropertyValue('tzid'));
  });
  const events = calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    const start = vevent.getFirstProperty('dtstart')!;
    return {
      uid: event.uid,
      sequence: event.sequence,
      summary: event.summary,
      location: event.location ?? '',
      description: event.description ?? '',
      url: String(vevent.getFirstPropertyValue('url') ?? ''),
      status: String(vevent.getFirstPropertyValue('status') ?? ''),
      tzid: String(start.getParameter('tzid') ?? ''),
      localStart: event.startDate.toString(),
      startUtc: event.startDate.toJSDate().toISOString(),
      endUtc: event.endDate.toJSDate().toISOString(),
    };
  });
  return { calendar, events, zones };
}

describe('calendar', () => {
  let t: TestApp;
  let org: CurrentUser;
  before(async () => {
    t = await startTestApp();
    await completeSetup(db(t));
    org = await organiser(db(t));
  });
  after(() => t.close());

  it('publishes every public meeting in a subscribable feed, in Europe/Berlin time with its time zone, URL and place', async () => {
    const winter = await makeMeeting(db(t), org, { title: 'Winterrunde', start_date: '2030-01-15', start_time: '18:00', end_time: '20:30' });
    const summer = await makeMeeting(db(t), org, {
      title: 'Sommerrunde online', start_date: '2030-07-15', start_time: '18:00', end_time: '19:00', format: 'online', address: '',
      online_url: 'https://konferenz.example/sommer-geheim', capacity_online: '80', capacity_onsite: '',
    });
    const hidden = await makeMeeting(db(t), org, { title: 'Nur für Mitglieder', visibility: 'members', start_date: '2030-02-01' });

    const res = await new Visitor(t.app).get('/treffen/kalender.ics');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/calendar; charset=utf-8/);
    const { calendar, events, zones } = parseCalendar(res.body);
    assert.equal(calendar.getFirstPropertyValue('version'), '2.0');
    assert.match(String(calendar.getFirstPropertyValue('x-wr-calname')), /Treffen der KI-Community Südwestfalen/);
    assert.ok(calendar.getFirstPropertyValue('refresh-interval'), 'tells subscribers how often to refresh');
    assert.deepEqual(zones, ['Europe/Berlin'], 'carries the VTIMEZONE of Europe/Berlin');

    const titles = events.map((e) => e.summary);
    assert.ok(titles.includes('Winterrunde') && titles.includes('Sommerrunde online'));
    assert.ok(!titles.includes('Nur für Mitglieder'), 'a members-only meeting stays out of the public feed');
    assert.equal(hidden.visibility, 'members');

    const w = events.find((e) => e.summary === 'Winterrunde')!;
    assert.equal(w.tzid, 'Europe/Berlin');
    assert.equal(w.localStart, '2030-01-15T18:00:00');
    assert.equal(w.startUtc, '2030-01-15T17:00:00.000Z', 'winter time: one hour ahead of UTC');
    assert.equal(w.endUtc, '2030-01-15T19:30:00.000Z');
    assert.equal(w.uid, `meeting-${winter.id}@localhost`);
    assert.equal(w.sequence, 0);
    assert.equal(w.url, `http://localhost:3000/treffen/${winter.slug}`);
    assert.equal(w.location, 'Kreishaus Olpe, Westfälische Straße 75, 57462 Olpe');
    assert.equal(w.status, 'CONFIRMED');
    assert.match(w.description, /Wir sprechen über \*\*Chatbots\*\* im Bürgerbüro\./);

    const s = events.find((e) => e.summary === 'Sommerrunde online')!;
    assert.equal(s.localStart, '2030-07-15T18:00:00');
    assert.equal(s.startUtc, '2030-07-15T16:00:00.000Z', 'summer time: two hours ahead of UTC');
    assert.equal(s.location, 'online');
    assert.match(s.description, /Online-Zugang: Der Link wird angemeldeten Personen angezeigt\./);
    assert.doesNotMatch(res.body, /sommer-geheim/, 'the online link is never in the public feed');
    assert.equal(summer.online_url, 'https://konferenz.example/sommer-geheim');
  });

  it('raises SEQUENCE on every change and keeps the UID, so calendar clients replace their copy; a cancellation is marked', async () => {
    const m = await makeMeeting(db(t), org, { title: 'Wird verschoben', start_date: '2030-03-03' });
    const feed = async () => parseCalendar((await new Visitor(t.app).get('/treffen/kalender.ics')).body).events.find((e) => e.uid === `meeting-${m.id}@localhost`)!;
    const before = await feed();
    assert.equal(before.sequence, 0);

    await updateMeeting(deps(t), org, m.slug, parseMeeting(meetingForm({ title: 'Wird verschoben', start_date: '2030-03-04', start_time: '17:00', end_time: '19:00' }), {}));
    const moved = await feed();
    assert.equal(moved.sequence, 1);
    assert.equal(moved.uid, before.uid);
    assert.equal(moved.localStart, '2030-03-04T17:00:00');

    await updateMeeting(deps(t), org, m.slug, parseMeeting(meetingForm({ title: 'Verschoben und umbenannt', start_date: '2030-03-04', start_time: '17:00', end_time: '19:00' }), {}));
    assert.equal((await feed()).sequence, 2);

    await cancelMeeting(deps(t), org, m.slug, 'Krankheit', true);
    const cancelled = await feed();
    assert.equal(cancelled.sequence, 3);
    assert.equal(cancelled.status, 'CANCELLED');
    assert.equal(cancelled.summary, 'Abgesagt: Verschoben und umbenannt');
  });

  it('gives each meeting its own .ics; the online link only to people registered and to organisers', async () => {
    const m = await makeMeeting(db(t), org, { title: 'Hybride Runde', format: 'hybrid', online_url: 'https://konferenz.example/hybrid-9', capacity_online: '30' });
    const anonymous = await new Visitor(t.app).get(`/treffen/${m.slug}/kalender.ics`);
    assert.equal(anonymous.statusCode, 200);
    assert.match(String(anonymous.headers['content-disposition']), new RegExp(`attachment; filename="${m.slug}\\.ics"`));
    const [forAnyone] = parseCalendar(anonymous.body).events;
    assert.equal(forAnyone.summary, 'Hybride Runde');
    assert.equal(forAnyone.location, 'Kreishaus Olpe, Westfälische Straße 75, 57462 Olpe');
    assert.equal(forAnyone.url, `http://localhost:3000/treffen/${m.slug}`);
    assert.doesNotMatch(anonymous.body, /hybrid-9/);

    const { visitor, user } = await signedIn(t.app, db(t));
    assert.doesNotMatch((await visitor.get(`/treffen/${m.slug}/kalender.ics`)).body, /hybrid-9/, 'not for members who are not registered');
    await visitor.get(`/treffen/${m.slug}`);
    await visitor.post(`/treffen/${m.slug}/anmelden`, { mode: 'online' });
    const [mine] = parseCalendar((await visitor.get(`/treffen/${m.slug}/kalender.ics`)).body).events;
    assert.match(mine.description, /Online-Zugang: https:\/\/konferenz\.example\/hybrid-9/);

    // The confirmation mail carries the same entry, with the link.
    const [mail] = await mailsTo(db(t), user.email);
    const stored = await db(t).selectFrom('outbox').select('attachments').where('id', '=', mail.id).executeTakeFirstOrThrow();
    const [attachment] = JSON.parse(stored.attachments) as { content: string }[];
    const [inMail] = parseCalendar(attachment.content).events;
    assert.equal(inMail.uid, `meeting-${m.id}@localhost`);
    assert.equal(inMail.tzid, 'Europe/Berlin');
    assert.match(inMail.description, /hybrid-9/);

    const moderator = await signedIn(t.app, db(t), 'moderator');
    assert.match((await moderator.visitor.get(`/treffen/${m.slug}/kalender.ics`)).body, /hybrid-9/);
  });

  it('announces the feed in the head of every page that lists meetings', async () => {
    const m = await makeMeeting(db(t), org, { title: 'Mit Kopfzeile' });
    const link = /<link rel="alternate" type="text\/calendar" href="\/treffen\/kalender\.ics" title="Treffen der KI-Community Südwestfalen"\/>/;
    for (const path of ['/', '/treffen', `/treffen/${m.slug}`]) {
      const res = await new Visitor(t.app).get(path);
      const head = res.body.slice(0, res.body.indexOf('</head>'));
      assert.match(head, link, path);
    }
    // The home page lists the next meetings; the list offers the feed to subscribe to.
    assert.match((await new Visitor(t.app).get('/')).body, new RegExp(`<h2 id="next-meetings">Nächste Treffen</h2>[\\s\\S]*<a href="/treffen/${m.slug}">Mit Kopfzeile</a>`));
    const list = (await new Visitor(t.app).get('/treffen')).body;
    assert.match(list, /<a href="webcal:\/\/localhost:3000\/treffen\/kalender\.ics">Im Kalenderprogramm abonnieren<\/a>/);
    assert.match(list, /<code>http:\/\/localhost:3000\/treffen\/kalender\.ics<\/code>/);
  });

  it('keeps members-only meetings to members: their .ics asks strangers to sign in', async () => {
    const m = await makeMeeting(db(t), org, { title: 'Interne Runde', visibility: 'members' });
    const res = await new Visitor(t.app).get(`/treffen/${m.slug}/kalender.ics`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/anmelden?weiter=${encodeURIComponent(`/treffen/${m.slug}/kalender.ics`)}`);
    const { visitor } = await signedIn(t.app, db(t));
    assert.equal((await visitor.get(`/treffen/${m.slug}/kalender.ics`)).statusCode, 200);
  });
});
