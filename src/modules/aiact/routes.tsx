import contentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { idParam, notFound } from '../../platform/errors.js';
import { handleForm } from '../../platform/http/form-route.js';
import { emptyForm, type FormState } from '../../platform/views/forms.js';
import { expectedLength, isComplete } from './engine.js';
import './policy.js';
import { registerCsv, registerJson } from './register.js';
import * as aiact from './service.js';
import type { ConfirmOutcome } from './service.js';
import { buildTemplate, isTemplateKind, templatesFor, toDocx, toMarkdown } from './templates.js';
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

  // A completed check shows its report; a draft is never shown as a result but continued where it stopped,
  // or, when every question is answered, on its review page.
  app.get<{ Params: { id: string } }>('/selbstcheck/:id', { config: { action: 'aiact.run' } }, async (request, reply) => {
    const report = await aiact.reportOf(db, request.user, idParam(request.params.id));
    if ('draft' in report) {
      const answers = aiact.answersOf(report.draft);
      return reply.seeOther(isComplete(answers) ? `/selbstcheck/${report.draft.id}/pruefen` : `/selbstcheck/${report.draft.id}/schritt/${aiact.openStep(answers)}`);
    }
    const canChange = await aiact.mayChange(db, request.user, report.check);
    return reply.page(request.t('aiact.report.title', { title: report.check.title }),
      <v.ReportPage ctx={reply.view()} report={report} canRedo={canChange} templates={report.check.withdrawn_at ? [] : templatesFor(report.result)} />, { head });
  });

  // The questionnaire ------------------------------------------------------------------------------------
  const showConfirm = (request: FastifyRequest, reply: FastifyReply, c: { title: string; action: string; backTo: string; review: boolean; outcome: ConfirmOutcome; step?: number }) =>
    reply.page(request.t('selfcheck.confirm.title'), <v.ConfirmPage ctx={reply.view()} {...c} />, { head });

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
    const review = form.values.review === '1' || (request.query as Record<string, unknown> | undefined)?.pruefen === '1';
    const action = `/selbstcheck/${id}/schritt/${page.step}`;
    return reply.page(request.t('aiact.stepTitle', { title: page.check.title }),
      <v.StepPage ctx={reply.view()} check={page.check} step={page.step} total={expectedLength(page.answers)} question={page.question} answers={page.answers} form={form}
        action={action} review={review} backTo={page.step > 1 ? `/selbstcheck/${id}/schritt/${page.step - 1}${review ? '?pruefen=1' : ''}` : null} />,
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
      const outcome = await aiact.answerStep(db, request.user, id, step, values);
      const review = values.review === '1';
      if (outcome.kind === 'confirm') {
        const check = await aiact.checkFor(db, request.user, id);
        return showConfirm(request, reply, { title: check.title, action: `/selbstcheck/${id}/schritt/${step}`, step,
          backTo: `/selbstcheck/${id}/schritt/${step}${review ? '?pruefen=1' : ''}`, review, outcome });
      }
      if (outcome.kind === 'review') return reply.seeOther(`/selbstcheck/${id}/pruefen`);
      return reply.seeOther(`/selbstcheck/${id}/schritt/${outcome.next}${outcome.review ? '?pruefen=1' : ''}`);
    }, (form) => showStep(request, reply, form));
  });

  // Review before the result is stored ---------------------------------------------------------------------
  app.get<{ Params: { id: string } }>('/selbstcheck/:id/pruefen', { config: { action: 'aiact.run' } }, async (request, reply) => {
    const page = await aiact.reviewPage(db, request.user, idParam(request.params.id));
    if (page.kind === 'redirect') return reply.seeOther(page.to);
    return reply.page(request.t('selfcheck.review.title', { title: page.check.title }), <v.ReviewPage ctx={reply.view()} check={page.check} items={page.items} result={page.result} />, { head });
  });
  app.post<{ Params: { id: string } }>('/selbstcheck/:id/pruefen', { config: { action: 'aiact.run' } }, async (request, reply) => {
    const id = idParam(request.params.id);
    await aiact.completeCheck(db, request.user, id);
    return reply.seeOther(`/selbstcheck/${id}`, request.t('aiact.completed'));
  });

  // Changing one answer of a completed check -----------------------------------------------------------------
  type ChangeRequest = FastifyRequest<{ Params: { id: string; question: string } }>;
  const showChange = async (request: ChangeRequest, reply: FastifyReply, form: FormState) => {
    const id = idParam(request.params.id);
    const { check, question, answers } = await aiact.changePage(db, request.user, id, request.params.question);
    return reply.page(request.t('selfcheck.change.title', { title: check.title }),
      <v.StepPage ctx={reply.view()} check={check} step={question.step} total={expectedLength(answers)} question={question} answers={answers} form={form}
        action={`/selbstcheck/${id}/aendern/${question.id}`} review={false} backTo={`/selbstcheck/${id}`} change />,
      { status: reply.statusCode, head });
  };
  app.get<{ Params: { id: string; question: string } }>('/selbstcheck/:id/aendern/:question', { config: { action: 'aiact.run' } }, (request, reply) =>
    showChange(request, reply, emptyForm()));
  app.post<{ Params: { id: string; question: string } }>('/selbstcheck/:id/aendern/:question', { config: { action: 'aiact.run' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const id = idParam(request.params.id);
      const outcome = await aiact.changeAnswer(db, request.user, id, request.params.question, values);
      if (outcome.kind === 'confirm') {
        const check = await aiact.checkFor(db, request.user, id);
        return showConfirm(request, reply, { title: check.title, action: `/selbstcheck/${id}/aendern/${outcome.question.id}`, backTo: `/selbstcheck/${id}/aendern/${outcome.question.id}`, review: false, outcome });
      }
      return reply.seeOther(outcome.to);
    }, (form) => showChange(request, reply, form)));

  // Withdrawing a completed check: a page that says what happens, then the form ---------------------------------
  app.get<{ Params: { id: string } }>('/selbstcheck/:id/zurueckziehen', { config: { action: 'aiact.run' } }, async (request, reply) => {
    const check = await aiact.withdrawable(db, request.user, idParam(request.params.id));
    return reply.page(request.t('selfcheck.withdraw.title', { title: check.title }), <v.WithdrawPage ctx={reply.view()} check={check} />, { head });
  });
  app.post<{ Params: { id: string } }>('/selbstcheck/:id/zurueckziehen', { config: { action: 'aiact.run' } }, async (request, reply) => {
    const id = idParam(request.params.id);
    await aiact.withdrawCheck(db, request.user, id);
    return reply.seeOther(`/selbstcheck/${id}`, request.t('selfcheck.withdraw.done'));
  });

  // A check without a catalogue entry as an entry of its own in the transparency register -------------------------
  const registerLabels = (request: FastifyRequest) => Object.fromEntries(['purpose', 'contact', 'oversight', 'legal_basis'].map((f) => [f, request.t(`selfcheck.register.fields.${f}`)]));
  const showRegisterForm = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, form: FormState | null) => {
    const check = await aiact.registerEntryCheck(db, request.user, idParam(request.params.id));
    const state = form ?? emptyForm({
      purpose: check.register_purpose ?? '', contact: check.register_contact ?? '', oversight: check.register_oversight ?? '', legal_basis: check.register_legal_basis ?? '',
    });
    return reply.page(request.t('selfcheck.register.title', { title: check.title }), <v.RegisterEntryPage ctx={reply.view()} check={check} form={state} />, { status: reply.statusCode, head });
  };
  app.get<{ Params: { id: string } }>('/selbstcheck/:id/register', { config: { action: 'aiact.run' } }, (request, reply) => showRegisterForm(request, reply, null));
  app.post<{ Params: { id: string } }>('/selbstcheck/:id/register', { config: { action: 'aiact.run' } }, (request, reply) =>
    handleForm(request, reply, async (values) => {
      const id = idParam(request.params.id);
      if (values.unpublish === '1') {
        await aiact.unpublishFromRegister(db, request.user, id);
        return reply.seeOther(`/selbstcheck/${id}`, request.t('selfcheck.register.removed'));
      }
      await aiact.publishToRegister(db, request.user, id, values, registerLabels(request));
      return reply.seeOther(`/selbstcheck/${id}`, request.t('selfcheck.register.published'));
    }, (form) => showRegisterForm(request, reply, form)));

  // Templates pre-filled from the check ----------------------------------------------------------------------------
  app.get<{ Params: { id: string; file: string } }>('/selbstcheck/:id/vorlagen/:file', { config: { action: 'aiact.run' } }, async (request, reply) => {
    const match = /^([a-z-]+)\.(md|docx)$/.exec(request.params.file);
    if (!match || !isTemplateKind(match[1])) throw notFound();
    const kind = match[1];
    const report = await aiact.reportOf(db, request.user, idParam(request.params.id));
    if ('draft' in report || report.check.withdrawn_at || !templatesFor(report.result).includes(kind)) throw notFound();
    const doc = buildTemplate(kind, v.templateInput(reply.view(), report, config.baseUrl), request.t);
    const name = `${kind}-${report.check.id}.${match[2]}`;
    if (match[2] === 'md') {
      return reply.type('text/markdown; charset=utf-8').header('content-disposition', contentDisposition(name)).send(toMarkdown(doc, request.t));
    }
    return reply.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document').header('content-disposition', contentDisposition(name))
      .send(await toDocx(doc, request.t));
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
