import contentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { idParam } from '../../platform/errors.js';
import { handleForm } from '../../platform/http/form-route.js';
import { can } from '../../platform/policy.js';
import { emptyForm, type FormState } from '../../platform/views/forms.js';
import './policy.js';
import { registerCsv, registerJson } from './register.js';
import * as aiact from './service.js';
import * as v from './views.js';

type StepRequest = FastifyRequest<{ Params: { id: string; step: string } }>;

export async function aiActRoutes(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  const head = v.aiActHead();

  app.get('/selbstcheck', { config: { action: 'aiact.run' } }, async (request, reply) => {
    const checks = await aiact.organisationChecks(db, request.user);
    return reply.page(request.t('aiact.title'), <v.OverviewPage ctx={reply.view()} checks={checks} />, { head });
  });

  // Starting ------------------------------------------------------------------------------------------
  const showNew = (request: FastifyRequest, reply: FastifyReply, form: FormState) =>
    reply.page(request.t('aiact.newTitle'), <v.NewCheckPage ctx={reply.view()} form={form} />, { status: reply.statusCode, head });
  app.get('/selbstcheck/neu', { config: { action: 'aiact.run' } }, (request, reply) => showNew(request, reply, emptyForm()));
  app.post('/selbstcheck/neu', { config: { action: 'aiact.run' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const id = await aiact.startStandaloneCheck(db, request.user, values, { title: request.t('aiact.fields.title') });
      return reply.seeOther(`/selbstcheck/${id}/schritt/1`);
    }, (form) => showNew(request, reply, form)));

  app.get<{ Params: { slug: string } }>('/loesungen/:slug/selbstcheck', { config: { action: 'aiact.run' } }, async (request, reply) => {
    const data = await aiact.solutionChecks(db, request.user, request.params.slug);
    return reply.page(request.t('aiact.solutionTitle', { title: data.solution.title }), <v.SolutionChecksPage ctx={reply.view()} data={data} />, { head });
  });
  app.post<{ Params: { slug: string } }>('/loesungen/:slug/selbstcheck', { config: { action: 'aiact.run' } }, async (request, reply) => {
    const id = await aiact.startSolutionCheck(db, request.user, request.params.slug);
    return reply.seeOther(`/selbstcheck/${id}`);
  });

  // The check of the organisation's own deployment of a solution.
  app.post<{ Params: { slug: string } }>('/loesungen/:slug/einsatz/selbstcheck', { config: { action: 'aiact.run' } }, async (request, reply) => {
    const id = await aiact.startDeploymentCheck(db, request.user, request.params.slug);
    return reply.seeOther(`/selbstcheck/${id}`);
  });

  app.post<{ Params: { id: string } }>('/selbstcheck/:id/wiederholen', { config: { action: 'aiact.run' } }, async (request, reply) => {
    const id = await aiact.redoCheck(db, request.user, idParam(request.params.id));
    return reply.seeOther(`/selbstcheck/${id}/schritt/1`);
  });

  // A completed check shows its report; a draft is never shown as a result but continued where it stopped.
  app.get<{ Params: { id: string } }>('/selbstcheck/:id', { config: { action: 'aiact.run' } }, async (request, reply) => {
    const report = await aiact.reportOf(db, request.user, idParam(request.params.id));
    if ('draft' in report) return reply.seeOther(`/selbstcheck/${report.draft.id}/schritt/${aiact.openStep(aiact.answersOf(report.draft))}`);
    const canRedo = can(request.user, 'aiact.check.answer', report.check);
    return reply.page(request.t('aiact.report.title', { title: report.check.title }), <v.ReportPage ctx={reply.view()} report={report} canRedo={canRedo} />, { head });
  });

  // The questionnaire ------------------------------------------------------------------------------------
  const showStep = async (request: StepRequest, reply: FastifyReply, form: FormState) => {
    const id = idParam(request.params.id);
    const page = await aiact.stepPage(db, request.user, id, idParam(request.params.step));
    if (page.kind === 'redirect') {
      // A form for a step that cannot be answered: the message, and the way to the step that is open.
      if (reply.statusCode === 422) {
        const message = Object.values(form.errors).map((e) => request.t(e.key, e.vars ?? {})).join(' ');
        return reply.page(request.t('errors.badRequestTitle'), <v.StepProblem ctx={reply.view()} message={message} to={page.to} />, { status: 422, head });
      }
      return reply.seeOther(page.to);
    }
    return reply.page(request.t('aiact.stepTitle', { title: page.check.title }),
      <v.StepPage ctx={reply.view()} check={page.check} step={page.step} question={page.question} answers={page.answers} form={form} />,
      { status: reply.statusCode, head });
  };
  app.get<{ Params: { id: string; step: string } }>('/selbstcheck/:id/schritt/:step', { config: { action: 'aiact.run' } }, (request, reply) =>
    showStep(request, reply, emptyForm()));
  app.post<{ Params: { id: string; step: string } }>('/selbstcheck/:id/schritt/:step', { config: { action: 'aiact.run' } }, async (request, reply) => {
    const id = idParam(request.params.id);
    const step = idParam(request.params.step);
    if ((request.body as Record<string, unknown> | undefined)?.navigate === 'back') {
      // Going back changes nothing: the earlier answer is shown again, ticked.
      await aiact.stepPage(db, request.user, id, step);
      return reply.seeOther(`/selbstcheck/${id}/schritt/${Math.max(1, step - 1)}`);
    }
    return handleForm(request, reply, async (values) => {
      const { done, next } = await aiact.answerStep(db, request.user, id, step, values);
      return done ? reply.seeOther(`/selbstcheck/${id}`, request.t('aiact.completed')) : reply.seeOther(`/selbstcheck/${id}/schritt/${next}`);
    }, (form) => showStep(request, reply, form));
  });

  // Transparency register ----------------------------------------------------------------------------------
  app.get<{ Params: { slug: string } }>('/organisationen/:slug/ki-register', { config: { action: 'aiact.register' } }, async (request, reply) => {
    const data = await aiact.registerOf(db, request.params.slug);
    return reply.page(request.t('aiact.register.title', { organisation: data.organisation.name }), <v.RegisterPage ctx={reply.view()} data={data} baseUrl={config.baseUrl} />, { head });
  });
  app.get<{ Params: { slug: string } }>('/organisationen/:slug/ki-register.json', { config: { action: 'aiact.register' } }, async (request, reply) => {
    const data = await aiact.registerOf(db, request.params.slug);
    return reply.header('content-disposition', contentDisposition(`ki-register-${data.organisation.slug}.json`)).send(registerJson(data, config.baseUrl));
  });
  app.get<{ Params: { slug: string } }>('/organisationen/:slug/ki-register.csv', { config: { action: 'aiact.register' } }, async (request, reply) => {
    const data = await aiact.registerOf(db, request.params.slug);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', contentDisposition(`ki-register-${data.organisation.slug}.csv`))
      .send(registerCsv(data, config.baseUrl));
  });
}
