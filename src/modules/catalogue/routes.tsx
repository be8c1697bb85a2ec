import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { spreadsheetCsv } from '../../platform/csv.js';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { forbidden } from '../../platform/errors.js';
import { atomLink } from '../../platform/feeds/atom.js';
import { handleForm } from '../../platform/http/form-route.js';
import type { T } from '../../platform/i18n/index.js';
import { emptyForm, type FormState } from '../../platform/views/forms.js';
import { countExamples, loadExamples, removeExamples } from './examples.js';
import { SOURCE_INFO } from './fields.js';
import './policy.js';
import * as catalogue from './service.js';
import { EDITABLE } from './service.js';
import * as v from './views.js';

function labels(t: T): Record<string, string> {
  return Object.fromEntries([...EDITABLE, 'status', 'since', 'contact', 'cost_paid', 'experience'].map((f) => [f, t(`catalogue.fields.${f}`)]));
}

/** Form values of a stored solution, as strings. */
function formOf(s: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(EDITABLE.map((f) => {
    const value = s[f];
    if (f === 'own_development' || f === 'reuse_offered' || f === 'cooperation_wanted') return [f, value ? '1' : ''];
    return [f, value === null || value === undefined ? '' : String(value)];
  }));
}

/** A new entry is seen by the members by default: shared with the other municipalities, not yet with the public. */
const NEW_DEFAULTS = { maturity: 'idea', language: 'de', visibility: 'members' };

