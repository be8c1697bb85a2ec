import { DateTime } from 'luxon';
import { z } from 'zod';
import { recordAudit } from '../../platform/audit.js';
import { nowIso } from '../../platform/clock.js';
import { ConfirmationRequired } from '../../platform/confirmation.js';
import type { Db, Tx } from '../../platform/db/database.js';
import type { ProcurementContractKind, ProcurementState, ProcurementUnit } from '../../platform/db/schema.js';
import { AppError, FormError, forbidden, isUniqueViolation, notFound, signInRequired, type FieldErrors } from '../../platform/errors.js';
import { optionalText, parseForm, text } from '../../platform/forms.js';
import { can, type CurrentUser, type Visitor } from '../../platform/policy.js';
import { solutionFor } from '../catalogue/service.js';
import { localToUtc, utcToLocal } from '../meetings/service.js';
import { computeBundle, formatCents, germanDecimalFor, parseEuroToCents, validateTiers, type BundleFigures, type Tier } from './pricing.js';
import { noticeStateChange } from './notices.js';

/** The message for an amount that is not one: the comma it lacks when it was typed with a decimal point, else the format. */
function euroError(input: string, field: string | undefined): { key: string; vars: Record<string, unknown> } {
  const suggestion = germanDecimalFor(input);
  return suggestion ? { key: 'formHelp.decimalPointField', vars: { field, suggestion } } : { key: 'procurement.errors.euro', vars: { field } };
}
import { procurementWarnings, type Warning } from './rules.js';
import { CONTRACT_KINDS } from './thresholds.js';
import './policy.js';
import * as q from './queries.js';
import type { DeclarationRow, InitiativeRow, TierRow } from './queries.js';

export type { InitiativeRow, DeclarationRow } from './queries.js';
export { CONTRACT_KINDS };

export const UNITS: readonly ProcurementUnit[] = ['licence', 'workplace', 'inhabitant', 'device', 'other'];
export const STATES: readonly ProcurementState[] = ['draft', 'collecting', 'binding', 'handed_over', 'cancelled'];
/** Price tier rows the form offers; without JavaScript a fixed number, blank rows are ignored. */
export const TIER_ROWS = 6;

/** Which state may follow which; the lead moves an initiative along, or cancels it. */
const TRANSITIONS: Record<ProcurementState, ProcurementState[]> = {
  draft: ['collecting', 'cancelled'],
  collecting: ['binding', 'cancelled'],
  binding: ['handed_over', 'cancelled'],
  handed_over: [],
  cancelled: [],
};

export function nextStates(state: ProcurementState): ProcurementState[] {
  return TRANSITIONS[state];
}

// ---------------------------------------------------------------------------------------------------
// The lead's form

const whole = (min: number, max: number, message: string) =>
  z.string().trim().refine((v) => /^\d{1,6}$/.test(v) && Number(v) >= min && Number(v) <= max, { message }).transform(Number);
const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v, { zone: 'utc' }).isValid;

export const initiativeSchema = z.object({
  title: text(150),
  description: optionalText(20_000),
  product: text(200),
  vendor: optionalText(200),
  solution: optionalText(500),
  unit: z.enum(UNITS as [ProcurementUnit, ...ProcurementUnit[]]),
  contract_kind: z.enum(CONTRACT_KINDS as [ProcurementContractKind, ...ProcurementContractKind[]]),
  term_months: whole(1, 600, 'procurement.errors.termMonths'),
  option_months: z.string().trim().transform((v) => v || '0').pipe(whole(0, 600, 'procurement.errors.optionMonths')),
  planned_start: z.string().trim().refine(isDay, { message: 'procurement.errors.date' }),
  deadline_date: z.string().trim().refine(isDay, { message: 'procurement.errors.date' }),
  deadline_time: z.string().trim().refine((v) => v === '' || /^([01]\d|2[0-3]):[0-5]\d$/.test(v), { message: 'procurement.errors.time' }),
  one_time_fee: z.string().trim().max(30),
});

export const INITIATIVE_FIELDS = [
  ...Object.keys(initiativeSchema.shape),
  ...Array.from({ length: TIER_ROWS }, (_, i) => [`tier_min_${i + 1}`, `tier_price_${i + 1}`]).flat(),
];

