import { assetUrl } from '../../platform/http/assets.js';
import type { VNode } from 'preact';
import { personName } from '../../platform/views/person.js';
import { formatDateTime, formatNumber } from '../../platform/i18n/index.js';
import type { ViewContext } from '../../platform/views/context.js';
import { ErrorSummary, Form, Submit, TextField, errorText, type FormState } from '../../platform/views/forms.js';
import type { QuestionView } from './engine.js';
import { registerRows } from './register.js';
import type { Check, RegisterData, Report } from './service.js';

/** The module's stylesheet: the questionnaire, the report and its print view. */
export function aiActHead(): VNode {
  return <link rel="stylesheet" href={assetUrl('aiact.css')} />;
}

/** A calendar day (YYYY-MM-DD) as "2. Dezember 2027". */
export function formatDay(day: string, lang: ViewContext['lang']): string {
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

export function classLabel(ctx: ViewContext, riskClass: string | null): string {
  return riskClass ? ctx.t(`catalogue.values.ai_act_class.${riskClass}`) : ctx.t('catalogue.notSet');
}

type CheckRow = Pick<Check, 'id' | 'status' | 'risk_class' | 'created_by_name' | 'created_at' | 'completed_at' | 'title' | 'solution_slug'>;

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
                ? <a href={`/selbstcheck/${c.id}`}>{classLabel(ctx, c.risk_class)}</a>
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

export function StepPage({ ctx, check, step, question, answers, form }: { ctx: ViewContext; check: Check; step: number; question: QuestionView; answers: Record<string, string>; form: FormState }) {
  const { t } = ctx;
  const chosen = form.values.answer ?? answers[question.id] ?? '';
  const error = errorText(t, form, 'answer');
  const described = ['q-explanation', 'q-example', error ? 'f-answer-error' : ''].filter(Boolean).join(' ');
  const action = `/selbstcheck/${check.id}/schritt/${step}`;
  return (
    <>
      <h1>{t('aiact.stepTitle', { title: check.title })}</h1>
      <p class="meta">{t('aiact.stepOf', { step })} · {t(`aiact.sections.${question.section}`)}</p>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action={action} class="form question-form">
        <input type="hidden" name="step" value={String(step)} />
        <input type="hidden" name="question" value={question.id} />
        <fieldset class={error ? 'question field-error' : 'question'} aria-describedby={described}>
          <legend><span class="question-text">{t(question.textKey)}</span></legend>
          <p id="q-explanation">{t(question.explanationKey)}</p>
          <p id="q-example" class="example"><strong>{t('aiact.example')}:</strong> {t(question.exampleKey)}</p>
          <p class="article-ref">{t('aiact.articleRef')}: {question.articleRef}</p>
          {error && <p class="error-message" id="f-answer-error">{error}</p>}
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
        <div class="actions"><button type="submit" class="button">{t('aiact.next')}</button></div>
      </Form>
      {step > 1 && (
        <Form ctx={ctx} action={action} class="inline-form">
          <input type="hidden" name="navigate" value="back" />
          <button type="submit" class="button button-secondary">{t('aiact.back')}</button>
        </Form>
      )}
      <p class="hint">{t('aiact.draftNote')}</p>
    </>
  );
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

export function ReportPage({ ctx, report, canRedo }: { ctx: ViewContext; report: Report; canRedo: boolean }) {
  const { t } = ctx;
  const { check, result, answers, questions } = report;
  const decisive = questions.find((x) => x.id === result.decisiveQuestionId);
  const gdpr = result.todos.filter((x) => x.area === 'gdpr');
  const staff = result.todos.filter((x) => x.area === 'staff_council');
  const optionLabel = (x: QuestionView) => {
    const o = x.options.find((opt) => opt.value === answers[x.id]);
    return o ? t(o.labelKey) : answers[x.id];
  };
  return (
    <article class="report print-view">
      <p class="no-print">
        {check.solution_slug && <><a href={`/loesungen/${check.solution_slug}`}>{t('aiact.report.backToSolution')}</a> · </>}
        <a href={check.solution_slug ? `/loesungen/${check.solution_slug}/selbstcheck` : '/selbstcheck'}>{t('aiact.history.title')}</a> · {t('aiact.report.printHint')}
      </p>
      <h1>{t('aiact.report.title', { title: check.title })}</h1>
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
        {decisive && <p>{t('aiact.report.decisive')}: „{t(decisive.textKey)}“ – {optionLabel(decisive)} ({decisive.articleRef})</p>}
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
          {questions.map((x) => <li>{t(x.textKey)} <strong>{optionLabel(x)}</strong> <span class="article-ref">({x.articleRef})</span></li>)}
        </ol>
      </section>

      {canRedo && (
        <Form ctx={ctx} action={`/selbstcheck/${check.id}/wiederholen`} class="inline-form no-print">
          <button type="submit" class="button">{t('aiact.redo')}</button>
        </Form>
      )}
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
        <div class="table-scroll">
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
            </tbody>
          </table>
        </div>
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
        {known.map((x, i) => <>{i > 0 ? ' · ' : ''}<a href={`/loesungen?ai_act_class=${x.value}`}>{classLabel(ctx, x.value)}: {formatNumber(x.count, ctx.lang)}</a></>)}</>}
      {ctx.user && <> · <a href="/selbstcheck">{t('aiact.dashboard.run')}</a></>}
    </p>
  );
}
