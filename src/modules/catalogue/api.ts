import fastifySwagger from '@fastify/swagger';
import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { AppError, FormError, forbidden, notFound, type FieldErrors } from '../../platform/errors.js';
import { translatorFor, type T } from '../../platform/i18n/index.js';
import { can, type Visitor } from '../../platform/policy.js';
import { AI_ACT_CLASSES, DEPLOYMENT_STATUSES, FACETS, FIELDS_OF_ACTION, LANGUAGES, MATURITIES, ORIGINS, SOURCES, TECHNIQUES } from './fields.js';
import './policy.js';
import * as catalogue from './service.js';
import { EDITABLE, type EditableField, type Solution } from './service.js';
import { COST_PERIODS } from './deployments.js';

/**
 * The catalogue's REST API under /api/v1/, described by the OpenAPI 3.1 document at /api/openapi.json.
 *
 * Every route calls the same service functions as the pages, so the permissions and the validation are the
 * pages' own. The JSON schemas of the routes are the documentation (generated into the OpenAPI document by
 * @fastify/swagger); the input is checked by the forms' zod validation, so the API reports the same German
 * messages per field as the forms and no second validator can disagree with it.
 */

// -------------------------------------------------------------------------------------------------
// Field kinds: how each editable field travels in JSON

type Kind =
  | { kind: 'text'; max?: number; required?: true; pattern?: string }
  | { kind: 'choice'; values: readonly string[]; required?: true }
  | { kind: 'flag' }
  | { kind: 'euros' };

const FLAGS = new Set(['own_development', 'reuse_offered', 'cooperation_wanted']);
const EUROS = new Set(['cost_min_eur', 'cost_max_eur', 'cost_paid_eur']);
/** Formats the forms check with a refinement, which a JSON schema cannot take from zod (api.test.ts checks both agree). */
export const PATTERNS: Record<string, string> = {
  open_source_url: '^$|^https://\\S+$',
  // The format only: a month before 2000 or in the future is refused with its own message.
  since: '^$|^2\\d{3}-(0?[1-9]|1[0-2])$|^(0?[1-9]|1[0-2])/2\\d{3}$',
};

type JsonProperty = { type?: string; minLength?: number; maxLength?: number; enum?: string[]; anyOf?: JsonProperty[]; const?: string };

/**
 * How each field of a form schema travels in JSON, read from the form's own zod schema: lengths, required fields
 * and choices are the form's, so the document cannot drift from the validation.
 */
function kindsOf(schema: z.ZodType): Record<string, Kind> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, JsonProperty>; required?: string[] };
  return Object.fromEntries(Object.entries(json.properties).map(([field, p]): [string, Kind] => {
    if (FLAGS.has(field)) return [field, { kind: 'flag' }];
    if (EUROS.has(field)) return [field, { kind: 'euros' }];
    if (p.enum) return [field, { kind: 'choice', values: p.enum, ...(json.required?.includes(field) ? { required: true as const } : {}) }];
    const options = p.anyOf?.find((o) => o.enum)?.enum;
    if (options && p.anyOf?.some((o) => o.const === '')) return [field, { kind: 'choice', values: options }];
    if (p.type === 'string') {
      return [field, {
        kind: 'text', max: p.maxLength, ...((p.minLength ?? 0) >= 1 ? { required: true as const } : {}), ...(PATTERNS[field] ? { pattern: PATTERNS[field] } : {}),
      }];
    }
    throw new Error(`no JSON kind for the form field ${field}`);
  }));
}

export const SOLUTION_KINDS = kindsOf(catalogue.solutionSchema) as Record<EditableField, Kind>;
export const DEPLOYMENT_KINDS = kindsOf(catalogue.deploymentSchema);

function labels(t: T): Record<string, string> {
  return Object.fromEntries([...EDITABLE, ...Object.keys(DEPLOYMENT_KINDS)].map((f) => [f, t(`catalogue.fields.${f}`)]));
}

/**
 * A JSON body as the form values the services validate: strings as they are, true as the ticked box "1",
 * numbers as their digits, null or a missing field as empty. Any other type is an error of its field.
 */