export interface InitiativeInput {
  title: string;
  description: string;
  product: string;
  vendor: string;
  /** The address or slug of a catalogue solution as typed; resolved against what the person may see. */
  solution: string;
  unit: ProcurementUnit;
  contract_kind: ProcurementContractKind;
  term_months: number;
  option_months: number;
  planned_start: string;
  deadline_at: string;
  one_time_fee_cents: number | null;
  tiers: Tier[];
}

/** Validates the lead's form: each broken rule is named at its field, in German; nothing is stored. */
export function parseInitiative(values: Record<string, string>, labels: Record<string, string>, now = nowIso()): InitiativeInput {
  const complete = Object.fromEntries(INITIATIVE_FIELDS.map((f) => [f, (values[f] ?? '').replace(/\r\n?/g, '\n')]));
  const errors: FieldErrors = {};
  let data: z.infer<typeof initiativeSchema> | undefined;
  try {
    data = parseForm(initiativeSchema, complete, labels);
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    Object.assign(errors, err.fields);
  }
  const tiers: Tier[] = [];
  for (let row = 1; row <= TIER_ROWS; row++) {
    const min = complete[`tier_min_${row}`].trim();
    const price = complete[`tier_price_${row}`].trim();
    if (!min && !price) continue;
    if (!min || !price) {
      errors[!min ? `tier_min_${row}` : `tier_price_${row}`] = { key: 'procurement.errors.tierIncomplete', vars: { row } };
      continue;
    }
    const cents = parseEuroToCents(price);
    if (!/^\d{1,9}$/.test(min) || Number(min) < 1) errors[`tier_min_${row}`] = { key: 'procurement.errors.tierMinimum', vars: { row } };
    if (cents === null) {
      const suggestion = germanDecimalFor(price);
      errors[`tier_price_${row}`] = suggestion ? { key: 'formHelp.decimalPointRow', vars: { row, suggestion } } : { key: 'procurement.errors.tierPrice', vars: { row } };
    }
    if (!errors[`tier_min_${row}`] && !errors[`tier_price_${row}`]) tiers.push({ minQuantity: Number(min), unitPriceCents: cents! });
  }
  const hasRowErrors = Object.keys(errors).some((k) => k.startsWith('tier_'));
  if (!hasRowErrors) {
    const problems = validateTiers(tiers);
    if (problems.length) errors.tiers = { key: problems[0] };
  }
  let fee: number | null = null;
  if (data && data.one_time_fee) {
    fee = parseEuroToCents(data.one_time_fee);
    if (fee === null) errors.one_time_fee = euroError(data.one_time_fee, labels.one_time_fee);
  }
  let deadline = '';
  if (data && !errors.deadline_date && !errors.deadline_time) {
    // A day without a time: declarations close at the end of that day.
    deadline = localToUtc(data.deadline_date, data.deadline_time || '23:59');
    if (deadline <= now) errors.deadline_date = { key: 'procurement.errors.deadlinePast' };
  }
  if (Object.keys(errors).length || !data) throw new FormError(errors);
  return {
    title: data.title, description: data.description, product: data.product, vendor: data.vendor, solution: data.solution,
    unit: data.unit, contract_kind: data.contract_kind, term_months: data.term_months, option_months: data.option_months,
    planned_start: data.planned_start, deadline_at: deadline, one_time_fee_cents: fee, tiers,
  };
}

/** "12,50" for the form: whole cents as Germans type euros. */
export function centsForForm(cents: number): string {
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
}

/** The form values of a stored initiative. */
export function initiativeFormValues(i: InitiativeRow, tiers: TierRow[]): Record<string, string> {
  const deadline = utcToLocal(i.deadline_at);
  const values: Record<string, string> = {
    title: i.title, description: i.description, product: i.product, vendor: i.vendor, solution: i.solution_slug ?? '',
    unit: i.unit, contract_kind: i.contract_kind, term_months: String(i.term_months), option_months: String(i.option_months),
    planned_start: i.planned_start, deadline_date: deadline.date, deadline_time: deadline.time,
    one_time_fee: i.one_time_fee_cents === null ? '' : centsForForm(i.one_time_fee_cents),
  };
  tiers.forEach((t, n) => {
    values[`tier_min_${n + 1}`] = String(t.min_quantity);
    values[`tier_price_${n + 1}`] = centsForForm(t.unit_price_cents);
  });
  return values;
}

