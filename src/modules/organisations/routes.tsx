import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { can } from '../../platform/policy.js';
import './policy.js';
import { deploymentsOfOrganisation } from '../catalogue/service.js';
import { organisationDirectory, organisationPage } from './service.js';
import { OrganisationDetail, OrganisationList } from './views.js';

export async function organisationRoutes(app: FastifyInstance, { db }: { db: Db }) {
  app.get('/organisationen', { config: { action: 'organisations.view' } }, async (request, reply) => {
    const rows = await organisationDirectory(db);
    return reply.page(request.t('organisations.title'), <OrganisationList ctx={reply.view()} rows={rows} />);
  });

  app.get<{ Params: { slug: string } }>('/organisationen/:slug', { config: { action: 'organisations.view' } }, async (request, reply) => {
    const showPeople = can(request.user, 'organisations.people');
    const data = await organisationPage(db, request.params.slug, showPeople);
    if (!data) throw notFound();
    const deployments = await deploymentsOfOrganisation(db, data.org.id, request.user);
    return reply.page(data.org.name, <OrganisationDetail ctx={reply.view()} data={data} showPeople={showPeople} deployments={deployments} />);
  });
}
