import contentDisposition from 'content-disposition';
import type { FastifyInstance } from 'fastify';
import { render } from 'preact-render-to-string';
import { FragmentCache } from '../../platform/data-version.js';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import './policy.js';
import * as dashboard from './service.js';
import * as v from './views.js';

export async function dashboardRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const pageVersion = () => dashboard.dashboardVersion(db);
  // Members all see the same charts: drawn once per language and data version. One cache per app, as
  // each app has its own database (and two databases may well stand at the same version).
  const fragments = new FragmentCache<string>(20);

  app.get('/zahlen', { config: { action: 'dashboard.view', pageVersion } }, async (request, reply) => {
    const version = await dashboard.dashboardVersion(db);
    return app.pageCache.serve(request, reply, version, async () => {
      const ctx = reply.view();
      const audience = dashboard.audienceOf(request.user);
      const draw = async () => render(<v.Charts ctx={ctx} audience={audience} charts={await dashboard.dashboardData(db, audience, request.lang)} />);
      // The whole page of a visitor who is not signed in is cached already.
      const chartsHtml = audience === 'public' ? await draw() : await fragments.get(`${audience}|${request.lang}`, version, draw);
      const registerEntries = await dashboard.registerEntries(db, audience);
      return reply.pageHtml(request.t('dashboard.title'), <v.DashboardPage ctx={ctx} audience={audience} chartsHtml={chartsHtml} registerEntries={registerEntries} />);
    });
  });

  app.get<{ Params: { chart: string } }>('/zahlen/:chart.csv', { config: { action: 'dashboard.view' } }, async (request, reply) => {
    const id = request.params.chart;
    if (!dashboard.isChartId(id)) throw notFound();
    const data = await dashboard.chartData(db, id, dashboard.audienceOf(request.user), request.lang);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', contentDisposition(`${id}.csv`)).send(dashboard.chartCsv(data));
  });
}
