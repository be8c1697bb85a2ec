import { ConfirmationRequired } from '../../platform/confirmation.js';
import { z } from 'zod';
import type { Db, Tx } from '../../platform/db/database.js';
import type { Insertable } from 'kysely';
import type { SolutionsTable } from '../../platform/db/schema.js';
import { nowIso } from '../../platform/clock.js';
import { AppError, FormError, forbidden, notFound } from '../../platform/errors.js';
import { optionalText, parseForm, text } from '../../platform/forms.js';
import { can, type Visitor } from '../../platform/policy.js';
import { fold } from '../../platform/search/analyser.js';
import { insertWithFreeSlug, slugify } from '../../platform/slug.js';
import {
  AI_ACT_CLASSES, COST_MODELS, DEPLOYMENT_STATUSES, DPIA_STATUSES, FACETS, FIELDS_OF_ACTION, HOSTINGS, INTERACTIONS, LANGUAGES,
  MATURITIES, PERSONAL_DATA, PROCESS_TYPES, SOURCES, TECHNIQUES, VISIBILITIES, type Facet,
} from './fields.js';
import './policy.js';
import { facetCounts as countFacets } from './facets.js';
import * as q from './queries.js';
import { currentLexicon, highlightTerms, indexSolution, scoredQuery, similarityQuery, snippet, suggestCorrection, unknownWords, type ScoredQuery } from './search.js';
import type { SearchLanguage } from '../../platform/search/analyser.js';
import { notifyOrganisations } from '../notifications/service.js';
import { COST_PERIODS, impliedOwnerDeployment, monthProblem, normaliseMonth } from './deployments.js';

export type Solution = NonNullable<Awaited<ReturnType<typeof q.findSolutionBySlug>>>;

/** The fields a person edits, in form order; everything else is bookkeeping. */
export const EDITABLE = [
  'title', 'summary', 'description', 'problem_goal', 'benefit', 'previous_process', 'field_of_action', 'process_type', 'interaction',
  'technique', 'maturity', 'vendor', 'own_development', 'open_source_url', 'cost_model', 'cost_min_eur', 'cost_max_eur', 'cost_basis',
  'funding', 'personal_data', 'dpia_status', 'hosting', 'legal_basis', 'ai_act_class', 'human_oversight', 'risks_measures',
  'reuse_offered', 'reuse_conditions', 'cooperation_wanted', 'contact_email', 'language', 'visibility',
] as const;
export type EditableField = (typeof EDITABLE)[number];

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.union([z.literal('').transform(() => null), z.enum(values)]);
const flag = () => z.string().optional().transform((v) => (v === '1' ? 1 : 0) as 0 | 1);
// refine, not regex: parseForm shows the message of custom issues only (a regex issue would read "Bitte füllen Sie … aus").
const euros = () => z.string().trim().refine((v) => /^\d{0,9}$/.test(v), { message: 'catalogue.errors.euros' }).transform((v) => (v === '' ? null : Number(v)));
const url = () => z.string().trim().max(500).refine((v) => v === '' || /^https:\/\/\S+$/.test(v), { message: 'catalogue.errors.url' });

export const solutionSchema = z.object({
  title: text(100),
  summary: text(350),
  description: optionalText(20_000),
  problem_goal: optionalText(4000),
  benefit: optionalText(4000),
  previous_process: optionalText(4000),
  field_of_action: choice(FIELDS_OF_ACTION),
  process_type: choice(PROCESS_TYPES),
  interaction: choice(INTERACTIONS),
  technique: choice(TECHNIQUES),
  maturity: z.enum(MATURITIES),
  vendor: optionalText(200),
  own_development: flag(),
  open_source_url: url(),
  cost_model: choice(COST_MODELS),
  cost_min_eur: euros(),
  cost_max_eur: euros(),
  cost_basis: optionalText(200),
  funding: optionalText(500),
  personal_data: choice(PERSONAL_DATA),
  dpia_status: choice(DPIA_STATUSES),
  hosting: choice(HOSTINGS),
  legal_basis: optionalText(10_000),
  ai_act_class: choice(AI_ACT_CLASSES),
  human_oversight: optionalText(4000),
  risks_measures: optionalText(4000),
  reuse_offered: flag(),
  reuse_conditions: optionalText(2000),
  cooperation_wanted: flag(),
  contact_email: z.string().trim().max(254).refine((v) => v === '' || z.email().safeParse(v).success, { message: 'validation.email' }),
  language: z.enum(LANGUAGES),
  visibility: z.enum(VISIBILITIES),
});
export type SolutionInput = z.infer<typeof solutionSchema>;