/** The catalogue solution behind an address or slug, if the person may see it. */
async function linkedSolution(db: Db, viewer: Visitor, typed: string): Promise<string | null> {
  if (!typed) return null;
  const slug = /(?:^|\/loesungen\/)([a-z0-9-]+)\/?(?:[?#].*)?$/.exec(typed)?.[1];
  try {
    if (slug) return (await solutionFor(db, viewer, slug)).slug;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
  }
  throw new FormError({ solution: { key: 'procurement.errors.solutionNotFound' } });
}

function requireSignedIn(viewer: Visitor): asserts viewer is CurrentUser {
  if (!viewer) throw signInRequired();
}

/** Opens an initiative as a draft, led by the person's organisation. */
export async function createInitiative(db: Db, viewer: Visitor, input: InitiativeInput): Promise<{ id: number }> {
  requireSignedIn(viewer);
  if (!can(viewer, 'procurement.create')) throw forbidden();
  const solution = await linkedSolution(db, viewer, input.solution);
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const { tiers, solution: _typed, ...fields } = input;
    const id = await q.insertInitiative(trx, {
      ...fields, solution_slug: solution, state: 'draft', lead_organisation_id: viewer.organisationId,
      created_by: viewer.id, created_at: now, updated_at: now, bound_at: null, handed_over_at: null, cancelled_at: null,
    });
    await q.replaceTiers(trx, id, tiers);
    await recordAudit(trx, { actorId: viewer.id, action: 'procurement.created', targetType: 'initiative', targetId: id, details: { title: input.title } });
    return { id };
  });
}

/** An edit by the lead: while the initiative is a draft or collects demand; afterwards its terms are fixed. */
export async function updateInitiative(db: Db, viewer: Visitor, id: number, input: InitiativeInput): Promise<void> {
  requireSignedIn(viewer);
  const found = await initiativeFor(db, viewer, id);
  if (!can(viewer, 'initiative.manage', found)) throw forbidden();
  const solution = await linkedSolution(db, viewer, input.solution);
  await db.transaction().execute(async (trx) => {
    const i = (await q.lockInitiative(trx, id))!;
    if (i.state !== 'draft' && i.state !== 'collecting') throw new FormError({ _: { key: 'procurement.errors.editFixed' } });
    const { tiers, solution: _typed, ...fields } = input;
    if (!(await q.updateInitiative(trx, id, i.sequence, { ...fields, solution_slug: solution, updated_at: nowIso() }))) {
      throw new AppError('EDIT_CONFLICT', 409, 'procurement.errors.conflict');
    }
    await q.replaceTiers(trx, id, tiers);
  });
}

/**
 * Moves an initiative to its next state. Binding is possible only after the deadline and with at least one
 * declaration; from then on nobody joins or changes (a framework agreement names its parties up front).
 * The initiative's row is locked, so a declaration arriving at the same moment lands before or not at all.
 */
export async function changeState(db: Db, viewer: Visitor, id: number, to: string, confirmed = false): Promise<ProcurementState> {
  requireSignedIn(viewer);
  const found = await initiativeFor(db, viewer, id);
  if (!can(viewer, 'initiative.manage', found)) throw forbidden();
  return db.transaction().execute(async (trx) => {
    const i = (await q.lockInitiative(trx, id))!;
    const target = STATES.find((s) => s === to);
    if (!target || !TRANSITIONS[i.state].includes(target)) {
      throw new FormError({ _: { key: 'procurement.errors.transition', vars: { from: i.state, to } } });
    }
    const now = nowIso();
    if (target === 'collecting' && i.deadline_at <= now) {
      throw new FormError({ _: { key: 'procurement.errors.openAfterDeadline', vars: { date: i.deadline_at } } });
    }
    if (target === 'binding') {
      if (now < i.deadline_at) throw new FormError({ _: { key: 'procurement.errors.bindBeforeDeadline', vars: { date: i.deadline_at } } });
      if ((await q.declarationsOf(trx, [id])).length === 0) throw new FormError({ _: { key: 'procurement.errors.bindWithoutDeclarations' } });
    }
    if (!confirmed && IRREVERSIBLE.includes(target)) throw await confirmationFor(trx, i, target);
    const stamp = target === 'binding' ? { bound_at: now } : target === 'handed_over' ? { handed_over_at: now } : target === 'cancelled' ? { cancelled_at: now } : {};
    if (!(await q.updateInitiative(trx, id, i.sequence, { state: target, updated_at: now, ...stamp }))) {
      throw new AppError('EDIT_CONFLICT', 409, 'procurement.errors.conflict');
    }
    await recordAudit(trx, { actorId: viewer.id, action: 'procurement.state_changed', targetType: 'initiative', targetId: id, details: { from: i.state, to: target } });
    await noticeStateChange(trx, i, target, viewer.id);
    return target;
  });
}

