import type { Audience } from '../../platform/audience.js';
import type { Db } from '../../platform/db/database.js';
import type { FieldErrors } from '../../platform/errors.js';
import { FIELDS_OF_ACTION } from '../catalogue/fields.js';
import type { RegionGeo } from './geo.js';
import { listPlacedOrganisations, listTies, type Tie } from './queries.js';

export { audienceOf, type Audience } from '../../platform/audience.js';
export { regionGeo, type RegionGeo } from './geo.js';

/** The stages the map can be narrowed to: the stage at the organisation (its deployment's status, or the maturity of its own solution). */
export const MAP_STAGES = ['pilot', 'production', 'planned', 'in_development'] as const;

/** From least to most: where an organisation both owns and deploys a solution, the further stage is its stage. */
const STAGE_ORDER = ['interested', 'idea', 'planned', 'in_development', 'pilot', 'production'];
const RUNNING = new Set(['pilot', 'production']);

/** The filters as the address carries them (German parameter names, as in the form). */
export interface MapFilters {
  loesung?: string;
  handlungsfeld?: string;
  reife?: string;
}
/** The query parameters of the map (and of the cached page that shows it). */
export const FILTER_NAMES = ['loesung', 'handlungsfeld', 'reife'] as const;

/** The filters of a query string: the first value of each, blank ones left out. */
export function mapFiltersOf(query: unknown): MapFilters {
  const q = (query ?? {}) as Record<string, unknown>;
  const filters: MapFilters = {};
  for (const name of FILTER_NAMES) {
    const raw = Array.isArray(q[name]) ? q[name][0] : q[name];
    if (typeof raw === 'string' && raw.trim() !== '') filters[name] = raw.trim();
  }
  return filters;
}

/**
 * The legend classes of the count of solutions in use: 0, 1, 2–3, 4–6, 7 and more. Fixed, so the same
 * shade means the same on every visit and on the home page.
 */
export function shadeClass(count: number): string {
  if (count <= 0) return 'shade-0';
  if (count === 1) return 'shade-1';
  if (count <= 3) return 'shade-2';
  if (count <= 6) return 'shade-3';
  return 'shade-4';
}
export const SHADE_CLASSES = ['shade-0', 'shade-1', 'shade-2', 'shade-3', 'shade-4'] as const;

/** With one solution chosen, where each organisation stands with it. */
export type AreaState = 'runs' | 'interested' | 'neither';
export const AREA_STATES: AreaState[] = ['runs', 'interested', 'neither'];

/** A municipality or district on the map, with its figure. */
export interface MapArea {
  ags: string;
  name: string;
  /** The organisation's page; null when no organisation has this AGS (drawn without link). */
  slug: string | null;
  district: string;
  /** Solutions in use (with a stage filter: solutions at that stage); with a solution chosen, 1 if it is in use there. */
  count: number;
  /** Only with a solution chosen. */
  state: AreaState | null;
  /** The class of the shape and its legend entry: shade-0 … shade-4, or state-runs / state-interested / state-neither. */
  shade: string;
  /** The projected outline. */
  d: string;
}

export interface MapModel {
  width: number;
  height: number;
  /** The filters applied (unknown values left out) and as the visitor chose them (for the form). */
  filters: MapFilters;
  chosen: MapFilters;
  errors: FieldErrors;
  /** The chosen solution, if any. */
  solution: { slug: string; title: string } | null;
  /** The solutions to choose from: those with at least one organisation on the map using it or interested in it. */
  solutions: { slug: string; title: string }[];
  /** In the order of the table: most solutions first (with a solution chosen: in use, interested, neither), then by name. */
  municipalities: MapArea[];
  /** The districts' own figures (the district administrations as organisations), in the same order; their outlines are the district boundaries. */
  districts: MapArea[];
}

const STATE_ORDER: Record<AreaState, number> = { runs: 0, interested: 1, neither: 2 };

function byFigure(a: MapArea, b: MapArea): number {
  if (a.state && b.state) return STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.name.localeCompare(b.name, 'de');
  return b.count - a.count || a.name.localeCompare(b.name, 'de');
}

/** Per organisation and solution, the one tie that counts: the further stage. */
function furthestTies(ties: Tie[]): Tie[] {
  const best = new Map<string, Tie>();
  for (const tie of ties) {
    const key = `${tie.organisationId}:${tie.solutionId}`;
    const seen = best.get(key);
    if (!seen || STAGE_ORDER.indexOf(tie.stage) > STAGE_ORDER.indexOf(seen.stage)) best.set(key, tie);
  }
  return [...best.values()];
}