export function parseSolution(input: Record<string, string>, labels: Record<string, string>): SolutionInput {
  // A form leaves out unticked boxes and an API client may leave out empty fields: both mean "empty".
  // Line breaks are stored as \n: browsers send text areas with \r\n, which must not count as a change.
  const complete = Object.fromEntries(EDITABLE.map((f) => [f, (input[f] ?? '').replace(/\r\n?/g, '\n')]));
  const data = parseForm(solutionSchema, complete, labels);
  if (data.cost_min_eur !== null && data.cost_max_eur !== null && data.cost_max_eur < data.cost_min_eur) {
    throw new FormError({ cost_max_eur: { key: 'catalogue.errors.costRange' } });
  }
  return data;
}

/** The title as a sort key: ASCII lower case, so both databases sort it the same way. */
export function titleKey(title: string): string {
  return fold(title).replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9 ]+/g, ' ').trim();
}

/** Paths under /loesungen/ that are pages, not solutions. */
const RESERVED_SLUGS = new Set(['neu', 'export', 'suche']);

/** Inserts a new solution under a slug from its title, numbered when taken (also by a simultaneous creation). */
export function insertSolution(trx: Tx, title: string, values: (slug: string) => Insertable<SolutionsTable>): Promise<{ id: number; slug: string }> {
  return insertWithFreeSlug(trx, 'solutions', slugify(title, 'loesung').slice(0, 70), values, RESERVED_SLUGS);
}

/** The editable fields of a solution, as stored in its versions. */
export function snapshot(row: Pick<SolutionsTable, EditableField>): Record<string, unknown> {
  return Object.fromEntries(EDITABLE.map((f) => [f, row[f]]));
}

/** Adds a row to the solution's history (by = null: a change by the platform, e.g. the register import). */
export async function recordVersion(trx: Tx, solutionId: number, version: number, data: Record<string, unknown>, changed: string[], by: number | null) {
  await trx.insertInto('solution_versions').values({
    solution_id: solutionId, version, data: JSON.stringify(data), changed_fields: JSON.stringify(changed), changed_by: by, changed_at: nowIso(),
  }).execute();
}

import { touchCatalogue } from './version.js';

export { catalogueVersion, touchCatalogue } from './version.js';

/** Creates a solution of the author's organisation with its first version, and indexes it. */
export async function createSolution(db: Db, viewer: Visitor, data: SolutionInput, extra: Partial<Insertable<SolutionsTable>> = {}): Promise<{ id: number; slug: string }> {
  if (!viewer || !can(viewer, 'solution.create')) throw forbidden();
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const { id, slug } = await insertSolution(trx, data.title, (slug) => ({
      ...data, slug, title_key: titleKey(data.title), source: 'own', source_id: null, source_url: '', source_org: '', source_country: '', licence: '',
      organisation_id: viewer.organisationId, is_example: 0, version: 1, created_by: viewer.id, updated_by: viewer.id, created_at: now, updated_at: now,
      ...extra,
    }));
    await recordVersion(trx, id, 1, snapshot(data), [...EDITABLE], viewer.id);
    await indexSolution(trx, { id, ...data, source_org: '', ...extra } as never);
    await touchCatalogue(trx);
    return { id, slug };
  });
}

