import { fileTypeFromBuffer } from 'file-type';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { recordAudit } from '../../platform/audit.js';
import { nowIso } from '../../platform/clock.js';
import { ConfirmationRequired } from '../../platform/confirmation.js';
import type { Config } from '../../platform/config.js';
import type { Db, Tx } from '../../platform/db/database.js';
import type { AttendanceMode, MeetingFormat } from '../../platform/db/schema.js';
import { AppError, forbidden, FormError, isUniqueViolation, notFound, signInRequired } from '../../platform/errors.js';
import { optionalText, parseForm, text } from '../../platform/forms.js';
import { perLanguage, translatorFor, type Lang } from '../../platform/i18n/index.js';
import { enqueueMail, mailText, type MailAttachment } from '../../platform/mail/outbox.js';
import { can, type Visitor } from '../../platform/policy.js';
import { insertWithFreeSlug, slugify } from '../../platform/slug.js';
import { solutionFor } from '../catalogue/service.js';
import { notify, notifyAllMembers, onceForOccasion, staffIds } from '../notifications/service.js';
import { meetingCalendar } from './calendar.js';
import './policy.js';
import * as q from './queries.js';
import type { Counts, MeetingRow } from './queries.js';

export type { MeetingRow } from './queries.js';

export interface MeetingDeps {
  db: Db;
  config: Pick<Config, 'baseUrl' | 'communityName'>;
}

/** Meetings are entered and shown in the community's time zone. */
export const ZONE = 'Europe/Berlin';

export const FORMATS = ['in_person', 'online', 'hybrid'] as const;
export const MODES = ['onsite', 'online'] as const;
export const VISIBILITIES = ['public', 'members'] as const;

export type MeetingState = 'planned' | 'registration_open' | 'full' | 'closed' | 'held' | 'cancelled';

// ---------------------------------------------------------------------------------------------------
// Contract for other parts of the platform (topics and agenda)

export const findMeetingBySlug = (db: Db | Tx, slug: string): Promise<MeetingRow | undefined> => q.findMeetingBySlug(db, slug);

/** The next meeting of the same series (by start), not cancelled; undefined when there is none. */
export const nextMeetingInSeries = (db: Db | Tx, meeting: Pick<MeetingRow, 'id' | 'series' | 'starts_at'>): Promise<MeetingRow | undefined> =>
  q.nextInSeries(db, meeting);

// ---------------------------------------------------------------------------------------------------
// What follows from a meeting's data

/** The ways of taking part a meeting offers. */
export function modesOf(m: Pick<MeetingRow, 'format'>): AttendanceMode[] {
  return m.format === 'hybrid' ? ['onsite', 'online'] : m.format === 'online' ? ['online'] : ['onsite'];
}

export function capacityOf(m: Pick<MeetingRow, 'capacity_onsite' | 'capacity_online'>, mode: AttendanceMode): number {
  return (mode === 'onsite' ? m.capacity_onsite : m.capacity_online) ?? 0;
}

export function freePlaces(m: MeetingRow, counts: Counts, mode: AttendanceMode): number {
  return Math.max(0, capacityOf(m, mode) - counts[mode].registered);
}

/** Registration ends at the deadline, or when the meeting starts if there is none. */
export function registrationClosesAt(m: Pick<MeetingRow, 'registration_closes_at' | 'starts_at'>): string {
  return m.registration_closes_at ?? m.starts_at;
}

/** The state a person sees: stored (cancelled) or following from the time and the counts. */
export function meetingState(m: MeetingRow, counts: Counts, now = nowIso()): MeetingState {
  if (m.status === 'cancelled') return 'cancelled';
  if (now >= m.ends_at) return 'held';
  if (now >= registrationClosesAt(m)) return 'closed';
  if (m.registration_opens_at && now < m.registration_opens_at) return 'planned';
  if (modesOf(m).every((mode) => freePlaces(m, counts, mode) === 0)) return 'full';
  return 'registration_open';
}

/** "Di., 10.03.2026, 18:00–20:30 Uhr MEZ": date with year, times and time zone, in Europe/Berlin. */
const meetingTimeFormat = perLanguage((locale) => new Intl.DateTimeFormat(locale, {
  timeZone: ZONE, weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
}));

export function formatMeetingTime(m: Pick<MeetingRow, 'starts_at' | 'ends_at'>, lang: Lang): string {
  return meetingTimeFormat(lang).formatRange(new Date(m.starts_at), new Date(m.ends_at));
}

export function meetingUrl(deps: MeetingDeps, m: Pick<MeetingRow, 'slug'>): string {
  return `${deps.config.baseUrl}/treffen/${m.slug}`;
}

// ---------------------------------------------------------------------------------------------------
// The organiser's form

const localDate = () => z.string().trim().refine((v) => v === '' || isLocalDate(v), { message: 'meetings.errors.date' });
const localTime = () => z.string().trim().refine((v) => v === '' || /^([01]\d|2[0-3]):[0-5]\d$/.test(v), { message: 'meetings.errors.time' });
const places = () => z.string().trim().refine((v) => v === '' || (/^\d{1,5}$/.test(v) && Number(v) >= 1), { message: 'meetings.errors.capacity' })
  .transform((v) => (v === '' ? null : Number(v)));

function isLocalDate(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v, { zone: ZONE }).isValid;
}