/**
 * The figures of every municipality and district of the region for the given audience and filters.
 * An organisation runs a solution if its deployment or its own solution is in pilot or production; it is
 * interested if it has a deployment in an earlier stage (interest, idea, planned, in development).
 */
export async function regionMap(db: Db, geo: RegionGeo, audience: Audience, chosen: MapFilters): Promise<MapModel> {
  const [allTies, organisations] = await Promise.all([listTies(db, audience), listPlacedOrganisations(db)]);
  const byAgs = new Map(organisations.map((o) => [o.ags!, o]));
  const onMap = new Set([...geo.municipalities, ...geo.districts].map((s) => byAgs.get(s.ags)?.id).filter((id) => id !== undefined));
  const ties = furthestTies(allTies).filter((t) => onMap.has(t.organisationId));

  const choices = new Map<number, Tie>();
  for (const t of ties) choices.set(t.solutionId, t);
  const solutions = [...choices.values()].sort((a, b) => a.titleKey.localeCompare(b.titleKey) || a.title.localeCompare(b.title, 'de'));

  const errors: FieldErrors = {};
  const filters: MapFilters = {};
  const chosenSolution = chosen.loesung === undefined ? undefined : solutions.find((s) => s.slug === chosen.loesung);
  if (chosen.loesung !== undefined) {
    if (chosenSolution) filters.loesung = chosen.loesung;
    else errors.loesung = { key: 'map.errors.loesung', vars: { value: chosen.loesung } };
  }
  if (chosen.handlungsfeld !== undefined) {
    if ((FIELDS_OF_ACTION as readonly string[]).includes(chosen.handlungsfeld)) filters.handlungsfeld = chosen.handlungsfeld;
    else errors.handlungsfeld = { key: 'map.errors.handlungsfeld', vars: { value: chosen.handlungsfeld } };
  }
  if (chosen.reife !== undefined) {
    if ((MAP_STAGES as readonly string[]).includes(chosen.reife)) filters.reife = chosen.reife;
    else errors.reife = { key: 'map.errors.reife', vars: { value: chosen.reife } };
  }

  const counted = ties.filter((t) => (!filters.handlungsfeld || t.fieldOfAction === filters.handlungsfeld) && (!filters.reife || t.stage === filters.reife));
  const ofOrganisation = new Map<number, Tie[]>();
  for (const t of counted) ofOrganisation.set(t.organisationId, [...(ofOrganisation.get(t.organisationId) ?? []), t]);

  const area = (shape: { ags: string; name: string; d: string }, district: string): MapArea => {
    const org = byAgs.get(shape.ags);
    const own = org ? ofOrganisation.get(org.id) ?? [] : [];
    const base = { ags: shape.ags, name: org?.name ?? shape.name, slug: org?.slug ?? null, district, d: shape.d };
    if (chosenSolution) {
      const tie = own.find((t) => t.solutionId === chosenSolution.solutionId);
      const state: AreaState = !tie ? 'neither' : RUNNING.has(tie.stage) ? 'runs' : 'interested';
      return { ...base, count: state === 'runs' ? 1 : 0, state, shade: `state-${state}` };
    }
    // With a stage chosen the count is of solutions at that stage; without, of those in use.
    const count = own.filter((t) => filters.reife || RUNNING.has(t.stage)).length;
    return { ...base, count, state: null, shade: shadeClass(count) };
  };

  const districtNames = new Map(geo.districts.map((s) => [s.ags, byAgs.get(s.ags)?.name ?? s.name]));
  // A municipality's district: as the organisations record it, else the district whose key its AGS starts with.
  const districtOf = (ags: string) => byAgs.get(ags)?.district_name ?? districtNames.get(`${ags.slice(0, 5)}000`) ?? '';
  return {
    width: geo.width,
    height: geo.height,
    filters,
    chosen,
    errors,
    solution: chosenSolution ? { slug: chosenSolution.slug, title: chosenSolution.title } : null,
    solutions: solutions.map((s) => ({ slug: s.slug, title: s.title })),
    municipalities: geo.municipalities.map((s) => area(s, districtOf(s.ags))).sort(byFigure),
    districts: geo.districts.map((s) => area(s, '')).sort(byFigure),
  };
}
