import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import { listAudit } from '../../platform/audit.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import { listOutbox } from '../../platform/mail/outbox.js';
import { definePolicy, rules } from '../../platform/policy.js';
import { missingLegalPages } from '../legal/service.js';
import { MissingLegalPages } from '../legal/views.js';

definePolicy({ 'admin.outbox': rules.atLeast('admin'), 'admin.audit': rules.atLeast('admin') });

export async function adminRoutes(app: FastifyInstance, { db }: { db: Db }) {
  app.get('/verwaltung', { config: { action: 'admin.area' } }, async (request, reply) => {
    const { t } = request;
    const links = [
      ['/verwaltung/anfragen', t('admin.requestsTitle')],
      ['/verwaltung/einladen', t('admin.inviteTitle')],
      ['/verwaltung/konten', t('admin.usersTitle')],
      ['/verwaltung/sicherheit', t('twoFactor.adminLink')],
      ['/verwaltung/postausgang', t('admin.outboxTitle')],
      ['/verwaltung/protokoll', t('admin.auditTitle')],
      ['/verwaltung/beispiele', t('catalogue.examplesTitle')],
      ['/impressum/bearbeiten', `${t('common.imprint')}: ${t('legal.edit')}`],
      ['/datenschutz/bearbeiten', `${t('common.privacy')}: ${t('legal.edit')}`],
    ];
    const missing = await missingLegalPages(db);
    const ctx = reply.view();
    return reply.page(t('admin.title'), (
      <>
        <h1>{t('admin.title')}</h1>
        <MissingLegalPages ctx={ctx} missing={missing} />
        <ul class="link-list">{links.map(([href, label]) => <li><a href={href}>{label}</a></li>)}</ul>
      </>
    ));
  });

  app.get('/verwaltung/postausgang', { config: { action: 'admin.outbox' } }, async (request, reply) => {
    const { t, lang } = request;
    const mails = await listOutbox(db);
    return reply.page(t('admin.outboxTitle'), (
      <>
        <h1>{t('admin.outboxTitle')}</h1>
        <p class="lead">{t('admin.outboxIntro')}</p>
        {mails.length === 0 ? <p>{t('admin.outboxEmpty')}</p> : mails.map((m) => (
          <article class="card mail" aria-labelledby={`mail-${m.id}`}>
            <h2 id={`mail-${m.id}`}>{m.subject}</h2>
            <dl class="facts">
              <dt>{t('admin.colRecipient')}</dt><dd>{m.recipient}</dd>
              <dt>{t('admin.colWhen')}</dt><dd>{formatDateTime(m.created_at, lang)}</dd>
              <dt>{t('admin.colStatus')}</dt>
              <dd>{t(`admin.outboxStatus.${m.status}`)}{m.attempts > 0 ? ` · ${t('admin.outboxAttempts', { count: m.attempts })}` : ''}{m.last_error ? ` · ${m.last_error}` : ''}</dd>
            </dl>
            <pre class="mail-body">{m.body_text}</pre>
          </article>
        ))}
      </>
    ));
  });

  app.get('/verwaltung/protokoll', { config: { action: 'admin.audit' } }, async (request, reply) => {
    const { t, lang } = request;
    const rows = await listAudit(db);
    return reply.page(t('admin.auditTitle'), (
      <>
        <h1>{t('admin.auditTitle')}</h1>
        <p class="lead">{t('admin.auditIntro')}</p>
        <table class="table">
          <caption class="visually-hidden">{t('admin.auditTitle')}</caption>
          <thead><tr><th scope="col">{t('admin.colWhen')}</th><th scope="col">{t('admin.colWho')}</th><th scope="col">{t('admin.colWhat')}</th><th scope="col">{t('admin.colTarget')}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>{formatDateTime(r.created_at, lang)}</td>
                <td>{r.actor_name ?? t('common.none')}</td>
                <td>{t(`audit.${r.action}`, { defaultValue: r.action })}</td>
                <td>{r.target_type} {r.target_id} <span class="hint">{r.details !== '{}' ? r.details : ''}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    ));
  });
}