export const meetingSchema = z.object({
  title: text(150),
  description: optionalText(20_000),
  series: optionalText(100).transform((v) => v || null),
  start_date: localDate().refine((v) => v !== '', { message: 'validation.required' }),
  start_time: localTime().refine((v) => v !== '', { message: 'validation.required' }),
  end_date: localDate(),
  end_time: localTime().refine((v) => v !== '', { message: 'validation.required' }),
  format: z.enum(FORMATS),
  address: optionalText(500),
  online_url: z.string().trim().max(500).refine((v) => v === '' || /^https:\/\/[^\s<>"]+$/.test(v), { message: 'meetings.errors.url' }),
  capacity_onsite: places(),
  capacity_online: places(),
  opens_date: localDate(),
  opens_time: localTime(),
  closes_date: localDate(),
  closes_time: localTime(),
  visibility: z.enum(VISIBILITIES),
});

export const MEETING_FIELDS = Object.keys(meetingSchema.shape) as (keyof typeof meetingSchema.shape)[];

export interface MeetingInput {
  title: string;
  description: string;
  series: string | null;
  starts_at: string;
  ends_at: string;
  format: MeetingFormat;
  address: string;
  online_url: string;
  capacity_onsite: number | null;
  capacity_online: number | null;
  registration_opens_at: string | null;
  registration_closes_at: string | null;
  visibility: 'public' | 'members';
}

/** A local date and time in Europe/Berlin as stored: ISO in UTC. */
export function localToUtc(date: string, time: string): string {
  return DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toUTC().toISO({ suppressMilliseconds: false })!;
}

/** The local date and time in Europe/Berlin of a stored instant, for the form. */
export function utcToLocal(iso: string | null): { date: string; time: string } {
  if (!iso) return { date: '', time: '' };
  const local = DateTime.fromISO(iso, { zone: 'utc' }).setZone(ZONE);
  return { date: local.toFormat('yyyy-LL-dd'), time: local.toFormat('HH:mm') };
}

/** Validates the organiser's form: each broken rule is named at its field, in German. */
export function parseMeeting(values: Record<string, string>, labels: Record<string, string>): MeetingInput {
  const complete = Object.fromEntries(MEETING_FIELDS.map((f) => [f, (values[f] ?? '').replace(/\r\n?/g, '\n')]));
  const data = parseForm(meetingSchema, complete, labels);
  const errors: Record<string, { key: string; vars?: Record<string, unknown> }> = {};
  const starts = localToUtc(data.start_date, data.start_time);
  const ends = localToUtc(data.end_date || data.start_date, data.end_time);
  if (ends <= starts) errors.end_time = { key: 'meetings.errors.endBeforeStart' };
  const usesOnsite = data.format !== 'online';
  const usesOnline = data.format !== 'in_person';
  if (usesOnsite && !data.address) errors.address = { key: 'meetings.errors.addressRequired' };
  if (usesOnline && !data.online_url) errors.online_url = { key: 'meetings.errors.urlRequired' };
  if (usesOnsite && data.capacity_onsite === null) errors.capacity_onsite = { key: 'meetings.errors.capacityRequired', vars: { field: labels.capacity_onsite } };
  if (usesOnline && data.capacity_online === null) errors.capacity_online = { key: 'meetings.errors.capacityRequired', vars: { field: labels.capacity_online } };
  if (data.opens_time && !data.opens_date) errors.opens_date = { key: 'meetings.errors.dateMissing' };
  if (data.closes_time && !data.closes_date) errors.closes_date = { key: 'meetings.errors.dateMissing' };
  // A day without a time: registration opens at the start of that day and closes at its end.
  const opens = data.opens_date ? localToUtc(data.opens_date, data.opens_time || '00:00') : null;
  const closes = data.closes_date ? localToUtc(data.closes_date, data.closes_time || '23:59') : null;
  if (closes && closes > starts) errors.closes_date = { key: 'meetings.errors.deadlineAfterStart' };
  if (opens && opens >= (closes ?? starts)) errors.opens_date = { key: closes ? 'meetings.errors.opensAfterDeadline' : 'meetings.errors.opensAfterStart' };
  if (Object.keys(errors).length) throw new FormError(errors);
  return {
    title: data.title,
    description: data.description,
    series: data.series,
    starts_at: starts,
    ends_at: ends,
    format: data.format,
    address: usesOnsite ? data.address : '',
    online_url: usesOnline ? data.online_url : '',
    capacity_onsite: usesOnsite ? data.capacity_onsite : null,
    capacity_online: usesOnline ? data.capacity_online : null,
    registration_opens_at: opens,
    registration_closes_at: closes,
    visibility: data.visibility,
  };
}

/** The form values of a stored meeting. */
export function meetingFormValues(m: MeetingRow): Record<string, string> {
  const start = utcToLocal(m.starts_at);
  const end = utcToLocal(m.ends_at);
  const opens = utcToLocal(m.registration_opens_at);
  const closes = utcToLocal(m.registration_closes_at);
  return {
    title: m.title, description: m.description, series: m.series ?? '',
    start_date: start.date, start_time: start.time, end_date: end.date === start.date ? '' : end.date, end_time: end.time,
    format: m.format, address: m.address, online_url: m.online_url,
    capacity_onsite: m.capacity_onsite === null ? '' : String(m.capacity_onsite),
    capacity_online: m.capacity_online === null ? '' : String(m.capacity_online),
    opens_date: opens.date, opens_time: opens.time, closes_date: closes.date, closes_time: closes.time,
    visibility: m.visibility,
  };
}

/** Paths under /treffen/ that are pages, not meetings. */
const RESERVED_SLUGS = new Set(['neu', 'kalender']);


function requireOrganiser(viewer: Visitor): asserts viewer is NonNullable<Visitor> {
  if (!viewer) throw signInRequired();
  if (!can(viewer, 'meeting.organise')) throw forbidden();
}

export async function createMeeting(db: Db, viewer: Visitor, input: MeetingInput): Promise<{ id: number; slug: string }> {
  requireOrganiser(viewer);
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    // The slug from title and day, numbered when taken (also by a simultaneous creation).
    const row = await insertWithFreeSlug(trx, 'meetings', slugify(`${input.title} ${input.starts_at.slice(0, 10)}`, 'treffen').slice(0, 76), (slug) => ({
      ...input, slug, status: 'planned' as const, cancel_reason: '', minutes: '', sequence: 0, created_by: viewer.id, created_at: now, updated_at: now,
    }), RESERVED_SLUGS);
    const { slug } = row;
    await recordAudit(trx, { actorId: viewer.id, action: 'meeting.created', targetType: 'meeting', targetId: row.id, details: { title: input.title } });
    // The members hear of it while they can still register (the mail follows each person's settings).
    if (now < registrationClosesAt(input)) {
      const later = input.registration_opens_at !== null && now < input.registration_opens_at;
      await notifyAllMembers(trx, {
        exceptUserIds: [viewer.id], kind: 'meeting', url: `/treffen/${slug}`, dedupeKey: `meeting-announced:${row.id}`,
        messageKey: later ? 'notifications.messages.meetingAnnouncedLater' : 'notifications.messages.meetingAnnounced',
        // Instants, written in each reader's language when the notification is shown or mailed.
        params: { title: input.title, date: input.starts_at, opens: later ? input.registration_opens_at! : '' },
      });
    }
    return row;
  });
}

