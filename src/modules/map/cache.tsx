import { render } from 'preact-render-to-string';
import type { Db } from '../../platform/db/database.js';
import { dataVersion, FragmentCache } from '../../platform/data-version.js';
import type { ViewContext } from '../../platform/views/context.js';
import type { RegionGeo } from './geo.js';
import { regionMap, type Audience, type MapFilters } from './service.js';
import { MapPage, RegionMapFigure, type MapContext } from './views.js';

/**
 * Rendered maps, kept until the data version moves. One cache per database: the version is a counter of
 * that database, and two databases (tests, a second region) may well stand at the same number.
 */
const pages = new WeakMap<Db, FragmentCache<{ html: string; invalid: boolean }>>();
const compacts = new WeakMap<Db, FragmentCache<string>>();

function cacheOf<T>(caches: WeakMap<Db, FragmentCache<T>>, db: Db, size: number): FragmentCache<T> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new FragmentCache<T>(size);
    caches.set(db, cache);
  }
  return cache;
}

/**
 * The body of the map page (filter form and figure) for an audience, language and choice of filters;
 * `invalid` when a filter value was unknown (the page then says so, with status 422). The form is sent
 * with GET and carries no token, so the same body serves every visitor of the audience.
 */
export async function cachedMapPage(db: Db, geo: RegionGeo, audience: Audience, filters: MapFilters, ctx: ViewContext, version: string) {
  const key = JSON.stringify([audience, ctx.lang, filters.loesung ?? '', filters.handlungsfeld ?? '', filters.reife ?? '']);
  return cacheOf(pages, db, 500).get(key, version, async () => {
    const model = await regionMap(db, geo, audience, filters);
    return { html: render(<MapPage ctx={ctx} model={model} />), invalid: Object.keys(model.errors).length > 0 };
  });
}

/** The compact figure (no filters, tables folded away) as HTML, for the home page; redrawn only when the data changes. */
export async function cachedCompactMap(db: Db, geo: RegionGeo, audience: Audience, ctx: MapContext): Promise<string> {
  return cacheOf(compacts, db, 8).get(`${audience}|${ctx.lang}`, await dataVersion(db), async () =>
    render(<RegionMapFigure ctx={ctx} model={await regionMap(db, geo, audience, {})} compact id="home-map" />));
}
