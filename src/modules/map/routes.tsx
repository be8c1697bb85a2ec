import type { FastifyInstance } from 'fastify';
import type { Config } from '../../platform/config.js';
import { DATA_VERSION_COLUMN, dataVersion } from '../../platform/data-version.js';
import type { Db } from '../../platform/db/database.js';
import { cachedMapPage } from './cache.js';
import './policy.js';
import { audienceOf, FILTER_NAMES, mapFiltersOf, regionGeo } from './service.js';

export async function mapRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  // Read and projected once at start-up (buildApp checks the file); kept for the process.
  const geo = regionGeo(config.regionGeojson);
  const pageVersion = (fresh = false) => dataVersion(db, fresh);

  app.get('/karte', { config: { action: 'map.view', pageVersion, pageVersionColumn: DATA_VERSION_COLUMN, pageQuery: FILTER_NAMES } }, async (request, reply) => {
    const version = await dataVersion(db);
    const body = await cachedMapPage(db, geo, audienceOf(request.user), mapFiltersOf(request.query), reply.view(), version);
    const content = <div class="map-page" dangerouslySetInnerHTML={{ __html: body.html }} />;
    const title = request.t('map.title');
    // An unknown filter value is answered with 422 and never stored as the page of that address.
    if (body.invalid) return reply.page(title, content, { status: 422 });
    return app.pageCache.serve(request, reply, version, async () => reply.pageHtml(title, content));
  });
}