function asFormValues(body: unknown, kinds: Record<string, Kind>, fieldLabels: Record<string, string>): { values: Record<string, string>; typeErrors: FieldErrors } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new AppError('BAD_REQUEST', 400, 'api.notAnObject');
  const input = body as Record<string, unknown>;
  const values: Record<string, string> = {};
  const typeErrors: FieldErrors = {};
  for (const [field, k] of Object.entries(kinds)) {
    const v = input[field];
    if (v === undefined || v === null) values[field] = '';
    // A string for a tick box only as a form sends it ("1" or nothing), so "true" or "ja" is not silently false.
    else if (typeof v === 'string' && (k.kind !== 'flag' || ['', '0', '1'].includes(v))) values[field] = v;
    else if (typeof v === 'boolean' && k.kind === 'flag') values[field] = v ? '1' : '';
    else if (typeof v === 'number' && Number.isFinite(v) && k.kind === 'euros') values[field] = String(v);
    else typeErrors[field] = { key: 'api.invalidType', vars: { field: fieldLabels[field] ?? field } };
  }
  return { values, typeErrors };
}

/** Validates a solution body like the form does; wrong types and the form's own messages are reported together, in form order. */
function parseSolutionBody(body: unknown, t: T) {
  const fieldLabels = labels(t);
  const { values, typeErrors } = asFormValues(body, SOLUTION_KINDS, fieldLabels);
  let errors: FieldErrors = {};
  let data: catalogue.SolutionInput | undefined;
  try {
    data = catalogue.parseSolution(values, fieldLabels);
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    errors = err.fields;
  }
  const all = { ...errors, ...typeErrors };
  if (Object.keys(all).length > 0) {
    const order = [...EDITABLE, ...Object.keys(all).filter((f) => !(EDITABLE as readonly string[]).includes(f))];
    throw new FormError(Object.fromEntries(order.filter((f) => all[f]).map((f) => [f, all[f]])));
  }
  return data!;
}

// -------------------------------------------------------------------------------------------------
// Responses

type DeploymentRow = Awaited<ReturnType<typeof catalogue.deploymentsOf>>[number];

const flag = (v: unknown) => v === 1 || v === true;
const organisationOf = (slug: string | null | undefined, name: string | null | undefined) => (slug && name ? { slug, name } : null);

/** A deployment as the viewer may see it: contacts, costs and experience only for members, as on the page. */
function deploymentJson(d: DeploymentRow, viewer: Visitor) {
  return {
    id: d.id,
    status: d.status,
    since: d.since,
    visibility: d.visibility,
    organisation: { slug: d.organisation_slug, name: d.organisation_name },
    ...(viewer ? {
      contact: d.contact, cost_paid: d.cost_paid,
      cost_paid_eur: d.cost_paid_eur === null || d.cost_paid_eur === undefined ? null : Number(d.cost_paid_eur), cost_period: d.cost_period ?? null,
      experience: d.experience,
    } : {}),
  };
}

function solutionJson(s: Solution, deployments: DeploymentRow[], viewer: Visitor, baseUrl: string) {
  const editable = Object.fromEntries(EDITABLE.map((f) => {
    const value = s[f];
    if (FLAGS.has(f)) return [f, flag(value)];
    if (EUROS.has(f)) return [f, value === null ? null : Number(value)];
    return [f, value];
  }));
  return {
    slug: s.slug,
    ...editable,
    source: s.source,
    source_id: s.source_id,
    source_url: s.source_url,
    source_org: s.source_org,
    source_country: s.source_country,
    licence: s.licence,
    organisation: organisationOf(s.organisation_slug, s.organisation_name),
    is_example: flag(s.is_example),
    version: s.version,
    created_at: s.created_at,
    updated_at: s.updated_at,
    url: `${baseUrl}/loesungen/${s.slug}`,
    deployments: deployments.map((d) => deploymentJson(d, viewer)),
  };
}

type ListItem = Awaited<ReturnType<typeof catalogue.searchCatalogue>>['items'][number];

function listItemJson(it: ListItem, baseUrl: string) {
  return {
    slug: it.slug,
    title: it.title,
    summary: it.summary,
    maturity: it.maturity,
    field_of_action: it.field_of_action,
    technique: it.technique,
    ai_act_class: it.ai_act_class,
    language: it.language,
    visibility: it.visibility,
    source: it.source,
    source_org: it.source_org,
    source_country: it.source_country,
    reuse_offered: flag(it.reuse_offered),
    is_example: flag(it.is_example),
    organisation: organisationOf(it.organisation_slug, it.organisation_name),
    updated_at: it.updated_at,
    url: `${baseUrl}/loesungen/${it.slug}`,
  };
}

