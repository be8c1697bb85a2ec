import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { nowIso } from '../../platform/clock.js';
import { AppError, FormError, forbidden, notFound } from '../../platform/errors.js';
import { optionalText, parseForm, text } from '../../platform/forms.js';
import { can, type CurrentUser, type Visitor } from '../../platform/policy.js';
import * as catalogue from '../catalogue/service.js';
import * as catalogueQueries from '../catalogue/queries.js';
import { organisationPage } from '../organisations/service.js';
import {
  RULE_VERSION, answerError, endingAnswer, evaluate, isComplete, path, pruneAnswers, type Answers, type CheckResult, type EndingAnswer, type QuestionView,
} from './engine.js';
import './policy.js';
import * as q from './queries.js';

export type Check = NonNullable<Awaited<ReturnType<typeof q.findCheck>>>;

/** A check's stored answers; anything unreadable counts as none. */
export function answersOf(check: { answers: string }): Answers {
  try {
    const parsed = JSON.parse(check.answers) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Answers;
  } catch {
    return {};
  }
}

function signedIn(viewer: Visitor): CurrentUser {
  if (!viewer || !can(viewer, 'aiact.run')) throw forbidden();
  return viewer;
}

/** The check, if the visitor may see it; one that they may not see does not exist for them (404, so ids cannot be walked). */
export async function checkFor(db: Db, viewer: Visitor, id: number): Promise<Check> {
  const check = await q.findCheck(db, id);
  if (!check || !can(viewer, 'aiact.check.view', check)) throw notFound();
  return check;
}

// -------------------------------------------------------------------------------------------------
// Starting and redoing

export const standaloneSchema = z.object({ title: text(200) });

/**
 * Starts a check of a catalogue solution; only those who may edit the solution run it. An open draft of the
 * organisation is continued; otherwise a new check starts with the answers of the latest one, so a redo only
 * changes what has changed, and the earlier checks stay in the history.
 */
export async function startSolutionCheck(db: Db, viewer: Visitor, slug: string): Promise<number> {
  const user = signedIn(viewer);
  const s = await catalogue.solutionFor(db, user, slug);
  if (!can(user, 'solution.edit', s)) throw forbidden();
  const earlier = await q.checksOfSolution(db, s.id);
  const draft = earlier.find((c) => c.status === 'draft' && c.organisation_id === user.organisationId);
  if (draft) return draft.id;
  const latest = earlier.find((c) => c.status === 'complete');
  return newCheck(db, user, { solutionId: s.id, title: s.title, answers: latest ? answersOf(latest) : {} });
}

/**
 * Starts the check of the visitor's organisation's own deployment of a solution: its use may differ from the
 * describing organisation's, so it has a risk class of its own. An open draft is continued; otherwise the new
 * check starts with the answers of the deployment's latest check, or else of the solution's.
 */
export async function startDeploymentCheck(db: Db, viewer: Visitor, slug: string): Promise<number> {
  const user = signedIn(viewer);
  const s = await catalogue.solutionFor(db, user, slug);
  const deployment = await db.selectFrom('deployments').select(['id']).where('solution_id', '=', s.id).where('organisation_id', '=', user.organisationId).executeTakeFirst();
  if (!deployment) throw new AppError('NO_DEPLOYMENT', 409, 'deployments.errors.noDeployment');
  const earlier = await q.checksOfDeployment(db, deployment.id);
  const draft = earlier.find((c) => c.status === 'draft');
  if (draft) return draft.id;
  const latest = earlier.find((c) => c.status === 'complete') ?? (await q.checksOfSolution(db, s.id)).find((c) => c.status === 'complete');
  return newCheck(db, user, { solutionId: s.id, deploymentId: deployment.id, title: `${s.title} (${user.organisationName})`, answers: latest ? answersOf(latest) : {} });
}

/** Starts a check of a system that is not in the catalogue, named by the person. */
export async function startStandaloneCheck(db: Db, viewer: Visitor, values: Record<string, string>, labels: Record<string, string>): Promise<number> {
  const user = signedIn(viewer);
  const { title } = parseForm(standaloneSchema, values, labels);
  return newCheck(db, user, { solutionId: null, title, answers: {} });
}

