import Fastify, { type FastifyInstance } from 'fastify';
import { trustProxyOption, type Config } from './platform/config.js';
import { openDatabase, type DatabaseHandle, type Db } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { platformPlugin } from './platform/http/platform.js';
import { purgeExpiredRateLimits } from './platform/http/rate-limit-store.js';
import { deliverDueMail, smtpTransport } from './platform/mail/outbox.js';
import { migrations } from './migrations/index.js';
import { createMetrics, observabilityRoutes, requestIdFor, type PlatformMetrics } from './platform/http/observability.js';
import { checkSessionSecret } from './platform/session-secret.js';
import { forgetDataVersionAfterWrites } from './platform/data-version.js';
import { regionGeo } from './modules/map/geo.js';
import { adminRoutes } from './modules/admin/routes.js';
import { aiActRoutes } from './modules/aiact/routes.js';
import { dashboardRoutes } from './modules/dashboard/routes.js';
import { mapRoutes } from './modules/map/routes.js';
import { catalogueApi } from './modules/catalogue/api.js';
import { catalogueRoutes } from './modules/catalogue/routes.js';
import { reindexAllSolutions } from './modules/catalogue/service.js';
import { reindexAllQuestions } from './modules/questions/service.js';
import { homeRoutes } from './modules/home/routes.js';
import { legalRoutes } from './modules/legal/routes.js';
import { meetingRoutes } from './modules/meetings/routes.js';
import { topicRoutes } from './modules/meetings/topics-routes.js';
import { closeDueVotes } from './modules/meetings/topics-service.js';
import { sendMeetingReminders } from './modules/meetings/service.js';
import { sendDeadlineNotices } from './modules/procurement/notices.js';
import { memberRoutes, openJoinRequestsHook } from './modules/members/routes.js';
import { sendDigests } from './modules/notifications/digest.js';
import { notificationRoutes, unreadNotificationsHook } from './modules/notifications/routes.js';
import { tokenRoutes } from './modules/members/token-routes.js';
import { requireTwoFactorSetup } from './modules/members/two-factor-routes.js';
import { onboardingRoutes } from './modules/onboarding/routes.js';
import { organisationRoutes } from './modules/organisations/routes.js';
import { ownDataRoutes } from './modules/owndata/routes.js';
import { procurementRoutes } from './modules/procurement/routes.js';
import { questionRoutes } from './modules/questions/routes.js';
import { loadRegion } from './modules/organisations/service.js';
import { seoRoutes } from './modules/seo/routes.js';
import { setupRoutes } from './modules/setup/routes.js';
import { RETENTION_INTERVAL_MS, runRetention } from './modules/retention/service.js';
import { signOnRoutes } from './modules/sso/routes.js';
import { checkSignOnOrganisations } from './modules/sso/service.js';

export interface App {
  app: FastifyInstance;
  database: DatabaseHandle;
  /** Sends due mails now (the background job does the same on its own schedule). */
  deliverMail(): Promise<{ sent: number; failed: number }>;
  metrics: PlatformMetrics;
}

/**
 * Rebuilds the search indexes once when a migration asked for it (the ranking changed). The instance that removes
 * the mark does it, so several instances starting at once rebuild once.
 */
async function rebuildSearchIndexes(db: Db): Promise<void> {
  const claimed = await db.deleteFrom('settings').where('key', '=', 'search_rebuild').executeTakeFirst();
  if (Number(claimed.numDeletedRows) === 0) return;
  await reindexAllSolutions(db);
  await reindexAllQuestions(db);
}

/**
 * What the job runner does every few minutes besides mail: closes topic votes at their deadline, reminds the
 * people registered the day before a meeting and announces procurement deadlines three days ahead. Each occasion
 * is claimed once in the database, so running this twice or on several instances at once tells people once.
 */
export async function runScheduledNotices(db: Db, now: Date = new Date()): Promise<{ votesClosed: number; reminders: number; deadlines: number }> {
  const votesClosed = await closeDueVotes(db, now.toISOString());
  const reminders = await sendMeetingReminders(db, now);
  const deadlines = await sendDeadlineNotices(db, now);
  return { votesClosed, reminders, deadlines };
}

