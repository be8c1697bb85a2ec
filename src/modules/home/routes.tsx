import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { formatNumber, isLang } from '../../platform/i18n/index.js';
import { definePolicy, rules } from '../../platform/policy.js';
import { upcomingMeetings } from '../meetings/service.js';
import { feedLink, UpcomingMeetings } from '../meetings/views.js';
import { communityFigures } from '../organisations/service.js';
import { riskClassCounts } from '../catalogue/service.js';
import { RiskClassLine } from '../aiact/views.js';
import { communitySavings } from '../procurement/service.js';
import { SavingsLine } from '../procurement/views.js';

definePolicy({ 'home.view': rules.anyone });

export async function homeRoutes(app: FastifyInstance, { db }: { db: Db }) {
  app.get('/', { config: { action: 'home.view' } }, async (request, reply) => {
    const { t, lang } = request;
    const [figures, meetings, savings, classes] = await Promise.all([communityFigures(db), upcomingMeetings(db, request.user), communitySavings(db), riskClassCounts(db, request.user)]);
    const ctx = reply.view();
    return reply.page(t('home.title'), (
      <>
        <h1>{ctx.communityName}</h1>
        <p class="lead">{t('home.intro', { community: ctx.communityName, region: ctx.regionName })}</p>
        <p>{t('home.stats', { orgs: formatNumber(figures.organisations, lang), members: formatNumber(figures.members, lang) })}</p>
        {!request.user && <p><a class="button" href="/mitmachen">{t('home.joinCta')}</a></p>}
        <SavingsLine ctx={ctx} savings={savings} />
        <RiskClassLine ctx={ctx} counts={classes} />
        <UpcomingMeetings ctx={ctx} items={meetings} />
      </>
    ), { head: feedLink(ctx) });
  });

  /** For load balancers: answers 200 while the database answers. */
  app.get('/healthz', { config: { action: 'public' }, logLevel: 'warn' }, async (_request, reply) => {
    await sql`select 1`.execute(db);
    return reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });

  app.get<{ Params: { lang: string }; Querystring: { zurueck?: string } }>('/sprache/:lang', { config: { action: 'public' } }, async (request, reply) => {
    const lang = isLang(request.params.lang) ? request.params.lang : 'de';
    const back = request.query.zurueck;
    reply.setCookie('lang', lang, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 });
    // Same-site paths only: browsers read a backslash as a slash, so "/\evil.example" would leave the site.
    return reply.redirect(typeof back === 'string' && /^\/(?!\/)[^\s\\]*$/.test(back) ? back : '/', 303);
  });
}
