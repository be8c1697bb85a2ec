import type { Config } from '../../platform/config.js';
import type { Db, Tx } from '../../platform/db/database.js';
import { nowIso } from '../../platform/clock.js';
import { FormError, notFound, type FieldErrors } from '../../platform/errors.js';
import { translatorFor, type Lang, type T } from '../../platform/i18n/index.js';
import { enqueueMail, mailText } from '../../platform/mail/outbox.js';
import { DEFAULT_FREQUENCY, kindLabelKey, MAIL_FREQUENCIES, NOTIFICATION_KINDS, type MailFrequency, type NotificationKind } from './kinds.js';
import * as q from './queries.js';
import { unsubscribeUrl } from './unsubscribe.js';

export { NOTIFICATION_KINDS, MAIL_FREQUENCIES, DEFAULT_FREQUENCY } from './kinds.js';
export type { MailFrequency, NotificationKind } from './kinds.js';

export interface NotifyInput {
  userIds: number[];
  kind: NotificationKind;
  /** An i18n key; rendered with params in the reader's language, in the app and in mails. */
  messageKey: string;
  params: Record<string, string>;
  /** A path on the platform, e.g. /fragen/42. */
  url: string;
  /** The same key for the same person notifies once, however often the action is retried. */
  dedupeKey: string;
}

export type NotificationMailSettings = Pick<Config, 'baseUrl' | 'communityName' | 'sessionSecret'>;

// notify() is called by other modules with their database handle only. The platform's address, name and
// secret are registered per database when the app starts; the adapter is shared by a database and its transactions.
const mailSettings = new WeakMap<object, NotificationMailSettings>();
const settingsKey = (db: Db | Tx) => db.getExecutor().adapter;

export function registerNotificationMail(db: Db, settings: NotificationMailSettings): void {
  mailSettings.set(settingsKey(db), { baseUrl: settings.baseUrl, communityName: settings.communityName, sessionSecret: settings.sessionSecret });
}

export function notificationMailSettings(db: Db | Tx): NotificationMailSettings {
  const settings = mailSettings.get(settingsKey(db));
  if (!settings) throw new Error('notification mail is not configured for this database (registerNotificationMail)');
  return settings;
}

/** One notification's text in the given language. */
export function notificationText(t: T, row: { message_key: string; params: string }): string {
  return t(row.message_key, JSON.parse(row.params) as Record<string, string>);
}

/** Each person's mail preference per kind; a kind without a stored choice has its default. */
export async function frequenciesOf(db: Db | Tx, userIds: number[]): Promise<Map<number, Record<NotificationKind, MailFrequency>>> {
  const result = new Map<number, Record<NotificationKind, MailFrequency>>();
  for (const id of userIds) result.set(id, { ...DEFAULT_FREQUENCY });
  for (const row of await q.preferenceRows(db, userIds)) {
    const prefs = result.get(row.user_id);
    if (prefs && row.kind in prefs) prefs[row.kind] = row.frequency;
  }
  return result;
}

/** The end of every notification mail, in the recipient's language (t). */
export function mailFooter(t: T, settings: NotificationMailSettings, userId: number, kinds: NotificationKind[]): string[] {
  const kindNames = kinds.map((k) => t(kindLabelKey(k))).join(', ');
  return [
    '-- ',
    t('notifications.mail.why', { kinds: kindNames }),
    t('notifications.mail.settings', { url: `${settings.baseUrl}/benachrichtigungen/einstellungen` }),
    t('notifications.mail.unsubscribe', { url: unsubscribeUrl(settings.baseUrl, settings.sessionSecret, userId, kinds) }),
  ];
}