/** Saves an edit as a new version; only changed fields are recorded, an edit without changes adds none. */
export async function updateSolution(db: Db, viewer: Visitor, slug: string, data: SolutionInput): Promise<{ slug: string; changed: string[] }> {
  return db.transaction().execute(async (trx) => {
    const current = await q.findSolutionBySlug(trx, slug);
    if (!current) throw notFound();
    if (!can(viewer, 'solution.edit', current)) throw forbidden();
    const before = snapshot(current);
    const after = snapshot(data as never);
    const changed = EDITABLE.filter((f) => (before[f] ?? null) !== (after[f] ?? null));
    if (changed.length === 0) return { slug, changed: [] };
    const version = current.version + 1;
    const res = await trx.updateTable('solutions').set({ ...data, title_key: titleKey(data.title), version, updated_by: viewer!.id, updated_at: nowIso() })
      .where('id', '=', current.id).where('version', '=', current.version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('EDIT_CONFLICT', 409, 'catalogue.errors.conflict');
    await recordVersion(trx, current.id, version, after, changed, viewer!.id);
    await indexSolution(trx, { ...current, ...data });
    await touchCatalogue(trx);
    // The organisations that run it hear of the change (those only interested do not; a draft is nobody's news).
    if (data.visibility !== 'draft') {
      const runners = (await q.deploymentsOf(trx, current.id, viewer)).filter((d) => d.status !== 'interested').map((d) => d.organisation_id);
      await notifyOrganisations(trx, {
        organisationIds: runners, exceptUserIds: [viewer!.id], kind: 'catalogue', messageKey: 'notifications.messages.solutionChanged',
        params: { title: data.title, editor: viewer!.name }, url: `/loesungen/${slug}/versionen`, dedupeKey: `solution-changed:${current.id}:${version}`,
      });
    }
    return { slug, changed };
  });
}

export async function solutionFor(db: Db, viewer: Visitor, slug: string): Promise<Solution> {
  const s = await q.findSolutionBySlug(db, slug);
  if (!s) throw notFound();
  if (!can(viewer, 'solution.view', s)) throw viewer ? forbidden() : notFound();
  return s;
}

/** The cards (see findSolutionCards) of the solutions of these slugs that the visitor may see, in the order of the slugs. */
export async function solutionCards(db: Db, viewer: Visitor, slugs: string[]) {
  const bySlug = new Map((await q.findSolutionCards(db, [...new Set(slugs)])).map((s) => [s.slug, s]));
  return slugs.flatMap((slug) => {
    const s = bySlug.get(slug);
    return s && can(viewer, 'solution.view', s) ? [s] : [];
  });
}

export async function versionsOf(db: Db, viewer: Visitor, slug: string) {
  const s = await solutionFor(db, viewer, slug);
  const rows = await q.listVersions(db, s.id);
  return {
    solution: s,
    versions: rows.map((r, i) => {
      const data = JSON.parse(r.data) as Record<string, unknown>;
      const previous = rows[i + 1] ? (JSON.parse(rows[i + 1].data) as Record<string, unknown>) : {};
      const changed = JSON.parse(r.changed_fields) as string[];
      return { version: r.version, at: r.changed_at, by: r.changed_by_name, changes: changed.map((f) => ({ field: f, before: previous[f] ?? null, after: data[f] ?? null })) };
    }),
  };
}

// -------------------------------------------------------------------------------------------------
// Deployments

export const deploymentSchema = z.object({
  status: z.enum(DEPLOYMENT_STATUSES),
  // Optional: the marking on the solution page sends the status only. "09/2025", "9/2025" and "2025-09" are one month.
  since: z.string().trim()
    .superRefine((v, ctx) => { const problem = monthProblem(v); if (problem) ctx.addIssue({ code: 'custom', message: problem }); })
    .transform((v) => (v === '' ? '' : normaliseMonth(v)!)).default(''),
  contact: optionalText(300),
  cost_paid: optionalText(300),
  // Optional: the marking sends neither amount nor period.
  cost_paid_eur: euros().optional().transform((v) => v ?? null),
  cost_period: choice(COST_PERIODS).optional().transform((v) => v ?? null),
  experience: optionalText(8000),
  visibility: z.enum(['members', 'public']).default('public'),
});

/** The fields the full deployment form sends; the marking on the solution page sends the status only. */
const DETAIL_FIELDS = ['since', 'contact', 'cost_paid', 'cost_paid_eur', 'cost_period', 'experience', 'visibility'] as const;

export interface MarkedDeployment {
  solution: Solution;
  /** The status stored before, if the organisation had a deployment already. */
  previous: string | null;
  status: string;
}

/**
 * Marks that the visitor's organisation runs (or is interested in) a solution; the same organisation
 * marking again updates its one deployment instead of adding a second. A form naming another organisation
 * than the visitor's changes nothing. The owner organisation hears of a new deployment by another one, once.
 */
export async function markDeployment(db: Db, viewer: Visitor, slug: string, input: Record<string, string>, labels: Record<string, string>): Promise<MarkedDeployment> {
  if (!viewer || !can(viewer, 'deployment.mark')) throw forbidden();
  if (input.organisation !== undefined && input.organisation !== String(viewer.organisationId)) {
    throw new FormError({ status: { key: 'deployments.errors.notYourOrganisation', vars: { organisation: viewer.organisationName } } });
  }
  const data = parseForm(deploymentSchema, input, labels);
  if (data.cost_paid_eur !== null && data.cost_period === null) throw new FormError({ cost_period: { key: 'deployments.errors.costPeriod' } });
  const costPeriod = data.cost_paid_eur === null ? null : data.cost_period;
  const s = await solutionFor(db, viewer, slug);
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    const before = await q.ownDeployment(trx, s.id, viewer.organisationId);
    const values = { ...data, since: data.since || null, cost_period: costPeriod };
    await trx.insertInto('deployments').values({
      solution_id: s.id, organisation_id: viewer.organisationId, status: data.status, since: values.since, contact: data.contact,
      cost_paid: data.cost_paid, cost_paid_eur: data.cost_paid_eur, cost_period: costPeriod, experience: data.experience, visibility: data.visibility,
      created_by: viewer.id, created_at: now, updated_at: now,
    }).onConflict((oc) => oc.columns(['solution_id', 'organisation_id']).doUpdateSet({
      // The marking sends the status only: details stored with the form (month, costs, report, visibility) stay.
      status: data.status,
      ...Object.fromEntries(DETAIL_FIELDS.filter((k) => input[k] !== undefined).map((k) => [k, values[k]])),
      // An amount and its period belong together.
      ...(input.cost_paid_eur !== undefined ? { cost_period: costPeriod } : {}),
      updated_at: now,
    })).execute();
    await touchCatalogue(trx);
    if (!before && s.organisation_id !== null && s.organisation_id !== viewer.organisationId && s.visibility !== 'draft') {
      await notifyOrganisations(trx, {
        organisationIds: [s.organisation_id], exceptUserIds: [viewer.id], kind: 'deployment', messageKey: `deployments.notification.${data.status}`,
        params: { organisation: viewer.organisationName, title: s.title },
        url: `/loesungen/${s.slug}`, dedupeKey: `deployment-new:${s.id}:${viewer.organisationId}`,
      });
    }
    return { solution: s, previous: before?.status ?? null, status: data.status };
  });
}

