import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.js';
import type { Database } from '../../src/platform/db/schema.js';
import { Visitor } from './client.js';
import { completeSetup, createUser, organisationId, publishLegalPages } from './factories.js';
import type { TestApp } from './harness.js';

/** Number of rows in a table, optionally only those whose columns equal the given values. */
export async function countRows(db: Db, table: keyof Database, where: Record<string, string | number> = {}): Promise<number> {
  let query = (db as any).selectFrom(table).select(sql<number>`count(*)`.as('n'));
  for (const [column, value] of Object.entries(where)) query = query.where(column, '=', value);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Mails in the outbox for one address, oldest first. */
export function mailsTo(db: Db, recipient: string) {
  return db.selectFrom('outbox').select(['id', 'recipient', 'subject', 'body_text']).where('recipient', '=', recipient).orderBy('id').execute();
}

/** The path of the password link in a mail: /passwort-setzen/<token>. */
export function passwordLink(bodyText: string): string {
  const m = /http:\/\/localhost:3000(\/passwort-setzen\/[A-Za-z0-9_-]+)/.exec(bodyText);
  if (!m) throw new Error(`no password link in mail:\n${bodyText}`);
  return m[1];
}

/** A page body with its CSRF tokens blanked, for comparing two answers. */
export function withoutCsrf(body: string): string {
  return body.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
}

/** A platform with setup done, the legal pages published (so the join form is open) and one administrator. */
export async function startCommunity(start: () => Promise<TestApp>) {
  const t = await start();
  await completeSetup(t.database.db);
  await publishLegalPages(t.database.db);
  const admin = await createUser(t.database.db, { role: 'admin', name: 'Ada Admin', email: `ada-${Date.now()}@kreis.example` });
  return { t, admin };
}

let joinCounter = 0;

/** A complete, valid join form for a person from Arnsberg; pass fields to change. */
export async function joinFields(db: Db, fields: Record<string, string> = {}): Promise<Record<string, string>> {
  joinCounter++;
  return {
    name: `Jana Beispiel ${joinCounter}`,
    email: `jana${joinCounter}-${Date.now()}@arnsberg.example`,
    organisation: String(await organisationId(db, 'Arnsberg')),
    organisationOther: '',
    jobFunction: 'Digitalisierungsbeauftragte',
    message: 'Ich möchte unsere Chatbot-Erfahrungen teilen.',
    consent: '1',
    ...fields,
  };
}

/** Submits the join form as a new visitor; returns the response and the fields sent. */
export async function requestToJoin(t: TestApp, fields: Record<string, string> = {}) {
  const sent = await joinFields(t.database.db, fields);
  const res = await new Visitor(t.app).submit('/mitmachen', sent);
  return { res, sent };
}

/** The id of the pending join request for an address. */
export async function pendingRequestId(db: Db, email: string): Promise<number> {
  const row = await db.selectFrom('join_requests').select('id').where('email', '=', email.toLowerCase()).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return row.id;
}
