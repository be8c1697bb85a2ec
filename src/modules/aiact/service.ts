import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { nowIso } from '../../platform/clock.js';
import { AppError, FormError, forbidden, notFound } from '../../platform/errors.js';
import { parseForm, text } from '../../platform/forms.js';
import { can, type CurrentUser, type Visitor } from '../../platform/policy.js';
import * as catalogue from '../catalogue/service.js';
import { organisationPage } from '../organisations/service.js';
import { RULE_VERSION, answerError, evaluate, isComplete, path, pruneAnswers, type Answers, type CheckResult, type QuestionView } from './engine.js';
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

/**
 * Saves the answer of one step. The step and question the form names must be the ones the path has at that
 * step, every earlier question must be answered, and the rules must accept the value; otherwise nothing changes.
 * Answers that an earlier change took off the path are dropped. The last step completes the check: the result
 * is stored, and a solution's check sets the solution's risk class in the same transaction.
 */
export async function answerStep(db: Db, viewer: Visitor, id: number, step: number, values: Record<string, string>): Promise<{ done: boolean; next: number }> {
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
    if (values.question !== question.id) throw new FormError({ answer: { key: 'aiact.errors.step' } });
    const value = values.answer ?? '';
    if (value === '') throw new FormError({ answer: { key: 'aiact.errors.choose' } });
    const problem = answerError(answers, question.id, value);
    if (problem) throw new FormError({ answer: { key: problem } });

    const next = pruneAnswers({ ...answers, [question.id]: value });
    const now = nowIso();
    const nextQuestions = path(next);
    if (step >= nextQuestions.length && isComplete(next)) {
      const result = evaluate(next);
      await q.updateCheck(trx, id, {
        answers: JSON.stringify(next), status: 'complete', rule_version: result.ruleVersion, risk_class: result.riskClass,
        result: JSON.stringify(result), updated_by: user.id, updated_at: now, completed_at: now,
      });
      // A deployment's check sets the deployment's class; the describing organisation's check the solution's.
      if (check.deployment_id !== null) await catalogue.setDeploymentRiskClass(trx, user, check.deployment_id, result.riskClass, { id, ruleVersion: result.ruleVersion });
      else if (check.solution_id !== null) await catalogue.setRiskClass(trx, user, check.solution_id, result.riskClass, { id, ruleVersion: result.ruleVersion });
      return { done: true, next: step };
    }
    await q.updateCheck(trx, id, { answers: JSON.stringify(next), updated_by: user.id, updated_at: now });
    return { done: false, next: step < nextQuestions.length ? step + 1 : openStep(next) };
  });
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
  return { organisation: data.org, systems: await catalogue.publicDeploymentsOf(db, data.org.id) };
}
export type RegisterData = Awaited<ReturnType<typeof registerOf>>;