/** The List-Unsubscribe headers of RFC 8058: one click in the mail program turns these kinds off. */
export function unsubscribeHeaders(settings: NotificationMailSettings, userId: number, kinds: NotificationKind[]): Record<string, string> {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl(settings.baseUrl, settings.sessionSecret, userId, kinds)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

const CHUNK = 500;

/**
 * Tells people about something: stores an in-app notification for each (once per person and dedupe key)
 * and mails those who want this kind immediately, through the outbox, in the caller's transaction.
 */
export async function notify(db: Db | Tx, input: NotifyInput): Promise<void> {
  // Notifications and their mails are stored together or not at all.
  if (!db.isTransaction) return db.transaction().execute((trx) => notify(trx, input));
  const settings = notificationMailSettings(db);
  const ids = [...new Set(input.userIds)];
  const params = JSON.stringify(input.params);
  // Each mail is in its recipient's language.
  const messageIn = (lang: Lang) => notificationText(translatorFor(lang), { message_key: input.messageKey, params });
  for (let i = 0; i < ids.length; i += CHUNK) {
    const people = await q.activeRecipients(db, ids.slice(i, i + CHUNK));
    const now = nowIso();
    const inserted = await q.insertNotifications(db, people.map((p) => ({
      user_id: p.id, kind: input.kind, message_key: input.messageKey, params, url: input.url, dedupe_key: input.dedupeKey, created_at: now,
    })));
    if (inserted.length === 0) continue;
    const byUser = new Map(people.map((p) => [p.id, p]));
    const frequencies = await frequenciesOf(db, inserted.map((r) => r.user_id));
    const mailed: number[] = [];
    for (const row of inserted) {
      const person = byUser.get(row.user_id)!;
      if (!person.notify_email || frequencies.get(row.user_id)?.[input.kind] !== 'immediately') continue;
      const t = translatorFor(person.language);
      const message = messageIn(person.language);
      await enqueueMail(db, {
        to: person.email,
        subject: message.length > 150 ? `${message.slice(0, 149)}…` : message,
        text: [
          mailText(t, settings.communityName, person.name, [
            message, '',
            `${settings.baseUrl}${input.url}`, '',
            t('notifications.mail.allNotifications', { url: `${settings.baseUrl}/benachrichtigungen` }),
          ]), '',
          ...mailFooter(t, settings, row.user_id, [input.kind]),
        ].join('\n'),
        headers: unsubscribeHeaders(settings, row.user_id, [input.kind]),
        dedupeKey: `notification:${row.id}`,
      });
      mailed.push(row.id);
    }
    await q.markMailed(db, mailed, now);
  }
}

/** Notifies the active members of the given organisations, leaving out some people (e.g. who made the change). */
export async function notifyOrganisations(db: Db | Tx, input: Omit<NotifyInput, 'userIds'> & { organisationIds: number[]; exceptUserIds?: number[] }): Promise<void> {
  const { organisationIds, exceptUserIds = [], ...rest } = input;
  const members = await q.activeMembersOf(db, [...new Set(organisationIds)]);
  await notify(db, { ...rest, userIds: members.filter((id) => !exceptUserIds.includes(id)) });
}

/** Notifies every active member of the platform, leaving out some people (e.g. who announced it). */
export async function notifyAllMembers(db: Db | Tx, input: Omit<NotifyInput, 'userIds'> & { exceptUserIds?: number[] }): Promise<void> {
  const { exceptUserIds = [], ...rest } = input;
  const members = await q.activeMemberIds(db);
  await notify(db, { ...rest, userIds: members.filter((id) => !exceptUserIds.includes(id)) });
}

/**
 * Runs what tells people about an occasion (a deadline drawing near, a reminder) once: the occasion is claimed
 * in the same transaction as the notifications, so a job run twice or on several instances at once sends once.
 * Returns whether this call did it.
 */
export async function onceForOccasion(db: Db, occasion: string, send: (trx: Tx) => Promise<void>): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await q.claimOccasion(trx, occasion, nowIso()))) return false;
    await send(trx);
    return true;
  });
}

/** The active administrators (and moderators, if asked), e.g. for a join request or a meeting without its organiser. */
export const staffIds = q.activeStaffIds;

/** The names of the organisations whose members were notified under this dedupe key (e.g. the match of a question). */
export const organisationsNotified = q.organisationsNotified;

// -------------------------------------------------------------------------------------------------
// In the app

export const PAGE_SIZE = 30;

export const unreadCount = q.countUnread;

/** One page of a person's notifications, newest first, rendered in the reader's language. */
export async function notificationsPage(db: Db, userId: number, page: number, t: T) {
  const [total, rows] = await Promise.all([q.countAll(db, userId), q.listNotifications(db, userId, PAGE_SIZE, (page - 1) * PAGE_SIZE)]);
  return {
    total,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    items: rows.map((r) => ({ id: r.id, kind: r.kind, text: notificationText(t, r), url: r.url, createdAt: r.created_at, read: r.read_at !== null })),
  };
}

/** Marks one of the person's notifications read; someone else's (or none) is a page that does not exist. */
export async function markNotificationRead(db: Db, userId: number, id: number): Promise<void> {
  if (!(await q.isRecipient(db, userId, id))) throw notFound();
  await q.markRead(db, userId, id, nowIso());
}

export async function markAllNotificationsRead(db: Db, userId: number): Promise<number> {
  return q.markAllRead(db, userId, nowIso());
}

/** Where a notification leads, marking it read on the way; only its own recipient may follow it. */
export async function openNotification(db: Db, userId: number, id: number): Promise<string> {
  const row = await db.selectFrom('notifications').select(['url']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!row) throw notFound();
  await q.markRead(db, userId, id, nowIso());
  return row.url;
}

// -------------------------------------------------------------------------------------------------
// Preferences

export async function preferencesOf(db: Db, userId: number) {
  const [frequencies, person] = await Promise.all([
    frequenciesOf(db, [userId]),
    db.selectFrom('users').select(['notify_email']).where('id', '=', userId).executeTakeFirstOrThrow(),
  ]);
  return { frequencies: frequencies.get(userId)!, mailEnabled: person.notify_email === 1 };
}

/** Saves the settings form: one frequency per kind; anything else is refused and nothing is saved. */
export async function savePreferences(db: Db, userId: number, values: Record<string, string>, labels: Record<string, string>): Promise<void> {
  const errors: FieldErrors = {};
  for (const kind of NOTIFICATION_KINDS) {
    if (!(MAIL_FREQUENCIES as readonly string[]).includes(values[kind] ?? '')) errors[kind] = { key: 'validation.choose', vars: { field: labels[kind] } };
  }
  if (Object.keys(errors).length) throw new FormError(errors);
  await db.transaction().execute(async (trx) => {
    const now = nowIso();
    for (const kind of NOTIFICATION_KINDS) await q.setPreference(trx, userId, kind, values[kind] as MailFrequency, now);
  });
}

/** Turns the given kinds off for a person (the unsubscribe link); an account that is gone changes nothing. */
export async function unsubscribe(db: Db, userId: number, kinds: NotificationKind[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (!exists) return;
    const now = nowIso();
    for (const kind of kinds) await q.setPreference(trx, userId, kind, 'off', now);
  });
}

/** Whether every one of these kinds is off for the person already. */
export async function isUnsubscribed(db: Db, userId: number, kinds: NotificationKind[]): Promise<boolean> {
  const frequencies = (await frequenciesOf(db, [userId])).get(userId)!;
  return kinds.every((k) => frequencies[k] === 'off');
}