/**
 * Removes the visitor's organisation's deployment; says whether there was one. Without `confirmed` nothing changes:
 * the person is asked first, with what will be deleted (ConfirmationRequired).
 */
export async function removeDeployment(db: Db, viewer: Visitor, slug: string, confirmed = false): Promise<{ solution: Solution; removed: boolean }> {
  if (!viewer) throw forbidden();
  const s = await solutionFor(db, viewer, slug);
  if (!confirmed) {
    const mine = await db.selectFrom('deployments').select('id').where('solution_id', '=', s.id).where('organisation_id', '=', viewer.organisationId).executeTakeFirst();
    if (mine) {
      throw new ConfirmationRequired(
        { key: 'removal.deployment.question', vars: { title: s.title } },
        [{ key: 'removal.deployment.what', vars: { organisation: viewer.organisationName, title: s.title } }, { key: 'communityNotices.confirm.irreversible' }],
        { key: 'removal.deployment.button' },
      );
    }
  }
  const removed = await db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom('deployments').where('solution_id', '=', s.id).where('organisation_id', '=', viewer.organisationId).executeTakeFirst();
    await touchCatalogue(trx);
    return Number(res.numDeletedRows) > 0;
  });
  return { solution: s, removed };
}

/**
 * The deployments shown on a solution's page: the stored ones and, unless it marked one itself, the
 * describing organisation at the solution's maturity.
 */