/** The fields whose change the people registered are told about (with a fresh calendar entry). */
const NOTIFIED_FIELDS = ['starts_at', 'ends_at', 'format', 'address', 'online_url'] as const;

/**
 * Saves an organiser's edit and raises the sequence. Capacities may not drop below the places already
 * taken; a raised capacity lets people in from the waiting list. A change of time or place is mailed
 * to everyone registered or waiting.
 */
export async function updateMeeting(deps: MeetingDeps, viewer: Visitor, slug: string, input: MeetingInput): Promise<{ slug: string; notified: number }> {
  requireOrganiser(viewer);
  return deps.db.transaction().execute(async (trx) => {
    const found = await q.findMeetingBySlug(trx, slug);
    if (!found) throw notFound();
    const m = (await q.lockMeeting(trx, found.id))!;
    if (m.status === 'cancelled') throw new FormError({ _: { key: 'meetings.errors.editCancelled' } });
    const counts = (await q.registrationCounts(trx, [m.id])).get(m.id)!;
    const errors: Record<string, { key: string; vars?: Record<string, unknown> }> = {};
    for (const mode of MODES) {
      const taken = counts[mode].registered + counts[mode].waiting;
      const field = mode === 'onsite' ? 'capacity_onsite' : 'capacity_online';
      if (taken > 0 && !modesOf(input).includes(mode)) errors.format = { key: `meetings.errors.modeInUse.${mode}`, vars: { count: taken } };
      else if (modesOf(input).includes(mode) && capacityOf(input, mode) < counts[mode].registered) {
        errors[field] = { key: 'meetings.errors.capacityBelowRegistered', vars: { count: counts[mode].registered } };
      }
    }
    if (Object.keys(errors).length) throw new FormError(errors);
    const now = nowIso();
    if (!(await q.updateMeeting(trx, m.id, m.sequence, { ...input, updated_at: now }))) throw new AppError('EDIT_CONFLICT', 409, 'meetings.errors.conflict');
    const updated = (await q.findMeetingBySlug(trx, slug))!;
    await recordAudit(trx, { actorId: viewer.id, action: 'meeting.updated', targetType: 'meeting', targetId: m.id, details: { sequence: updated.sequence } });
    for (const mode of modesOf(updated)) await admitFromWaitingList(deps, trx, updated, mode);
    let notified = 0;
    if (NOTIFIED_FIELDS.some((f) => m[f] !== updated[f])) {
      for (const person of await q.registrationList(trx, m.id)) {
        const t = translatorFor(person.language);
        await enqueueMail(trx, {
          to: person.email,
          subject: t('meetings.mail.changedSubject', { title: updated.title }),
          text: mailText(t, deps.config.communityName, person.name, [
            t('meetings.mail.changedBody', { title: updated.title }),
            ...meetingFacts(person.language, deps, updated, person.status === 'registered'),
            ...(person.status === 'registered' ? [t('meetings.mail.calendarAttached')] : []),
          ]),
          attachments: person.status === 'registered' ? [icsAttachment(deps, updated, true)] : [],
          dedupeKey: `meeting:${m.id}:changed:${updated.sequence}:${person.id}`,
        });
        notified++;
      }
    }
    return { slug, notified };
  });
}

/** Cancels the meeting and mails everyone registered or waiting; registrations stay for the record. */
export async function cancelMeeting(deps: MeetingDeps, viewer: Visitor, slug: string, reason: string, confirmed = false): Promise<{ notified: number }> {
  requireOrganiser(viewer);
  const note = reason.trim().slice(0, 2000);
  // The cancel page says what will happen; the box under it confirms that it was read. Without it nothing changes.
  if (!confirmed) throw new FormError({ confirm: { key: 'communityNotices.confirm.cancelMeeting.required' } });
  return deps.db.transaction().execute(async (trx) => {
    const found = await q.findMeetingBySlug(trx, slug);
    if (!found) throw notFound();
    const m = (await q.lockMeeting(trx, found.id))!;
    if (m.status === 'cancelled') throw new FormError({ _: { key: 'meetings.errors.alreadyCancelled' } });
    if (nowIso() >= m.ends_at) throw new FormError({ _: { key: 'meetings.errors.cancelHeld' } });
    await q.updateMeeting(trx, m.id, m.sequence, { status: 'cancelled', cancel_reason: note, updated_at: nowIso() });
    const cancelled = (await q.findMeetingBySlug(trx, slug))!;
    await recordAudit(trx, { actorId: viewer.id, action: 'meeting.cancelled', targetType: 'meeting', targetId: m.id, details: { reason: note } });
    const people = await q.registrationList(trx, m.id);
    for (const person of people) {
      const t = translatorFor(person.language);
      await enqueueMail(trx, {
        to: person.email,
        subject: t('meetings.mail.cancelledSubject', { title: m.title }),
        text: mailText(t, deps.config.communityName, person.name, [
          t('meetings.mail.cancelledBody', { title: m.title, when: formatMeetingTime(m, person.language) }),
          ...(note ? ['', t('meetings.mail.reason'), note] : []),
          '', meetingUrl(deps, m),
        ]),
        attachments: person.status === 'registered' ? [icsAttachment(deps, cancelled, false)] : [],
        dedupeKey: `meeting:${m.id}:cancelled:${person.id}`,
      });
    }
    return { notified: people.length };
  });
}