/** The steps that cannot be undone: they are taken only when confirmed. */
const IRREVERSIBLE: ProcurementState[] = ['binding', 'handed_over', 'cancelled'];

/** What exactly binding, handing over or cancelling an initiative does, for its confirmation page. */
async function confirmationFor(trx: Tx, i: { id: number; title: string }, to: ProcurementState): Promise<ConfirmationRequired> {
  const organisations = (await q.declarationsOf(trx, [i.id])).length;
  const key = `communityNotices.confirm.procurement.${to}`;
  return new ConfirmationRequired(
    { key: `${key}.question`, vars: { title: i.title } },
    [{ key: `${key}.what`, vars: { count: organisations } }, { key: `${key}.who` }, { key: 'communityNotices.confirm.irreversible' }],
    { key: `${key}.button` },
  );
}

// ---------------------------------------------------------------------------------------------------
// Declarations

const quantity = () => z.string().trim().refine((v) => /^\d{1,9}$/.test(v) && Number(v) > 0, { message: 'procurement.errors.quantity' }).transform(Number);

export const declarationSchema = z.object({
  quantity: quantity(),
  max_quantity: z.string().trim().refine((v) => v === '' || (/^\d{1,9}$/.test(v) && Number(v) > 0), { message: 'procurement.errors.maxQuantity' })
    .transform((v) => (v === '' ? null : Number(v))),
});

export interface DeclarationInput { quantity: number; max_quantity: number | null }

/**
 * Validates a declaration. The organisation is always the person's own: a form that names another one
 * (a forged field) is refused, never recorded for that organisation.
 */
export function parseDeclaration(viewer: CurrentUser, values: Record<string, string>, labels: Record<string, string>): DeclarationInput {
  parseDeclarationOwner(viewer, values);
  const data = parseForm(declarationSchema, { quantity: values.quantity ?? '', max_quantity: values.max_quantity ?? '' }, labels);
  if (data.max_quantity !== null && data.max_quantity < data.quantity) {
    throw new FormError({ max_quantity: { key: 'procurement.errors.maxBelowQuantity', vars: { quantity: data.quantity } } });
  }
  return data;
}

/** Why an initiative takes no declarations now; null while it collects and the deadline has not passed. */
function declarationClosed(i: { state: ProcurementState; deadline_at: string }, now: string): FieldErrors | null {
  if (i.state === 'draft') return { _: { key: 'procurement.errors.notCollecting' } };
  if (i.state === 'binding' || i.state === 'handed_over') return { _: { key: 'procurement.errors.bound' } };
  if (i.state === 'cancelled') return { _: { key: 'procurement.errors.cancelled' } };
  if (now >= i.deadline_at) return { _: { key: 'procurement.errors.deadlinePassed', vars: { date: i.deadline_at } } };
  return null;
}

/** Refuses a form that declares for another organisation than the person's own. */
export function parseDeclarationOwner(viewer: CurrentUser, values: Record<string, string>): void {
  if (values.organisation !== undefined && values.organisation !== String(viewer.organisationId)) {
    throw new FormError({ _: { key: 'procurement.errors.otherOrganisation', vars: { organisation: viewer.organisationName } } });
  }
}

type DeclarationAction = 'declare' | 'change' | 'withdraw';

/**
 * Records, changes or withdraws the person's organisation's declaration. The initiative's row is locked for
 * the check and the write, and the database keeps one declaration per organisation, so any number of
 * simultaneous requests (on any number of instances) leave exactly one.
 */
