import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.js';
import type { Database, SolutionsTable } from '../../platform/db/schema.js';
import { binaryOrder, dialectOf } from '../../platform/db/dialect.js';
import type { Visitor } from '../../platform/policy.js';
import type { Facet } from './fields.js';
import { originOf, regionalSolution } from './region.js';

type Eb = ExpressionBuilder<Database & { s: SolutionsTable; o: Database['organisations'] }, 's' | 'o'>;

/** Which solutions a visitor may see: public ones; members also members-only ones and their organisation's drafts; moderators all. */
export function visibleTo(viewer: Visitor) {
  return (eb: Eb) => {
    if (!viewer) return eb('s.visibility', '=', 'public');
    if (viewer.role === 'admin' || viewer.role === 'moderator') return eb.lit(true);
    return eb.or([
      eb('s.visibility', 'in', ['public', 'members']),
      eb.and([eb('s.visibility', '=', 'draft'), eb('s.organisation_id', '=', viewer.organisationId)]),
    ]);
  };
}

/**
 * The same rule as visibleTo, on the copies of visibility and organisation that each search posting carries
 * (indexSolution writes them), so a ranked search needs no look-up of the solutions.
 */
export function postingsVisibleTo(viewer: Visitor): RawBuilder<boolean> {
  if (!viewer) return sql<boolean>`visibility = 'public'`;
  if (viewer.role === 'admin' || viewer.role === 'moderator') return sql<boolean>`1 = 1`;
  return sql<boolean>`(visibility in ('public', 'members') or (visibility = 'draft' and organisation_id = ${viewer.organisationId}))`;
}

export type Filters = Partial<Record<Facet, string[]>>;

/** The district a solution belongs to: its organisation's district, or the organisation itself if it is one. */
const districtOf = sql<number | null>`coalesce(o.district_id, case when o.kind = 'kreis' then o.id end)`;

/** The value of a facet for a solution row (s, with its organisation o). */
export function facetExpression(facet: Facet): RawBuilder<unknown> {
  switch (facet) {
    case 'district': return districtOf;
    case 'organisation': return sql`s.organisation_id`;
    // The region's own entries (described or run by a member organisation) or entries imported from public registers.
    case 'origin': return originOf('s');
    default: return sql.ref(`s.${facet}`);
  }
}

function applyFilters(filters: Filters, except?: Facet) {
  return (eb: Eb) => eb.and(Object.entries(filters).filter(([f, v]) => f !== except && v && v.length > 0).map(([facet, values]) => {
    const expr = facetExpression(facet as Facet);
    const vals = values!;
    if (facet === 'district' || facet === 'organisation' || facet === 'reuse_offered') {
      // Numbers only: a hand-edited value ("?district=abc") matches nothing on both databases instead of failing on PostgreSQL.
      const numbers = vals.map(Number).filter((n) => Number.isInteger(n) && Math.abs(n) <= 2_147_483_647);
      return numbers.length ? eb(expr as any, 'in', numbers) : eb.lit(false);
    }
    return eb(expr as any, 'in', vals);
  }));
}

function base(db: Db, viewer: Visitor, hits: RawBuilder<unknown> | null, withOrganisation = true) {
  let q = withOrganisation
    ? db.selectFrom('solutions as s').leftJoin('organisations as o', 'o.id', 's.organisation_id')
    : db.selectFrom('solutions as s') as unknown as ReturnType<typeof rootQuery>;
  if (hits) q = q.innerJoin(hits.as('h') as any, 'h.solution_id' as any, 's.id') as any;
  return q.where(visibleTo(viewer) as any);
}

const rootQuery = (db: Db) => db.selectFrom('solutions as s').leftJoin('organisations as o', 'o.id', 's.organisation_id');

export type Sort = 'relevance' | 'newest' | 'title';

const LIST_COLUMNS = [
  's.id', 's.slug', 's.title', 's.summary', 's.description', 's.maturity', 's.field_of_action', 's.technique', 's.visibility', 's.source',
  's.source_org', 's.source_country', 's.language', 's.reuse_offered', 's.ai_act_class', 's.updated_at', 's.is_example', 'o.name as organisation_name', 'o.slug as organisation_slug',
] as const;

