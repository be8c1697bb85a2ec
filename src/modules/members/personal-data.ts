import type { Db, Tx } from '../../platform/db/database.js';
import { nowIso } from '../../platform/clock.js';
import { deleteSessionsOf, endSessionsOf, sessionsOf } from '../../platform/http/session-store.js';
import { likeAny, mentionsPerson, withoutPerson, type PersonalDataPart, type Person } from '../../platform/personal-data.js';

/** The address a deleted account keeps: unique, and no one's. */
export const deletedAddress = (userId: number) => `geloescht-${userId}@invalid`;

/**
 * The account itself: profile, organisation, sessions, links and access tokens (without their secrets), the join
 * request with the consent given, and the audit entries about the person or by them.
 */
export const accountPart: PersonalDataPart = {
  section: 'account',
  async collect(db: Db, person: Person) {
    const user = await db.selectFrom('users').innerJoin('organisations as o', 'o.id', 'users.organisation_id')
      .select(['users.email', 'users.name', 'users.job_function', 'users.expertise', 'users.notify_email', 'users.role', 'users.language',
        'users.active', 'users.created_at', 'users.updated_at', 'o.name as organisation_name', 'o.slug as organisation_slug', 'o.kind as organisation_kind'])
      .where('users.id', '=', person.id).executeTakeFirstOrThrow();
    const sessions = await sessionsOf(db, person.id);
    const links = await db.selectFrom('tokens').select(['purpose', 'created_at', 'expires_at', 'used_at']).where('user_id', '=', person.id).orderBy('id').execute();
    const apiTokens = await db.selectFrom('api_tokens').select(['name', 'created_at', 'last_used_at', 'revoked_at']).where('user_id', '=', person.id).orderBy('id').execute();
    const requests = await db.selectFrom('join_requests')
      .select(['name', 'email', 'organisation_other', 'job_function', 'message', 'consent_at', 'status', 'decided_at', 'reason', 'language', 'created_at'])
      .where((eb) => eb.or([eb('user_id', '=', person.id), eb('email', '=', person.email.toLowerCase())])).orderBy('id').execute();
    const audit = await db.selectFrom('audit_log').select(['action', 'target_type', 'target_id', 'details', 'created_at', 'actor_id'])
      .where((eb) => eb.or([eb('actor_id', '=', person.id), eb.and([eb('target_type', '=', 'user'), eb('target_id', '=', String(person.id))])]))
      .orderBy('id').execute();
    const twoFactor = await db.selectFrom('two_factor').select(['enabled_at', 'created_at']).where('user_id', '=', person.id).executeTakeFirst();
    const recovery = await db.selectFrom('recovery_codes').select(['created_at', 'used_at']).where('user_id', '=', person.id).orderBy('id').execute();
    const emailChanges = await db.selectFrom('email_changes').select(['new_email', 'created_at', 'expires_at', 'used_at']).where('user_id', '=', person.id).orderBy('id').execute();
    return {
      // Whether a second factor is on and how many recovery codes are left; never the secret or the codes.
      twoFactor: twoFactor ? { enabledAt: twoFactor.enabled_at, setUpAt: twoFactor.created_at, recoveryCodes: recovery.length, recoveryCodesUsed: recovery.filter((r) => r.used_at).length } : null,
      emailChanges: emailChanges.map((c) => ({ newEmail: c.new_email, requestedAt: c.created_at, expiresAt: c.expires_at, confirmedAt: c.used_at })),
      profile: {
        name: user.name, email: user.email, jobFunction: user.job_function, expertise: JSON.parse(user.expertise) as string[],
        notifyByEmail: user.notify_email === 1, role: user.role, language: user.language, active: user.active === 1,
        createdAt: user.created_at, updatedAt: user.updated_at,
      },
      organisation: { name: user.organisation_name, slug: user.organisation_slug, kind: user.organisation_kind },
      sessions: sessions.map((s) => ({ expiresAt: s.expires_at })),
      links: links.map((l) => ({ kind: l.purpose === 'invite' ? 'invitation' : 'password reset', createdAt: l.created_at, expiresAt: l.expires_at, usedAt: l.used_at })),
      apiTokens: apiTokens.map((tk) => ({ name: tk.name, createdAt: tk.created_at, lastUsedAt: tk.last_used_at, revokedAt: tk.revoked_at })),
      consent: requests.map((r) => ({
        given: 'privacy notice and processing of the join request', at: r.consent_at,
        request: { name: r.name, email: r.email, organisationOther: r.organisation_other, jobFunction: r.job_function, message: r.message, status: r.status, decidedAt: r.decided_at, reason: r.reason, language: r.language, createdAt: r.created_at },
      })),
      // What the person did to others is listed without its details, which may name those others.
      audit: audit.map((a) => {
        const aboutThem = a.target_type === 'user' && a.target_id === String(person.id);
        return { action: a.action, byThisPerson: a.actor_id === person.id, target: `${a.target_type} ${a.target_id}`, ...(aboutThem || a.target_type === 'api_token' ? { details: JSON.parse(a.details) as unknown } : {}), at: a.created_at };
      }),
    };
  },
  async erase(trx: Tx, person: Person) {
    await endSessionsOf(trx, person.id);
    await deleteSessionsOf(trx, person.id);
    await trx.deleteFrom('tokens').where('user_id', '=', person.id).execute();
    await trx.deleteFrom('api_tokens').where('user_id', '=', person.id).execute();
    await trx.deleteFrom('recovery_codes').where('user_id', '=', person.id).execute();
    await trx.deleteFrom('two_factor').where('user_id', '=', person.id).execute();
    await trx.deleteFrom('email_changes').where('user_id', '=', person.id).execute();
    // Counters of failed sign-ins are keyed by the address typed.
    await trx.deleteFrom('rate_limits').where('key', '=', `sign-in:account:${person.email.toLowerCase()}`).execute();
    await trx.deleteFrom('join_requests').where((eb) => eb.or([eb('user_id', '=', person.id), eb('email', '=', person.email.toLowerCase())])).execute();
    // The log keeps what was done and when; names and addresses in its details go.
    const entries = await trx.selectFrom('audit_log').select(['id', 'details']).where((eb) => eb.or(likeAny(eb, 'details', person))).execute();
    for (const e of entries.filter((row) => mentionsPerson(row.details, person))) {
      await trx.updateTable('audit_log').set({ details: withoutPerson(e.details, person) }).where('id', '=', e.id).execute();
    }
    // Mails to the person or about them (e.g. the administrators' notice of the join request).
    const mails = await trx.selectFrom('outbox').select(['id', 'recipient', 'subject', 'body_text'])
      .where((eb) => eb.or([eb('recipient', '=', person.email.toLowerCase()), ...likeAny(eb, 'subject', person), ...likeAny(eb, 'body_text', person)])).execute();
    const gone = mails.filter((m) => m.recipient.toLowerCase() === person.email.toLowerCase() || mentionsPerson(`${m.subject}\n${m.body_text}`, person)).map((m) => m.id);
    for (let i = 0; i < gone.length; i += 500) await trx.deleteFrom('outbox').where('id', 'in', gone.slice(i, i + 500)).execute();
    await trx.updateTable('users').set({
      name: '', email: deletedAddress(person.id), job_function: '', expertise: '[]', notify_email: 0, role: 'member', password_hash: null,
      active: 0, deleted_at: nowIso(), updated_at: nowIso(),
    }).where('id', '=', person.id).execute();
  },
};
