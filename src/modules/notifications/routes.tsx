import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { AppError, idParam } from '../../platform/errors.js';
import { ATOM_CONTENT_TYPE } from '../../platform/feeds/atom.js';
import { isApiRequest } from '../../platform/http/api.js';
import { handleForm } from '../../platform/http/form-route.js';
import { emptyForm, type FormState } from '../../platform/views/forms.js';
import { meetingsFeed, solutionsFeedSource } from './feeds.js';
import './policy.js';
import * as notifications from './service.js';
import { readUnsubscribeToken } from './unsubscribe.js';
import * as v from './views.js';

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

const invalidLink = () => new AppError('UNSUBSCRIBE_INVALID', 404, 'notifications.unsubscribeInvalid', 'notifications.unsubscribeInvalidTitle');

/** Counts the signed-in person's unread notifications for the header of every page. */
export function unreadNotificationsHook(db: Db) {
  return async (request: FastifyRequest) => {
    if (!request.user || request.method !== 'GET' || isApiRequest(request)) return;
    request.unreadNotifications = await notifications.unreadCount(db, request.user.id);
  };
}

export async function notificationRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  notifications.registerNotificationMail(db, config);

  // In the app ------------------------------------------------------------------------------------------
  app.get('/benachrichtigungen', { config: { action: 'notifications.own' } }, async (request, reply) => {
    const userId = request.user!.id;
    const page = Math.max(1, Math.min(10_000, Number.parseInt(String((request.query as Record<string, unknown>).seite ?? '1'), 10) || 1));
    const [data, unread] = await Promise.all([notifications.notificationsPage(db, userId, page, request.t), notifications.unreadCount(db, userId)]);
    return reply.page(request.t('notifications.title'), <v.NotificationsPage ctx={reply.view()} page={data} unread={unread} />);
  });

  app.post('/benachrichtigungen/alle-gelesen', { config: { action: 'notifications.own' } }, async (request, reply) => {
    const count = await notifications.markAllNotificationsRead(db, request.user!.id);
    return reply.seeOther('/benachrichtigungen', request.t('notifications.markedAllRead', { count }));
  });

  // Following a notification marks it read on the way to what it is about.
  app.get<{ Params: { id: string } }>('/benachrichtigungen/:id', { config: { action: 'notifications.own' } }, async (request, reply) => {
    const url = await notifications.openNotification(db, request.user!.id, idParam(request.params.id));
    // Only the platform's own pages are followed from a notification.
    return reply.seeOther(app.localTarget(url) ?? '/benachrichtigungen');
  });

  app.post<{ Params: { id: string } }>('/benachrichtigungen/:id/gelesen', { config: { action: 'notifications.own' } }, async (request, reply) => {
    await notifications.markNotificationRead(db, request.user!.id, idParam(request.params.id));
    return reply.seeOther('/benachrichtigungen', request.t('notifications.markedRead'));
  });

  // Mail settings ---------------------------------------------------------------------------------------
  const showSettings = async (request: FastifyRequest, reply: FastifyReply, form?: FormState) => {
    const prefs = await notifications.preferencesOf(db, request.user!.id);
    return reply.page(request.t('notifications.settingsTitle'),
      <v.SettingsPage ctx={reply.view()} form={form ?? emptyForm(prefs.frequencies)} mailEnabled={prefs.mailEnabled} />, { status: reply.statusCode });
  };
  app.get('/benachrichtigungen/einstellungen', { config: { action: 'notifications.own' } }, (request, reply) => showSettings(request, reply));
  app.post('/benachrichtigungen/einstellungen', { config: { action: 'notifications.own' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      await notifications.savePreferences(db, request.user!.id, values, v.preferenceLabels(request));
      return reply.seeOther('/benachrichtigungen/einstellungen', request.t('notifications.saved'));
    }, (form) => showSettings(request, reply, form)));

  // Unsubscribing from a mail, without signing in (RFC 8058) ------------------------------------------------
  const linkOf = (request: TokenRequest) => {
    const link = readUnsubscribeToken(config.sessionSecret, request.params.token);
    if (!link) throw invalidLink();
    return link;
  };
  app.get<{ Params: { token: string } }>('/abmelden/:token', { config: { action: 'notifications.unsubscribe' } }, async (request, reply) => {
    const link = linkOf(request);
    const done = await notifications.isUnsubscribed(db, link.userId, link.kinds);
    return reply.page(request.t('notifications.unsubscribeTitle'),
      <v.UnsubscribePage ctx={reply.view()} token={request.params.token} kinds={link.kinds} done={done} />);
  });
  // A mail program posts "List-Unsubscribe=One-Click" without cookies or CSRF token; the signed address is the proof.
  app.post<{ Params: { token: string } }>('/abmelden/:token', { config: { action: 'notifications.unsubscribe', csrfExempt: true } }, async (request, reply) => {
    const link = linkOf(request);
    await notifications.unsubscribe(db, link.userId, link.kinds);
    const oneClick = (request.body as Record<string, unknown> | undefined)?.['List-Unsubscribe'] === 'One-Click';
    // RFC 8058 forbids answering the mail program's POST with a redirect; a person's form gets the usual 303.
    if (oneClick) {
      return reply.page(request.t('notifications.unsubscribeTitle'),
        <v.UnsubscribePage ctx={reply.view()} token={request.params.token} kinds={link.kinds} done />);
    }
    return reply.seeOther(`/abmelden/${request.params.token}`);
  });

  // Atom feeds ------------------------------------------------------------------------------------------
  const solutionsFeed = solutionsFeedSource(db, config);
  app.get('/loesungen/feed.atom', { config: { action: 'feeds.view' } }, async (_request, reply) =>
    reply.type(ATOM_CONTENT_TYPE).header('cache-control', 'no-cache').send(await solutionsFeed()));
  app.get('/treffen/feed.atom', { config: { action: 'feeds.view' } }, async (_request, reply) =>
    reply.type(ATOM_CONTENT_TYPE).header('cache-control', 'no-cache').send(await meetingsFeed(db, config)));
}