// -------------------------------------------------------------------------------------------------
// Schemas (JSON Schema 2020-12, the dialect of OpenAPI 3.1)

const de = translatorFor('de');
const nullable = (values: readonly string[]) => ({ type: ['string', 'null'], enum: [...values, null] });
const timestamp = { type: 'string', format: 'date-time' };

function inputProperty(k: Kind, label: string) {
  switch (k.kind) {
    case 'text': return {
      type: k.required ? 'string' : ['string', 'null'], description: label,
      ...(k.max !== undefined ? { maxLength: k.max } : {}), ...(k.required ? { minLength: 1 } : {}), ...(k.pattern ? { pattern: k.pattern } : {}),
    };
    case 'choice': return k.required ? { type: 'string', description: label, enum: [...k.values] } : { ...nullable(k.values), description: label };
    case 'flag': return { type: 'boolean', description: label };
    case 'euros': return { type: ['integer', 'null'], description: label, minimum: 0, maximum: 999_999_999 };
  }
}

function outputProperty(k: Kind) {
  switch (k.kind) {
    case 'text': return { type: 'string' };
    case 'choice': return k.required ? { type: 'string', enum: [...k.values] } : nullable(k.values);
    case 'flag': return { type: 'boolean' };
    case 'euros': return { type: ['integer', 'null'] };
  }
}

const requiredOf = (kinds: Record<string, Kind>) => Object.entries(kinds).filter(([, k]) => 'required' in k && k.required).map(([f]) => f);

const SCHEMAS = [
  {
    $id: 'Problem',
    title: 'Problem',
    description: 'RFC 9457 problem details; a validation error lists each invalid field with its message.',
    type: 'object',
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string' },
      errors: {
        type: 'array',
        items: {
          type: 'object', required: ['field', 'message'], additionalProperties: false,
          properties: { field: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
  },
  {
    $id: 'Organisation',
    title: 'Organisation',
    type: 'object',
    required: ['slug', 'name'],
    additionalProperties: false,
    properties: { slug: { type: 'string' }, name: { type: 'string' } },
  },
  {
    $id: 'SolutionInput',
    title: 'SolutionInput',
    description: 'The editable fields of a solution. A missing field or null means empty; PUT replaces all fields.',
    type: 'object',
    required: requiredOf(SOLUTION_KINDS),
    properties: Object.fromEntries(Object.entries(SOLUTION_KINDS).map(([f, k]) => [f, inputProperty(k, de(`catalogue.fields.${f}`))])),
  },
  {
    $id: 'DeploymentInput',
    title: 'DeploymentInput',
    description: "How the token owner's organisation uses the solution; marking again updates the organisation's one deployment.",
    type: 'object',
    required: requiredOf(DEPLOYMENT_KINDS),
    properties: Object.fromEntries(Object.entries(DEPLOYMENT_KINDS).map(([f, k]) => [f, inputProperty(k, de(`catalogue.fields.${f}`))])),
  },
  {
    $id: 'Deployment',
    title: 'Deployment',
    description: 'contact, cost_paid, cost_paid_eur, cost_period and experience are shown to members only.',
    type: 'object',
    required: ['id', 'status', 'since', 'visibility', 'organisation'],
    additionalProperties: false,
    properties: {
      id: { type: 'integer' },
      status: { type: 'string', enum: [...DEPLOYMENT_STATUSES] },
      since: { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}$' },
      visibility: { type: 'string', enum: ['members', 'public'] },
      organisation: { $ref: 'Organisation#' },
      contact: { type: 'string' },
      cost_paid: { type: 'string' },
      cost_paid_eur: { type: ['integer', 'null'], minimum: 0, description: 'The amount actually paid, in whole euros' },
      cost_period: { type: ['string', 'null'], enum: [...COST_PERIODS, null], description: 'What the amount is paid for: a year, a month or once' },
      experience: { type: 'string' },
    },
  },
  {
    $id: 'SolutionSummary',
    title: 'SolutionSummary',
    type: 'object',
    required: ['slug', 'title', 'summary', 'maturity', 'field_of_action', 'technique', 'ai_act_class', 'language', 'visibility', 'source',
      'source_org', 'source_country', 'reuse_offered', 'is_example', 'organisation', 'updated_at', 'url'],
    additionalProperties: false,
    properties: {
      slug: { type: 'string' },
      title: { type: 'string' },
      summary: { type: 'string' },
      maturity: outputProperty(SOLUTION_KINDS.maturity),
      field_of_action: outputProperty(SOLUTION_KINDS.field_of_action),
      technique: outputProperty(SOLUTION_KINDS.technique),
      ai_act_class: outputProperty(SOLUTION_KINDS.ai_act_class),
      language: outputProperty(SOLUTION_KINDS.language),
      visibility: outputProperty(SOLUTION_KINDS.visibility),
      source: { type: 'string', enum: [...SOURCES] },
      source_org: { type: 'string' },
      source_country: { type: 'string' },
      reuse_offered: { type: 'boolean' },
      is_example: { type: 'boolean' },
      organisation: { oneOf: [{ $ref: 'Organisation#' }, { type: 'null' }] },
      updated_at: timestamp,
      url: { type: 'string', format: 'uri', description: 'The solution’s page' },
    },
  },
  {
    $id: 'Solution',
    title: 'Solution',
    type: 'object',
    required: ['slug', ...EDITABLE, 'source', 'source_id', 'source_url', 'source_org', 'source_country', 'licence', 'organisation', 'is_example',
      'version', 'created_at', 'updated_at', 'url', 'deployments'],
    additionalProperties: false,
    properties: {
      slug: { type: 'string' },
      ...Object.fromEntries(Object.entries(SOLUTION_KINDS).map(([f, k]) => [f, outputProperty(k)])),
      source: { type: 'string', enum: [...SOURCES] },
      source_id: { type: ['string', 'null'] },
      source_url: { type: 'string' },
      source_org: { type: 'string' },
      source_country: { type: 'string' },
      licence: { type: 'string' },
      organisation: { oneOf: [{ $ref: 'Organisation#' }, { type: 'null' }] },
      is_example: { type: 'boolean' },
      version: { type: 'integer', minimum: 1 },
      created_at: timestamp,
      updated_at: timestamp,
      url: { type: 'string', format: 'uri', description: 'The solution’s page' },
      deployments: { type: 'array', items: { $ref: 'Deployment#' }, description: 'The deployments the caller may see' },
    },
  },
];

const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } } });
const ref = (id: string) => ({ $ref: `${id}#` });

