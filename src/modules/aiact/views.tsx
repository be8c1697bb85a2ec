import { assetUrl } from '../../platform/http/assets.js';
import type { VNode } from 'preact';
import { personName } from '../../platform/views/person.js';
import { formatDateTime, formatNumber, perLanguage } from '../../platform/i18n/index.js';
import type { ViewContext } from '../../platform/views/context.js';
import { ErrorMessage, ErrorSummary, Form, Submit, TextArea, TextField, errorText, type FormState } from '../../platform/views/forms.js';
import type { CheckResult, QuestionView } from './engine.js';
import { registerEntryAnchor, registerRows } from './register.js';
import { SECTIONS, type Section } from './rules.js';
import type { Check, ConfirmOutcome, RegisterData, Report, ReviewItem } from './service.js';
import { templateTitleKey, type TemplateInput, type TemplateKind } from './templates.js';
import { ScrollRegion } from '../../platform/views/scroll-region.js';

/** The module's stylesheet: the questionnaire, the report and its print view. */
export function aiActHead(): VNode {
  return <link rel="stylesheet" href={assetUrl('aiact.css')} />;
}

/** A calendar day (YYYY-MM-DD) as "2. Dezember 2027". */
const dayFormat = perLanguage((locale) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }));

export function formatDay(day: string, lang: ViewContext['lang']): string {
  return dayFormat(lang).format(new Date(`${day}T00:00:00Z`));
}

export function classLabel(ctx: ViewContext, riskClass: string | null): string {
  return riskClass ? ctx.t(`catalogue.values.ai_act_class.${riskClass}`) : ctx.t('catalogue.notSet');
}

type CheckRow = Pick<Check, 'id' | 'status' | 'risk_class' | 'created_by_name' | 'created_at' | 'completed_at' | 'title' | 'solution_slug' | 'withdrawn_at'>;

