import type { MailFrequency, NotificationKind } from '../../platform/db/schema.js';

export type { DigestCadence, MailFrequency, NotificationKind } from '../../platform/db/schema.js';

/** Every kind, in the order the settings page and the digests show them. */
export const NOTIFICATION_KINDS = [
  'answer', 'match', 'followed', 'meeting', 'catalogue', 'moderation',
  // Procurement, meetings and join requests
  'procurement_started', 'procurement_deadline', 'procurement_bound', 'procurement_handed_over', 'procurement_withdrawn',
  'topic_vote', 'agenda_published', 'meeting_reminder', 'meeting_registrations', 'meeting_message', 'waiting_list', 'join_request',
  // Deployments
  'deployment',
] as const satisfies readonly NotificationKind[];

export const MAIL_FREQUENCIES = ['immediately', 'daily', 'weekly', 'off'] as const satisfies readonly MailFrequency[];

/** What a person gets before choosing: answers, matches and moderation decisions at once, everything else once a week. */
export const DEFAULT_FREQUENCY: Record<NotificationKind, MailFrequency> = {
  answer: 'immediately',
  match: 'immediately',
  followed: 'weekly',
  meeting: 'weekly',
  catalogue: 'weekly',
  moderation: 'immediately',
  // Procurement, meetings and join requests: what binds an organisation or is due soon at once, the rest in a digest.
  // Moving up from a waiting list and a join request already send their own mail, so these two mail nothing more by default.
  procurement_started: 'daily',
  procurement_deadline: 'immediately',
  procurement_bound: 'immediately',
  procurement_handed_over: 'weekly',
  procurement_withdrawn: 'immediately',
  topic_vote: 'weekly',
  agenda_published: 'weekly',
  meeting_reminder: 'immediately',
  meeting_registrations: 'daily',
  meeting_message: 'immediately',
  waiting_list: 'off',
  join_request: 'off',
  // Another organisation has started to use (or is interested in) a solution of one's own organisation.
  deployment: 'weekly',
};

const FIRST_KINDS: readonly string[] = ['answer', 'match', 'followed', 'meeting', 'catalogue', 'moderation'];

/** The i18n key naming a kind (the later kinds are named in their own section of the catalogue). */
export function kindLabelKey(kind: NotificationKind): string {
  return FIRST_KINDS.includes(kind) ? `notifications.kinds.${kind}` : `communityNotices.kinds.${kind}`;
}

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === 'string' && (NOTIFICATION_KINDS as readonly string[]).includes(value);
}