/** Runs a check again as a new one with the same answers; a solution's check goes through startSolutionCheck. */
export async function redoCheck(db: Db, viewer: Visitor, id: number): Promise<number> {
  const user = signedIn(viewer);
  const check = await checkFor(db, user, id);
  if (check.solution_slug && check.deployment_id !== null) return startDeploymentCheck(db, user, check.solution_slug);
  if (check.solution_slug) return startSolutionCheck(db, user, check.solution_slug);
  if (!can(user, 'aiact.check.answer', check)) throw forbidden();
  return newCheck(db, user, { solutionId: null, title: check.title, answers: answersOf(check) });
}

async function newCheck(db: Db, user: CurrentUser, c: { solutionId: number | null; deploymentId?: number; title: string; answers: Answers }): Promise<number> {
  const now = nowIso();
  return q.insertCheck(db, {
    solution_id: c.solutionId, deployment_id: c.deploymentId ?? null, organisation_id: user.organisationId, title: c.title, answers: JSON.stringify(pruneAnswers(c.answers)),
    status: 'draft', rule_version: RULE_VERSION, risk_class: null, result: null, created_by: user.id, updated_by: user.id,
    created_at: now, updated_at: now, completed_at: null,
  });
}

// -------------------------------------------------------------------------------------------------
// The questionnaire

/** The step (1-based) a person may open: a question of the path whose earlier questions are all answered. */
function reachable(questions: QuestionView[], answers: Answers, step: number): boolean {
  return Number.isInteger(step) && step >= 1 && step <= questions.length && questions.slice(0, step - 1).every((x) => answers[x.id] !== undefined);
}

/** The first step without an answer; a redo whose answers are all given starts again at the first step. */
export function openStep(answers: Answers): number {
  const i = path(answers).findIndex((x) => answers[x.id] === undefined);
  return i < 0 ? 1 : i + 1;
}

export type StepPage =
  | { kind: 'question'; check: Check; step: number; question: QuestionView; answers: Answers }
  | { kind: 'redirect'; to: string };

/** What /selbstcheck/:id/schritt/:step shows: the question, or where to go instead (the report, the open step). */
export async function stepPage(db: Db, viewer: Visitor, id: number, step: number): Promise<StepPage> {
  const check = await checkFor(db, viewer, id);
  if (check.status === 'complete') return { kind: 'redirect', to: `/selbstcheck/${id}` };
  if (!can(viewer, 'aiact.check.answer', check)) throw forbidden();
  const answers = answersOf(check);
  const questions = path(answers);
  if (!reachable(questions, answers, step)) return { kind: 'redirect', to: `/selbstcheck/${id}/schritt/${openStep(answers)}` };
  return { kind: 'question', check, step, question: questions[step - 1], answers };
}

/** Where a saved answer leads: the next question, the review of all answers, or the confirmation of an answer that ends the check. */
export type StepOutcome =
  | { kind: 'step'; next: number; review: boolean }
  | { kind: 'review' }
  | { kind: 'confirm'; ending: EndingAnswer; question: QuestionView; value: string };

/**
 * Saves the answer of one step. The step and question the form names must be the ones the path has at that
 * step, every earlier question must be answered, and the rules must accept the value; otherwise nothing changes.
 * Answers that an earlier change took off the path are dropped. An answer that settles the check as "verboten"
 * or "kein KI-System" is saved only with the confirmation field. When every question is answered the check
 * goes to the review page; its result is stored only from there. `review` (the person came from the review)
 * leads back to the review as soon as nothing is open, instead of through the following questions.
 */
export async function answerStep(db: Db, viewer: Visitor, id: number, step: number, values: Record<string, string>): Promise<StepOutcome> {
  const user = signedIn(viewer);
  await checkFor(db, user, id);
  return db.transaction().execute(async (trx) => {
    const check = await q.lockCheck(trx, id);
    if (!check) throw notFound();
    if (!can(user, 'aiact.check.answer', check)) throw forbidden();
    if (check.status !== 'draft') throw new AppError('CHECK_COMPLETE', 409, 'aiact.errors.complete');
    const answers = answersOf(check);
    const questions = path(answers);
    const question = questions[step - 1];
    // The step in the address and in the form must agree and name the question the path has there.
    if (values.step !== String(step)) throw new FormError({ answer: { key: 'aiact.errors.step' } });
    if (!question || !reachable(questions, answers, step)) throw new FormError({ answer: { key: 'aiact.errors.skipped' } });
    const value = checkedAnswer(answers, question, values);
    const ending = endingAnswer(answers, question.id, value);
    if (ending && values.confirm !== 'yes') return { kind: 'confirm', ending, question, value };

    const next = pruneAnswers({ ...answers, [question.id]: value });
    await q.updateCheck(trx, id, { answers: JSON.stringify(next), updated_by: user.id, updated_at: nowIso() });
    if (isComplete(next)) {
      const nextQuestions = path(next);
      if (values.review === '1' || step >= nextQuestions.length) return { kind: 'review' };
      return { kind: 'step', next: step + 1, review: false };
    }
    if (values.review === '1') return { kind: 'step', next: openStep(next), review: true };
    return { kind: 'step', next: step < path(next).length ? step + 1 : openStep(next), review: false };
  });
}

