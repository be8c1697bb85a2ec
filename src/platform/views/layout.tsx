import type { ComponentChildren } from 'preact';
import type { ViewContext } from './context.js';
import { assetUrl } from '../http/assets.js';
import { PERSONAL_MARKERS } from '../http/page-cache.js';
import { SearchBox } from './search-box.js';
import { appVersion } from '../version.js';

export function Layout(props: { ctx: ViewContext; title: string; children: ComponentChildren; head?: ComponentChildren; description?: string; status?: number }) {
  const { ctx, title } = props;
  const { t } = ctx;
  const nav: { href: string; label: string; show: boolean }[] = [
    { href: '/', label: t('common.home'), show: true },
    { href: '/loesungen', label: t('common.solutions'), show: true },
    { href: '/fragen', label: t('common.questions'), show: true },
    { href: '/treffen', label: t('common.meetings'), show: true },
    { href: '/karte', label: t('common.map'), show: true },
    { href: '/zahlen', label: t('common.figures'), show: true },
    { href: '/selbstcheck', label: t('selfcheck.nav'), show: ctx.can('aiact.run') },
    { href: '/beschaffung', label: t('common.procurement'), show: ctx.can('procurement.view') },
    { href: '/organisationen', label: t('common.organisations'), show: true },
    { href: '/mitglieder', label: t('common.members'), show: ctx.can('members.directory') },
    { href: '/verwaltung', label: t('common.admin'), show: ctx.can('admin.area') },
  ];
  const current = (href: string) => (href === '/' ? ctx.path === '/' : ctx.path.startsWith(href));
  // A form sent back with errors says so first in the window's title, before anything else is read.
  const fullTitle = `${props.status === 422 ? t('reflow.errorTitle') : ''}${title} – ${ctx.communityName}`;
  const description = props.description || t('reflow.description', { community: ctx.communityName, region: ctx.regionName });
  const links = (
    <ul class="nav">
      {nav.filter((n) => n.show).map((n) => (
        <li><a href={n.href} aria-current={current(n.href) ? 'page' : undefined}>{n.label}</a></li>
      ))}
    </ul>
  );
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <meta name="description" content={description} />
        {ctx.baseUrl && <link rel="canonical" href={ctx.baseUrl + ctx.path} />}
        <link rel="stylesheet" href={assetUrl('styles.css')} />
        <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
        {props.head}
      </head>
      <body>
        <a class="skip-link" href="#inhalt">{t('common.skipToContent')}</a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href="/">{ctx.communityName}</a>
            {/* The catalogue page has its own search field with the filters. */}
            {ctx.path !== '/loesungen' && <SearchBox ctx={ctx} id="site-search" compact />}
            {/* On narrow screens the navigation folds into a menu that opens without JavaScript; on wide ones the
                stylesheet hides the summary and always shows the links. */}
            <details class="nav-menu">
              <summary>{t('reflow.menu')}</summary>
              <nav aria-label={t('common.mainNav')}>{links}</nav>
            </details>
            {/* Personal: in a page rendered for many (ctx.shared) a stand-in, filled in for each person (page-cache.ts). */}
            {ctx.shared
              ? <div class="account" dangerouslySetInnerHTML={{ __html: PERSONAL_MARKERS.account }} />
              : <div class="account"><AccountLinks ctx={ctx} /></div>}
          </div>
        </header>
        <main id="inhalt" class="wrap" tabIndex={-1}>
          {ctx.flash && <div class="flash" role="status">{ctx.flash}</div>}
          {props.children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>{t('common.footerRegion', { region: ctx.regionName })}</p>
            <ul class="footer-links">
              <li><a href="/impressum">{t('common.imprint')}</a></li>
              <li><a href="/datenschutz">{t('common.privacy')}</a></li>
            </ul>
            <p class="attribution">{t('common.attributionDestatis')}</p>
            {/* Administrators see which release runs, e.g. to check an update arrived on every instance. */}
            {ctx.can('admin.area') && <p class="app-version">{t('operations.version', { version: appVersion().label })}</p>}
          </div>
        </footer>
      </body>
    </html>
  );
}

/** The header's account area: what belongs to the person (unread notifications, open join requests, sign-out form). */
export function AccountLinks({ ctx }: { ctx: ViewContext }) {
  const { t, user } = ctx;
  const otherLang = ctx.lang === 'de' ? 'en' : 'de';
  return (
    <>
      {user ? (
        <>
          <a href="/benachrichtigungen" aria-current={ctx.path === '/benachrichtigungen' ? 'page' : undefined}>
            {t('common.notifications')}
            {ctx.unreadNotifications ? <span class="count-badge">{ctx.unreadNotifications}<span class="visually-hidden"> {t('notifications.unreadBadge')}</span></span> : null}
          </a>
          {ctx.openJoinRequests ? <a href="/verwaltung/anfragen" aria-current={ctx.path === '/verwaltung/anfragen' ? 'page' : undefined}>{t('accountAdmin.requestsBadge', { count: ctx.openJoinRequests })}</a> : null}
          <a href="/profil" aria-current={ctx.path === '/profil' ? 'page' : undefined}>{t('common.profile')}</a>
          <form method="post" action="/abmelden" class="inline-form">
            <input type="hidden" name="_csrf" value={ctx.csrf()} />
            <button type="submit" class="link-button">{t('common.signOut')}</button>
          </form>
        </>
      ) : (
        <>
          <a href="/anmelden">{t('common.signIn')}</a>
          <a href="/mitmachen" class="button-small">{t('common.join')}</a>
        </>
      )}
      <a href={`/sprache/${otherLang}?zurueck=${encodeURIComponent(ctx.path)}`} lang={otherLang} hreflang={otherLang}
        aria-label={t('common.switchLanguageLabel')}>{t('common.switchLanguage')}</a>
    </>
  );
}