type Security = { [scheme: string]: string[] }[];
/** Reading works anonymously (public solutions) or with a token; writing needs a token. */
const PUBLIC: Security = [{}, { bearerAuth: [] }];
const TOKEN: Security = [{ bearerAuth: [] }];
const slugParams = { type: 'object', required: ['slug'], properties: { slug: { type: 'string', description: 'The solution’s slug' } } };

const errors = {
  400: problem('The body is not JSON, or not a JSON object'),
  415: problem('The body is not sent as application/json'),
  401: problem('No token, or an unknown or revoked token (a write needs a token)'),
  403: problem('The token owner lacks the permission'),
  404: problem('No such resource, or not visible to the caller'),
  422: problem('Invalid fields; nothing was stored'),
};

const FACET_VALUES: Record<(typeof FACETS)[number], readonly string[] | null> = {
  origin: ORIGINS, field_of_action: FIELDS_OF_ACTION, maturity: MATURITIES, technique: TECHNIQUES, district: null, organisation: null,
  ai_act_class: AI_ACT_CLASSES, reuse_offered: ['1', '0'], source: SOURCES, language: LANGUAGES,
};
const facetParameters = Object.fromEntries(FACETS.map((f) => {
  const values = FACET_VALUES[f];
  return [f, {
    type: 'array',
    items: values ? { type: 'string', enum: [...values] } : { type: 'string', pattern: '^\\d+$' },
    description: values ? `Filter by ${f}; repeat the parameter for several values` : 'Filter by organisation id; repeat the parameter for several values',
  }];
}));

// -------------------------------------------------------------------------------------------------
// Routes