export async function deploymentsShown(db: Db, s: Solution, viewer: Visitor) {
  const stored = await q.deploymentsOf(db, s.id, viewer);
  const implied = impliedOwnerDeployment(s, stored);
  const visibleImplied = implied && (viewer || implied.visibility === 'public') ? implied : null;
  return visibleImplied ? [visibleImplied, ...stored.map((d) => ({ ...d, implied: false as const }))] : stored.map((d) => ({ ...d, implied: false as const }));
}
export type ShownDeployment = Awaited<ReturnType<typeof deploymentsShown>>[number];

/**
 * Sets a deployment's own AI Act risk class from its organisation's completed self-check, inside the
 * check's transaction; only the organisation that runs it (or the moderators) may.
 */
export async function setDeploymentRiskClass(trx: Tx, viewer: Visitor, deploymentId: number, riskClass: string, check: { id: number; ruleVersion: string }): Promise<void> {
  const d = await trx.selectFrom('deployments').select(['id', 'organisation_id']).where('id', '=', deploymentId).executeTakeFirst();
  if (!d) throw notFound();
  if (!viewer || (d.organisation_id !== viewer.organisationId && viewer.role !== 'admin' && viewer.role !== 'moderator')) throw forbidden();
  await trx.updateTable('deployments')
    .set({ ai_act_class: riskClass, ai_act_check_id: check.id, ai_act_checked_at: nowIso(), ai_act_rule_version: check.ruleVersion, updated_at: nowIso() })
    .where('id', '=', deploymentId).execute();
  await touchCatalogue(trx);
}

export const deploymentsOf = (db: Db, solutionId: number, viewer: Visitor) => q.deploymentsOf(db, solutionId, viewer);
export const deploymentsOfSolutions = (db: Db, solutionIds: number[], viewer: Visitor) => q.deploymentsOfSolutions(db, solutionIds, viewer);
export const deploymentsOfOrganisation = q.deploymentsOfOrganisation;

// -------------------------------------------------------------------------------------------------
// Search

export interface SearchParams {
  q: string;
  filters: q.Filters;
  sort: q.Sort;
  page: number;
}

export const PAGE_SIZE = 20;

/** The query parameters of the solution list (and of the cached page that shows it). */
export const SEARCH_QUERY: readonly string[] = ['q', 'sort', 'seite', ...FACETS];
/** A query longer than this many characters is cut (the analyser reads MAX_QUERY_WORDS words of it). */
export const MAX_QUERY_CHARS = 1000;
/** Fewer results than this, and the page suggests what to leave out. */
export const FEW_RESULTS = 5;

/** A query as typed, without control characters (NUL, line breaks) and broken characters, which no word contains. */
export function cleanQuery(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : Array.isArray(raw) && typeof raw[0] === 'string' ? raw[0] : '';
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\p{Cs}/gu, '').slice(0, MAX_QUERY_CHARS);
}

export function parseSearchParams(query: Record<string, unknown>): SearchParams {
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).map(String).filter(Boolean).slice(0, 20);
  const filters: q.Filters = {};
  for (const f of FACETS) {
    const values = list(query[f]);
    if (values.length) filters[f] = values;
  }
  const qText = cleanQuery(query.q);
  const sortRaw = String(query.sort ?? '');
  const sort: q.Sort = sortRaw === 'title' || sortRaw === 'newest' ? sortRaw : qText.trim() ? 'relevance' : 'newest';
  const page = Math.max(1, Math.min(10_000, Number.parseInt(String(query.seite ?? '1'), 10) || 1));
  return { q: qText, filters, sort, page };
}

/** What the page tells about the query besides the results. */
export interface QueryNotes {
  /** The language the query seems to be in, and whether entries in other languages were found through translations. */
  language: SearchLanguage;
  translated: boolean;
  /** Only the first MAX_QUERY_WORDS words were searched. */
  cut: boolean;
  /** The query had only stop words, or no words at all (punctuation only). */
  stopWordsOnly: boolean;
  noWords: boolean;
  /** "Meinten Sie …?": the query with misspelt words corrected. */
  suggestion: string | null;
  /** Words of the query that no entry contains (when there are few results). */
  unknownWords: string[];
  /** How many of the query's words the ranking looked for (a compound counts once, as in the entries' words matched). */
  groups: number;
}

