import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.js';
import { nowIso } from '../../src/platform/clock.js';
import { recordAudit } from '../../src/platform/audit.js';
import { enqueueMail } from '../../src/platform/mail/outbox.js';
import type { CurrentUser } from '../../src/platform/policy.js';
import { createApiToken } from '../../src/modules/members/tokens.js';
import { registerForMeeting } from '../../src/modules/meetings/service.js';
import { answerQuestion, askQuestion } from '../../src/modules/questions/service.js';
import { Visitor } from './client.js';
import { createUser, organisationId } from './factories.js';
import type { TestApp } from './harness.js';
import { makeSolution, viewerOf } from './catalogue.js';
import { collectingInitiative } from './procurement.js';
import { backend } from './harness.js';

/** What identifies a person of the fixture, and what they wrote. */
export interface Persona {
  user: CurrentUser;
  password: string;
  visitor: Visitor;
  /** Name, address, function, expertise and join message: none of it may remain after a deletion. */
  personal: string[];
  /** Texts of their contributions, one per kind. */
  contents: Record<string, string>;
}

/**
 * A person with data in every part of the platform: profile, join request with consent, a session, links and
 * tokens, a solution with them as contact and a deployment, an answer to the common question and a question of
 * their own, a helpful mark, a follow and a report, a registration, a topic and a vote, material and a speaker
 * slot at the common meeting, an initiative with a declaration, a self-check, notifications, preferences, a
 * digest, audit entries and mail. Everything they wrote carries their tag.
 */
