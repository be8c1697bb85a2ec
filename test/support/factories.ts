import type { Db } from '../../src/platform/db/database.js';
import type { Role } from '../../src/platform/db/schema.js';
import { nowIso } from '../../src/platform/clock.js';
import { hashPassword } from '../../src/platform/passwords.js';
import type { FastifyInstance } from 'fastify';
import { Visitor } from './client.js';

export const PASSWORD = 'richtig-langes-Passwort-1';

let counter = 0;
let cachedHash: Promise<string> | undefined;

export async function organisationId(db: Db, name = 'Arnsberg'): Promise<number> {
  const row = await db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}

/** Marks setup as done without going through the wizard. */
export async function completeSetup(db: Db): Promise<void> {
  await db.insertInto('settings').values({ key: 'setup_completed', value: nowIso() }).onConflict((oc) => oc.column('key').doNothing()).execute();
}

/** Publishes an Impressum and a Datenschutzerklärung, which the join form needs before it opens. */
export async function publishLegalPages(db: Db): Promise<void> {
  for (const [slug, body] of [['impressum', 'Verantwortlich: Südwestfalen-IT, Musterstraße 1, 58675 Hemer'], ['datenschutz', 'Wir verarbeiten Ihre Angaben nur, um über Ihre Anfrage zu entscheiden.']]) {
    await db.insertInto('legal_pages').values({ slug, body, updated_at: nowIso(), updated_by: null })
      .onConflict((oc) => oc.column('slug').doUpdateSet({ body, updated_at: nowIso() })).execute();
  }
}

export async function createUser(db: Db, attrs: { role?: Role; name?: string; email?: string; organisation?: string; password?: string } = {}) {
  counter++;
  const hash = attrs.password ? await hashPassword(attrs.password) : await (cachedHash ??= hashPassword(PASSWORD));
  const now = nowIso();
  const email = (attrs.email ?? `person${counter}-${Date.now()}@example.org`).toLowerCase();
  const row = await db.insertInto('users').values({
    email, name: attrs.name ?? `Person ${counter}`, job_function: 'Digitalisierung', expertise: '[]', notify_email: 1,
    role: attrs.role ?? 'member', organisation_id: await organisationId(db, attrs.organisation ?? 'Arnsberg'),
    password_hash: hash, active: 1, created_at: now, updated_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, email, password: attrs.password ?? PASSWORD };
}

/** A visitor signed in as a new user of the given role. */
export async function signedIn(app: FastifyInstance, db: Db, role: Role = 'member', attrs: Parameters<typeof createUser>[1] = {}) {
  const user = await createUser(db, { ...attrs, role });
  const visitor = new Visitor(app);
  const res = await visitor.submit('/anmelden', { email: user.email, password: user.password });
  if (res.statusCode !== 303) throw new Error(`sign-in failed with ${res.statusCode}`);
  return { visitor, user };
}
