import { formatDateTime } from '../../platform/i18n/index.js';
import type { ViewContext } from '../../platform/views/context.js';
import { ErrorMessage, ErrorSummary, errorText, Form, Submit, type FormState } from '../../platform/views/forms.js';
import { kindLabelKey, MAIL_FREQUENCIES, NOTIFICATION_KINDS, type NotificationKind } from './kinds.js';
import type { notificationsPage } from './service.js';

type Page = Awaited<ReturnType<typeof notificationsPage>>;

/** Labels of the settings form's fields, for error messages. */
export function preferenceLabels(ctx: Pick<ViewContext, 't'>): Record<string, string> {
  return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, ctx.t(kindLabelKey(k))]));
}

export function NotificationsPage({ ctx, page, unread }: { ctx: ViewContext; page: Page; unread: number }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('notifications.title')}</h1>
      <p class="lead">{t('notifications.intro')}</p>
      <div class="actions-row">
        <p class="count">{t('notifications.unread', { count: unread })}</p>
        {unread > 0 && (
          <Form ctx={ctx} action="/benachrichtigungen/alle-gelesen" class="inline-form">
            <button type="submit" class="button-small">{t('notifications.markAllRead')}</button>
          </Form>
        )}
        <a href="/benachrichtigungen/einstellungen">{t('notifications.settingsLink')}</a>
      </div>
      {page.items.length === 0 ? <p>{t('notifications.empty')}</p> : (
        <ol class="result-list notification-list">
          {page.items.map((n) => (
            <li class={n.read ? 'result notification' : 'result notification unread'}>
              <p class="notification-text">
                {!n.read && <strong class="unread-marker">{t('notifications.unreadMarker')}: </strong>}
                <a href={`/benachrichtigungen/${n.id}`}>{n.text}</a>
              </p>
              <p class="meta">{t(kindLabelKey(n.kind))} · {formatDateTime(n.createdAt, ctx.lang)}</p>
              {!n.read && (
                <Form ctx={ctx} action={`/benachrichtigungen/${n.id}/gelesen`} class="inline-form">
                  <button type="submit" class="link-button" aria-label={`${t('notifications.markRead')}: ${n.text}`}>{t('notifications.markRead')}</button>
                </Form>
              )}
            </li>
          ))}
        </ol>
      )}
      {page.pages > 1 && (
        <nav aria-label={t('notifications.pagination')} class="pagination">
          {page.page > 1 && <a href={`/benachrichtigungen?seite=${page.page - 1}`} rel="prev">{t('notifications.previous')}</a>}
          <span>{t('common.pageOf', { page: page.page, pages: page.pages })}</span>
          {page.page < page.pages && <a href={`/benachrichtigungen?seite=${page.page + 1}`} rel="next">{t('notifications.next')}</a>}
        </nav>
      )}
    </>
  );
}

/** One kind's choice as a group of radio buttons; the first carries the id the error summary links to. */
function FrequencyChoice({ ctx, form, kind }: { ctx: ViewContext; form: FormState; kind: NotificationKind }) {
  const { t } = ctx;
  const error = errorText(t, form, kind);
  return (
    <fieldset class={error ? 'field field-error' : 'field'} aria-describedby={error ? `f-${kind}-error` : undefined}>
      <legend>{t(kindLabelKey(kind))}</legend>
      {error && <ErrorMessage ctx={ctx} id={`f-${kind}-error`}>{error}</ErrorMessage>}
      {MAIL_FREQUENCIES.map((f, i) => (
        <div class="field-check">
          <input type="radio" id={i === 0 ? `f-${kind}` : `f-${kind}-${f}`} name={kind} value={f} checked={form.values[kind] === f}
            aria-invalid={error ? 'true' : undefined} />
          <label for={i === 0 ? `f-${kind}` : `f-${kind}-${f}`}>{t(`notifications.frequencies.${f}`)}</label>
        </div>
      ))}
    </fieldset>
  );
}

export function SettingsPage({ ctx, form, mailEnabled }: { ctx: ViewContext; form: FormState; mailEnabled: boolean }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('notifications.settingsTitle')}</h1>
      <p class="lead">{t('notifications.settingsIntro')}</p>
      {!mailEnabled && <p class="notice">{t('notifications.mailDisabled')} <a href="/profil">{t('notifications.profileLink')}</a></p>}
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action="/benachrichtigungen/einstellungen">
        {NOTIFICATION_KINDS.map((kind) => <FrequencyChoice ctx={ctx} form={form} kind={kind} />)}
        <p class="hint">{t('notifications.digestHint')}</p>
        <Submit label={t('common.save')} />
      </Form>
      <p><a href="/benachrichtigungen">{t('notifications.title')}</a></p>
    </>
  );
}

/** The page behind the unsubscribe link: a confirmation form, or the confirmation that it is done. */
export function UnsubscribePage({ ctx, token, kinds, done }: { ctx: ViewContext; token: string; kinds: NotificationKind[]; done: boolean }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('notifications.unsubscribeTitle')}</h1>
      {done ? (
        <>
          <p class="lead" role="status">{t('notifications.unsubscribed')}</p>
          <ul>{kinds.map((k) => <li>{t(kindLabelKey(k))}</li>)}</ul>
          <p>{t('notifications.unsubscribedHint')}</p>
          <p><a href="/benachrichtigungen/einstellungen">{t('notifications.settingsLink')}</a></p>
        </>
      ) : (
        <>
          <p class="lead">{t('notifications.unsubscribeQuestion')}</p>
          <ul>{kinds.map((k) => <li>{t(kindLabelKey(k))}</li>)}</ul>
          {/* No CSRF field: the signed address is the proof, as for the one-click POST of a mail program. */}
          <form method="post" action={`/abmelden/${token}`} class="form">
            <Submit label={t('notifications.unsubscribeButton')} />
          </form>
        </>
      )}
    </>
  );
}