// ---------------------------------------------------------------------------------------------------
// Seeing meetings

/** A meeting the visitor may see; members-only meetings ask anonymous visitors to sign in. */
export async function meetingFor(db: Db | Tx, viewer: Visitor, slug: string): Promise<MeetingRow> {
  const m = await q.findMeetingBySlug(db, slug);
  if (!m) throw notFound();
  if (!can(viewer, 'meeting.view', m)) throw viewer ? forbidden() : signInRequired();
  return m;
}

export interface OwnRegistration {
  status: 'registered' | 'waiting';
  mode: AttendanceMode;
  position: number | null;
}

async function ownRegistration(db: Db | Tx, meetingId: number, viewer: Visitor): Promise<OwnRegistration | null> {
  if (!viewer) return null;
  const reg = await q.liveRegistration(db, meetingId, viewer.id);
  if (!reg) return null;
  return { status: reg.status as 'registered' | 'waiting', mode: reg.mode, position: reg.status === 'waiting' ? await q.waitingPosition(db, reg) : null };
}

/** The online link is for people registered and for the organisers. */
export function mayJoinOnline(viewer: Visitor, own: OwnRegistration | null): boolean {
  return can(viewer, 'meeting.organise') || own?.status === 'registered';
}

export async function meetingPage(db: Db, viewer: Visitor, slug: string) {
  const meeting = await meetingFor(db, viewer, slug);
  const counts = (await q.registrationCounts(db, [meeting.id])).get(meeting.id)!;
  const own = await ownRegistration(db, meeting.id, viewer);
  const materials = await visibleMaterials(db, viewer, meeting.id);
  const series = meeting.series ? (await q.meetingsInSeries(db, meeting.series)).filter((m) => can(viewer, 'meeting.view', m)) : [];
  return { meeting, counts, state: meetingState(meeting, counts), own, materials, series, showOnlineLink: mayJoinOnline(viewer, own) };
}

export type MeetingPage = Awaited<ReturnType<typeof meetingPage>>;

/** Upcoming meetings (soonest first) and past ones (latest first) the visitor may see, with free places and their own registration. */
export async function meetingList(db: Db, viewer: Visitor) {
  const visibilities: ('public' | 'members')[] = viewer ? ['public', 'members'] : ['public'];
  const now = nowIso();
  const [upcoming, past] = await Promise.all([
    q.listMeetings(db, { visibilities, from: now, limit: 100 }),
    q.listMeetings(db, { visibilities, before: now, limit: 30 }),
  ]);
  const ids = [...upcoming, ...past].map((m) => m.id);
  const counts = await q.registrationCounts(db, ids);
  const mine = new Map((viewer ? await q.registrationsOfUser(db, viewer.id, ids) : []).map((r) => [r.meeting_id, r.status as 'registered' | 'waiting']));
  const item = (m: MeetingRow) => ({ meeting: m, counts: counts.get(m.id)!, state: meetingState(m, counts.get(m.id)!, now), mine: mine.get(m.id) ?? null });
  return { upcoming: upcoming.map(item), past: past.map(item) };
}

export type MeetingListItem = Awaited<ReturnType<typeof meetingList>>['upcoming'][number];

/** The next few meetings the visitor may see, for the home page. */
export async function upcomingMeetings(db: Db, viewer: Visitor, limit = 3): Promise<MeetingListItem[]> {
  const now = nowIso();
  const meetings = (await q.listMeetings(db, { visibilities: viewer ? ['public', 'members'] : ['public'], from: now, limit: limit + 10 }))
    .filter((m) => m.status !== 'cancelled').slice(0, limit);
  const counts = await q.registrationCounts(db, meetings.map((m) => m.id));
  const mine = new Map((viewer ? await q.registrationsOfUser(db, viewer.id, meetings.map((m) => m.id)) : []).map((r) => [r.meeting_id, r.status as 'registered' | 'waiting']));
  return meetings.map((m) => ({ meeting: m, counts: counts.get(m.id)!, state: meetingState(m, counts.get(m.id)!, now), mine: mine.get(m.id) ?? null }));
}

export const seriesNames = (db: Db) => q.distinctSeries(db);

// ---------------------------------------------------------------------------------------------------
// Registration

/** The attendance mode a registration asks for: hybrid meetings need a choice, the others have one mode. */
function chosenMode(m: MeetingRow, requested: string | undefined): AttendanceMode {
  const modes = modesOf(m);
  if (modes.length === 1) return modes[0];
  if (requested === 'onsite' || requested === 'online') return requested;
  throw new FormError({ mode: { key: 'meetings.errors.chooseMode' } });
}