/** Builds the platform without listening: migrates, loads the region, registers every module. */
export async function buildApp(config: Config, options: { mailPollMs?: number } = {}): Promise<App> {
  const database = openDatabase(config);
  const { db } = database;
  try {
    await migrateToLatest(db, migrations);
    // Before anything else is done: instances that disagree on the session secret refuse to start.
    await checkSessionSecret(db, config);
    await loadRegion(db, config);
    await checkSignOnOrganisations(db, config.signOnOrganisations);
    await rebuildSearchIndexes(db);
    // Read and projected once now (it is kept), so a broken map file stops the start.
    regionGeo(config.regionGeojson);
  } catch (err) {
    // A start-up that fails (broken region file, migration error) must not leave the connection pool open.
    await database.close();
    throw err;
  }

  const app: FastifyInstance = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    trustProxy: trustProxyOption(config.trustProxy),
    // Refusals by the router and by Node's parser get the platform's answer (German, with the security headers).
    frameworkErrors: (error, request, reply) => app.answerFrameworkError(error, request, reply),
    clientErrorHandler: (error, socket) => app.answerClientError(error, socket),
    // One id per request in every log line and on error pages, taken from the proxy's X-Request-Id when it sends one.
    genReqId: requestIdFor,
  });
  // A stopping instance (SIGTERM) finishes the requests it has begun and then closes their connections. A proxy keeps
  // its connections open between requests; left open, they would hold the stop until the grace period ends.
  let stopping = false;
  app.addHook('preClose', async () => {
    stopping = true;
    app.server.closeIdleConnections();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (stopping) reply.header('connection', 'close');
    done(null, payload);
  });
  await app.register(platformPlugin, { config, db });
  forgetDataVersionAfterWrites(app, db);
  const metrics = createMetrics(app, database, app.pageCache);
  observabilityRoutes(app, { db, migrationNames: Object.keys(migrations), metrics, metricsToken: config.metricsToken });
  // Before the modules, so that every page they render has the unread count for its header.
  app.addHook('preHandler', unreadNotificationsHook(db));
  // After the session is read: an administrator or moderator who must set up two-factor sign-in does that first.
  app.addHook('onRequest', requireTwoFactorSetup(db));
  app.addHook('preHandler', openJoinRequestsHook(db));
  const deps = { db, config };
  await app.register(notificationRoutes, deps);
  await app.register(homeRoutes, deps);
  await app.register(setupRoutes, deps);
  await app.register(memberRoutes, deps);
  await app.register(signOnRoutes, deps);
  await app.register(organisationRoutes, deps);
  await app.register(legalRoutes, deps);
  await app.register(adminRoutes, deps);
  await app.register(onboardingRoutes, deps);
  await app.register(catalogueRoutes, deps);
  await app.register(tokenRoutes, deps);
  await app.register(ownDataRoutes, deps);
  await app.register(catalogueApi, deps);
  await app.register(meetingRoutes, deps);
  await app.register(topicRoutes, deps);
  await app.register(questionRoutes, deps);
  await app.register(procurementRoutes, deps);
  await app.register(aiActRoutes, deps);
  await app.register(dashboardRoutes, deps);
  await app.register(mapRoutes, deps);
  await app.register(seoRoutes, deps);

  const transport = config.smtpUrl ? smtpTransport(config.smtpUrl) : undefined;
  const deliverMail = async () => (transport ? deliverDueMail(db, transport, config.mailFrom) : { sent: 0, failed: 0 });
  const timers: NodeJS.Timeout[] = [];
  // A delivery under way when the instance stops is finished first, so that a mail sent is also marked sent.
  let delivering: Promise<void> | undefined;
  if (config.runJobs) {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      delivering = (async () => {
        try {
          const { failed } = await deliverMail();
          metrics.jobRun('mail', failed > 0);
        } catch (err) {
          metrics.jobRun('mail', true);
          app.log.error({ err }, 'mail delivery failed');
        } finally {
          running = false;
        }
      })();
      await delivering;
    };
    if (transport) timers.push(setInterval(tick, options.mailPollMs ?? 5000));
    // Retention (expired sessions among it): every instance asks hourly, the one holding the lease deletes.
    const retain = () => runRetention(db, config.retention)
      .then((deleted) => { metrics.jobRun('retention', false); if (deleted) app.log.info({ deleted }, 'retention run'); })
      .catch((err) => { metrics.jobRun('retention', true); app.log.error({ err }, 'retention run failed'); });
    timers.push(setTimeout(retain, 60 * 1000), setInterval(retain, RETENTION_INTERVAL_MS));
    timers.push(setInterval(() => purgeExpiredRateLimits(db)
      .then(() => metrics.jobRun('rate_limit_purge', false))
      .catch((err) => { metrics.jobRun('rate_limit_purge', true); app.log.error({ err }, 'rate-limit purge failed'); }), 60 * 60 * 1000));
    // Topic votes closing, meeting reminders and procurement deadlines; several instances may run this at once.
    let noticing = false;
    timers.push(setInterval(async () => {
      if (noticing) return;
      noticing = true;
      try {
        await runScheduledNotices(db);
        metrics.jobRun('scheduled_notices', false);
      } catch (err) {
        metrics.jobRun('scheduled_notices', true);
        app.log.error({ err }, 'scheduled notices failed');
      } finally {
        noticing = false;
      }
    }, 5 * 60 * 1000));
    // Digests go out at the first run after their hour; several instances may run this at once.
    let digesting = false;
    timers.push(setInterval(async () => {
      if (digesting) return;
      digesting = true;
      try {
        await sendDigests(db);
        metrics.jobRun('digest', false);
      } catch (err) {
        metrics.jobRun('digest', true);
        app.log.error({ err }, 'digest run failed');
      } finally {
        digesting = false;
      }
    }, 5 * 60 * 1000));
  }
  app.addHook('onClose', async () => {
    timers.forEach(clearInterval);
    await delivering;
    transport?.close();
    await database.close();
  });
  await app.ready();
  return { app, database, deliverMail, metrics };
}