export async function saveDeclaration(db: Db, viewer: Visitor, id: number, action: DeclarationAction, input?: DeclarationInput): Promise<void> {
  requireSignedIn(viewer);
  if (!can(viewer, 'procurement.declare')) throw forbidden();
  await initiativeFor(db, viewer, id);
  try {
    await db.transaction().execute(async (trx) => {
      const i = (await q.lockInitiative(trx, id))!;
      const now = nowIso();
      const closed = declarationClosed(i, now);
      if (closed) throw new FormError(closed);
      const existing = await q.findDeclaration(trx, id, viewer.organisationId);
      if (action === 'declare') {
        if (existing) throw new FormError({ _: { key: 'procurement.errors.alreadyDeclared', vars: { organisation: viewer.organisationName } } });
        await q.insertDeclaration(trx, {
          initiative_id: id, organisation_id: viewer.organisationId, quantity: input!.quantity, max_quantity: input!.max_quantity,
          declared_by: viewer.id, created_at: now, updated_at: now,
        });
      } else {
        if (!existing) throw new FormError({ _: { key: 'procurement.errors.notDeclared', vars: { organisation: viewer.organisationName } } });
        if (action === 'change') await q.updateDeclaration(trx, existing.id, { quantity: input!.quantity, max_quantity: input!.max_quantity, declared_by: viewer.id, updated_at: now });
        else await q.deleteDeclaration(trx, existing.id);
      }
    });
  } catch (err) {
    // The database's one-declaration rule caught a second declaration that raced the first.
    if (isUniqueViolation(err)) throw new FormError({ _: { key: 'procurement.errors.alreadyDeclared', vars: { organisation: viewer.organisationName } } });
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------
// Own value limits

export const limitSchema = z.object({
  limit: z.string().trim().max(30),
  note: optionalText(300),
});

/**
 * Records (or, when left empty, removes) an organisation's own procurement value limit from its by-law.
 * Members set their own organisation's, administrators any organisation's.
 */
export async function saveLimit(db: Db, viewer: Visitor, values: Record<string, string>, labels: Record<string, string>): Promise<{ organisationId: number; limitCents: number | null }> {
  requireSignedIn(viewer);
  if (!can(viewer, 'procurement.limit')) throw forbidden();
  const organisationId = values.organisation === undefined || values.organisation === '' ? viewer.organisationId : Number(values.organisation);
  if (organisationId !== viewer.organisationId && !can(viewer, 'procurement.limitAny')) {
    throw new FormError({ _: { key: 'procurement.errors.otherOrganisationLimit', vars: { organisation: viewer.organisationName } } });
  }
  if (!Number.isSafeInteger(organisationId) || !(await q.organisationName(db, organisationId))) {
    throw new FormError({ organisation: { key: 'validation.choose', vars: { field: labels.organisation } } });
  }
  const data = parseForm(limitSchema, { limit: values.limit ?? '', note: values.note ?? '' }, labels);
  const cents = data.limit === '' ? null : parseEuroToCents(data.limit);
  if (data.limit !== '' && (cents === null || cents === 0)) throw new FormError({ limit: euroError(data.limit, labels.limit) });
  await db.transaction().execute(async (trx) => {
    if (cents === null) await q.removeLimit(trx, organisationId);
    else await q.saveLimit(trx, organisationId, cents, data.note, viewer.id, nowIso());
    await recordAudit(trx, { actorId: viewer.id, action: 'procurement.limit_set', targetType: 'organisation', targetId: organisationId, details: { limitCents: cents } });
  });
  return { organisationId, limitCents: cents };
}

export async function limitPage(db: Db, viewer: Visitor) {
  requireSignedIn(viewer);
  const [own] = await q.limitsOf(db, [viewer.organisationId]);
  const all = can(viewer, 'procurement.limitAny') ? await q.allLimits(db) : [];
  return { own: own ?? null, all };
}

// ---------------------------------------------------------------------------------------------------
// Seeing initiatives and their figures

/** An initiative the visitor may see; another organisation's draft does not exist for them (404, so ids cannot be walked). */
export async function initiativeFor(db: Db, viewer: Visitor, id: number): Promise<InitiativeRow> {
  const i = await q.findInitiative(db, id);
  if (!i) throw notFound();
  if (!can(viewer, 'initiative.view', i)) throw viewer ? notFound() : signInRequired();
  return i;
}

function tiersFor(rows: TierRow[], initiativeId: number): Tier[] {
  return rows.filter((t) => t.initiative_id === initiativeId).map((t) => ({ minQuantity: t.min_quantity, unitPriceCents: t.unit_price_cents }));
}

/** Participants in a stable order: by name, as both databases would otherwise sort differently. */
function declarationsFor(rows: DeclarationRow[], initiativeId: number) {
  return rows.filter((d) => d.initiative_id === initiativeId)
    .sort((a, b) => a.organisation_name.localeCompare(b.organisation_name, 'de') || a.organisation_id - b.organisation_id)
    .map((d) => ({ organisationId: d.organisation_id, organisationName: d.organisation_name, quantity: d.quantity, maxQuantity: d.max_quantity }));
}

function figuresOf(i: Pick<InitiativeRow, 'id' | 'term_months' | 'option_months' | 'one_time_fee_cents'>, tiers: TierRow[], declarations: DeclarationRow[]): BundleFigures {
  return computeBundle(
    { tiers: tiersFor(tiers, i.id), termMonths: i.term_months, optionMonths: i.option_months, oneTimeFeeCents: i.one_time_fee_cents },
    declarationsFor(declarations, i.id),
  );
}

/** Everything the initiative page, the export and the print view show. */
export async function initiativePage(db: Db, viewer: Visitor, id: number) {
  const initiative = await initiativeFor(db, viewer, id);
  const [tierRows, declarationRows] = await Promise.all([q.tiersOf(db, [id]), q.declarationsOf(db, [id])]);
  const figures = figuresOf(initiative, tierRows, declarationRows);
  const limits = await q.limitsOf(db, [...new Set([...figures.participants.map((p) => p.organisationId), initiative.lead_organisation_id])]);
  const warnings: Warning[] = procurementWarnings({
    figures, kind: initiative.contract_kind, plannedStart: initiative.planned_start, termMonths: initiative.term_months, optionMonths: initiative.option_months,
    ownLimits: limits.map((l) => ({ organisationId: l.organisation_id, organisationName: l.organisation_name, limitCents: Number(l.limit_cents) })),
  });
  let solution: { slug: string; title: string } | null = null;
  if (initiative.solution_slug) {
    try {
      const s = await solutionFor(db, viewer, initiative.solution_slug);
      solution = { slug: s.slug, title: s.title };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  }
  const own = viewer ? declarationRows.find((d) => d.organisation_id === viewer.organisationId) ?? null : null;
  const now = nowIso();
  return {
    initiative,
    tiers: tiersFor(tierRows, id),
    figures,
    warnings,
    solution,
    own,
    declarationsOpen: declarationClosed(initiative, now) === null,
    deadlinePassed: now >= initiative.deadline_at,
    canManage: can(viewer, 'initiative.manage', initiative),
  };
}

export type InitiativePage = Awaited<ReturnType<typeof initiativePage>>;

/** The initiatives the visitor may see, newest first, each with its total quantity and participants. */
export async function initiativeList(db: Db, viewer: Visitor) {
  requireSignedIn(viewer);
  // Drafts of other organisations are left out as the policy says (administrators see them all).
  const rows = (await q.listInitiatives(db, viewer.role === 'admin' ? 'all' : viewer.organisationId)).filter((i) => can(viewer, 'initiative.view', i));
  const ids = rows.map((r) => r.id);
  const [tiers, declarations] = await Promise.all([q.tiersOf(db, ids), q.declarationsOf(db, ids)]);
  return rows.map((i) => ({ initiative: i, figures: figuresOf(i, tiers, declarations) }));
}

export type InitiativeListItem = Awaited<ReturnType<typeof initiativeList>>[number];

/** What the community saves together: the savings of every binding and handed-over initiative. */
export async function communitySavings(db: Db): Promise<{ savingCents: number; initiatives: number; organisations: number }> {
  const rows = await q.initiativesInStates(db, ['binding', 'handed_over']);
  const ids = rows.map((r) => r.id);
  const [tiers, declarations] = await Promise.all([q.tiersOf(db, ids), q.declarationsOf(db, ids)]);
  let savingCents = 0;
  for (const i of rows) savingCents += figuresOf({ ...i }, tiers, declarations).totalSavingCents;
  return { savingCents, initiatives: rows.length, organisations: new Set(declarations.map((d) => d.organisation_id)).size };
}

/** The saving of each binding and handed-over initiative on its own, with the day it became binding (the community's figures). */
export async function initiativeSavings(db: Db): Promise<{ id: number; title: string; boundAt: string; savingCents: number }[]> {
  const rows = await q.initiativesInStates(db, ['binding', 'handed_over']);
  const ids = rows.map((r) => r.id);
  const [tiers, declarations] = await Promise.all([q.tiersOf(db, ids), q.declarationsOf(db, ids)]);
  return rows.map((i) => ({ id: i.id, title: i.title, boundAt: i.bound_at ?? i.updated_at, savingCents: figuresOf(i, tiers, declarations).totalSavingCents }));
}

export { formatCents };