/**
 * Registers the visitor, or puts them on the waiting list when all places of their mode are taken.
 * The meeting's row is locked for the count and the insert, so the capacity holds with any number
 * of simultaneous registrations on any number of instances; the waiting list's order is the order
 * in which registrations got the lock.
 */
export async function registerForMeeting(deps: MeetingDeps, viewer: Visitor, slug: string, requestedMode?: string): Promise<OwnRegistration> {
  if (!viewer) throw signInRequired();
  const found = await meetingFor(deps.db, viewer, slug);
  const mode = chosenMode(found, requestedMode);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const m = (await q.lockMeeting(trx, found.id))!;
      const now = nowIso();
      if (m.status === 'cancelled') throw new FormError({ _: { key: 'meetings.errors.registerCancelled' } });
      if (now >= m.ends_at) throw new FormError({ _: { key: 'meetings.errors.registerHeld' } });
      if (now >= registrationClosesAt(m)) throw new FormError({ _: { key: 'meetings.errors.deadlinePassed' } });
      if (m.registration_opens_at && now < m.registration_opens_at) {
        throw new FormError({ _: { key: 'meetings.errors.notOpenYet', vars: { date: m.registration_opens_at } } });
      }
      const existing = await q.liveRegistration(trx, m.id, viewer.id);
      if (existing) throw new FormError({ _: { key: existing.status === 'waiting' ? 'meetings.errors.alreadyWaiting' : 'meetings.errors.alreadyRegistered' } });
      const taken = await q.countRegistered(trx, m.id, mode);
      const status = taken < capacityOf(m, mode) ? 'registered' : 'waiting';
      const { id } = await q.insertRegistration(trx, { meeting_id: m.id, user_id: viewer.id, mode, status, attended: 0, created_at: now, promoted_at: null, cancelled_at: null });
      const position = status === 'waiting' ? await q.waitingPosition(trx, { id, meeting_id: m.id, mode }) : null;
      await tellOrganisers(trx, m, viewer.id, status === 'registered' ? 'communityNotices.messages.registered' : 'communityNotices.messages.registeredWaiting',
        { name: viewer.name, organisation: viewer.organisationName, title: m.title, mode }, `meeting-registration:${id}`);
      const { language } = (await q.userById(trx, viewer.id))!;
      if (status === 'registered') {
        await mailRegistered(deps, trx, m, { id, name: viewer.name, email: viewer.email, language, mode }, 'registered');
      } else {
        const t = translatorFor(language);
        await enqueueMail(trx, {
          to: viewer.email,
          subject: t('meetings.mail.waitingSubject', { title: m.title }),
          text: mailText(t, deps.config.communityName, viewer.name, [
            t('meetings.mail.waitingBody', { title: m.title, position, mode: t(`meetings.modes.${mode}`) }),
            ...meetingFacts(language, deps, m, false),
          ]),
          dedupeKey: `meeting:${m.id}:waiting:${id}`,
        });
      }
      return { status, mode, position };
    });
  } catch (err) {
    // The database's one-live-registration rule caught a second registration that raced the first.
    if (isUniqueViolation(err)) throw new FormError({ _: { key: 'meetings.errors.alreadyRegistered' } });
    throw err;
  }
}

/** Cancels the visitor's registration; a place that becomes free goes to the first person waiting for the same mode. */
export async function cancelRegistration(deps: MeetingDeps, viewer: Visitor, slug: string): Promise<{ was: 'registered' | 'waiting' }> {
  if (!viewer) throw signInRequired();
  const found = await meetingFor(deps.db, viewer, slug);
  return deps.db.transaction().execute(async (trx) => {
    const m = (await q.lockMeeting(trx, found.id))!;
    const reg = await q.liveRegistration(trx, m.id, viewer.id);
    if (!reg) throw new FormError({ _: { key: 'meetings.errors.notRegistered' } });
    if (nowIso() >= m.starts_at && m.status !== 'cancelled') throw new FormError({ _: { key: 'meetings.errors.cancelStarted' } });
    await q.cancelRegistrationRow(trx, reg.id, nowIso());
    if (m.status !== 'cancelled') {
      await tellOrganisers(trx, m, viewer.id, 'communityNotices.messages.withdrew',
        { name: viewer.name, organisation: viewer.organisationName, title: m.title, mode: reg.mode }, `meeting-withdrawal:${reg.id}`);
    }
    if (reg.status === 'registered' && m.status !== 'cancelled') await admitFromWaitingList(deps, trx, m, reg.mode);
    return { was: reg.status as 'registered' | 'waiting' };
  });
}

/** Fills free places of a mode from its waiting list, first come first served, and mails each person let in. */
async function admitFromWaitingList(deps: MeetingDeps, trx: Tx, m: MeetingRow, mode: AttendanceMode): Promise<void> {
  if (m.status === 'cancelled' || nowIso() >= m.starts_at) return;
  let free = capacityOf(m, mode) - (await q.countRegistered(trx, m.id, mode));
  while (free > 0) {
    const next = await q.firstWaiting(trx, m.id, mode);
    if (!next) return;
    await q.promote(trx, next.id, nowIso());
    const person = (await q.userById(trx, next.user_id))!;
    await mailRegistered(deps, trx, m, { id: next.id, name: person.name, email: person.email, language: person.language, mode }, 'promoted');
    // The mail carries the calendar entry; the notification keeps it in the app too.
    await notify(trx, {
      userIds: [next.user_id], kind: 'waiting_list', messageKey: 'communityNotices.messages.promoted',
      params: { title: m.title, date: m.starts_at }, url: `/treffen/${m.slug}`, dedupeKey: `meeting-promoted:${next.id}`,
    });
    free--;
  }
}

