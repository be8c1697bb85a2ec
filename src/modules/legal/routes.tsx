import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { recordAudit } from '../../platform/audit.js';
import { nowIso } from '../../platform/clock.js';
import { parseForm } from '../../platform/forms.js';
import { handleForm } from '../../platform/http/form-route.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { definePolicy, rules } from '../../platform/policy.js';
import type { ViewContext } from '../../platform/views/context.js';
import { ErrorSummary, Form, Submit, TextArea, emptyForm, type FormState } from '../../platform/views/forms.js';

definePolicy({ 'legal.view': rules.anyone, 'legal.edit': rules.atLeast('admin') });

/** The legal pages every German website needs, editable by administrators. */
const PAGES = { impressum: 'common.imprint', datenschutz: 'common.privacy' } as const;
type Slug = keyof typeof PAGES;

async function findPage(db: Db, slug: Slug) {
  return db.selectFrom('legal_pages').selectAll().where('slug', '=', slug).executeTakeFirst();
}

async function saveLegalPage(db: Db, slug: Slug, input: Record<string, string>, label: string, actorId: number) {
  const { body } = parseForm(z.object({ body: z.string().trim().min(1).max(50_000) }), input, { body: label });
  await db.transaction().execute(async (trx) => {
    const now = nowIso();
    await trx.insertInto('legal_pages').values({ slug, body, updated_at: now, updated_by: actorId })
      .onConflict((oc) => oc.column('slug').doUpdateSet({ body, updated_at: now, updated_by: actorId })).execute();
    await recordAudit(trx, { actorId, action: 'legal.updated', targetType: 'legal_page', targetId: slug, details: { length: body.length } });
  });
}

function LegalPage({ ctx, title, html, updatedAt, slug }: { ctx: ViewContext; title: string; html: string | null; updatedAt: string | null; slug: Slug }) {
  const { t } = ctx;
  return (
    <article>
      <h1>{title}</h1>
      {html ? <div class="prose" dangerouslySetInnerHTML={{ __html: html }} /> : <p>{t('legal.placeholder')}</p>}
      {updatedAt && <p class="hint">{t('legal.lastUpdated', { date: formatDateTime(updatedAt, ctx.lang) })}</p>}
      {ctx.can('legal.edit') && <p><a class="button-small" href={`/${slug}/bearbeiten`}>{t('legal.edit')}<span class="visually-hidden">: {title}</span></a></p>}
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

export async function legalRoutes(app: FastifyInstance, { db }: { db: Db }) {
  for (const slug of Object.keys(PAGES) as Slug[]) {
    const title = (request: FastifyRequest) => request.t(PAGES[slug]);
    app.get(`/${slug}`, { config: { action: 'legal.view' } }, async (request, reply) => {
      const page = await findPage(db, slug);
      return reply.page(title(request), <LegalPage ctx={reply.view()} title={title(request)} slug={slug}
        html={page ? renderMarkdown(page.body) : null} updatedAt={page?.updated_at ?? null} />);
    });
    const showEdit = (request: FastifyRequest, reply: FastifyReply, form: FormState) =>
      reply.page(request.t('legal.editTitle', { page: title(request) }), <EditPage ctx={reply.view()} title={title(request)} slug={slug} form={form} />, { status: reply.statusCode });
    app.get(`/${slug}/bearbeiten`, { config: { action: 'legal.edit' } }, async (request, reply) =>
      showEdit(request, reply, emptyForm({ body: (await findPage(db, slug))?.body ?? '' })));
    app.post(`/${slug}/bearbeiten`, { config: { action: 'legal.edit' } }, (request, reply) =>
      handleForm(request, reply, async (values) => {
        await saveLegalPage(db, slug, values, request.t('fields.body'), request.user!.id);
        return reply.seeOther(`/${slug}`, request.t('legal.saved'));
      }, (form) => showEdit(request, reply, form)));
  }
}