/** `total`, when known (counted from the facet table for a list without a query), saves counting again. */
export async function findSolutions(db: Db, viewer: Visitor, opts: { hits: RawBuilder<unknown> | null; filters: Filters; sort: Sort; limit: number; offset: number; excludeId?: number; total?: number }) {
  const d = dialectOf(db);
  // Ranking hits needs the organisation only to filter by district; the page's rows are read with it afterwards.
  const withOrganisation = !opts.hits || Boolean(opts.filters.district?.length);
  let q = base(db, viewer, opts.hits, withOrganisation).where(applyFilters(opts.filters) as any);
  if (opts.excludeId) q = q.where('s.id', '!=', opts.excludeId);
  const order = <T extends { orderBy: (...a: any[]) => T }>(query: T): T => {
    // The score (with its coordination factor), then the id: the same order on both databases.
    if (opts.sort === 'relevance' && opts.hits) return query.orderBy(sql`h.score`, 'desc').orderBy('s.id', 'asc');
    if (opts.sort === 'title') return query.orderBy(binaryOrder(d, 's.title_key')).orderBy('s.id', 'asc');
    return query.orderBy('s.updated_at', 'desc').orderBy('s.id', 'desc');
  };
  if (opts.hits) {
    // With a query, one statement ranks the hits and counts them; only the page's rows are then read in full.
    // Without filters, ranked by relevance, the postings alone answer it (they carry the visibility).
    const page = Object.keys(opts.filters).some((f) => opts.filters[f as Facet]?.length) || opts.sort !== 'relevance'
      ? await order(q.select(['s.id', sql<number>`h.matched`.as('matched'), sql<number>`h.score`.as('score'), sql<number>`count(*) over ()`.as('total')]) as any)
        .limit(opts.limit).offset(opts.offset).execute() as { id: number; matched: number; score: number; total: number }[]
      : (await sql<{ id: number; matched: number; score: number; total: number }>`select h.solution_id as id, h.matched as matched, h.score as score, count(*) over () as total
          from ${opts.hits} h ${opts.excludeId ? sql`where h.solution_id <> ${opts.excludeId}` : sql``}
          order by h.score desc, h.solution_id asc limit ${sql.lit(opts.limit)} offset ${sql.lit(opts.offset)}`.execute(db)).rows;
    const total = page.length ? Number(page[0].total) : Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow() as { n: number }).n);
    return { total, items: await rankedItems(db, page) };
  }
  const total = opts.total ?? Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow() as { n: number }).n);
  const items = await order(q.select([...LIST_COLUMNS]) as any).limit(opts.limit).offset(opts.offset).execute() as any[];
  return { total, items: items as (ListRow & { score?: number; matched?: number })[] };
}

/**
 * The hits of a ranking (the postings carry the visibility), best first: the same order as findSolutions. Every hit,
 * or one page of them, without counting them.
 */
export async function rankedHits(db: Db, hits: RawBuilder<unknown>, page?: { limit: number; offset: number }): Promise<RankedHit[]> {
  return (await sql<RankedHit>`select h.solution_id as id, h.matched as matched, h.score as score from ${hits} h
    order by h.score desc, h.solution_id asc ${page ? sql`limit ${sql.lit(page.limit)} offset ${sql.lit(page.offset)}` : sql``}`.execute(db)).rows;
}

export interface RankedHit { id: number; matched: number; score: number }

/** The list rows of ranked hits, in their order, with score and words matched. */
export async function rankedItems(db: Db, page: RankedHit[]) {
  if (page.length === 0) return [];
  const rows = await db.selectFrom('solutions as s').leftJoin('organisations as o', 'o.id', 's.organisation_id')
    .select([...LIST_COLUMNS]).where('s.id', 'in', page.map((p) => p.id)).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return page.map((p): ListRow & { score?: number; matched?: number } => ({ ...byId.get(p.id)!, score: Number(p.score), matched: Number(p.matched) }));
}

/** The row type of LIST_COLUMNS (the function is never called). */
const listRows = (db: Db) => db.selectFrom('solutions as s').leftJoin('organisations as o', 'o.id', 's.organisation_id').select([...LIST_COLUMNS]).execute();
type ListRow = Awaited<ReturnType<typeof listRows>>[number];