async function mailRegistered(
  deps: MeetingDeps, trx: Tx, m: MeetingRow, person: { id: number; name: string; email: string; language: Lang; mode: AttendanceMode }, why: 'registered' | 'promoted',
) {
  const t = translatorFor(person.language);
  await enqueueMail(trx, {
    to: person.email,
    subject: t(why === 'promoted' ? 'meetings.mail.promotedSubject' : 'meetings.mail.registeredSubject', { title: m.title }),
    text: mailText(t, deps.config.communityName, person.name, [
      t(why === 'promoted' ? 'meetings.mail.promotedBody' : 'meetings.mail.registeredBody', { title: m.title, mode: t(`meetings.modes.${person.mode}`) }),
      ...meetingFacts(person.language, deps, m, true),
      t('meetings.mail.calendarAttached'),
      t('meetings.mail.cancelHint'),
    ]),
    attachments: [icsAttachment(deps, m, true)],
    dedupeKey: `meeting:${m.id}:${why}:${person.id}`,
  });
}

// ---------------------------------------------------------------------------------------------------
// Notices for the organisers and the people registered

/** Who organises a meeting: the person who created it, or, when that account is gone, every moderator and administrator. */
async function organisersOf(trx: Tx, m: Pick<MeetingRow, 'created_by'>): Promise<number[]> {
  if (m.created_by !== null) {
    const creator = await trx.selectFrom('users').select('id').where('id', '=', m.created_by).where('active', '=', 1).executeTakeFirst();
    if (creator) return [creator.id];
  }
  return staffIds(trx, ['admin', 'moderator']);
}

/** Tells the organisers about a registration or a withdrawal (a digest by default); never the person who did it. */
async function tellOrganisers(trx: Tx, m: MeetingRow, actorId: number, messageKey: string, params: Record<string, string>, dedupeKey: string) {
  const organisers = (await organisersOf(trx, m)).filter((id) => id !== actorId);
  await notify(trx, { userIds: organisers, kind: 'meeting_registrations', messageKey, params, url: `/treffen/${m.slug}/anmeldungen`, dedupeKey });
}

/** The longest message the organisers may send to the people registered and waiting. */
export const MESSAGE_MAX = 2000;

/**
 * Sends a message from the organisers to everyone registered or waiting, as a notification (mailed as each
 * person chose). Too long or empty: a clear message, nothing sent. Returns how many people it reached.
 */
export async function messageParticipants(db: Db, viewer: Visitor, slug: string, values: Record<string, string>): Promise<number> {
  requireOrganiser(viewer);
  const meeting = await meetingFor(db, viewer, slug);
  const message = (values.message ?? '').replace(/\r\n?/g, '\n').trim();
  if (!message) throw new FormError({ message: { key: 'communityNotices.errors.messageEmpty' } });
  if (message.length > MESSAGE_MAX) throw new FormError({ message: { key: 'communityNotices.errors.messageTooLong', vars: { max: MESSAGE_MAX, count: message.length } } });
  if (meeting.status === 'cancelled') throw new FormError({ message: { key: 'communityNotices.errors.messageCancelled' } });
  return db.transaction().execute(async (trx) => {
    const people = (await q.registrationList(trx, meeting.id)).map((p) => p.user_id);
    if (people.length === 0) throw new FormError({ message: { key: 'communityNotices.errors.messageNobody' } });
    const now = nowIso();
    await notify(trx, {
      userIds: people, kind: 'meeting_message', messageKey: 'communityNotices.messages.organiserMessage',
      params: { title: meeting.title, name: viewer.name, message }, url: `/treffen/${meeting.slug}`,
      // The same text sent again within the same minute (a double click) is the same message.
      dedupeKey: `meeting-message:${meeting.id}:${now.slice(0, 16)}:${message.length}:${message.slice(0, 40)}`,
    });
    return people.length;
  });
}

/** Reminders go out from this long before a meeting starts. */
export const REMINDER_HOURS = 24;

/**
 * Reminds the people registered for each meeting that starts within the next day, once per meeting (the job
 * runner calls this; safe to run twice or on several instances at once). Returns how many meetings were reminded.
 */
export async function sendMeetingReminders(db: Db, now: Date = new Date()): Promise<number> {
  const due = await db.selectFrom('meetings').select(['id', 'slug', 'title', 'starts_at'])
    .where('status', '=', 'planned').where('starts_at', '>', now.toISOString())
    .where('starts_at', '<=', new Date(now.getTime() + REMINDER_HOURS * 3600_000).toISOString()).orderBy('id').execute();
  let sent = 0;
  for (const m of due) {
    const done = await onceForOccasion(db, `meeting-reminder:${m.id}:${m.starts_at}`, async (trx) => {
      const people = (await q.registrationList(trx, m.id)).filter((p) => p.status === 'registered').map((p) => p.user_id);
      await notify(trx, {
        userIds: people, kind: 'meeting_reminder', messageKey: 'communityNotices.messages.reminder',
        params: { title: m.title, date: m.starts_at }, url: `/treffen/${m.slug}`, dedupeKey: `meeting-reminder:${m.id}:${m.starts_at}`,
      });
    });
    if (done) sent++;
  }
  return sent;
}

// ---------------------------------------------------------------------------------------------------
// The organisers' registration list

export async function registrationsFor(db: Db, viewer: Visitor, slug: string) {
  requireOrganiser(viewer);
  const meeting = await meetingFor(db, viewer, slug);
  const rows = await q.registrationList(db, meeting.id);
  const positions = new Map<AttendanceMode, number>();
  const people = rows.map((r) => {
    let position: number | null = null;
    if (r.status === 'waiting') {
      position = (positions.get(r.mode) ?? 0) + 1;
      positions.set(r.mode, position);
    }
    return { ...r, position };
  });
  const counts = (await q.registrationCounts(db, [meeting.id])).get(meeting.id)!;
  const canMarkAttendance = meeting.status !== 'cancelled' && nowIso() >= meeting.starts_at;
  return { meeting, people, counts, canMarkAttendance };
}

