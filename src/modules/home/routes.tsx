import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Config } from '../../platform/config.js';
import { dataVersion } from '../../platform/data-version.js';
import type { Db } from '../../platform/db/database.js';
import { isLang } from '../../platform/i18n/index.js';
import { definePolicy, rules } from '../../platform/policy.js';
import { upcomingMeetings } from '../meetings/service.js';
import { setLanguageCookie } from '../members/language.js';
import { setLanguage } from '../members/service.js';
import { feedLink, UpcomingMeetings } from '../meetings/views.js';
import { riskClassCounts } from '../catalogue/service.js';
import { RiskClassLine } from '../aiact/views.js';
import { homeFigures } from '../dashboard/service.js';
import { HomeFigures } from '../dashboard/views.js';
import { cachedCompactMap } from '../map/cache.js';
import { regionGeo } from '../map/service.js';
import { communitySavings } from '../procurement/service.js';
import { SavingsLine } from '../procurement/views.js';
import { SearchBox } from '../../platform/views/search-box.js';
import { appVersion } from '../../platform/version.js';

definePolicy({ 'home.view': rules.anyone });

/**
 * The home page of a visitor who is not signed in is cached until the data changes, and for at most a
 * minute: the upcoming meetings and their registration state also change with the clock.
 */
async function homeVersion(db: Db, fresh = false): Promise<string> {
  return `${await dataVersion(db, fresh)}|${Math.floor(Date.now() / 60_000)}`;
}

export async function homeRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  const geo = regionGeo(config.regionGeojson);
  const pageVersion = (fresh = false) => homeVersion(db, fresh);

  app.get('/', { config: { action: 'home.view', pageVersion, pageAudience: 'person' } }, async (request, reply) =>
    app.pageCache.serve(request, reply, await homeVersion(db, request.user !== null), async () => {
      const { t } = request;
      const ctx = reply.view();
      // The figures and the map count public content only: the home page tells everyone the same.
      const saved = communitySavings(db);
      const [figures, map, meetings, savings, classes] = await Promise.all([
        homeFigures(db, saved), cachedCompactMap(db, geo, 'public', ctx), upcomingMeetings(db, request.user), saved, riskClassCounts(db, request.user),
      ]);
      return reply.pageHtml(t('home.title'), (
        <>
          <h1>{ctx.communityName}</h1>
          <p class="lead">{t('home.intro', { community: ctx.communityName, region: ctx.regionName })}</p>
          {!request.user && <p><a class="button" href="/mitmachen">{t('home.joinCta')}</a></p>}
          <section class="home-search" aria-labelledby="home-search-title">
            <h2 id="home-search-title">{t('search.homeTitle')}</h2>
            <SearchBox ctx={ctx} id="home-search" />
          </section>
          <HomeFigures ctx={ctx} figures={figures} />
          <SavingsLine ctx={ctx} savings={savings} />
          <section class="home-map" aria-labelledby="home-map-heading">
            <h2 id="home-map-heading">{t('home.mapTitle')}</h2>
            <div dangerouslySetInnerHTML={{ __html: map }} />
          </section>
          <RiskClassLine ctx={ctx} counts={classes} />
          <UpcomingMeetings ctx={ctx} items={meetings} />
        </>
      ), { head: feedLink(ctx) });
    }));

  /** For load balancers: answers 200 while the database answers; names the running release (version and commit). */
  app.get('/healthz', { config: { action: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    await sql`select 1`.execute(db);
    const { version, commit } = appVersion();
    return reply.header('cache-control', 'no-store').send({ status: 'ok', version, commit: commit ?? null });
  });

  app.get<{ Params: { lang: string }; Querystring: { zurueck?: string } }>('/sprache/:lang', { config: { action: 'public' } }, async (request, reply) => {
    const lang = isLang(request.params.lang) ? request.params.lang : 'de';
    const back = request.query.zurueck;
    setLanguageCookie(reply, lang);
    // A member's mails follow the language they read the platform in.
    if (request.user && isLang(request.params.lang)) await setLanguage(db, request.user.id, lang);
    // Same-site pages only (see seeOther): anything else goes to the start page.
    return reply.seeOther(typeof back === 'string' ? back : '/');
  });
}
