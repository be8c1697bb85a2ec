import nodemailer, { type Transporter } from 'nodemailer';
import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.js';
import { isoIn, nowIso } from '../clock.js';
import type { T } from '../i18n/index.js';

/** The body of a mail in the recipient's language: greeting, the lines, the community's signature. */
export function mailText(t: T, community: string, name: string, lines: string[]): string {
  return [t('mail.greeting', { name }), '', ...lines, '', t('mail.signature', { community })].join('\n');
}

/** A file sent with a mail; text content only (e.g. an .ics calendar entry). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
  attachments?: MailAttachment[];
  /** Makes a repeated enqueue of the same mail a no-op. */
  dedupeKey?: string;
}

/** Puts a mail in the outbox, inside the caller's transaction, so it is stored with the change it reports. */
export async function enqueueMail(db: Db | Tx, mail: OutgoingMail): Promise<void> {
  const now = nowIso();
  await db.insertInto('outbox').values({
    recipient: mail.to,
    subject: mail.subject,
    body_text: mail.text,
    headers: JSON.stringify(mail.headers ?? {}),
    attachments: JSON.stringify(mail.attachments ?? []),
    dedupe_key: mail.dedupeKey ?? null,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
  }).onConflict((oc) => oc.column('dedupe_key').doNothing()).execute();
}

/** Minutes to wait after the n-th failed attempt: 1, 2, 4 … at most 6 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60_000);
}

const CLAIM_MS = 2 * 60_000;

/**
 * Sends every due mail once. A mail is claimed before sending so that two instances never send it twice;
 * a failure keeps it with a later retry time, never drops it.
 */
export async function deliverDueMail(db: Db, transport: Transporter, from: string, batch = 20): Promise<{ sent: number; failed: number }> {
  const now = nowIso();
  const due = await db.selectFrom('outbox').select(['id'])
    .where('status', '=', 'pending').where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .orderBy('id').limit(batch).execute();
  let sent = 0;
  let failed = 0;
  for (const { id } of due) {
    const claim = await db.updateTable('outbox').set({ locked_until: isoIn(CLAIM_MS) })
      .where('id', '=', id).where('status', '=', 'pending').where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) continue;
    const mail = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    try {
      await transport.sendMail({
        from, to: mail.recipient, subject: mail.subject, text: mail.body_text,
        headers: JSON.parse(mail.headers) as Record<string, string>,
        attachments: JSON.parse(mail.attachments) as MailAttachment[],
      });
      await db.updateTable('outbox').set({ status: 'sent', sent_at: nowIso(), locked_until: null, attempts: sql`attempts + 1` })
        .where('id', '=', id).execute();
      sent++;
    } catch (err) {
      const attempts = mail.attempts + 1;
      await db.updateTable('outbox').set({
        attempts, locked_until: null, last_error: String((err as Error).message).slice(0, 500),
        next_attempt_at: isoIn(retryDelayMs(attempts)),
      }).where('id', '=', id).execute();
      failed++;
    }
  }
  return { sent, failed };
}

export function smtpTransport(smtpUrl: string): Transporter {
  // Time-outs well below the two-minute claim, so a hung server cannot make another instance send the mail again.
  return nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 } as Parameters<typeof nodemailer.createTransport>[0]);
}

/** Deletes the mails sent before the given moment; mails still waiting stay, however old. Returns how many. */
export async function purgeSentMail(db: Db, sentBefore: string): Promise<number> {
  const result = await db.deleteFrom('outbox').where('status', '=', 'sent').where('sent_at', '<', sentBefore).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listOutbox(db: Db, limit = 200) {
  return db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