/** Records who attended: the ids ticked are present, every other registered person is not. */
export async function markAttendance(db: Db, viewer: Visitor, slug: string, attendedIds: number[]): Promise<number> {
  requireOrganiser(viewer);
  const meeting = await meetingFor(db, viewer, slug);
  if (meeting.status === 'cancelled') throw new FormError({ _: { key: 'meetings.errors.attendanceCancelled' } });
  if (nowIso() < meeting.starts_at) throw new FormError({ _: { key: 'meetings.errors.attendanceTooEarly' } });
  await db.transaction().execute(async (trx) => {
    await q.setAttended(trx, meeting.id, attendedIds);
    await recordAudit(trx, { actorId: viewer.id, action: 'meeting.attendance', targetType: 'meeting', targetId: meeting.id, details: { attended: attendedIds.length } });
  });
  return attendedIds.length;
}

// ---------------------------------------------------------------------------------------------------
// Calendar

/** The public feed: every public meeting from half a year back on, cancelled ones marked so. */
export async function publicCalendar(deps: MeetingDeps): Promise<string> {
  const from = new Date(Date.now() - 183 * 24 * 3600 * 1000).toISOString();
  const meetings = await q.listMeetings(deps.db, { visibilities: ['public'], from, limit: 1000 });
  return meetingCalendar(meetings, { ...deps.config, withOnlineLink: false, feed: true });
}

/** One meeting's calendar entry; the online link only for people registered and for the organisers. */
export async function meetingCalendarFor(deps: MeetingDeps, viewer: Visitor, slug: string): Promise<{ ics: string; slug: string }> {
  const meeting = await meetingFor(deps.db, viewer, slug);
  const own = await ownRegistration(deps.db, meeting.id, viewer);
  return { ics: meetingCalendar([meeting], { ...deps.config, withOnlineLink: mayJoinOnline(viewer, own), feed: false }), slug: meeting.slug };
}