/** Counts per value of a facet within the current result, ignoring that facet's own filter. */
export async function facetCounts(db: Db, viewer: Visitor, hits: RawBuilder<unknown> | null, filters: Filters, facet: Facet) {
  const expr = facetExpression(facet);
  const rows = await base(db, viewer, hits).where(applyFilters(filters, facet) as any)
    .select([expr.as('value'), sql<number>`count(*)`.as('n')])
    .groupBy(expr as any)
    .execute() as { value: string | number | null; n: number }[];
  return rows.filter((r) => r.value !== null && r.value !== '').map((r) => ({ value: String(r.value), count: Number(r.n) }));
}

export async function organisationNames(db: Db, ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function findSolutionBySlug(db: Db | Tx, slug: string) {
  return db.selectFrom('solutions as s').leftJoin('organisations as o', 'o.id', 's.organisation_id')
    .selectAll('s').select(['o.name as organisation_name', 'o.slug as organisation_slug'])
    .where('s.slug', '=', slug).executeTakeFirst();
}

/**
 * What a solution's card shows (title, summary, language, contact, owner) and who may see it (visibility, owning
 * organisation), for several solutions by their slugs in one statement, in no particular order. Only these columns:
 * reading every column of an entry costs several times as much.
 */
export async function findSolutionCards(db: Db | Tx, slugs: string[]) {
  if (slugs.length === 0) return [];
  return db.selectFrom('solutions as s').leftJoin('organisations as o', 'o.id', 's.organisation_id')
    .select(['s.id', 's.slug', 's.title', 's.summary', 's.language', 's.contact_email', 's.visibility', 's.organisation_id', 'o.name as organisation_name', 'o.slug as organisation_slug'])
    .where('s.slug', 'in', slugs).execute();
}

export async function findSolutionById(db: Db | Tx, id: number) {
  return db.selectFrom('solutions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listVersions(db: Db, solutionId: number) {
  return db.selectFrom('solution_versions as v').leftJoin('users as u', 'u.id', 'v.changed_by')
    .select(['v.version', 'v.data', 'v.changed_fields', 'v.changed_at', 'u.name as changed_by_name'])
    .where('v.solution_id', '=', solutionId).orderBy('v.version', 'desc').execute();
}

/** The deployments of solutions a visitor may see, with the organisations that marked them, most advanced first. */
function deploymentsQuery(db: Db | Tx, viewer: Visitor) {
  let q = db.selectFrom('deployments as d').innerJoin('organisations as o', 'o.id', 'd.organisation_id')
    .select([
      'd.id', 'd.solution_id', 'd.status', 'd.since', 'd.contact', 'd.cost_paid', 'd.cost_paid_eur', 'd.cost_period', 'd.experience', 'd.visibility', 'd.organisation_id',
      'd.ai_act_class', 'o.name as organisation_name', 'o.slug as organisation_slug',
    ]);
  if (!viewer) q = q.where('d.visibility', '=', 'public');
  return q.orderBy(sql`case d.status when 'production' then 0 when 'pilot' then 1 when 'in_development' then 2 when 'planned' then 3 when 'idea' then 4 when 'interested' then 5 else 6 end`).orderBy('o.name');
}

export async function deploymentsOf(db: Db | Tx, solutionId: number, viewer: Visitor) {
  return deploymentsQuery(db, viewer).where('d.solution_id', '=', solutionId).execute();
}

/** The deployments of several solutions, per solution in the order of deploymentsOf, in one statement. */
export async function deploymentsOfSolutions(db: Db | Tx, solutionIds: number[], viewer: Visitor) {
  const bySolution = new Map<number, Awaited<ReturnType<typeof deploymentsOf>>>(solutionIds.map((id) => [id, []]));
  if (solutionIds.length === 0) return bySolution;
  for (const d of await deploymentsQuery(db, viewer).where('d.solution_id', 'in', solutionIds).execute()) bySolution.get(d.solution_id)?.push(d);
  return bySolution;
}

/** One organisation's deployment of a solution, if it marked one. */
export async function ownDeployment(db: Db | Tx, solutionId: number, organisationId: number) {
  return db.selectFrom('deployments').selectAll().where('solution_id', '=', solutionId).where('organisation_id', '=', organisationId).executeTakeFirst();
}

export async function deploymentsOfOrganisation(db: Db, organisationId: number, viewer: Visitor) {
  return db.selectFrom('deployments as d').innerJoin('solutions as s', 's.id', 'd.solution_id')
    .leftJoin('organisations as o', 'o.id', 's.organisation_id')
    .select(['d.status', 'd.since', 'd.visibility', 's.slug', 's.title'])
    .where('d.organisation_id', '=', organisationId)
    .where(visibleTo(viewer) as any)
    .where((eb) => (viewer ? eb.lit(true) : eb('d.visibility', '=', 'public')))
    .orderBy('s.title').execute();
}

/**
 * An organisation's AI systems that everyone may see, for its AI register: its public deployments of public
 * solutions and, unless it marked a deployment of its own, its own public solutions at their maturity. Each
 * deployment carries its own risk class when the organisation ran its own self-check (otherwise the
 * solution's), and its own contact: another organisation's solution contact is never mixed in.
 */
export async function publicDeploymentsOf(db: Db, organisationId: number) {
  const SOLUTION_COLUMNS = [
    's.slug', 's.title', 's.title_key', 's.id as solution_id', 's.summary', 's.problem_goal', 's.vendor', 's.human_oversight', 's.legal_basis', 's.risks_measures',
  ] as const;
  const [marked, owned] = await Promise.all([
    db.selectFrom('deployments as d').innerJoin('solutions as s', 's.id', 'd.solution_id')
      .select([
        ...SOLUTION_COLUMNS, 'd.status', 'd.since', 'd.contact',
        sql<string>`case when s.organisation_id = d.organisation_id then s.contact_email else '' end`.as('contact_email'),
        sql<string | null>`coalesce(d.ai_act_class, s.ai_act_class)`.as('ai_act_class'),
        sql<string | null>`case when d.ai_act_class is not null then d.ai_act_checked_at else s.ai_act_checked_at end`.as('ai_act_checked_at'),
        sql<string | null>`case when d.ai_act_class is not null then d.ai_act_rule_version else s.ai_act_rule_version end`.as('ai_act_rule_version'),
        sql<number>`case when d.ai_act_class is not null then 1 else 0 end`.as('own_check'),
      ])
      .where('d.organisation_id', '=', organisationId).where('d.visibility', '=', 'public').where('s.visibility', '=', 'public')
      // Interest or a mere idea is not running a system.
      .where('d.status', 'not in', ['interested', 'idea'])
      .execute(),
    db.selectFrom('solutions as s')
      .select([
        ...SOLUTION_COLUMNS, 's.maturity as status', sql<string | null>`null`.as('since'), sql<string>`''`.as('contact'), 's.contact_email',
        's.ai_act_class', 's.ai_act_checked_at', 's.ai_act_rule_version', sql<number>`0`.as('own_check'),
      ])
      .where('s.organisation_id', '=', organisationId).where('s.visibility', '=', 'public').where('s.maturity', 'not in', ['idea', 'retired'])
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('deployments as od').select('od.id').whereRef('od.solution_id', '=', 's.id').where('od.organisation_id', '=', organisationId))))
      .execute(),
  ]);
  return [...marked, ...owned]
    .sort((a, b) => (a.title_key < b.title_key ? -1 : a.title_key > b.title_key ? 1 : a.solution_id - b.solution_id))
    .map(({ title_key: _k, solution_id: _i, ...rest }) => ({ ...rest, own_check: Number(rest.own_check) === 1 }));
}

/** The region's own solutions the visitor may see, per AI Act risk class (the home page's line of classes). */
export async function regionalRiskClassCounts(db: Db, viewer: Visitor) {
  const rows = await base(db, viewer, null, false).where(regionalSolution('s') as any)
    .select(['s.ai_act_class as value', sql<number>`count(*)`.as('n')]).groupBy('s.ai_act_class').execute() as { value: string | null; n: number }[];
  return rows.filter((r) => r.value !== null && r.value !== '').map((r) => ({ value: String(r.value), count: Number(r.n) }));
}
