import { z } from 'zod';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { recordAudit } from '../../platform/audit.js';
import { nowIso } from '../../platform/clock.js';
import { FormError, notFound } from '../../platform/errors.js';
import { parseForm } from '../../platform/forms.js';
import { verifyPassword } from '../../platform/passwords.js';
import { withdrawUpcomingRegistrations } from '../meetings/personal-data.js';
import { isLastAdministrator, personOf } from '../members/service.js';
import { linksOf, providerById } from '../sso/service.js';
import { personalDataParts } from './parts.js';

export interface OwnDataDeps {
  db: Db;
  config: Pick<Config, 'baseUrl' | 'communityName'>;
}

/** Everything the platform keeps about the person (GDPR Art. 15 and 20), one section per module. */
export async function exportPersonalData(deps: OwnDataDeps, userId: number): Promise<Record<string, unknown>> {
  const person = await personOf(deps.db, userId);
  if (!person) throw notFound();
  const sections: Record<string, unknown> = {};
  for (const part of personalDataParts) sections[part.section] = await part.collect(deps.db, person, deps.config.baseUrl);
  return { community: deps.config.communityName, exportedAt: nowIso(), ...sections };
}

/** The deletion of one's own account, which also names the sign-on providers to sign in again with. */
export interface SelfDeletionDeps extends OwnDataDeps {
  config: Pick<Config, 'baseUrl' | 'communityName' | 'signOnProviders'>;
}

/**
 * How long after signing in a person whose account has no password may delete it. There is no password to ask
 * for, so a recent sign-in (through their provider) proves it is them and not someone at an unattended device.
 */
export const FRESH_SIGN_IN_MS = 10 * 60 * 1000;

/**
 * What proves that the person deleting their account is its owner: the current password; for an account without
 * one, a sign-in less than FRESH_SIGN_IN_MS ago; failing that, they sign in again through one of these providers.
 */
export type DeletionProof =
  | { kind: 'password' }
  | { kind: 'freshSignIn' }
  | { kind: 'signInAgain'; providers: { id: string; name: string }[] };

/** The proof a deletion of one's own account needs now; `signedInAt` is when the current session signed in (epoch ms). */
export async function deletionProof(deps: SelfDeletionDeps, userId: number, signedInAt: number | undefined, now = Date.now()): Promise<DeletionProof> {
  const person = await personOf(deps.db, userId);
  if (!person) throw notFound();
  if (person.passwordHash !== null) return { kind: 'password' };
  if (signedInAt !== undefined && signedInAt <= now && now - signedInAt < FRESH_SIGN_IN_MS) return { kind: 'freshSignIn' };
  // Only providers that are still configured can sign the person in.
  const providers = (await linksOf(deps, [userId])).filter((l) => providerById(deps.config, l.provider)).map((l) => ({ id: l.provider, name: l.providerName }));
  return { kind: 'signInAgain', providers };
}

const confirmation = { confirm: z.string().default('').refine((v) => v === '1', { message: 'ownData.confirmRequired' }) };
const ownDeletionSchema = z.object({ password: z.string().max(200).default(''), ...confirmation });
const adminDeletionSchema = z.object(confirmation);

/**
 * Deletes the signed-in person's account after the explicit confirmation and, for an account with a password,
 * the current password; for an account without one, only within FRESH_SIGN_IN_MS of signing in. Nothing changes
 * when any of these is missing or wrong.
 */
export async function deleteOwnAccount(deps: SelfDeletionDeps, userId: number, input: Record<string, string>, labels: Record<string, string>, signedInAt: number | undefined): Promise<void> {
  // Checked first: without a recent sign-in the page offers no form, so no other message would help.
  if ((await deletionProof(deps, userId, signedInAt)).kind === 'signInAgain') throw new FormError({ _: { key: 'ownData.signInAgainRefused' } });
  const data = parseForm(ownDeletionSchema, input, labels);
  const person = await personOf(deps.db, userId);
  if (!person) throw notFound();
  if (person.passwordHash !== null && !(await verifyPassword(person.passwordHash, data.password))) {
    throw new FormError({ password: { key: 'ownData.wrongPassword' } });
  }
  await deleteAccount(deps, userId, userId);
}

/** An administrator deletes an account, with the same rules as the person's own deletion but without their password. */
export async function deleteAccountAsAdministrator(deps: OwnDataDeps, userId: number, actorId: number, input: Record<string, string>, labels: Record<string, string>): Promise<void> {
  parseForm(adminDeletionSchema, input, labels);
  if (!(await personOf(deps.db, userId))) throw notFound();
  await deleteAccount(deps, userId, actorId);
}

/**
 * Deletes an account: registrations for coming meetings are withdrawn through the meetings' own cancellation
 * (the waiting list moves up), then every module removes or anonymises its part in one transaction. The row of
 * the account stays without personal data, so contributions others build on keep their author ("former member").
 * The last administrator cannot be deleted.
 */
async function deleteAccount(deps: OwnDataDeps, userId: number, actorId: number): Promise<void> {
  const lastAdmin = () => new FormError({ _: { key: 'ownData.lastAdmin' } });
  if (await isLastAdministrator(deps.db, userId)) throw lastAdmin();
  const before = await personOf(deps.db, userId);
  if (!before) throw notFound();
  await withdrawUpcomingRegistrations(deps, { id: before.id, name: before.name, email: before.email, role: before.role, organisationId: before.organisationId, organisationName: '' });
  await deps.db.transaction().execute(async (trx) => {
    // Checked again under the lock of the administrators' rows (PostgreSQL), so two deletions cannot leave none.
    if (await isLastAdministrator(trx, userId)) throw lastAdmin();
    const person = await personOf(trx, userId);
    if (!person) throw notFound();
    for (const part of [...personalDataParts].reverse()) await part.erase(trx, person);
    await recordAudit(trx, { actorId, action: 'account.deleted', targetType: 'user', targetId: userId, details: { by: actorId === userId ? 'self' : 'administrator' } });
  });
}
