import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { handleForm } from '../../platform/http/form-route.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { definePolicy, rules } from '../../platform/policy.js';
import type { ViewContext } from '../../platform/views/context.js';
import { ErrorSummary, Form, Submit, TextArea, emptyForm, type FormState } from '../../platform/views/forms.js';
import { RetentionSection } from '../retention/views.js';
import { LEGAL_PAGES, findLegalPage, saveLegalPage, type LegalSlug as Slug } from './service.js';

definePolicy({ 'legal.view': rules.anyone, 'legal.edit': rules.atLeast('admin') });

function LegalPage({ ctx, title, html, updatedAt, slug, children }: { ctx: ViewContext; title: string; html: string | null; updatedAt: string | null; slug: Slug; children?: ComponentChildren }) {
  const { t } = ctx;
  return (
    <article>
      <h1>{title}</h1>
      {html ? <div class="prose" dangerouslySetInnerHTML={{ __html: html }} /> : <p>{t('legal.placeholder')}</p>}
      {updatedAt && <p class="hint">{t('legal.lastUpdated', { date: formatDateTime(updatedAt, ctx.lang) })}</p>}
      {ctx.can('legal.edit') && <p><a class="button-small" href={`/${slug}/bearbeiten`}>{t('legal.edit')}<span class="visually-hidden">: {title}</span></a></p>}
      {children}
    </article>
  );
}

function EditPage({ ctx, title, slug, form }: { ctx: ViewContext; title: string; slug: Slug; form: FormState }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('legal.editTitle', { page: title })}</h1>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action={`/${slug}/bearbeiten`}>
        <TextArea ctx={ctx} form={form} name="body" label={t('fields.body')} required rows={20} maxLength={50_000} />
        <Submit label={t('common.save')} />
      </Form>
    </>
  );
}

export async function legalRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  for (const slug of Object.keys(LEGAL_PAGES) as Slug[]) {
    const title = (request: FastifyRequest) => request.t(LEGAL_PAGES[slug]);
    app.get(`/${slug}`, { config: { action: 'legal.view' } }, async (request, reply) => {
      const page = await findLegalPage(db, slug);
      const ctx = reply.view();
      return reply.page(title(request), (
        <LegalPage ctx={ctx} title={title(request)} slug={slug} html={page ? renderMarkdown(page.body) : null} updatedAt={page?.updated_at ?? null}>
          {/* The periods the platform itself keeps to belong in the privacy notice; they follow the configuration. */}
          {slug === 'datenschutz' && <RetentionSection ctx={ctx} periods={config.retention} />}
        </LegalPage>
      ));
    });
    const showEdit = (request: FastifyRequest, reply: FastifyReply, form: FormState) =>
      reply.page(request.t('legal.editTitle', { page: title(request) }), <EditPage ctx={reply.view()} title={title(request)} slug={slug} form={form} />, { status: reply.statusCode });
    app.get(`/${slug}/bearbeiten`, { config: { action: 'legal.edit' } }, async (request, reply) =>
      showEdit(request, reply, emptyForm({ body: (await findLegalPage(db, slug))?.body ?? '' })));
    app.post(`/${slug}/bearbeiten`, { config: { action: 'legal.edit' } }, (request, reply) =>
      handleForm(request, reply, async (values) => {
        await saveLegalPage(db, slug, values, request.t('fields.body'), request.user!.id);
        return reply.seeOther(`/${slug}`, request.t('legal.saved'));
      }, (form) => showEdit(request, reply, form)));
  }
}
