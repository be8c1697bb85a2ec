import { handleConfirmedForm } from '../../platform/http/confirm-route.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { spreadsheetCsv } from '../../platform/csv.js';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { forbidden } from '../../platform/errors.js';
import { atomLink } from '../../platform/feeds/atom.js';
import { handleForm } from '../../platform/http/form-route.js';
import type { T } from '../../platform/i18n/index.js';
import { emptyForm, type FormState } from '../../platform/views/forms.js';
import { resultsTitle } from '../../platform/views/page-title.js';
import { countExamples, loadExamples, removeExamples } from './examples.js';
import { SOURCE_INFO } from './fields.js';
import './policy.js';
import * as catalogue from './service.js';
import { EDITABLE } from './service.js';
import * as v from './views.js';
import { monthLabel } from './deployments.js';
import { CATALOGUE_VERSION_COLUMN } from './version.js';

function labels(t: T): Record<string, string> {
  return Object.fromEntries([...EDITABLE, 'status', 'since', 'contact', 'cost_paid', 'experience', 'cost_paid_eur', 'cost_period'].map((f) => [f, t(`catalogue.fields.${f}`, { defaultValue: t(`deployments.fields.${f}`) })]));
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
  const pageVersion = (fresh = false) => catalogue.catalogueVersion(db, fresh);
  const pageVersionColumn = CATALOGUE_VERSION_COLUMN;

  app.get('/loesungen', { config: { action: 'catalogue.view', pageVersion, pageVersionColumn, pageQuery: catalogue.SEARCH_QUERY } }, async (request, reply) =>
    cache.serve(request, reply, await catalogue.catalogueVersion(db, request.user !== null), async () => {
      const params = catalogue.parseSearchParams(request.query as Record<string, unknown>);
      const result = await catalogue.searchCatalogue(db, request.user, params);
      const t = request.t;
      const found = params.q ? t('catalogue.resultsFor', { count: result.total, q: params.q }) : t('catalogue.results', { count: result.total });
      const title = resultsTitle(t, t('catalogue.title'), found, params.page, Math.max(1, Math.ceil(result.total / catalogue.PAGE_SIZE)));
      return reply.pageHtml(title, <v.CatalogueList ctx={reply.view()} params={params} result={result} />, {
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

  app.get<{ Params: { slug: string } }>('/loesungen/:slug', { config: { action: 'catalogue.view', pageVersion, pageVersionColumn } }, async (request, reply) =>
    cache.serve(request, reply, await catalogue.catalogueVersion(db, request.user !== null), async () => {
      const s = await catalogue.solutionFor(db, request.user, request.params.slug);
      const [deployments, similar] = await Promise.all([
        catalogue.deploymentsShown(db, s, request.user),
        catalogue.similarSolutions(db, request.user, s),
      ]);
      return reply.pageHtml(s.title, <v.SolutionPage ctx={reply.view()} s={s} deployments={deployments} similar={similar} />, { description: s.summary });
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
    const mine = (await catalogue.deploymentsOf(db, s.id, request.user)).find((d) => d.organisation_id === request.user!.organisationId);
    // Without a deployment of its own, the describing organisation starts from the solution's maturity.
    const implied = !mine && s.organisation_id === request.user!.organisationId && s.maturity !== 'idea' && s.maturity !== 'retired' ? s.maturity : 'production';
    const state = form ?? emptyForm(mine ? {
      status: mine.status, since: monthLabel(mine.since), contact: mine.contact, cost_paid: mine.cost_paid,
      cost_paid_eur: mine.cost_paid_eur === null ? '' : String(mine.cost_paid_eur), cost_period: mine.cost_period ?? '', experience: mine.experience, visibility: mine.visibility,
    } : { status: implied, visibility: 'public' });
    const stored = mine ? v.deploymentLine(reply.view(), mine) : null;
    return reply.page(request.t('catalogue.deploymentTitle'), <v.DeploymentForm ctx={reply.view()} s={s} form={state} stored={stored} />, { status: reply.statusCode });
  };
  app.get<{ Params: { slug: string } }>('/loesungen/:slug/einsatz', { config: { action: 'deployment.mark' } }, (request, reply) => showDeployment(request, reply));
  app.post<{ Params: { slug: string } }>('/loesungen/:slug/einsatz', { config: { action: 'deployment.mark' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const { solution: s, previous, status } = await catalogue.markDeployment(db, request.user, request.params.slug, values, labels(request.t));
      const label = (x: string) => v.valueLabel(reply.view(), 'status', x);
      const organisation = request.user!.organisationName;
      // A stored status is never replaced silently: the message names the old and the new one.
      const message = previous === null ? request.t('catalogue.deploymentSaved', { organisation, status: label(status) })
        : previous !== status ? request.t('deployments.statusChanged', { organisation, from: label(previous), to: label(status) })
          : request.t('deployments.updated', { organisation, status: label(status) });
      return reply.seeOther(`/loesungen/${s.slug}`, message);
    }, (form) => showDeployment(request, reply, form)));
  app.post<{ Params: { slug: string } }>('/loesungen/:slug/einsatz/entfernen', { config: { action: 'deployment.mark' } }, (request, reply) =>
    handleConfirmedForm(request, reply, `/loesungen/${request.params.slug}`, async (_values, confirmed) => {
      const { solution: s, removed } = await catalogue.removeDeployment(db, request.user, request.params.slug, confirmed);
      return reply.seeOther(`/loesungen/${s.slug}`, request.t(removed ? 'catalogue.deploymentRemoved' : 'deployments.nothingToRemove'));
    }, () => reply.seeOther(`/loesungen/${request.params.slug}`)));

  // Examples -------------------------------------------------------------------------------------------
  app.get('/verwaltung/beispiele', { config: { action: 'catalogue.examples' } }, async (request, reply) =>
    reply.page(request.t('catalogue.examplesTitle'), <v.ExamplesPage ctx={reply.view()} count={await countExamples(db)} />));
  app.post('/verwaltung/beispiele/laden', { config: { action: 'catalogue.examples' } }, async (request, reply) => {
    const count = await loadExamples(db, request.user);
    return reply.seeOther('/verwaltung/beispiele', request.t('catalogue.examplesLoaded', { count }));
  });
  app.post('/verwaltung/beispiele/entfernen', { config: { action: 'catalogue.examples' } }, (request, reply) =>
    handleConfirmedForm(request, reply, '/verwaltung/beispiele', async (_values, confirmed) => {
      const count = await removeExamples(db, request.user, confirmed);
      return reply.seeOther('/verwaltung/beispiele', request.t('catalogue.examplesRemoved', { count }));
    }, () => reply.seeOther('/verwaltung/beispiele')));

}