/** The answer the form gives for a question, or the message why it cannot be taken. */
function checkedAnswer(answers: Answers, question: QuestionView, values: Record<string, string>): string {
  if (values.question !== question.id) throw new FormError({ answer: { key: 'aiact.errors.step' } });
  const value = values.answer ?? '';
  if (value === '') throw new FormError({ answer: { key: 'aiact.errors.choose' } });
  const problem = answerError(answers, question.id, value);
  if (problem) throw new FormError({ answer: { key: problem } });
  return value;
}

export interface ReviewItem { step: number; question: QuestionView; value: string }

/** The review page of a draft whose questions are all answered; otherwise where to go instead. */
export async function reviewPage(db: Db, viewer: Visitor, id: number): Promise<{ kind: 'review'; check: Check; items: ReviewItem[]; result: CheckResult } | { kind: 'redirect'; to: string }> {
  const check = await checkFor(db, viewer, id);
  if (check.status === 'complete') return { kind: 'redirect', to: `/selbstcheck/${id}` };
  if (!can(viewer, 'aiact.check.answer', check)) throw forbidden();
  const answers = answersOf(check);
  if (!isComplete(answers)) return { kind: 'redirect', to: `/selbstcheck/${id}/schritt/${openStep(answers)}` };
  return { kind: 'review', check, items: path(answers).map((question) => ({ step: question.step, question, value: answers[question.id] })), result: evaluate(answers) };
}

/**
 * Stores the result of a reviewed draft: the check becomes complete and a solution's check sets the
 * solution's risk class in the same transaction. A draft with open questions is refused.
 */
export async function completeCheck(db: Db, viewer: Visitor, id: number): Promise<void> {
  const user = signedIn(viewer);
  await checkFor(db, user, id);
  await db.transaction().execute(async (trx) => {
    const check = await q.lockCheck(trx, id);
    if (!check) throw notFound();
    if (!can(user, 'aiact.check.answer', check)) throw forbidden();
    if (check.status !== 'draft') throw new AppError('CHECK_COMPLETE', 409, 'aiact.errors.complete');
    const answers = answersOf(check);
    if (!isComplete(answers)) throw new AppError('CHECK_OPEN', 409, 'selfcheck.errors.open');
    const result = evaluate(answers);
    const now = nowIso();
    await q.updateCheck(trx, id, {
      status: 'complete', rule_version: result.ruleVersion, risk_class: result.riskClass,
      result: JSON.stringify(result), updated_by: user.id, updated_at: now, completed_at: now,
    });
    // A deployment's check sets the deployment's class; the describing organisation's check the solution's.
    if (check.deployment_id !== null) await catalogue.setDeploymentRiskClass(trx, user, check.deployment_id, result.riskClass, { id, ruleVersion: result.ruleVersion });
    else if (check.solution_id !== null) await catalogue.setRiskClass(trx, user, check.solution_id, result.riskClass, { id, ruleVersion: result.ruleVersion });
  });
}

/** What the confirmation page of an answer that ends the check shows. */
export type ConfirmOutcome = { ending: EndingAnswer; question: QuestionView; value: string };

/**
 * Whether the visitor may change answers of (and withdraw) a completed check: its organisation, and for a solution's
 * check those who may edit the solution. A deployment's check belongs to the organisation running it, as when it was started.
 */
export async function mayChange(db: Db, viewer: Visitor, check: Check): Promise<boolean> {
  if (!viewer || !can(viewer, 'aiact.check.answer', check)) return false;
  if (!check.solution_slug) return true;
  try {
    const s = await catalogue.solutionFor(db, viewer, check.solution_slug);
    return check.deployment_id !== null || can(viewer, 'solution.edit', s);
  } catch {
    return false;
  }
}

