import type { Db, Tx } from '../../platform/db/database.js';
import { touchCatalogue } from './version.js';
import { likeAny, mentionsPerson, withoutPerson, type PersonalDataPart, type Person } from '../../platform/personal-data.js';

/**
 * Solutions entered, their versions by the person, deployments recorded. They stay on deletion (other
 * municipalities rely on them); the person's address as contact, and their name or address in a deployment's
 * contact or in the stored versions, are removed.
 */
export const cataloguePart: PersonalDataPart = {
  section: 'catalogue',
  async collect(db: Db, person: Person, baseUrl: string) {
    const link = (slug: string) => `${baseUrl}/loesungen/${slug}`;
    const solutions = await db.selectFrom('solutions').select(['slug', 'title', 'summary', 'visibility', 'contact_email', 'created_at', 'updated_at'])
      .where('created_by', '=', person.id).orderBy('id').execute();
    const edits = await db.selectFrom('solution_versions as v').innerJoin('solutions as s', 's.id', 'v.solution_id')
      .select(['s.slug', 's.title', 'v.version', 'v.changed_fields', 'v.changed_at']).where('v.changed_by', '=', person.id).orderBy('v.id').execute();
    const deployments = await db.selectFrom('deployments as d').innerJoin('solutions as s', 's.id', 'd.solution_id')
      .select(['s.slug', 's.title', 'd.status', 'd.since', 'd.contact', 'd.cost_paid', 'd.experience', 'd.visibility', 'd.created_at', 'd.updated_at'])
      .where('d.created_by', '=', person.id).orderBy('d.id').execute();
    return {
      solutionsCreated: solutions.map((s) => ({ title: s.title, summary: s.summary, visibility: s.visibility, contactEmail: s.contact_email, link: link(s.slug), createdAt: s.created_at, updatedAt: s.updated_at })),
      solutionEdits: edits.map((e) => ({ solution: e.title, version: e.version, changedFields: JSON.parse(e.changed_fields) as string[], link: `${link(e.slug)}/versionen`, at: e.changed_at })),
      deployments: deployments.map((d) => ({
        solution: d.title, link: link(d.slug), status: d.status, since: d.since, contact: d.contact, costPaid: d.cost_paid, experience: d.experience,
        visibility: d.visibility, createdAt: d.created_at, updatedAt: d.updated_at,
      })),
    };
  },
  async erase(trx: Tx, person: Person) {
    await trx.updateTable('solutions').set({ contact_email: '' }).where((eb) => eb(eb.fn('lower', ['contact_email']), '=', person.email.toLowerCase())).execute();
    const contacts = await trx.selectFrom('deployments').select(['id', 'contact']).where((eb) => eb.or(likeAny(eb, 'contact', person))).execute();
    for (const d of contacts.filter((row) => mentionsPerson(row.contact, person))) {
      await trx.updateTable('deployments').set({ contact: withoutPerson(d.contact, person).trim() }).where('id', '=', d.id).execute();
    }
    const versions = await trx.selectFrom('solution_versions').select(['id', 'data']).where((eb) => eb.or(likeAny(eb, 'data', person))).execute();
    for (const v of versions.filter((row) => mentionsPerson(row.data, person))) {
      await trx.updateTable('solution_versions').set({ data: withoutPerson(v.data, person) }).where('id', '=', v.id).execute();
    }
    // Pages of the catalogue kept for visitors may show the person as a contact: they are drawn again.
    await touchCatalogue(trx);
  },
};
