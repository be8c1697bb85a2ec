import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { handleForm } from '../../platform/http/form-route.js';
import { isSetupComplete } from '../../platform/http/setup-state.js';
import { definePolicy, rules } from '../../platform/policy.js';
import type { ViewContext } from '../../platform/views/context.js';
import { Checkbox, ErrorSummary, Form, Submit, TextField, emptyForm, type FormState } from '../../platform/views/forms.js';
import { loadCurrentUser } from '../../platform/http/current-user.js';
import { loadExamples } from '../catalogue/examples.js';
import { missingLegalPages, type LegalSlug } from '../legal/service.js';
import { MissingLegalPages } from '../legal/views.js';
import { createFirstAdministrator } from '../members/service.js';
import { OrganisationFields, type Option } from '../members/views.js';
import { organisationOptions } from '../organisations/service.js';

definePolicy({ 'setup.run': rules.anyone });

function SetupPage({ ctx, form, options, missing }: { ctx: ViewContext; form: FormState; options: Option[]; missing: LegalSlug[] }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('setup.title')}</h1>
      <p class="lead">{t('setup.intro', { community: ctx.communityName })}</p>
      <MissingLegalPages ctx={ctx} missing={missing} note={t('legalGate.setupNote')} />
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action="/einrichtung">
        <TextField ctx={ctx} form={form} name="name" label={t('fields.name')} required maxLength={120} autocomplete="name" />
        <TextField ctx={ctx} form={form} name="email" type="email" label={t('fields.email')} required maxLength={254} autocomplete="email" />
        <OrganisationFields ctx={ctx} form={form} options={options} />
        <TextField ctx={ctx} form={form} name="jobFunction" label={t('fields.jobFunction')} hint={t('fields.jobFunctionHint')} maxLength={120} />
        <TextField ctx={ctx} form={form} name="password" type="password" label={t('fields.password')} hint={t('accountSecurity.passwordHint')} required autocomplete="new-password" />
        <TextField ctx={ctx} form={form} name="passwordRepeat" type="password" label={t('fields.passwordRepeat')} required autocomplete="new-password" />
        <Checkbox ctx={ctx} form={form} name="examples" label={t('setup.examples')} hint={t('setup.examplesHint')} />
        <Submit label={t('setup.submit')} />
      </Form>
    </>
  );
}

/** The one-time setup page: open while no administrator exists, gone for good afterwards. */
export async function setupRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  const labels = (request: FastifyRequest) => ({
    name: request.t('fields.name'), email: request.t('fields.email'), organisation: request.t('fields.organisation'),
    organisationOther: request.t('fields.organisationOther'), jobFunction: request.t('fields.jobFunction'),
    password: request.t('fields.password'), passwordRepeat: request.t('fields.passwordRepeat'),
  });
  const show = async (request: FastifyRequest, reply: FastifyReply, form: FormState) =>
    reply.page(request.t('setup.title'), <SetupPage ctx={reply.view()} form={form} options={await organisationOptions(db, request.t)} missing={await missingLegalPages(db)} />, { status: reply.statusCode });

  app.get('/einrichtung', { config: { action: 'setup.run' } }, async (request, reply) => {
    if (await isSetupComplete(db)) throw notFound();
    return show(request, reply, emptyForm({ examples: '1' }));
  });
  app.post('/einrichtung', { config: { action: 'setup.run', rateLimit: { max: 20, timeWindow: 15 * 60 * 1000 } } }, async (request, reply) => {
    if (await isSetupComplete(db)) throw notFound();
    return handleForm(request, reply, async (values) => {
      const userId = await createFirstAdministrator({ db, config }, values, labels(request), request.lang);
      if (userId === null) throw notFound();
      if (values.examples === '1') await loadExamples(db, await loadCurrentUser(db, userId));
      await request.session.regenerate();
      request.session.set('userId', userId);
      return reply.seeOther('/verwaltung', request.t('setup.done'));
    }, (form) => show(request, reply, form));
  });
}