/** A completed check the visitor may withdraw (not yet withdrawn). */
export async function withdrawable(db: Db, viewer: Visitor, id: number): Promise<Check> {
  const check = await changeable(db, signedIn(viewer), id);
  if (check.withdrawn_at !== null) throw new AppError('CHECK_WITHDRAWN', 409, 'selfcheck.errors.withdrawn');
  return check;
}

/** A completed check whose answers the visitor may change in a new check: the report's "Antwort ändern". */
async function changeable(db: Db, user: CurrentUser, id: number): Promise<Check> {
  const check = await checkFor(db, user, id);
  if (check.status !== 'complete') throw notFound();
  if (!can(user, 'aiact.check.answer', check)) throw forbidden();
  if (check.solution_slug) {
    const s = await catalogue.solutionFor(db, user, check.solution_slug);
    if (check.deployment_id === null && !can(user, 'solution.edit', s)) throw forbidden();
  }
  return check;
}

/** The question of a completed check that "Antwort ändern" opens, with the answer given. */
export async function changePage(db: Db, viewer: Visitor, id: number, questionId: string) {
  const user = signedIn(viewer);
  const check = await changeable(db, user, id);
  const answers = answersOf(check);
  const question = path(answers).find((x) => x.id === questionId);
  if (!question) throw notFound();
  return { check, question, answers };
}

/**
 * Changes one answer of a completed check: a new check starts with the earlier answers and this change
 * (the completed one and its report stay in the history). It goes straight to the review, or to the
 * questions the change brought onto the path and then to the review.
 */
export async function changeAnswer(db: Db, viewer: Visitor, id: number, questionId: string, values: Record<string, string>):
  Promise<{ kind: 'confirm'; ending: EndingAnswer; question: QuestionView; value: string } | { kind: 'done'; id: number; to: string }> {
  const user = signedIn(viewer);
  const check = await changeable(db, user, id);
  const answers = answersOf(check);
  const question = path(answers).find((x) => x.id === questionId);
  if (!question) throw notFound();
  const value = checkedAnswer(answers, question, values);
  const ending = endingAnswer(answers, question.id, value);
  if (ending && values.confirm !== 'yes') return { kind: 'confirm', ending, question, value };
  const changed = pruneAnswers({ ...answers, [question.id]: value });
  const newId = await newCheck(db, user, { solutionId: check.solution_id, deploymentId: check.deployment_id ?? undefined, title: check.title, answers: changed });
  return { kind: 'done', id: newId, to: isComplete(changed) ? `/selbstcheck/${newId}/pruefen` : `/selbstcheck/${newId}/schritt/${openStep(changed)}?pruefen=1` };
}

/**
 * Withdraws a completed check: it stays in the history, marked as withdrawn, leaves the transparency register,
 * and a solution (or a deployment) whose class it set takes the class of its latest check that is still valid (or none;
 * a deployment then shows the solution's class again).
 */
export async function withdrawCheck(db: Db, viewer: Visitor, id: number): Promise<void> {
  const user = signedIn(viewer);
  await changeable(db, user, id);
  await db.transaction().execute(async (trx) => {
    const check = await q.lockCheck(trx, id);
    if (!check) throw notFound();
    if (check.status !== 'complete' || check.withdrawn_at !== null) throw new AppError('CHECK_WITHDRAWN', 409, 'selfcheck.errors.withdrawn');
    const now = nowIso();
    await q.updateCheck(trx, id, { withdrawn_at: now, withdrawn_by: user.id, register_published_at: null, updated_by: user.id, updated_at: now });
    // A deployment's check: the deployment takes the class of its latest check that is still valid, or else the solution's.
    if (check.deployment_id !== null) {
      const deployment = await q.deploymentCheckRef(trx, check.deployment_id);
      if (deployment?.ai_act_check_id !== id) return;
      const earlier = await q.latestValidDeploymentCheck(trx, check.deployment_id);
      if (earlier?.risk_class && earlier.result) {
        await catalogue.setDeploymentRiskClass(trx, user, check.deployment_id, earlier.risk_class, { id: earlier.id, ruleVersion: earlier.rule_version });
      } else {
        await q.clearDeploymentCheck(trx, check.deployment_id, now);
        await catalogue.touchCatalogue(trx);
      }
      return;
    }
    if (check.solution_id === null) return;
    const solution = await q.solutionCheckRef(trx, check.solution_id);
    if (solution?.ai_act_check_id !== id) return;
    const earlier = await q.latestValidCheck(trx, check.solution_id);
    if (earlier?.risk_class && earlier.result) {
      await catalogue.setRiskClass(trx, user, check.solution_id, earlier.risk_class, { id: earlier.id, ruleVersion: earlier.rule_version });
    } else {
      // No valid check left: the solution has no class from a check any more, recorded as a new version like any edit.
      const current = await catalogueQueries.findSolutionById(trx, check.solution_id);
      if (!current) return;
      const changed = current.ai_act_class !== null;
      const version = changed ? current.version + 1 : current.version;
      await q.clearSolutionCheck(trx, check.solution_id, { version, userId: user.id, now });
      if (changed) await catalogue.recordVersion(trx, check.solution_id, version, catalogue.snapshot({ ...current, ai_act_class: null }), ['ai_act_class'], user.id);
      await catalogue.touchCatalogue(trx);
    }
  });
}