/** The history of checks: date, class, who; drafts marked as such and never with a class. */
function CheckTable({ ctx, checks, caption, withTitle }: { ctx: ViewContext; checks: CheckRow[]; caption: string; withTitle?: boolean }) {
  const { t } = ctx;
  if (checks.length === 0) return <p>{t('aiact.history.none')}</p>;
  return (
    <table class="table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {withTitle && <th scope="col">{t('aiact.history.system')}</th>}
          <th scope="col">{t('aiact.history.date')}</th>
          <th scope="col">{t('aiact.history.result')}</th>
          <th scope="col">{t('aiact.history.by')}</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((c) => (
          <tr>
            {withTitle && <td>{c.title}</td>}
            <td>{formatDateTime(c.completed_at ?? c.created_at, ctx.lang)}</td>
            <td>
              {c.status === 'complete'
                ? <a href={`/selbstcheck/${c.id}`}>{classLabel(ctx, c.risk_class)}{c.withdrawn_at ? ` (${t('selfcheck.withdraw.marker')})` : ''}</a>
                : <a href={`/selbstcheck/${c.id}`}>{t('aiact.history.draft')}</a>}
            </td>
            <td>{c.created_by_name === null ? t('common.none') : personName(t, c.created_by_name)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OverviewPage({ ctx, checks }: { ctx: ViewContext; checks: CheckRow[] }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('aiact.title')}</h1>
      <p class="lead">{t('aiact.intro')}</p>
      <p class="note">{t('aiact.disclaimer')}</p>
      <p><a class="button" href="/selbstcheck/neu">{t('aiact.startStandalone')}</a></p>
      <p>{t('aiact.startFromSolution')} <a href="/loesungen">{t('common.solutions')}</a></p>
      <h2>{t('aiact.history.organisationTitle')}</h2>
      <CheckTable ctx={ctx} checks={checks} caption={t('aiact.history.organisationTitle')} withTitle />
    </>
  );
}

export function NewCheckPage({ ctx, form }: { ctx: ViewContext; form: FormState }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('aiact.newTitle')}</h1>
      <p class="lead">{t('aiact.newIntro')}</p>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action="/selbstcheck/neu">
        <TextField ctx={ctx} form={form} name="title" label={t('aiact.fields.title')} hint={t('aiact.fields.titleHint')} required maxLength={200} />
        <Submit label={t('aiact.start')} />
      </Form>
    </>
  );
}

export function SolutionChecksPage({ ctx, data }: { ctx: ViewContext; data: { solution: { slug: string; title: string; ai_act_class: string | null }; checks: CheckRow[]; canRun: boolean } }) {
  const { t } = ctx;
  const { solution } = data;
  const draft = data.checks.find((c) => c.status === 'draft');
  return (
    <>
      <h1>{t('aiact.solutionTitle', { title: solution.title })}</h1>
      <p class="lead">{t('aiact.intro')}</p>
      <p class="note">{t('aiact.disclaimer')}</p>
      <p><a href={`/loesungen/${solution.slug}`}>{solution.title}</a> · {t('catalogue.fields.ai_act_class')}: {classLabel(ctx, solution.ai_act_class)}</p>
      {data.canRun ? (
        <Form ctx={ctx} action={`/loesungen/${solution.slug}/selbstcheck`} class="inline-form">
          <button type="submit" class="button">{draft ? t('aiact.continue') : data.checks.length ? t('aiact.redo') : t('aiact.start')}</button>
        </Form>
      ) : <p class="hint">{t('aiact.onlyEditors')}</p>}
      <h2>{t('aiact.history.title')}</h2>
      <CheckTable ctx={ctx} checks={data.checks} caption={t('aiact.history.title')} />
    </>
  );
}

export function StepPage({ ctx, check, step, total, question, answers, form, action, review, backTo, change }: {
  ctx: ViewContext; check: Check; step: number; total: number; question: QuestionView; answers: Record<string, string>; form: FormState;
  action: string; review: boolean; backTo: string | null; change?: boolean;
}) {
  const { t } = ctx;
  const chosen = form.values.answer ?? answers[question.id] ?? '';
  const error = errorText(t, form, 'answer');
  const described = ['q-explanation', 'q-example', error ? 'f-answer-error' : ''].filter(Boolean).join(' ');
  const sectionIndex = SECTIONS.indexOf(question.section as Section) + 1;
  return (
    <>
      <h1>{change ? t('selfcheck.change.title', { title: check.title }) : t('aiact.stepTitle', { title: check.title })}</h1>
      <p class="meta progress">
        <strong>{t('selfcheck.progress', { step, total: Math.max(step, total) })}</strong>
        {' · '}{t('selfcheck.sectionOf', { index: sectionIndex, count: SECTIONS.length, section: t(`aiact.sections.${question.section}`) })}
      </p>
      <progress class="progress-bar" max={Math.max(step, total)} value={step} aria-hidden="true" />
      {change && <p class="note">{t('selfcheck.change.intro')}</p>}
      {review && <p class="note">{t('selfcheck.review.returnNote')}</p>}
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action={action} class="form question-form">
        <input type="hidden" name="step" value={String(step)} />
        <input type="hidden" name="question" value={question.id} />
        {review && <input type="hidden" name="review" value="1" />}
        <fieldset class={error ? 'question field-error' : 'question'} aria-describedby={described}>
          <legend><span class="question-text">{t(question.textKey)}</span></legend>
          <p id="q-explanation">{t(question.explanationKey)}</p>
          <p id="q-example" class="example"><strong>{t('aiact.example')}:</strong> {t(question.exampleKey)}</p>
          <p class="article-ref">{t('aiact.articleRef')}: {question.articleRef}</p>
          {error && <ErrorMessage ctx={ctx} id="f-answer-error">{error}</ErrorMessage>}
          {question.options.map((o, i) => {
            const id = i === 0 ? 'f-answer' : `f-answer-${o.value}`;
            return (
              <div class="field-radio">
                <input type="radio" id={id} name="answer" value={o.value} checked={chosen === o.value} aria-invalid={error ? 'true' : undefined} />
                <label for={id}>{t(o.labelKey)}</label>
              </div>
            );
          })}
        </fieldset>
        <div class="actions step-actions">
          {backTo && <a class="button button-secondary" href={backTo}>{change ? t('common.cancel') : t('aiact.back')}</a>}
          <button type="submit" class="button">{change ? t('selfcheck.change.save') : t('aiact.next')}</button>
        </div>
      </Form>
      {!change && <p class="hint">{t('aiact.draftNote')}</p>}
    </>
  );
}

/**
 * "Sind Sie sicher?": an answer that settles the check as "verboten" or "kein KI-System", with the reason, before
 * it is saved. Confirming sends the same answer again with the confirmation field; nothing is stored before.
 */
export function ConfirmPage({ ctx, title, action, backTo, review, outcome, step }: {
  ctx: ViewContext; title: string; action: string; backTo: string; review: boolean; outcome: ConfirmOutcome; step?: number;
}) {
  const { t } = ctx;
  const { ending, question, value } = outcome;
  const label = question.options.find((o) => o.value === value);
  return (
    <>
      <h1>{t('selfcheck.confirm.title')}</h1>
      <p class="lead">{t('selfcheck.confirm.intro', { title })}</p>
      <dl class="facts">
        <dt>{t('selfcheck.confirm.question')}</dt><dd>{t(question.textKey)}</dd>
        <dt>{t('selfcheck.confirm.answer')}</dt><dd>{label ? t(label.labelKey) : value}</dd>
        <dt>{t('selfcheck.confirm.result')}</dt><dd><strong>{classLabel(ctx, ending.riskClass)}</strong></dd>
      </dl>
      <p class="reason">{t(ending.reasonKey, ending.reasonParams)}</p>
      <p>{t(`selfcheck.confirm.consequence.${ending.riskClass}`)}</p>
      <Form ctx={ctx} action={action} class="form confirm-form">
        <input type="hidden" name="step" value={String(step ?? question.step)} />
        <input type="hidden" name="question" value={question.id} />
        <input type="hidden" name="answer" value={value} />
        <input type="hidden" name="confirm" value="yes" />
        {review && <input type="hidden" name="review" value="1" />}
        <div class="actions step-actions">
          <a class="button button-secondary" href={backTo}>{t('selfcheck.confirm.no')}</a>
          <button type="submit" class="button">{t('selfcheck.confirm.yes')}</button>
        </div>
      </Form>
    </>
  );
}

/** All answers of a draft, each with "ändern", and the result it will have; the result is stored only from here. */
export function ReviewPage({ ctx, check, items, result }: { ctx: ViewContext; check: Check; items: ReviewItem[]; result: CheckResult }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('selfcheck.review.title', { title: check.title })}</h1>
      <p class="lead">{t('selfcheck.review.intro')}</p>
      <table class="table review-answers">
        <caption>{t('selfcheck.review.caption', { count: items.length })}</caption>
        <thead><tr><th scope="col">{t('selfcheck.review.number')}</th><th scope="col">{t('selfcheck.review.question')}</th><th scope="col">{t('selfcheck.review.answer')}</th><th scope="col"><span class="visually-hidden">{t('selfcheck.review.change')}</span></th></tr></thead>
        <tbody>
          {items.map((item) => {
            const o = item.question.options.find((x) => x.value === item.value);
            return (
              <tr>
                <td>{item.step}</td>
                <th scope="row">{t(item.question.textKey)} <span class="article-ref">({t(`aiact.sections.${item.question.section}`)})</span></th>
                <td>{o ? t(o.labelKey) : item.value}</td>
                <td><a href={`/selbstcheck/${check.id}/schritt/${item.step}?pruefen=1`}>{t('selfcheck.review.change')}<span class="visually-hidden">: {t(item.question.shortKey)}</span></a></td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>{t('selfcheck.review.resultTitle')}</h2>
      <p><strong>{classLabel(ctx, result.riskClass)}</strong> – {t(result.reasonKey, result.reasonParams)}</p>
      <Form ctx={ctx} action={`/selbstcheck/${check.id}/pruefen`} class="inline-form">
        <button type="submit" class="button">{t('selfcheck.review.store')}</button>
      </Form>
      <p class="hint">{t('selfcheck.review.storeHint')}</p>
    </>
  );
}

/** The page that says what withdrawing does, with the button. */
export function WithdrawPage({ ctx, check }: { ctx: ViewContext; check: Check }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('selfcheck.withdraw.title', { title: check.title })}</h1>
      <p class="lead">{t('selfcheck.withdraw.intro')}</p>
      <ul>
        <li>{t('selfcheck.withdraw.history')}</li>
        {check.solution_slug ? <li>{t('selfcheck.withdraw.solution')}</li> : null}
        {check.register_published_at ? <li>{t('selfcheck.withdraw.register')}</li> : null}
      </ul>
      <Form ctx={ctx} action={`/selbstcheck/${check.id}/zurueckziehen`} class="form confirm-form">
        <div class="actions step-actions">
          <a class="button button-secondary" href={`/selbstcheck/${check.id}`}>{t('common.cancel')}</a>
          <button type="submit" class="button">{t('selfcheck.withdraw.submit')}</button>
        </div>
      </Form>
    </>
  );
}

/** The register fields of a check without a catalogue entry, to publish it in the organisation's transparency register. */
export function RegisterEntryPage({ ctx, check, form }: { ctx: ViewContext; check: Check; form: FormState }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('selfcheck.register.title', { title: check.title })}</h1>
      <p class="lead">{t('selfcheck.register.intro', { organisation: check.organisation_name })}</p>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action={`/selbstcheck/${check.id}/register`}>
        <TextArea ctx={ctx} form={form} name="purpose" label={t('selfcheck.register.fields.purpose')} hint={t('selfcheck.register.hints.purpose')} required maxLength={2000} rows={3} />
        <TextField ctx={ctx} form={form} name="contact" label={t('selfcheck.register.fields.contact')} hint={t('selfcheck.register.hints.contact')} maxLength={300} />
        <TextArea ctx={ctx} form={form} name="oversight" label={t('selfcheck.register.fields.oversight')} maxLength={2000} rows={3} />
        <TextField ctx={ctx} form={form} name="legal_basis" label={t('selfcheck.register.fields.legal_basis')} maxLength={1000} />
        <Submit label={t('selfcheck.register.submit')} />
      </Form>
      {check.register_published_at && (
        <Form ctx={ctx} action={`/selbstcheck/${check.id}/register`} class="inline-form">
          <input type="hidden" name="unpublish" value="1" />
          <button type="submit" class="button button-secondary">{t('selfcheck.register.unpublish')}</button>
        </Form>
      )}
    </>
  );
}