/** Pages of a search without filters that may be ranked from the leading postings (see POSTINGS_CAP). */
export const LEADING_PAGES = 10;

/**
 * The result page of a search: the first pages of a search by relevance without filters from the ranking that reads
 * a bounded number of postings per very common term; anything else from the full ranking. `countIsPartial` says that
 * `total` is not the number of hits (only that page's entries): searchCatalogue counts them with the facets.
 */
export async function resultPage(db: Db, viewer: Visitor, scored: ScoredQuery, params: SearchParams) {
  const { hits } = scored;
  if (params.q.trim() !== '' && !hits) return { total: 0, items: [], countIsPartial: false, ids: undefined };
  const sort = params.sort === 'relevance' && !hits ? 'newest' : params.sort;
  const filtered = Object.values(params.filters).some((v) => v?.length);
  const offset = (params.page - 1) * PAGE_SIZE;
  if (hits && sort === 'relevance' && !filtered) {
    if (!scored.leadingCapped) {
      // The ranking reads every posting anyway: every hit is read once, ranked, for its page, its total and
      // (searchCatalogue) the facet counts, instead of ranking a second time for the facets.
      const ranked = await q.rankedHits(db, hits);
      return { total: ranked.length, items: await q.rankedItems(db, ranked.slice(offset, offset + PAGE_SIZE)), countIsPartial: false, ids: ranked.map((r) => r.id) };
    }
    if (params.page <= LEADING_PAGES) {
      // The bounded ranking leaves out entries holding only very common words, so it cannot count the hits: the
      // facets, which count every hit, give the number (searchCatalogue).
      const page = await q.rankedHits(db, scored.leading!, { limit: PAGE_SIZE, offset });
      return { total: page.length, items: await q.rankedItems(db, page), countIsPartial: true, ids: undefined };
    }
  }
  // Without a query the number of matching entries is known from the facet table (facets.ts).
  const total = hits ? undefined : (await countFacets(db, viewer, null, params.filters)).total;
  const result = await q.findSolutions(db, viewer, { hits, filters: params.filters, sort, limit: PAGE_SIZE, offset, total });
  return { ...result, countIsPartial: false, ids: undefined as number[] | undefined };
}

export async function searchCatalogue(db: Db, viewer: Visitor, params: SearchParams, ranking: { cap?: number } = {}) {
  const scored = await scoredQuery(db, viewer, params.q, ranking);
  const { hits, groups } = scored;
  const noMatch = params.q.trim() !== '' && !hits;
  const result = await resultPage(db, viewer, scored, params);
  const marks = highlightTerms(groups);
  // Counted from the catalogue's facet table in memory (facets.ts): one statement for the hits, none for the list.
  const facets = noMatch
    ? Object.fromEntries(FACETS.map((f) => [f, []])) as unknown as Record<Facet, { value: string; count: number }[]>
    : (await countFacets(db, viewer, result.ids ?? scored.matches, params.filters)).facets;
  // Every entry is either the region's own or from a register: without filters the origin facet counts all hits.
  if (result.countIsPartial) result.total = facets.origin.reduce((sum, v) => sum + v.count, 0);
  const orgIds = [...facets.district, ...facets.organisation].map((v) => Number(v.value));
  const names = await q.organisationNames(db, orgIds);
  const notes: QueryNotes = {
    language: scored.language,
    translated: scored.translated,
    cut: scored.analysed.cut,
    stopWordsOnly: scored.analysed.stopWordsOnly,
    noWords: params.q.trim() !== '' && scored.analysed.words.length === 0,
    suggestion: await suggestCorrection(db, scored),
    unknownWords: result.total < FEW_RESULTS ? await unknownWords(db, scored) : [],
    groups: new Set(groups.map((g) => g.position)).size,
  };
  return {
    total: result.total,
    items: result.items.map((it) => ({ ...it, snippet: snippet(`${it.summary} ${it.description}`, marks) })),
    facets,
    organisationNames: names,
    marks,
    notes,
  };
}

