import type { Db } from '../../platform/db/database.js';
import type { PersonalDataPart, Person } from '../../platform/personal-data.js';

/** AI Act self-checks run by the person: their organisation's record, which stays on deletion. */
export const aiActPart: PersonalDataPart = {
  section: 'aiActChecks',
  async collect(db: Db, person: Person, baseUrl: string) {
    const checks = await db.selectFrom('ai_act_checks').select(['id', 'title', 'status', 'risk_class', 'answers', 'created_at', 'completed_at'])
      .where((eb) => eb.or([eb('created_by', '=', person.id), eb('updated_by', '=', person.id)])).orderBy('id').execute();
    return checks.map((c) => ({
      title: c.title, status: c.status, riskClass: c.risk_class, answers: JSON.parse(c.answers) as unknown, link: `${baseUrl}/selbstcheck/${c.id}`,
      createdAt: c.created_at, completedAt: c.completed_at,
    }));
  },
  async erase() {},
};