/** What the templates are filled with. */
export function templateInput(ctx: ViewContext, report: Report, baseUrl: string): TemplateInput {
  const { check, result } = report;
  return {
    title: check.title, organisation: check.organisation_name, completedOn: formatDay(check.completed_at!.slice(0, 10), ctx.lang),
    riskClass: classLabel(ctx, result.riskClass), reason: ctx.t(result.reasonKey, result.reasonParams), result,
    answers: report.answers, questions: report.questions, reportUrl: `${baseUrl}/selbstcheck/${check.id}`, formatDay: (day) => formatDay(day, ctx.lang),
  };
}

/** A step that cannot be answered (tampered or skipped): the message and the way back to the open step. */
export function StepProblem({ ctx, message, to }: { ctx: ViewContext; message: string; to: string }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('errors.badRequestTitle')}</h1>
      <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
        <h2 id="error-summary-title">{t('common.errorSummaryTitle')}</h2>
        <p>{message}</p>
      </div>
      <p><a href={to}>{t('aiact.toOpenStep')}</a></p>
    </>
  );
}

export function ReportPage({ ctx, report, canRedo, templates }: { ctx: ViewContext; report: Report; canRedo: boolean; templates: TemplateKind[] }) {
  const { t } = ctx;
  const { check, result, answers, questions } = report;
  const decisive = questions.find((x) => x.id === result.decisiveQuestionId);
  const gdpr = result.todos.filter((x) => x.area === 'gdpr');
  const staff = result.todos.filter((x) => x.area === 'staff_council');
  const optionLabel = (x: QuestionView) => {
    const o = x.options.find((opt) => opt.value === answers[x.id]);
    return o ? t(o.labelKey) : answers[x.id];
  };
  const withdrawn = check.withdrawn_at !== null;
  const canChange = canRedo && !withdrawn;
  const changeLink = (x: QuestionView) => canChange
    ? <> <a class="no-print" href={`/selbstcheck/${check.id}/aendern/${x.id}`}>{t('selfcheck.change.link')}<span class="visually-hidden">: {t(x.shortKey)}</span></a></>
    : null;
  return (
    <article class="report print-view">
      <p class="no-print">
        {check.solution_slug && <><a href={`/loesungen/${check.solution_slug}`}>{t('aiact.report.backToSolution')}</a> · </>}
        <a href={check.solution_slug ? `/loesungen/${check.solution_slug}/selbstcheck` : '/selbstcheck'}>{t('aiact.history.title')}</a> · {t('aiact.report.printHint')}
      </p>
      <h1>{t('aiact.report.title', { title: check.title })}</h1>
      {withdrawn && <p class="note withdrawn" role="note"><strong>{t('selfcheck.withdraw.banner', { date: formatDateTime(check.withdrawn_at!, ctx.lang) })}</strong></p>}
      <p class="disclaimer"><strong>{t('aiact.disclaimer')}</strong></p>
      <dl class="facts">
        <dt>{t('aiact.report.organisation')}</dt><dd>{check.organisation_name}</dd>
        <dt>{t('aiact.report.answeredBy')}</dt><dd>{check.created_by_name === null ? t('common.none') : personName(t, check.created_by_name)}</dd>
        <dt>{t('aiact.report.completedAt')}</dt><dd>{formatDateTime(check.completed_at!, ctx.lang)}</dd>
        <dt>{t('aiact.report.ruleVersion')}</dt><dd>{result.ruleVersion}</dd>
      </dl>

      <section aria-labelledby="r-class">
        <h2 id="r-class">{t('aiact.report.classTitle')}</h2>
        <p class={`risk-class risk-${result.riskClass}`}>{classLabel(ctx, result.riskClass)}</p>
        <p class="reason">{t(result.reasonKey, result.reasonParams)}</p>
        {decisive && <p>{t('aiact.report.decisive')}: {optionLabel(decisive)} ({decisive.articleRef}){changeLink(decisive)}</p>}
      </section>

      <section aria-labelledby="r-obligations">
        <h2 id="r-obligations">{t('aiact.report.obligationsTitle')}</h2>
        {result.obligations.length === 0 ? <p>{t('aiact.report.noObligations')}</p> : (
          <table class="table obligations">
            <caption class="visually-hidden">{t('aiact.report.obligationsTitle')}</caption>
            <thead><tr><th scope="col">{t('aiact.report.article')}</th><th scope="col">{t('aiact.report.duty')}</th><th scope="col">{t('aiact.report.appliesFrom')}</th></tr></thead>
            <tbody>
              {result.obligations.map((o) => (
                <tr>
                  <th scope="row">{o.article}</th>
                  <td><strong>{t(o.titleKey)}</strong><br />{t(o.explanationKey)} <a href={o.sourceUrl}>{t('aiact.report.source')}</a></td>
                  <td>{formatDay(o.appliesFrom, ctx.lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="r-gdpr">
        <h2 id="r-gdpr">{t('aiact.report.gdprTitle')}</h2>
        <TodoList ctx={ctx} todos={gdpr} />
      </section>
      <section aria-labelledby="r-staff">
        <h2 id="r-staff">{t('aiact.report.staffTitle')}</h2>
        <TodoList ctx={ctx} todos={staff} />
      </section>

      <section aria-labelledby="r-answers">
        <h2 id="r-answers">{t('aiact.report.answersTitle')}</h2>
        <ol class="answers">
          {questions.map((x) => <li>{t(x.textKey)} <strong>{optionLabel(x)}</strong> <span class="article-ref">({x.articleRef})</span>{changeLink(x)}</li>)}
        </ol>
      </section>

      {templates.length > 0 && (
        <section aria-labelledby="r-templates" class="no-print">
          <h2 id="r-templates">{t('selfcheck.templates.heading')}</h2>
          <p>{t('selfcheck.templates.intro')}</p>
          <ul class="templates">
            {templates.map((kind) => (
              <li>{t(templateTitleKey(kind), { title: check.title })}: <a href={`/selbstcheck/${check.id}/vorlagen/${kind}.md`}>{t('selfcheck.templates.markdown')}<span class="visually-hidden"> – {t(templateTitleKey(kind), { title: check.title })}</span></a>
                {' · '}<a href={`/selbstcheck/${check.id}/vorlagen/${kind}.docx`}>{t('selfcheck.templates.docx')}<span class="visually-hidden"> – {t(templateTitleKey(kind), { title: check.title })}</span></a></li>
            ))}
          </ul>
        </section>
      )}

      {canChange && check.solution_id === null && (
        <section aria-labelledby="r-register" class="no-print">
          <h2 id="r-register">{t('selfcheck.register.heading')}</h2>
          <p>{check.register_published_at ? t('selfcheck.register.isPublished', { date: formatDateTime(check.register_published_at, ctx.lang) }) : t('selfcheck.register.notPublished')}</p>
          <p><a href={`/selbstcheck/${check.id}/register`}>{check.register_published_at ? t('selfcheck.register.edit') : t('selfcheck.register.publish')}</a></p>
        </section>
      )}

      {canRedo && (
        <Form ctx={ctx} action={`/selbstcheck/${check.id}/wiederholen`} class="inline-form no-print">
          <button type="submit" class="button">{t('aiact.redo')}</button>
        </Form>
      )}
      {canChange && <p class="no-print"><a href={`/selbstcheck/${check.id}/zurueckziehen`}>{t('selfcheck.withdraw.link')}</a></p>}
    </article>
  );
}

function TodoList({ ctx, todos }: { ctx: ViewContext; todos: Report['result']['todos'] }) {
  const { t } = ctx;
  if (todos.length === 0) return <p>{t('aiact.report.noTodos')}</p>;
  return (
    <ul class="todos">
      {todos.map((x) => <li>{t(x.textKey)} <span class="article-ref">({x.article}; <a href={x.sourceUrl}>{t('aiact.report.source')}</a>)</span></li>)}
    </ul>
  );
}

export function RegisterPage({ ctx, data, baseUrl }: { ctx: ViewContext; data: RegisterData; baseUrl: string }) {
  const { t } = ctx;
  const { organisation } = data;
  const rows = registerRows(data, baseUrl);
  return (
    <>
      <h1>{t('aiact.register.title', { organisation: organisation.name })}</h1>
      <p class="lead">{t('aiact.register.intro', { organisation: organisation.name })}</p>
      <p><a href={`/organisationen/${organisation.slug}`}>{organisation.name}</a></p>
      {rows.length === 0 ? <p>{t('aiact.register.empty')}</p> : (
        <ScrollRegion class="table-scroll" label={t('reflow.scrollTable', { name: t('aiact.register.caption', { count: rows.length }) })}>
          <table class="table register">
            <caption>{t('aiact.register.caption', { count: rows.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('aiact.register.system')}</th>
                <th scope="col">{t('aiact.register.purpose')}</th>
                <th scope="col">{t('catalogue.fields.status')}</th>
                <th scope="col">{t('catalogue.fields.ai_act_class')}</th>
                <th scope="col">{t('catalogue.fields.human_oversight')}</th>
                <th scope="col">{t('aiact.register.contact')}</th>
                <th scope="col">{t('catalogue.fields.legal_basis')}</th>
              </tr>
            </thead>
            <tbody>
              {data.systems.map((s) => (
                <tr>
                  <th scope="row"><a href={`/loesungen/${s.slug}`}>{s.title}</a></th>
                  <td>{s.problem_goal || s.summary}</td>
                  <td>{t(`catalogue.values.status.${s.status}`)}</td>
                  <td>{classLabel(ctx, s.ai_act_class)}{s.ai_act_checked_at ? <span class="hint"> ({t('aiact.register.checked', { date: formatDateTime(s.ai_act_checked_at, ctx.lang) })})</span> : null}</td>
                  <td>{s.human_oversight || t('aiact.register.notStated')}</td>
                  <td>{[s.contact, s.contact_email].filter(Boolean).join(', ') || t('aiact.register.notStated')}</td>
                  <td>{s.legal_basis || t('aiact.register.notStated')}</td>
                </tr>
              ))}
              {data.entries.map((e) => (
                <tr id={registerEntryAnchor(e.id)}>
                  <th scope="row">{e.title} <span class="hint">({t('selfcheck.register.ownEntry')})</span></th>
                  <td>{e.register_purpose}</td>
                  <td>{t('aiact.register.notStated')}</td>
                  <td>{classLabel(ctx, e.risk_class)}{e.completed_at ? <span class="hint"> ({t('aiact.register.checked', { date: formatDateTime(e.completed_at, ctx.lang) })})</span> : null}</td>
                  <td>{e.register_oversight || t('aiact.register.notStated')}</td>
                  <td>{e.register_contact || t('aiact.register.notStated')}</td>
                  <td>{e.register_legal_basis || t('aiact.register.notStated')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <p class="export">
        {t('catalogue.export')}: <a href={`/organisationen/${organisation.slug}/ki-register.csv`}>{t('catalogue.exportCsv')}</a> · <a href={`/organisationen/${organisation.slug}/ki-register.json`}>{t('catalogue.exportJson')}</a>
      </p>
      <p class="hint">{t('aiact.register.fieldsNote')}</p>
    </>
  );
}

/** The dashboard line: solutions per AI Act risk class, each a link to the filtered catalogue. */
export function RiskClassLine({ ctx, counts }: { ctx: ViewContext; counts: { value: string; count: number }[] }) {
  const { t } = ctx;
  const order = ['prohibited', 'high_risk', 'transparency', 'minimal', 'not_ai'];
  const known = order.map((c) => ({ value: c, count: counts.find((x) => x.value === c)?.count ?? 0 })).filter((x) => x.count > 0);
  return (
    <p class="risk-classes">
      {known.length === 0 ? t('aiact.dashboard.none') : <>{t('aiact.dashboard.label')}{' '}
        {known.map((x, i) => <>{i > 0 ? ' · ' : ''}<a href={`/loesungen?origin=region&ai_act_class=${x.value}`}>{classLabel(ctx, x.value)}: {formatNumber(x.count, ctx.lang)}</a></>)}</>}
      {ctx.user && <> · <a href="/selbstcheck">{t('aiact.dashboard.run')}</a></>}
    </p>
  );
}