export async function catalogueRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const cache = app.pageCache;
  const pageVersion = () => catalogue.catalogueVersion(db);

  app.get('/loesungen', { config: { action: 'catalogue.view', pageVersion, pageQuery: catalogue.SEARCH_QUERY } }, async (request, reply) =>
    cache.serve(request, reply, await catalogue.catalogueVersion(db), async () => {
      const params = catalogue.parseSearchParams(request.query as Record<string, unknown>);
      const result = await catalogue.searchCatalogue(db, request.user, params);
      return reply.pageHtml(request.t('catalogue.title'), <v.CatalogueList ctx={reply.view()} params={params} result={result} />, {
        head: atomLink('/loesungen/feed.atom', request.t('notifications.feeds.solutionsTitle', { community: reply.view().communityName })),
      });
    }));

  // Export of what the visitor may see, with the same search and filters as the list.
  app.get('/loesungen/export.csv', { config: { action: 'catalogue.view' } }, async (request, reply) => {
    const rows = await catalogue.exportRows(db, request.user, catalogue.parseSearchParams(request.query as Record<string, unknown>));
    const columns = ['slug', ...EDITABLE.filter((f) => f !== 'visibility'), 'visibility', 'organisation_name', 'source', 'source_id', 'source_url', 'source_org', 'source_country', 'licence', 'updated_at'];
    const csv = spreadsheetCsv(columns, rows.map((r) => columns.map((c) => (r as unknown as Record<string, unknown>)[c])));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="loesungen.csv"').send(csv);
  });
  app.get('/loesungen/export.json', { config: { action: 'catalogue.view' } }, async (request, reply) => {
    const rows = await catalogue.exportRows(db, request.user, catalogue.parseSearchParams(request.query as Record<string, unknown>));
    const data = rows.map((r) => {
      const { id: _id, title_key: _k, created_by: _c, updated_by: _u, ...rest } = r;
      const info = SOURCE_INFO[r.source as keyof typeof SOURCE_INFO];
      return { ...rest, attribution: info?.attribution || null };
    });
    return reply.header('content-disposition', 'attachment; filename="loesungen.json"').send({ count: data.length, solutions: data });
  });

  app.get('/ueber-die-daten', { config: { action: 'catalogue.view' } }, async (request, reply) => {
    const rows = await db.selectFrom('solutions').select(['source', sql<number>`count(*)`.as('n')]).where('visibility', '=', 'public').groupBy('source').execute();
    const counts = Object.fromEntries(rows.map((r) => [r.source, Number(r.n)]));
    return reply.page(request.t('catalogue.aboutData'), <v.AboutDataPage ctx={reply.view()} counts={counts} />);
  });

  // Creating and editing -----------------------------------------------------------------------------
  const showForm = (reply: FastifyReply, form: FormState, action: string, title: string) =>
    reply.page(title, <v.SolutionForm ctx={reply.view()} form={form} action={action} title={title} />, { status: reply.statusCode });

  app.get('/loesungen/neu', { config: { action: 'solution.create' } }, (request, reply) =>
    showForm(reply, emptyForm(NEW_DEFAULTS), '/loesungen/neu', request.t('catalogue.createTitle')));
  app.post('/loesungen/neu', { config: { action: 'solution.create' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const data = catalogue.parseSolution(values, labels(request.t));
      const { slug } = await catalogue.createSolution(db, request.user, data);
      return reply.seeOther(`/loesungen/${slug}`, request.t('catalogue.created'));
    }, (form) => showForm(reply, form, '/loesungen/neu', request.t('catalogue.createTitle'))));

  app.get<{ Params: { slug: string } }>('/loesungen/:slug', { config: { action: 'catalogue.view', pageVersion } }, async (request, reply) =>
    cache.serve(request, reply, await catalogue.catalogueVersion(db), async () => {
      const s = await catalogue.solutionFor(db, request.user, request.params.slug);
      const [deployments, similar] = await Promise.all([
        catalogue.deploymentsOf(db, s.id, request.user),
        catalogue.similarSolutions(db, request.user, s),
      ]);
      return reply.pageHtml(s.title, <v.SolutionPage ctx={reply.view()} s={s} deployments={deployments} similar={similar} />);
    }));

  app.get<{ Params: { slug: string } }>('/loesungen/:slug/bearbeiten', { config: { action: 'solution.create' } }, async (request, reply) => {
    const s = await catalogue.solutionFor(db, request.user, request.params.slug);
    if (!reply.view().can('solution.edit', s)) throw forbidden();
    const title = request.t('catalogue.editTitle', { title: s.title });
    return showForm(reply, emptyForm(formOf(s)), `/loesungen/${s.slug}/bearbeiten`, title);
  });
  app.post<{ Params: { slug: string } }>('/loesungen/:slug/bearbeiten', { config: { action: 'solution.create' } }, async (request, reply) => {
    const s = await catalogue.solutionFor(db, request.user, request.params.slug);
    // Before validating: someone who may not edit gets 403, not the edit form with error messages.
    if (!reply.view().can('solution.edit', s)) throw forbidden();
    const title = request.t('catalogue.editTitle', { title: s.title });
    return handleForm(request, reply, async (values) => {
      const data = catalogue.parseSolution(values, labels(request.t));
      const { changed } = await catalogue.updateSolution(db, request.user, s.slug, data);
      return reply.seeOther(`/loesungen/${s.slug}`, request.t(changed.length ? 'catalogue.saved' : 'catalogue.unchanged'));
    }, (form) => showForm(reply, form, `/loesungen/${s.slug}/bearbeiten`, title));
  });

  app.get<{ Params: { slug: string } }>('/loesungen/:slug/versionen', { config: { action: 'catalogue.view' } }, async (request, reply) => {
    const data = await catalogue.versionsOf(db, request.user, request.params.slug);
    return reply.page(request.t('catalogue.historyTitle', { title: data.solution.title }), <v.HistoryPage ctx={reply.view()} data={data} />);
  });

  // Deployments ---------------------------------------------------------------------------------------
  const showDeployment = async (request: FastifyRequest<{ Params: { slug: string } }>, reply: FastifyReply, form?: FormState) => {
    const s = await catalogue.solutionFor(db, request.user, request.params.slug);
    let state = form;
    if (!state) {
      const mine = (await catalogue.deploymentsOf(db, s.id, request.user)).find((d) => d.organisation_id === request.user!.organisationId);
      state = emptyForm(mine ? { status: mine.status, since: mine.since ?? '', contact: mine.contact, cost_paid: mine.cost_paid, experience: mine.experience, visibility: mine.visibility } : { status: 'production', visibility: 'public' });
    }
    return reply.page(request.t('catalogue.deploymentTitle'), <v.DeploymentForm ctx={reply.view()} s={s} form={state} />, { status: reply.statusCode });
  };
  app.get<{ Params: { slug: string } }>('/loesungen/:slug/einsatz', { config: { action: 'deployment.mark' } }, (request, reply) => showDeployment(request, reply));
  app.post<{ Params: { slug: string } }>('/loesungen/:slug/einsatz', { config: { action: 'deployment.mark' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const s = await catalogue.markDeployment(db, request.user, request.params.slug, values, labels(request.t));
      const status = v.valueLabel(reply.view(), 'status', values.status);
      return reply.seeOther(`/loesungen/${s.slug}`, request.t('catalogue.deploymentSaved', { organisation: request.user!.organisationName, status }));
    }, (form) => showDeployment(request, reply, form)));
  app.post<{ Params: { slug: string } }>('/loesungen/:slug/einsatz/entfernen', { config: { action: 'deployment.mark' } }, async (request, reply) => {
    const s = await catalogue.removeDeployment(db, request.user, request.params.slug);
    return reply.seeOther(`/loesungen/${s.slug}`, request.t('catalogue.deploymentRemoved'));
  });

  // Examples -------------------------------------------------------------------------------------------
  app.get('/verwaltung/beispiele', { config: { action: 'catalogue.examples' } }, async (request, reply) =>
    reply.page(request.t('catalogue.examplesTitle'), <v.ExamplesPage ctx={reply.view()} count={await countExamples(db)} />));
  app.post('/verwaltung/beispiele/laden', { config: { action: 'catalogue.examples' } }, async (request, reply) => {
    const count = await loadExamples(db, request.user);
    return reply.seeOther('/verwaltung/beispiele', request.t('catalogue.examplesLoaded', { count }));
  });
  app.post('/verwaltung/beispiele/entfernen', { config: { action: 'catalogue.examples' } }, async (request, reply) => {
    const count = await removeExamples(db, request.user);
    return reply.seeOther('/verwaltung/beispiele', request.t('catalogue.examplesRemoved', { count }));
  });

}