export async function catalogueApi(app: FastifyInstance, { db, config }: { db: Db; config: Config }) {
  // The schemas document; validation is the services' (see above). Responses are plain JSON.stringify,
  // so nothing reshapes them behind the tests that check them against the document.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `${config.communityName}: Lösungskatalog-API`,
        version: '1.0.0',
        description: 'Search, read, describe and mark solutions of the catalogue. Reading works without a token (public solutions only); '
          + 'with a personal access token (created on the profile page, /profil/tokens) the caller has exactly the permissions of its owner. '
          + 'Errors are RFC 9457 problem details (application/problem+json) with German texts.',
      },
      servers: [{ url: config.baseUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'kic_…', description: 'A personal access token from /profil/tokens' },
        },
      },
      tags: [{ name: 'solutions', description: 'The solution catalogue' }, { name: 'deployments', description: 'Who runs which solution' }],
    },
    refResolver: { buildLocalReference: (schema, _baseUri, _fragment, i) => String(schema.$id ?? `def-${i}`) },
  });
  for (const schema of SCHEMAS) app.addSchema(schema);

  let documentCache: string | undefined;
  app.get('/api/openapi.json', { config: { action: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(documentCache ??= JSON.stringify(app.swagger())));

  const t = (request: FastifyRequest) => request.t;

  app.get('/api/v1/solutions', {
    config: { action: 'catalogue.view' },
    schema: {
      operationId: 'listSolutions', tags: ['solutions'], summary: 'Search the solutions the caller may see', security: PUBLIC,
      description: 'The same search, filters, order and pages as the page /loesungen.',
      querystring: {
        type: 'object',
        properties: {
          q: { type: 'string', maxLength: 200, description: 'Search words' },
          ...facetParameters,
          sort: { type: 'string', enum: ['relevance', 'newest', 'title'], description: 'Default: relevance with q, newest without' },
          page: { type: 'integer', minimum: 1, default: 1 },
        },
      },
      response: {
        200: json('One page of results', {
          type: 'object', required: ['total', 'page', 'pageSize', 'items'], additionalProperties: false,
          properties: { total: { type: 'integer', minimum: 0 }, page: { type: 'integer', minimum: 1 }, pageSize: { type: 'integer' }, items: { type: 'array', items: ref('SolutionSummary') } },
        }),
        401: errors[401],
      },
    },
  }, async (request) => {
    const query = request.query as Record<string, unknown>;
    const params = catalogue.parseSearchParams({ ...query, seite: query.page });
    const result = await catalogue.searchCatalogue(db, request.user, params);
    return { total: result.total, page: params.page, pageSize: catalogue.PAGE_SIZE, items: result.items.map((it) => listItemJson(it, config.baseUrl)) };
  });

  const full = async (viewer: Visitor, slug: string) => {
    const s = await catalogue.solutionFor(db, viewer, slug);
    return solutionJson(s, await catalogue.deploymentsOf(db, s.id, viewer), viewer, config.baseUrl);
  };

  app.post('/api/v1/solutions', {
    config: { action: 'solution.create' },
    schema: {
      operationId: 'createSolution', tags: ['solutions'], summary: "Describe a new solution of the token owner's organisation", security: TOKEN,
      body: ref('SolutionInput'),
      response: { 201: json('Created', ref('Solution')), 400: errors[400], 401: errors[401], 415: errors[415], 422: errors[422] },
    },
  }, async (request, reply) => {
    const data = parseSolutionBody(request.body, t(request));
    const { slug } = await catalogue.createSolution(db, request.user, data);
    return reply.status(201).header('location', `/api/v1/solutions/${slug}`).send(await full(request.user, slug));
  });

  app.get<{ Params: { slug: string } }>('/api/v1/solutions/:slug', {
    config: { action: 'catalogue.view' },
    schema: {
      operationId: 'getSolution', tags: ['solutions'], summary: 'A solution with the deployments the caller may see', security: PUBLIC,
      params: slugParams,
      response: { 200: json('The solution', ref('Solution')), 401: errors[401], 403: errors[403], 404: errors[404] },
    },
  }, async (request) => full(request.user, request.params.slug));

  app.put<{ Params: { slug: string } }>('/api/v1/solutions/:slug', {
    config: { action: 'solution.create' },
    schema: {
      operationId: 'updateSolution', tags: ['solutions'], summary: 'Replace the editable fields of a solution (a new version when anything changed)', security: TOKEN,
      description: 'Members edit their organisation’s solutions, moderators and administrators all.',
      params: slugParams,
      body: ref('SolutionInput'),
      response: { 200: json('The solution as saved', ref('Solution')), 400: errors[400], 401: errors[401], 415: errors[415], 403: errors[403], 404: errors[404], 409: problem('Changed by someone else at the same time'), 422: errors[422] },
    },
  }, async (request) => {
    const s = await catalogue.solutionFor(db, request.user, request.params.slug);
    if (!can(request.user, 'solution.edit', s)) throw forbidden();
    const data = parseSolutionBody(request.body, t(request));
    await catalogue.updateSolution(db, request.user, s.slug, data);
    return full(request.user, s.slug);
  });

  app.get<{ Params: { slug: string } }>('/api/v1/solutions/:slug/deployments', {
    config: { action: 'catalogue.view' },
    schema: {
      operationId: 'listDeployments', tags: ['deployments'], summary: 'Who runs the solution, as far as the caller may see', security: PUBLIC,
      params: slugParams,
      response: {
        200: json('The deployments', { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', items: ref('Deployment') } } }),
        401: errors[401], 403: errors[403], 404: errors[404],
      },
    },
  }, async (request) => {
    const s = await catalogue.solutionFor(db, request.user, request.params.slug);
    return { items: (await catalogue.deploymentsOf(db, s.id, request.user)).map((d) => deploymentJson(d, request.user)) };
  });

  app.post<{ Params: { slug: string } }>('/api/v1/solutions/:slug/deployments', {
    config: { action: 'deployment.mark' },
    schema: {
      operationId: 'markDeployment', tags: ['deployments'], summary: "Mark that the token owner's organisation runs (or is interested in) the solution", security: TOKEN,
      params: slugParams,
      body: ref('DeploymentInput'),
      response: {
        200: json("The organisation's deployment, updated", ref('Deployment')),
        201: json("The organisation's deployment, new", ref('Deployment')),
        400: errors[400], 401: errors[401], 415: errors[415], 403: errors[403], 404: errors[404], 422: errors[422],
      },
    },
  }, async (request, reply) => {
    const user = request.user!;
    const fieldLabels = labels(t(request));
    const { values, typeErrors } = asFormValues(request.body, DEPLOYMENT_KINDS, fieldLabels);
    if (Object.keys(typeErrors).length > 0) throw new FormError(typeErrors);
    if (values.visibility === '') delete values.visibility; // the form's default: public
    const before = await catalogue.solutionFor(db, user, request.params.slug);
    const existed = (await catalogue.deploymentsOf(db, before.id, user)).some((d) => d.organisation_id === user.organisationId);
    const s = (await catalogue.markDeployment(db, user, request.params.slug, values, fieldLabels)).solution;
    const mine = (await catalogue.deploymentsOf(db, s.id, user)).find((d) => d.organisation_id === user.organisationId);
    if (!mine) throw notFound();
    return reply.status(existed ? 200 : 201).send(deploymentJson(mine, user));
  });

  app.get<{ Params: { id: string } }>('/api/v1/deployments/:id', {
    config: { action: 'catalogue.view' },
    schema: {
      operationId: 'getDeployment', tags: ['deployments'], summary: 'One deployment, with the solution it belongs to', security: PUBLIC,
      params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } },
      response: {
        200: json('The deployment', {
          type: 'object', required: ['deployment', 'solution'], additionalProperties: false,
          properties: {
            deployment: ref('Deployment'),
            solution: { type: 'object', required: ['slug', 'title'], additionalProperties: false, properties: { slug: { type: 'string' }, title: { type: 'string' } } },
          },
        }),
        401: errors[401], 404: errors[404],
      },
    },
  }, async (request) => {
    if (!/^\d{1,9}$/.test(request.params.id)) throw notFound();
    const row = await db.selectFrom('deployments as d').innerJoin('solutions as s', 's.id', 'd.solution_id')
      .select(['s.slug', 's.visibility', 's.organisation_id']).where('d.id', '=', Number(request.params.id)).executeTakeFirst();
    // A deployment of a solution the caller may not see does not exist for them, so ids cannot be walked.
    if (!row || !can(request.user, 'solution.view', row)) throw notFound();
    const s = await catalogue.solutionFor(db, request.user, row.slug);
    const d = (await catalogue.deploymentsOf(db, s.id, request.user)).find((x) => x.id === Number(request.params.id));
    if (!d) throw notFound();
    return { deployment: deploymentJson(d, request.user), solution: { slug: s.slug, title: s.title } };
  });
}
