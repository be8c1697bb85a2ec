import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { FormError, notFound } from '../../platform/errors.js';
import { handleForm } from '../../platform/http/form-route.js';
import { definePolicy, rules } from '../../platform/policy.js';
import { emptyForm, type FormState } from '../../platform/views/forms.js';
import { findImportRun, listImportRuns, registerFiles, runningImports, startRegisterImport } from './register-import.js';
import { ImportPage, ImportRunDetails, sourcesChosen, WelcomePage } from './views.js';

definePolicy({ 'admin.registerImport': rules.atLeast('admin'), 'account.welcome': rules.signedIn });

/** Seconds between reloads of a page that shows a running import (a meta refresh: no JavaScript needed). */
const REFRESH_SECONDS = 2;
const stylesheet = <link rel="stylesheet" href="/static/onboarding.css" />;
const refreshing = <><meta http-equiv="refresh" content={String(REFRESH_SECONDS)} />{stylesheet}</>;

/** The register import in the administration, and the welcome page after the first sign-in. */
export async function onboardingRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  // The platform waits for a running import before it closes its database.
  app.addHook('preClose', async () => { await runningImports(); });

  const showImport = async (request: FastifyRequest, reply: FastifyReply, form: FormState) => {
    const runs = await listImportRuns(db);
    const running = runs.some((r) => r.status === 'running');
    return reply.page(request.t('onboarding.import.title'),
      <ImportPage ctx={reply.view()} files={registerFiles(config.registersDir)} dir={config.registersDir} runs={runs} form={form} />,
      { status: reply.statusCode, head: running ? refreshing : stylesheet });
  };

  app.get('/verwaltung/registerimport', { config: { action: 'admin.registerImport' } }, (request, reply) => showImport(request, reply, emptyForm()));

  app.post('/verwaltung/registerimport', { config: { action: 'admin.registerImport' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const files = registerFiles(config.registersDir);
      if (!files.some((f) => f.present)) throw new FormError({ _: { key: 'onboarding.import.noFiles', vars: { dir: config.registersDir } } });
      const sources = sourcesChosen(values, files);
      if (sources.length === 0) throw new FormError({ [`source_${files.find((f) => f.present)!.source}`]: { key: 'onboarding.import.chooseOne' } });
      const started = await startRegisterImport(db, config.registersDir, sources, request.user!.id);
      if (started === 'busy') return reply.seeOther('/verwaltung/registerimport', request.t('onboarding.import.busy'));
      started.done.catch((err) => request.log.error({ err }, 'register import failed'));
      return reply.seeOther(`/verwaltung/registerimport/${started.id}`, request.t('onboarding.import.started'));
    }, (form) => showImport(request, reply, form)));

  app.get<{ Params: { id: string } }>('/verwaltung/registerimport/:id', { config: { action: 'admin.registerImport' } }, async (request, reply) => {
    const id = Number(request.params.id);
    if (!/^\d{1,9}$/.test(request.params.id) || !Number.isSafeInteger(id)) throw notFound();
    const run = await findImportRun(db, id);
    if (!run) throw notFound();
    const { t } = request;
    return reply.page(t('onboarding.import.runTitle'), (
      <>
        <p><a href="/verwaltung/registerimport">{t('onboarding.import.back')}</a></p>
        <h1>{t('onboarding.import.runTitle')}</h1>
        <ImportRunDetails ctx={reply.view()} run={run} />
        {run.status === 'done' && <p><a href="/loesungen">{t('onboarding.import.toCatalogue')}</a></p>}
      </>
    ), { head: run.status === 'running' ? refreshing : stylesheet });
  });

  app.get('/willkommen', { config: { action: 'account.welcome' } }, async (request, reply) => {
    const ctx = reply.view();
    return reply.page(request.t('onboarding.welcome.title', { community: config.communityName }),
      <WelcomePage ctx={ctx} organisation={request.user?.organisationName ?? null} />);
  });
}