function icsAttachment(deps: MeetingDeps, m: MeetingRow, withOnlineLink: boolean): MailAttachment {
  return { filename: `${m.slug}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: meetingCalendar([m], { ...deps.config, withOnlineLink, feed: false }) };
}

// ---------------------------------------------------------------------------------------------------
// Materials

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Allowed file types by extension, each with the type its content must show. */
export const FILE_TYPES: Record<string, { mime: string; detected: string | null }> = {
  pdf: { mime: 'application/pdf', detected: 'pdf' },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', detected: 'pptx' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', detected: 'docx' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', detected: 'xlsx' },
  odp: { mime: 'application/vnd.oasis.opendocument.presentation', detected: 'odp' },
  odt: { mime: 'application/vnd.oasis.opendocument.text', detected: 'odt' },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', detected: 'ods' },
  png: { mime: 'image/png', detected: 'png' },
  jpg: { mime: 'image/jpeg', detected: 'jpg' },
  jpeg: { mime: 'image/jpeg', detected: 'jpg' },
  txt: { mime: 'text/plain; charset=utf-8', detected: null },
  md: { mime: 'text/markdown; charset=utf-8', detected: null },
  csv: { mime: 'text/csv; charset=utf-8', detected: null },
};

export interface Upload {
  filename: string;
  content: Buffer;
  /** More bytes arrived than allowed; the content was cut off. */
  truncated: boolean;
}

async function materialMeeting(db: Db | Tx, viewer: Visitor, slug: string) {
  requireOrganiser(viewer);
  return meetingFor(db, viewer, slug);
}

/** The meeting whose materials the visitor may change; asked before an upload's body is read. */
export const meetingForMaterial = (db: Db, viewer: Visitor, slug: string) => materialMeeting(db, viewer, slug);

/** The type of an uploaded file, by its extension and its content; null when it is not allowed. */
export async function allowedFileType(filename: string, content: Buffer): Promise<string | null> {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
  const allowed = FILE_TYPES[ext];
  if (!allowed) return null;
  const detected = await fileTypeFromBuffer(content);
  if (allowed.detected === null) {
    // Text files have no signature: they must be UTF-8 text without control bytes, and look like nothing else.
    if (detected) return null;
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(content);
      return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? null : allowed.mime;
    } catch {
      return null;
    }
  }
  return detected?.ext === allowed.detected ? allowed.mime : null;
}

const materialTitle = () => z.string().trim().max(200);

export async function addFileMaterial(db: Db, viewer: Visitor, slug: string, values: Record<string, string>, upload: Upload | undefined, labels: Record<string, string>) {
  const meeting = await materialMeeting(db, viewer, slug);
  const data = parseForm(z.object({ title: materialTitle() }), { title: values.title ?? '' }, labels);
  if (!upload || upload.content.length === 0) throw new FormError({ file: { key: 'meetings.errors.fileMissing' } });
  if (upload.truncated || upload.content.length > MAX_FILE_BYTES) throw new FormError({ file: { key: 'meetings.errors.fileTooLarge', vars: { max: MAX_FILE_BYTES / 1024 / 1024 } } });
  const type = await allowedFileType(upload.filename, upload.content);
  if (!type) throw new FormError({ file: { key: 'meetings.errors.fileType', vars: { types: 'PDF, PowerPoint, Word, Excel, OpenDocument, PNG, JPEG, Text, Markdown, CSV' } } });
  const fileName = upload.filename.replace(/[\\/\u0000-\u001f]/g, '_').slice(-150);
  await q.insertMaterial(db, {
    meeting_id: meeting.id, kind: 'file', title: data.title || fileName, url: '', solution_slug: null,
    file_name: fileName, content_type: type, size: upload.content.length, content: upload.content, created_by: viewer!.id, created_at: nowIso(),
  });
  return meeting;
}

export async function addLinkMaterial(db: Db, viewer: Visitor, slug: string, values: Record<string, string>, labels: Record<string, string>) {
  const meeting = await materialMeeting(db, viewer, slug);
  const data = parseForm(z.object({
    link_title: text(200),
    url: z.string().trim().min(1).max(1000).refine((v) => /^https?:\/\/[^\s<>"]+$/.test(v), { message: 'meetings.errors.link' }),
  }), { link_title: values.link_title ?? '', url: values.url ?? '' }, labels);
  await q.insertMaterial(db, {
    meeting_id: meeting.id, kind: 'link', title: data.link_title, url: data.url, solution_slug: null,
    file_name: null, content_type: null, size: null, content: null, created_by: viewer!.id, created_at: nowIso(),
  });
  return meeting;
}

/** Links a solution of the catalogue, given by its address or its short name. */
export async function addSolutionMaterial(db: Db, viewer: Visitor, slug: string, values: Record<string, string>, labels: Record<string, string>) {
  const meeting = await materialMeeting(db, viewer, slug);
  const data = parseForm(z.object({ solution: text(500) }), { solution: values.solution ?? '' }, labels);
  const solutionSlug = /(?:^|\/loesungen\/)([a-z0-9-]+)\/?(?:[?#].*)?$/.exec(data.solution)?.[1];
  let solution;
  try {
    solution = solutionSlug ? await solutionFor(db, viewer, solutionSlug) : undefined;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
  }
  if (!solution) throw new FormError({ solution: { key: 'meetings.errors.solutionNotFound' } });
  await q.insertMaterial(db, {
    meeting_id: meeting.id, kind: 'solution', title: solution.title, url: '', solution_slug: solution.slug,
    file_name: null, content_type: null, size: null, content: null, created_by: viewer!.id, created_at: nowIso(),
  });
  return meeting;
}

export async function saveMinutes(db: Db, viewer: Visitor, slug: string, values: Record<string, string>, labels: Record<string, string>) {
  const meeting = await materialMeeting(db, viewer, slug);
  const data = parseForm(z.object({ minutes: optionalText(50_000) }), { minutes: (values.minutes ?? '').replace(/\r\n?/g, '\n') }, labels);
  await db.transaction().execute(async (trx) => {
    const m = (await q.lockMeeting(trx, meeting.id))!;
    await q.updateMeeting(trx, m.id, m.sequence, { minutes: data.minutes, updated_at: nowIso() });
  });
  return meeting;
}

export async function removeMaterial(db: Db, viewer: Visitor, slug: string, id: number, confirmed = false) {
  const meeting = await materialMeeting(db, viewer, slug);
  if (!confirmed) {
    const material = (await q.materialsOf(db, meeting.id)).find((r) => r.id === id);
    if (!material) throw notFound();
    throw new ConfirmationRequired(
      { key: 'communityNotices.confirm.material.question', vars: { title: material.title } },
      [{ key: `communityNotices.confirm.material.${material.kind === 'file' ? 'file' : 'link'}`, vars: { title: material.title, meeting: meeting.title } }, { key: 'communityNotices.confirm.irreversible' }],
      { key: 'communityNotices.confirm.material.button' },
    );
  }
  if (!(await q.deleteMaterial(db, meeting.id, id))) throw notFound();
  return meeting;
}

/** The materials of a meeting; linked solutions are looked up in the catalogue and left out where the visitor may not see them. */
export async function visibleMaterials(db: Db, viewer: Visitor, meetingId: number) {
  const rows = await q.materialsOf(db, meetingId);
  const out: (typeof rows[number] & { solution_title?: string })[] = [];
  for (const r of rows) {
    if (r.kind !== 'solution') {
      out.push(r);
      continue;
    }
    try {
      const s = await solutionFor(db, viewer, r.solution_slug ?? '');
      out.push({ ...r, solution_title: s.title });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  }
  return out;
}

export async function materialsPage(db: Db, viewer: Visitor, slug: string) {
  const meeting = await materialMeeting(db, viewer, slug);
  return { meeting, materials: await visibleMaterials(db, viewer, meeting.id) };
}

export async function downloadMaterial(db: Db, viewer: Visitor, slug: string, id: number) {
  const meeting = await meetingFor(db, viewer, slug);
  const file = await q.materialFile(db, meeting.id, id);
  if (!file || !file.content) throw notFound();
  return { fileName: file.file_name ?? 'datei', contentType: file.content_type ?? 'application/octet-stream', content: Buffer.from(file.content) };
}

// ---------------------------------------------------------------------------------------------------
// Mail

/** When and where, and the page of the meeting; the online link only for people who may join. */
function meetingFacts(lang: Lang, deps: MeetingDeps, m: MeetingRow, withOnlineLink: boolean): string[] {
  const t = translatorFor(lang);
  const lines = ['', `${t('meetings.when')}: ${formatMeetingTime(m, lang)}`];
  if (m.format !== 'online') lines.push(`${t('meetings.where')}: ${m.address}`);
  if (m.format !== 'in_person') lines.push(`${t('meetings.onlineLink')}: ${withOnlineLink ? m.online_url : t('meetings.onlineLinkLater')}`);
  lines.push(`${t('meetings.page')}: ${meetingUrl(deps, m)}`, '');
  return lines;
}