export const registerSchema = z.object({
  purpose: text(2000),
  contact: optionalText(300),
  oversight: optionalText(2000),
  legal_basis: optionalText(1000),
});

/** A completed check without a catalogue entry that the visitor may put into (or take out of) the organisation's register. */
export async function registerEntryCheck(db: Db, viewer: Visitor, id: number): Promise<Check> {
  const user = signedIn(viewer);
  const check = await changeable(db, user, id);
  if (check.solution_id !== null || check.withdrawn_at !== null) throw notFound();
  return check;
}

/** Publishes a check without a catalogue entry as an entry of its own in the organisation's transparency register. */
export async function publishToRegister(db: Db, viewer: Visitor, id: number, values: Record<string, string>, labels: Record<string, string>): Promise<void> {
  const user = signedIn(viewer);
  await registerEntryCheck(db, user, id);
  const data = parseForm(registerSchema, values, labels);
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await q.updateCheck(trx, id, {
      register_published_at: now, register_purpose: data.purpose, register_contact: data.contact || null,
      register_oversight: data.oversight || null, register_legal_basis: data.legal_basis || null, updated_by: user.id, updated_at: now,
    });
  });
}

export async function unpublishFromRegister(db: Db, viewer: Visitor, id: number): Promise<void> {
  const user = signedIn(viewer);
  await registerEntryCheck(db, user, id);
  await db.transaction().execute((trx) => q.updateCheck(trx, id, { register_published_at: null, updated_by: user.id, updated_at: nowIso() }));
}

// -------------------------------------------------------------------------------------------------
// Results and lists

export interface Report {
  check: Check;
  result: CheckResult;
  answers: Answers;
  /** The questions as answered, in order, for the annex of the report. */
  questions: QuestionView[];
}

/** The report of a completed check; a draft has none (its result is never shown). */
export async function reportOf(db: Db, viewer: Visitor, id: number): Promise<Report | { draft: Check }> {
  const check = await checkFor(db, viewer, id);
  if (check.status !== 'complete' || !check.result) return { draft: check };
  const answers = answersOf(check);
  return { check, result: JSON.parse(check.result) as CheckResult, answers, questions: path(answers).filter((x) => answers[x.id] !== undefined) };
}

/** A solution's page of checks: its history and whether the visitor may run one. */
export async function solutionChecks(db: Db, viewer: Visitor, slug: string) {
  const user = signedIn(viewer);
  const solution = await catalogue.solutionFor(db, user, slug);
  const checks = (await q.checksOfSolution(db, solution.id)).filter((c) => can(user, 'aiact.check.view', c));
  return { solution, checks, canRun: can(user, 'solution.edit', solution) };
}

/** The checks of the visitor's organisation, newest first. */
export async function organisationChecks(db: Db, viewer: Visitor) {
  const user = signedIn(viewer);
  return q.checksOfOrganisation(db, user.organisationId);
}

// -------------------------------------------------------------------------------------------------
// Transparency register

/** An organisation's public AI systems, for its register page and exports. */
export async function registerOf(db: Db, slug: string) {
  const data = await organisationPage(db, slug, false);
  if (!data) throw notFound();
  return { organisation: data.org, systems: await catalogue.publicDeploymentsOf(db, data.org.id), entries: await q.registerEntriesOf(db, data.org.id) };
}
export type RegisterData = Awaited<ReturnType<typeof registerOf>>;
