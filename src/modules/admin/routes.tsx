import type { FastifyInstance } from 'fastify';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { listAudit } from '../../platform/audit.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import { listOutbox } from '../../platform/mail/outbox.js';
import { definePolicy, rules } from '../../platform/policy.js';
import { missingLegalPages } from '../legal/service.js';
import { MissingLegalPages } from '../legal/views.js';
import { auditNames, describeAudit } from '../onboarding/audit-text.js';
import { checklist, isLocalAddress } from '../onboarding/checklist.js';
import { Checklist, LocalAddressWarning, MailBody, mailLinks } from '../onboarding/views.js';

definePolicy({ 'admin.outbox': rules.atLeast('admin'), 'admin.audit': rules.atLeast('admin') });

export async function adminRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  app.get('/verwaltung', { config: { action: 'admin.area' } }, async (request, reply) => {
    const { t } = request;
    const links = [
      ['/verwaltung/anfragen', t('admin.requestsTitle')],
      ['/verwaltung/einladen', t('admin.inviteTitle')],
      ['/verwaltung/konten', t('admin.usersTitle')],
      ['/verwaltung/sicherheit', t('twoFactor.adminLink')],
      ['/verwaltung/postausgang', t('admin.outboxTitle')],
      ['/verwaltung/protokoll', t('admin.auditTitle')],
      ['/verwaltung/registerimport', t('onboarding.import.title')],
      ['/verwaltung/beispiele', t('catalogue.examplesTitle')],
      ['/impressum/bearbeiten', `${t('common.imprint')}: ${t('legal.edit')}`],
      ['/datenschutz/bearbeiten', `${t('common.privacy')}: ${t('legal.edit')}`],
    ];
    const [missing, steps] = await Promise.all([missingLegalPages(db), checklist(db, config)]);
    const ctx = reply.view();
    return reply.page(t('admin.title'), (
      <>
        <h1>{t('admin.title')}</h1>
        <MissingLegalPages ctx={ctx} missing={missing} />
        <Checklist ctx={ctx} steps={steps} />
        <h2>{t('onboarding.checklist.allAreas')}</h2>
        <ul class="link-list">{links.map(([href, label]) => <li><a href={href}>{label}</a></li>)}</ul>
      </>
    ), { head: <link rel="stylesheet" href="/static/onboarding.css" /> });
  });

  app.get('/verwaltung/postausgang', { config: { action: 'admin.outbox' } }, async (request, reply) => {
    const { t, lang } = request;
    const mails = await listOutbox(db);
    const ctx = reply.view();
    const noServer = !config.smtpUrl;
    return reply.page(t('admin.outboxTitle'), (
      <>
        <h1>{t('admin.outboxTitle')}</h1>
        <p class="lead">{noServer ? t('onboarding.outbox.introNoServer') : t('admin.outboxIntro')}</p>
        {isLocalAddress(config.baseUrl) && <LocalAddressWarning ctx={ctx} baseUrl={config.baseUrl} />}
        {mails.length === 0 ? <p>{t('admin.outboxEmpty')}</p> : mails.map((m) => {
          const links = mailLinks(m.body_text);
          return (
            <article class="card mail" aria-labelledby={`mail-${m.id}`}>
              <h2 id={`mail-${m.id}`}>{m.subject}</h2>
              <dl class="facts">
                <dt>{t('admin.colRecipient')}</dt><dd>{m.recipient}</dd>
                <dt>{t('admin.colWhen')}</dt><dd>{formatDateTime(m.created_at, lang)}</dd>
                <dt>{t('admin.colStatus')}</dt>
                <dd>
                  {m.status === 'pending' && noServer ? t('onboarding.outbox.notSent') : t(`admin.outboxStatus.${m.status}`)}
                  {m.attempts > 0 ? ` · ${t('admin.outboxAttempts', { count: m.attempts })}` : ''}{m.last_error ? ` · ${m.last_error}` : ''}
                </dd>
              </dl>
              {links.map((href, i) => (
                <div class="copy-link">
                  <label for={`mail-${m.id}-link-${i}`}>{t('onboarding.outbox.copyLink')}</label>
                  <p class="hint" id={`mail-${m.id}-link-${i}-hint`}>{t('onboarding.outbox.copyHint', { recipient: m.recipient })}</p>
                  <input id={`mail-${m.id}-link-${i}`} type="text" readonly value={href} aria-describedby={`mail-${m.id}-link-${i}-hint`} />
                </div>
              ))}
              <MailBody text={m.body_text} />
            </article>
          );
        })}
      </>
    ), { head: <link rel="stylesheet" href="/static/onboarding.css" /> });
  });

  app.get('/verwaltung/protokoll', { config: { action: 'admin.audit' } }, async (request, reply) => {
    const { t, lang } = request;
    const rows = await listAudit(db);
    const names = await auditNames(db, rows);
    return reply.page(t('admin.auditTitle'), (
      <>
        <h1>{t('admin.auditTitle')}</h1>
        <p class="lead">{t('admin.auditIntro')}</p>
        {rows.length === 0 ? <p>{t('onboarding.auditEmpty')}</p> : (
          <table class="table">
            <caption class="visually-hidden">{t('admin.auditTitle')}</caption>
            <thead><tr><th scope="col">{t('admin.colWhen')}</th><th scope="col">{t('admin.colWhat')}</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{formatDateTime(r.created_at, lang)}</td>
                  <td>{describeAudit(t, lang, r, names)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    ));
  });
}