export async function personaWithData(t: TestApp, tag: string, common: { questionId: number; answerId: number; meetingId: number; meetingSlug: string; topicId: number }): Promise<Persona> {
  const db = t.database.db;
  const name = `${tag} Beispielperson`;
  const email = `${tag.toLowerCase()}.privat@beispiel-${tag.toLowerCase()}.example`;
  const { id } = await createUser(db, { name, email, organisation: 'Arnsberg' });
  const jobFunction = `Fachdienst ${tag}-Digital`;
  const expertise = `${tag}-Fachgebiet`;
  const joinMessage = `Beitrittsnachricht von ${tag}`;
  await db.updateTable('users').set({ job_function: jobFunction, expertise: JSON.stringify([expertise]) }).where('id', '=', id).execute();
  const user = await viewerOf(db, id);
  const now = nowIso();
  const contents: Record<string, string> = {};
  const mark = (kind: string) => (contents[kind] = `${kind} ${tag}`);

  await db.insertInto('join_requests').values({
    name, email, organisation_id: await organisationId(db), organisation_other: null, job_function: jobFunction, message: joinMessage,
    consent_at: '2026-11-01T10:00:00.000Z', status: 'approved', decided_by: null, decided_at: now, reason: null, user_id: id, created_at: '2026-11-01T10:00:00.000Z',
  }).execute();
  await recordAudit(db, { actorId: null, action: 'join.approved', targetType: 'join_request', targetId: 1, details: { email, userId: id } });
  await db.insertInto('tokens').values({ user_id: id, purpose: 'invite', token_hash: `hash-${tag}`, expires_at: now, used_at: now, created_at: now }).execute();
  await createApiToken(db, id, { name: mark('Schlüssel') }, {});
  const visitor = new Visitor(t.app);
  const signIn = await visitor.submit('/anmelden', { email, password: 'richtig-langes-Passwort-1' });
  if (signIn.statusCode !== 303) throw new Error(`sign-in of ${tag} failed`);
  // After signing in: a link to a sign-in service, a second factor with recovery codes, a pending change of address.
  await db.insertInto('sso_links').values({ user_id: id, provider: 'keycloak', subject: `sub-${tag}`, email, created_at: now, last_used_at: now }).execute();
  await db.insertInto('two_factor').values({ user_id: id, secret: `SECRET${tag.toUpperCase()}`, enabled_at: now, last_step: null, created_at: now }).execute();
  await db.insertInto('recovery_codes').values({ user_id: id, code_hash: `code-hash-${tag}`, used_at: null, created_at: now }).execute();
  await db.insertInto('email_changes').values({ user_id: id, new_email: `neu.${email}`, token_hash: `change-${tag}`, expires_at: now, used_at: null, created_at: now }).execute();


  const solution = await makeSolution(db, user, { title: mark('Lösung'), summary: `Zusammenfassung ${tag}`, contact_email: email });
  await db.insertInto('deployments').values({
    solution_id: solution.id, organisation_id: user.organisationId, status: 'pilot', since: null, contact: `${name}, ${email}`, cost_paid: '',
    experience: mark('Erfahrung'), visibility: 'public', created_by: id, created_at: now, updated_at: now,
  }).execute();

  const deps = { db, config: t.config };
  await askQuestion(deps, user, { title: mark('Frage'), body: `Frage im Detail ${tag}`, tags: [], field_of_action: null, visibility: 'public', solutions: [] });
  await answerQuestion(deps, user, common.questionId, mark('Antwort'));
  await db.insertInto('helpful_marks').values({ answer_id: common.answerId, user_id: id, created_at: now }).execute();
  await db.insertInto('follows').values({ user_id: id, kind: 'tag', value: mark('folgt').toLowerCase().replace(' ', '-'), created_at: now }).execute();
  await db.insertInto('reports').values({ post_type: 'answer', post_id: common.answerId, reporter_id: id, reason: mark('Meldegrund'), created_at: now, decided_by: null, decided_at: null }).execute();

  await registerForMeeting({ db, config: t.config }, user, common.meetingSlug);
  await db.insertInto('meeting_topics').values({ meeting_id: common.meetingId, title: mark('Thema'), description: '', solution_slug: null, proposed_by: id, carried_from_id: null, created_at: now }).execute();
  await db.insertInto('topic_votes').values({ topic_id: common.topicId, user_id: id, created_at: now }).execute();
  await db.insertInto('meeting_materials').values({
    meeting_id: common.meetingId, kind: 'link', title: mark('Material'), url: 'https://example.org/folien', solution_slug: null, file_name: null, content_type: null, size: null, content: null, created_by: id, created_at: now,
  }).execute();
  await db.insertInto('agenda_items').values({ meeting_id: common.meetingId, starts_at: now, title: mark('Programmpunkt'), speaker: name, topic_id: null, created_at: now, updated_at: now }).execute();

  const initiative = await collectingInitiative(db, user, { title: mark('Beschaffung') });
  await db.insertInto('procurement_declarations').values({ initiative_id: initiative, organisation_id: user.organisationId, quantity: 7, max_quantity: null, declared_by: id, created_at: now, updated_at: now }).execute();
  await db.insertInto('ai_act_checks').values({
    solution_id: null, organisation_id: user.organisationId, title: mark('Selbstcheck'), answers: '{}', status: 'draft', rule_version: 'v', risk_class: null, result: null,
    created_by: id, updated_by: id, created_at: now, updated_at: now, completed_at: null,
  }).execute();

  await db.insertInto('notifications').values({
    user_id: id, kind: 'meeting', message_key: 'notifications.messages.meetingAnnounced', params: JSON.stringify({ title: mark('Hinweis'), date: now, opens: '' }),
    url: `/treffen/${common.meetingSlug}`, dedupe_key: `fixture:${tag}`, created_at: now, read_at: null, mailed_at: null, digest_id: null,
  }).execute();
  await db.insertInto('notification_preferences').values({ user_id: id, kind: 'answer', frequency: 'weekly', updated_at: now }).execute();
  await db.insertInto('notification_digests').values({ user_id: id, cadence: 'weekly', period: `2026-W4${tag.length}`, item_count: 3, created_at: now }).execute();
  await enqueueMail(db, { to: email, subject: mark('Post'), text: `Guten Tag ${name}` });

  return { user, password: 'richtig-langes-Passwort-1', visitor, personal: [name, email, jobFunction, expertise, joinMessage], contents };
}

/** Every string (and text of binary content) in every row of every table of the database, with where it is. */
export async function everyStoredText(db: Db): Promise<{ where: string; text: string }[]> {
  const tables = backend === 'postgres'
    ? (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)).rows
    : (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows;
  if (tables.length < 30) throw new Error(`only ${tables.length} tables found`);
  const out: { where: string; text: string }[] = [];
  for (const { name } of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)).rows;
    rows.forEach((row, i) => {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value === 'string') out.push({ where: `${name}.${column} (row ${i + 1})`, text: value });
        else if (value instanceof Uint8Array) out.push({ where: `${name}.${column} (row ${i + 1})`, text: Buffer.from(value).toString('utf8') });
        else if (value !== null && typeof value === 'object') out.push({ where: `${name}.${column} (row ${i + 1})`, text: JSON.stringify(value) });
      }
    });
  }
  return out;
}

/** Where any of the strings occurs in the database, ignoring case. */
export async function whereStored(db: Db, strings: string[]): Promise<string[]> {
  const texts = await everyStoredText(db);
  return strings.flatMap((s) => texts.filter((x) => x.text.toLowerCase().includes(s.toLowerCase())).map((x) => `"${s}" in ${x.where}`));
}