/** Up to five other solutions most like this one: its title and summary as a query, ranked like a search. */
export async function similarSolutions(db: Db, viewer: Visitor, s: { id: number; title: string; summary: string }) {
  const { leading } = await scoredQuery(db, viewer, similarityQuery(s));
  if (!leading) return [];
  return (await q.findSolutions(db, viewer, { hits: leading, filters: {}, sort: 'relevance', limit: 5, offset: 0, excludeId: s.id })).items;
}

/**
 * The solutions most like a free text (a question to the community), ranked like a search (any word may match,
 * in any of the catalogue's languages), each with its integer score.
 */
export async function matchSolutions(db: Db, viewer: Visitor, text: string, limit = 5) {
  const { leading } = await scoredQuery(db, viewer, text);
  if (!leading) return [];
  return (await q.findSolutions(db, viewer, { hits: leading, filters: {}, sort: 'relevance', limit, offset: 0 })).items;
}

/** Re-indexes every solution (after the ranking changed), 200 per transaction; returns how many. */
export async function reindexAllSolutions(db: Db): Promise<number> {
  const lexicon = await currentLexicon(db);
  let last = 0;
  let count = 0;
  for (;;) {
    const rows = await db.selectFrom('solutions')
      .select(['id', 'title', 'summary', 'description', 'problem_goal', 'benefit', 'previous_process', 'vendor', 'source_org', 'language'])
      .where('id', '>', last).orderBy('id').limit(200).execute();
    if (rows.length === 0) break;
    await db.transaction().execute(async (trx) => { for (const r of rows) await indexSolution(trx, r, lexicon); });
    last = rows[rows.length - 1].id;
    count += rows.length;
  }
  await touchCatalogue(db);
  return count;
}

/** Everything the visitor may see that matches the search, for export (no paging). */
export async function exportRows(db: Db, viewer: Visitor, params: SearchParams, limit = 50_000) {
  const { hits } = await scoredQuery(db, viewer, params.q);
  if (params.q.trim() && !hits) return [];
  const ids = (await q.findSolutions(db, viewer, { hits, filters: params.filters, sort: params.sort === 'relevance' && !hits ? 'newest' : params.sort, limit, offset: 0 })).items.map((r) => r.id);
  const rows: (SolutionsTable & { organisation_name: string | null })[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const part = await db.selectFrom('solutions as s').leftJoin('organisations as o', 'o.id', 's.organisation_id')
      .selectAll('s').select('o.name as organisation_name').where('s.id', 'in', ids.slice(i, i + 500)).execute();
    const byId = new Map(part.map((r) => [r.id, r]));
    for (const id of ids.slice(i, i + 500)) if (byId.has(id)) rows.push(byId.get(id)! as never);
  }
  return rows;
}

// -------------------------------------------------------------------------------------------------
// EU AI Act

/**
 * Sets the AI Act risk class from a completed self-check, inside the check's transaction: a changed class is
 * a new version like any edit; the check, its date and rule version are remembered either way.
 */
export async function setRiskClass(trx: Tx, viewer: Visitor, solutionId: number, riskClass: string, check: { id: number; ruleVersion: string }): Promise<void> {
  const current = await q.findSolutionById(trx, solutionId);
  if (!current) throw notFound();
  if (!viewer || !can(viewer, 'solution.edit', current)) throw forbidden();
  const now = nowIso();
  const changed = current.ai_act_class !== riskClass;
  const version = changed ? current.version + 1 : current.version;
  const res = await trx.updateTable('solutions')
    .set({ ai_act_class: riskClass, ai_act_check_id: check.id, ai_act_checked_at: now, ai_act_rule_version: check.ruleVersion, ...(changed ? { version, updated_by: viewer.id, updated_at: now } : {}) })
    .where('id', '=', solutionId).where('version', '=', current.version).executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new AppError('EDIT_CONFLICT', 409, 'catalogue.errors.conflict');
  if (changed) await recordVersion(trx, solutionId, version, snapshot({ ...current, ai_act_class: riskClass }), ['ai_act_class'], viewer.id);
  await touchCatalogue(trx);
}

/** The region's own solutions per AI Act risk class among those the visitor may see (imported register entries do not count). */
export const riskClassCounts = (db: Db, viewer: Visitor) => q.regionalRiskClassCounts(db, viewer);

export const publicDeploymentsOf = q.publicDeploymentsOf;

export { SOURCES };
