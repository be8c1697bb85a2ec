import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { handleForm } from '../../platform/http/form-route.js';
import { formatDateTime } from '../../platform/i18n/index.js';
import type { ViewContext } from '../../platform/views/context.js';
import { emptyForm, ErrorSummary, Form, Submit, TextField, type FormState } from '../../platform/views/forms.js';
import './token-policy.js';
import * as tokens from './tokens.js';

/** The token page: the one just created (shown this once), the form for another, and the person's tokens. */
function TokensPage({ ctx, rows, form, created }: { ctx: ViewContext; rows: tokens.ApiTokenRow[]; form: FormState; created?: { name: string; token: string } }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('tokens.title')}</h1>
      <p class="lead">{t('tokens.intro')}</p>
      <p>{t('tokens.usage')} <a href="/api/openapi.json">{t('tokens.docs')}</a></p>
      {created && (
        <section class="card" aria-labelledby="token-created" role="status">
          <h2 id="token-created">{t('tokens.createdTitle', { name: created.name })}</h2>
          <p>{t('tokens.createdOnce')}</p>
          <div class="field">
            <label for="f-token">{t('tokens.tokenLabel')}</label>
            <input id="f-token" type="text" readOnly value={created.token} autocomplete="off" spellcheck={false} />
          </div>
        </section>
      )}
      <h2>{t('tokens.createTitle')}</h2>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action="/profil/tokens">
        <TextField ctx={ctx} form={form} name="name" label={t('tokens.name')} hint={t('tokens.nameHint')} required maxLength={100} />
        <Submit label={t('tokens.create')} />
      </Form>
      <h2>{t('tokens.listTitle')}</h2>
      {rows.length === 0 ? <p>{t('tokens.empty')}</p> : (
        <table class="table">
          <caption class="visually-hidden">{t('tokens.listTitle')}</caption>
          <thead><tr>
            <th scope="col">{t('tokens.colName')}</th><th scope="col">{t('tokens.colCreated')}</th>
            <th scope="col">{t('tokens.colLastUsed')}</th><th scope="col">{t('tokens.colStatus')}</th>
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">{r.name}</th>
                <td>{formatDateTime(r.created_at, ctx.lang)}</td>
                <td>{r.last_used_at ? formatDateTime(r.last_used_at, ctx.lang) : t('tokens.never')}</td>
                <td>
                  {r.revoked_at ? t('tokens.revokedAt', { date: formatDateTime(r.revoked_at, ctx.lang) }) : (
                    <Form ctx={ctx} action={`/profil/tokens/${r.id}/widerrufen`} class="inline-form">
                      <span>{t('tokens.active')}</span>
                      <button type="submit" class="button-small">{t('tokens.revoke')}<span class="visually-hidden">: {r.name}</span></button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export async function tokenRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const show = async (request: FastifyRequest, reply: FastifyReply, form: FormState, created?: { name: string; token: string }) =>
    reply.page(request.t('tokens.title'), <TokensPage ctx={reply.view()} rows={await tokens.listApiTokens(db, request.user!.id)} form={form} created={created} />,
      { status: reply.statusCode });

  app.get('/profil/tokens', { config: { action: 'tokens.manage' } }, (request, reply) => show(request, reply, emptyForm()));

  // The new token is shown in the answer itself, not through a redirect: it must never be stored, not even in the session.
  app.post('/profil/tokens', { config: { action: 'tokens.manage' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const created = await tokens.createApiToken(db, request.user!.id, values, { name: request.t('tokens.name') });
      return show(request, reply.status(201), emptyForm(), created);
    }, (form) => show(request, reply, form)));

  app.post<{ Params: { id: string } }>('/profil/tokens/:id/widerrufen', { config: { action: 'tokens.manage' } }, async (request, reply) => {
    if (!/^\d{1,9}$/.test(request.params.id)) throw notFound();
    const { name } = await tokens.revokeApiToken(db, request.user!.id, Number(request.params.id));
    return reply.seeOther('/profil/tokens', request.t('tokens.revoked', { name }));
  });
}
