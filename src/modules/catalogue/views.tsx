import type { ViewContext } from '../../platform/views/context.js';
import { personName } from '../../platform/views/person.js';
import { partLang } from '../../platform/views/part-lang.js';
import { Checkbox, ErrorSummary, Form, Select, Submit, TextArea, TextField, type FormState } from '../../platform/views/forms.js';
import { formatDateTime, formatNumber } from '../../platform/i18n/index.js';
import { renderMarkdown } from '../../platform/markdown.js';
import {
  AI_ACT_CLASSES, COST_MODELS, DEPLOYMENT_STATUSES, DPIA_STATUSES, FACETS, FIELDS_OF_ACTION, HOSTINGS, INTERACTIONS, LANGUAGES,
  MATURITIES, PERSONAL_DATA, PROCESS_TYPES, SOURCE_INFO, TECHNIQUES, VISIBILITIES, type Facet,
} from './fields.js';
import type { SnippetPart } from './search.js';
import { MAX_QUERY_WORDS } from '../../platform/search/ranking.js';
import { COST_PERIODS, QUICK_STATUSES, costSums, monthLabel } from './deployments.js';
import { FEW_RESULTS, MAX_QUERY_CHARS, PAGE_SIZE, type SearchParams, type Solution, type searchCatalogue, type similarSolutions, type versionsOf } from './service.js';

type SearchResult = Awaited<ReturnType<typeof searchCatalogue>>;
type Deployment = {
  status: string; since: string | null; organisation_name: string; organisation_slug: string; contact: string; experience: string; cost_paid: string; organisation_id: number;
  cost_paid_eur?: number | null; cost_period?: string | null; ai_act_class?: string | null; implied?: boolean;
};

/** The label of a coded value, or the value itself when the catalogue has none. */
export function valueLabel(ctx: ViewContext, field: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return ctx.t('catalogue.notSet');
  return ctx.t(`catalogue.values.${field}.${value}`, { defaultValue: String(value) });
}

function Snippet({ parts, lang }: { parts: SnippetPart[]; lang?: string }) {
  return <p class="snippet" lang={lang}>{parts.map((p) => (p.mark ? <mark>{p.text}</mark> : p.text))}</p>;
}

function searchUrl(params: SearchParams, change: Partial<SearchParams> & { page?: number }): string {
  const next = { ...params, ...change };
  const qs = new URLSearchParams();
  if (next.q) qs.set('q', next.q);
  for (const [facet, values] of Object.entries(next.filters)) for (const v of values ?? []) qs.append(facet, v);
  if (next.sort && next.sort !== (next.q ? 'relevance' : 'newest')) qs.set('sort', next.sort);
  if (next.page && next.page > 1) qs.set('seite', String(next.page));
  const s = qs.toString();
  return `/loesungen${s ? `?${s}` : ''}`;
}

function facetLabel(ctx: ViewContext, facet: Facet, value: string, names: Map<number, string>): string {
  if (facet === 'district' || facet === 'organisation') return names.get(Number(value)) ?? value;
  if (facet === 'origin') return ctx.t(`search.origin.${value}`, { defaultValue: value });
  return valueLabel(ctx, facet, value);
}

export function CatalogueList({ ctx, params, result }: { ctx: ViewContext; params: SearchParams; result: SearchResult }) {
  const { t } = ctx;
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const exportQs = searchUrl(params, { page: 1 }).replace('/loesungen', '');
  const heading = params.q ? t('catalogue.resultsFor', { count: result.total, q: params.q }) : t('catalogue.results', { count: result.total });
  const wordCount = result.notes.groups;
  const activeFilters = Object.values(params.filters).reduce((n, values) => n + (values?.length ?? 0), 0);
  return (
    <>
      <h1>{t('catalogue.title')}</h1>
      <p class="lead">{t('catalogue.intro')}</p>
      <form method="get" action="/loesungen" role="search" class="search-form">
        <label for="q">{t('catalogue.searchLabel')}</label>
        <div class="search-row">
          <input id="q" name="q" type="search" value={params.q} placeholder={t('catalogue.searchPlaceholder')} maxLength={MAX_QUERY_CHARS} />
          <button type="submit" class="button">{t('catalogue.searchSubmit')}</button>
        </div>
        {Object.entries(params.filters).flatMap(([f, vs]) => (vs ?? []).map((v) => <input type="hidden" name={f} value={v} />))}
      </form>
      {ctx.can('solution.create') && <p><a class="button-small" href="/loesungen/neu">{t('catalogue.create')}</a></p>}
      <a class="skip-results" href="#results-title">{t('reflow.skipToResults')}</a>
      <div class="catalogue">
        <aside class="facets" aria-labelledby="facets-title">
          {/* Folded on narrow screens, so that the results follow right after the search; always open on wide ones. */}
          <details class="filter-disclosure">
          <summary>{t('reflow.filterToggle')}{activeFilters > 0 ? ` ${t('reflow.filterActive', { count: activeFilters })}` : ''}</summary>
          <h2 id="facets-title">{t('catalogue.filters')}</h2>
          <form method="get" action="/loesungen">
            {params.q && <input type="hidden" name="q" value={params.q} />}
            {FACETS.map((facet) => {
              const values = result.facets[facet].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, 15);
              if (values.length === 0 && !params.filters[facet]?.length) return null;
              return (
                <fieldset class="facet">
                  <legend>{facet === 'origin' ? t('search.origin.label') : t(`catalogue.fields.${facet}`)}</legend>
                  {values.map((v) => {
                    const id = `facet-${facet}-${v.value}`.replace(/[^a-zA-Z0-9_-]/g, '_');
                    return (
                      <div class="facet-option">
                        <input type="checkbox" id={id} name={facet} value={v.value} checked={params.filters[facet]?.includes(v.value)} />
                        <label for={id}>{facetLabel(ctx, facet, v.value, result.organisationNames)} <span class="count">({formatNumber(v.count, ctx.lang)})</span></label>
                      </div>
                    );
                  })}
                </fieldset>
              );
            })}
            <label for="sort">{t('catalogue.sort')}</label>
            <select id="sort" name="sort">
              {params.q && <option value="relevance" selected={params.sort === 'relevance'}>{t('catalogue.sortRelevance')}</option>}
              <option value="newest" selected={params.sort === 'newest'}>{t('catalogue.sortNewest')}</option>
              <option value="title" selected={params.sort === 'title'}>{t('catalogue.sortTitle')}</option>
            </select>
            <div class="actions"><button type="submit" class="button">{t('catalogue.applyFilters')}</button></div>
            <p><a href={params.q ? `/loesungen?q=${encodeURIComponent(params.q)}` : '/loesungen'}>{t('catalogue.resetFilters')}</a></p>
          </form>
          </details>
        </aside>
        <section class="results" aria-labelledby="results-title">
          <h2 id="results-title" aria-live="polite">{heading}</h2>
          <SearchNotes ctx={ctx} params={params} result={result} />
          {result.items.length === 0 ? <NothingFound ctx={ctx} params={params} result={result} /> : (
            <ol class="result-list">
              {result.items.map((s) => (
                <li class="result">
                  <h3><a href={`/loesungen/${s.slug}`} lang={partLang(ctx, s.language)}>{s.title}</a></h3>
                  <p class="meta">
                    {valueLabel(ctx, 'maturity', s.maturity)}
                    {s.field_of_action ? ` · ${valueLabel(ctx, 'field_of_action', s.field_of_action)}` : ''}
                    {s.organisation_name ? ` · ${s.organisation_name}` : s.source_org ? ` · ${s.source_org}${s.source_country ? ` (${s.source_country})` : ''}` : ''}
                    {s.is_example ? ` · ${t('catalogue.example')}` : ''}
                    {s.visibility !== 'public' ? ` · ${t(`catalogue.visibilityNote.${s.visibility}`)}` : ''}
                  </p>
                  <Snippet parts={s.snippet} lang={partLang(ctx, s.language)} />
                  {s.matched !== undefined && wordCount > 1 && s.matched < wordCount && (
                    <p class="matched">{t('search.matchedWords', { matched: s.matched, total: wordCount })}</p>
                  )}
                </li>
              ))}
            </ol>
          )}
          {pages > 1 && (
            <nav aria-label={t('catalogue.pagination')} class="pagination">
              {params.page > 1 && <a href={searchUrl(params, { page: params.page - 1 })} rel="prev">{t('catalogue.previous')}</a>}
              <span>{t('common.pageOf', { page: params.page, pages })}</span>
              {params.page < pages && <a href={searchUrl(params, { page: params.page + 1 })} rel="next">{t('catalogue.next')}</a>}
            </nav>
          )}
          <p class="export">{t('catalogue.export')}: <a href={`/loesungen/export.csv${exportQs}`}>{t('catalogue.exportCsv')}</a> · <a href={`/loesungen/export.json${exportQs}`}>{t('catalogue.exportJson')}</a> · <a href="/ueber-die-daten">{t('catalogue.aboutData')}</a></p>
        </section>
      </div>
    </>
  );
}

/** What the page says about the query: a cut, a typo, the other languages searched, words no entry has, filters to drop. */
function SearchNotes({ ctx, params, result }: { ctx: ViewContext; params: SearchParams; result: SearchResult }) {
  const { t } = ctx;
  const { notes } = result;
  const lines = [];
  if (notes.noWords) lines.push(<li>{t('search.noWords')}</li>);
  if (notes.stopWordsOnly) lines.push(<li>{t('search.stopWordsOnly')}</li>);
  if (notes.cut) lines.push(<li>{t('search.cut', { max: MAX_QUERY_WORDS })}</li>);
  if (notes.suggestion) {
    lines.push(<li>{t('search.didYouMean')} <a href={searchUrl(params, { q: notes.suggestion, page: 1 })}>{notes.suggestion}</a>?</li>);
  }
  if (notes.translated && !params.filters.language?.length) {
    lines.push(<li>{t(`search.otherLanguages.${notes.language}`)} – <a href={searchUrl(params, { filters: { ...params.filters, language: [notes.language] }, page: 1 })}>{t(`search.onlyLanguage.${notes.language}`)}</a></li>);
  }
  for (const word of notes.unknownWords) {
    const rest = params.q.split(/\s+/).filter((w) => w && w !== word).join(' ');
    lines.push(<li>{t('search.unknownWord', { word })} <a href={searchUrl(params, { q: rest, page: 1 })}>{t('search.withoutWord', { word })}</a></li>);
  }
  const filters = activeFilters(ctx, params, result);
  if (result.total > 0 && result.total < FEW_RESULTS && filters.length) {
    lines.push(<li>{t('search.fewResults')} <FilterLinks ctx={ctx} filters={filters} /></li>);
  }
  return lines.length ? <ul class="search-notes">{lines}</ul> : null;
}

function activeFilters(ctx: ViewContext, params: SearchParams, result: SearchResult) {
  return Object.entries(params.filters).flatMap(([facet, values]) => (values ?? []).map((value) => ({
    label: ctx.t('search.removeFilter', {
      facet: facet === 'origin' ? ctx.t('search.origin.label') : ctx.t(`catalogue.fields.${facet}`),
      value: facetLabel(ctx, facet as Facet, value, result.organisationNames),
    }),
    href: searchUrl(params, { filters: { ...params.filters, [facet]: (values ?? []).filter((v) => v !== value) }, page: 1 }),
  })));
}

function FilterLinks({ filters }: { ctx: ViewContext; filters: { label: string; href: string }[] }) {
  return <>{filters.map((f, i) => <>{i > 0 && ' · '}<a href={f.href}>{f.label}</a></>)}</>;
}

/** No result is never a dead end: drop a filter, see everything, or ask the community. */
function NothingFound({ ctx, params, result }: { ctx: ViewContext; params: SearchParams; result: SearchResult }) {
  const { t } = ctx;
  const filters = activeFilters(ctx, params, result);
  return (
    <div class="search-help">
      <p>{t('search.nothingFound')}</p>
      <ul>
        {filters.map((f) => <li><a href={f.href}>{f.label}</a></li>)}
        <li><a href="/loesungen">{t('search.allSolutions')}</a></li>
        <li><a href="/fragen/neu">{t('search.askCommunity')}</a></li>
      </ul>
    </div>
  );
}

function Fact({ ctx, label, value, coded, lang }: { ctx: ViewContext; label: string; value: string | number | null; coded?: string; lang?: string }) {
  if (value === null || value === '' || value === undefined) return null;
  return (<><dt>{ctx.t(`catalogue.fields.${label}`)}</dt><dd lang={coded ? undefined : lang}>{coded ? valueLabel(ctx, coded, value) : String(value)}</dd></>);
}

function TextSection({ ctx, field, text, lang }: { ctx: ViewContext; field: string; text: string; lang?: string }) {
  if (!text) return null;
  return (<><h3>{ctx.t(`catalogue.fields.${field}`)}</h3><p class="prewrap" lang={lang}>{text}</p></>);
}

export function deploymentLine(ctx: ViewContext, d: Pick<Deployment, 'status' | 'since' | 'organisation_name'>): string {
  const status = valueLabel(ctx, 'status', d.status);
  if (d.since) return ctx.t('catalogue.runsAtSince', { organisation: d.organisation_name, status, since: monthLabel(d.since) });
  return ctx.t('catalogue.runsAtLine', { organisation: d.organisation_name, status });
}

/** "4.500 € pro Jahr". */
function costText(ctx: ViewContext, eur: number, period: string): string {
  return ctx.t(`deployments.costPer.${period}`, { amount: `${formatNumber(eur, ctx.lang)} €` });
}

/**
 * Who runs the solution: an imported entry names where it runs according to its register, then the member
 * organisations' deployments (the describing organisation at the solution's maturity unless it said otherwise).
 * Members see contacts, costs actually paid (summed per period) and experience reports.
 */
function RunsAt({ ctx, s, deployments }: { ctx: ViewContext; s: Solution; deployments: Deployment[] }) {
  const { t } = ctx;
  const fromRegister = s.source !== 'own' && s.source_org ? s.source_org : '';
  if (deployments.length === 0 && !fromRegister) return <p>{t('catalogue.notRunning')}</p>;
  const sums = ctx.user ? costSums(deployments.map((d) => ({ cost_paid_eur: d.cost_paid_eur ?? null, cost_period: d.cost_period ?? null }))) : [];
  return (
    <>
      <ul class="deployments">
        {fromRegister && <li class="from-register">{t('deployments.fromRegister', { organisation: fromRegister, register: t(`deployments.registers.${s.source}`, { defaultValue: s.source }) })}</li>}
        {deployments.map((d) => (
          <li>
            <a href={`/organisationen/${d.organisation_slug}`}>{deploymentLine(ctx, d)}</a>
            {d.implied && <span class="hint"> ({t('deployments.implied')})</span>}
            {d.ai_act_class && <> · {t('deployments.ownClass', { class: valueLabel(ctx, 'ai_act_class', d.ai_act_class) })}</>}
            {ctx.user && d.contact && <> – {d.contact}</>}
            {ctx.user && d.cost_paid_eur !== null && d.cost_paid_eur !== undefined && d.cost_period && (
              <p class="cost-paid">{t('deployments.costPaid', { cost: costText(ctx, d.cost_paid_eur, d.cost_period) })}{d.cost_paid ? ` (${d.cost_paid})` : ''}</p>
            )}
            {ctx.user && (d.cost_paid_eur === null || d.cost_paid_eur === undefined) && d.cost_paid && <p class="cost-paid">{t('deployments.costPaid', { cost: d.cost_paid })}</p>}
            {ctx.user && d.experience && <p class="prewrap experience">{d.experience}</p>}
          </li>
        ))}
      </ul>
      {sums.length > 0 && (
        <p class="cost-sums">{t('deployments.costSumsIntro')} {sums.map((x) => t('deployments.costSum', { cost: costText(ctx, x.totalEur, x.period), count: x.organisations })).join('; ')}</p>
      )}
    </>
  );
}

/**
 * The visitor's organisation and this solution: its stored deployment with the ways to change or remove it,
 * or the marking, which asks for the status (the current one, as the solution implies it, chosen already).
 */
function Marking({ ctx, s, deployments }: { ctx: ViewContext; s: Solution; deployments: Deployment[] }) {
  const { t } = ctx;
  const mine = deployments.find((d) => d.organisation_id === ctx.user!.organisationId);
  if (mine && !mine.implied) {
    return (
      <div class="my-deployment">
        <p>{t('deployments.yours', { line: deploymentLine(ctx, mine) })}</p>
        <div class="actions-row">
          <a class="button-small" href={`/loesungen/${s.slug}/einsatz`}>{t('deployments.change')}</a>
          <Form ctx={ctx} action={`/loesungen/${s.slug}/einsatz/entfernen`} class="inline-form">
            <button type="submit" class="button-small button-secondary">{t('catalogue.removeDeployment')}</button>
          </Form>
          <Form ctx={ctx} action={`/loesungen/${s.slug}/einsatz/selbstcheck`} class="inline-form">
            <button type="submit" class="button-small button-secondary">{t('deployments.selfCheck')}</button>
          </Form>
        </div>
      </div>
    );
  }
  const current = mine?.status;
  return (
    <Form ctx={ctx} action={`/loesungen/${s.slug}/einsatz`} class="form marking">
      <input type="hidden" name="organisation" value={String(ctx.user!.organisationId)} />
      <fieldset class="field">
        <legend>{t('deployments.askStatus', { organisation: ctx.user!.organisationName })}</legend>
        {mine?.implied && <p class="hint">{t('deployments.impliedHint', { status: valueLabel(ctx, 'status', mine.status) })}</p>}
        {QUICK_STATUSES.map((status) => (
          <div class="field-check">
            <input type="radio" id={`mark-${status}`} name="status" value={status} checked={current === status} required />
            <label for={`mark-${status}`}>{t(`deployments.quick.${status}`)}</label>
          </div>
        ))}
      </fieldset>
      <div class="actions-row">
        <button type="submit" class="button">{t('deployments.mark')}</button>
        <a href={`/loesungen/${s.slug}/einsatz`}>{t('deployments.withDetails')}</a>
      </div>
    </Form>
  );
}

export function SolutionPage({ ctx, s, deployments, similar }: { ctx: ViewContext; s: Solution; deployments: Deployment[]; similar: Awaited<ReturnType<typeof similarSolutions>> }) {
  const { t } = ctx;
  const info = SOURCE_INFO[s.source as keyof typeof SOURCE_INFO];
  const costs = s.cost_min_eur !== null || s.cost_max_eur !== null
    ? `${s.cost_min_eur !== null ? formatNumber(s.cost_min_eur, ctx.lang) : '…'} – ${s.cost_max_eur !== null ? formatNumber(s.cost_max_eur, ctx.lang) : '…'} €` : '';
  // Only the entry's own texts are in its language; the interface around them stays in the page's.
  const lang = partLang(ctx, s.language);
  return (
    <article class="solution">
      <h1 lang={lang}>{s.title}</h1>
      <p class="lead" lang={lang}>{s.summary}</p>
      <p class="meta">
        {valueLabel(ctx, 'maturity', s.maturity)}
        {s.organisation_name && <> · {t('catalogue.owner')} <a href={`/organisationen/${s.organisation_slug}`}>{s.organisation_name}</a></>}
        {s.source_org && !s.organisation_name && <> · {s.source_org}{s.source_country ? ` (${s.source_country})` : ''}</>}
        {s.visibility !== 'public' && <> · <strong>{t(`catalogue.visibilityNote.${s.visibility}`)}</strong></>}
      </p>
      {s.is_example ? <p class="note">{t('catalogue.exampleNote')}</p> : null}
      <div class="actions-row">
        {ctx.can('solution.edit', s) && <a class="button-small" href={`/loesungen/${s.slug}/bearbeiten`}>{t('catalogue.edit')}</a>}
        <a class="button-small" href={`/loesungen/${s.slug}/versionen`}>{t('catalogue.history')}</a>
      </div>

      <section aria-labelledby="runs-at">
        <h2 id="runs-at">{t('catalogue.runsAt')}</h2>
        <RunsAt ctx={ctx} s={s} deployments={deployments} />
        {ctx.can('deployment.mark') && <Marking ctx={ctx} s={s} deployments={deployments} />}
      </section>

      {s.description && s.description !== s.summary && (<section><h2>{t('catalogue.sections.overview')}</h2><div class="prose" lang={lang} dangerouslySetInnerHTML={{ __html: renderMarkdown(s.description) }} /></section>)}
      {(s.problem_goal || s.benefit || s.previous_process) && (
        <section><h2>{t('catalogue.sections.problem')}</h2>
          <TextSection ctx={ctx} field="problem_goal" text={s.problem_goal} lang={lang} />
          <TextSection ctx={ctx} field="benefit" text={s.benefit} lang={lang} />
          <TextSection ctx={ctx} field="previous_process" text={s.previous_process} lang={lang} />
        </section>
      )}
      <section><h2>{t('catalogue.sections.technique')}</h2>
        <dl class="facts">
          <Fact ctx={ctx} label="field_of_action" value={s.field_of_action} coded="field_of_action" />
          <Fact ctx={ctx} label="process_type" value={s.process_type} coded="process_type" />
          <Fact ctx={ctx} label="interaction" value={s.interaction} coded="interaction" />
          <Fact ctx={ctx} label="technique" value={s.technique} coded="technique" />
          <Fact ctx={ctx} label="vendor" value={s.vendor} lang={lang} />
          {s.own_development ? <Fact ctx={ctx} label="own_development" value={t('common.yes')} /> : null}
          {s.open_source_url && <><dt>{t('catalogue.fields.open_source_url')}</dt><dd><a href={s.open_source_url}>{s.open_source_url}</a></dd></>}
          <Fact ctx={ctx} label="language" value={s.language} coded="language" />
        </dl>
      </section>
      {(costs || s.cost_model || s.funding) && (
        <section><h2>{t('catalogue.sections.costs')}</h2>
          <dl class="facts">
            <Fact ctx={ctx} label="cost_model" value={s.cost_model} coded="cost_model" />
            {costs && <><dt>{t('catalogue.fields.cost_min_eur').replace(/ \(.*$/, '')}</dt><dd>{costs}{s.cost_basis ? ` (${s.cost_basis})` : ''}</dd></>}
            <Fact ctx={ctx} label="funding" value={s.funding} lang={lang} />
          </dl>
        </section>
      )}
      <section><h2>{t('catalogue.sections.data')}</h2>
        <dl class="facts">
          <dt>{t('catalogue.fields.ai_act_class')}</dt>
          <dd>
            {valueLabel(ctx, 'ai_act_class', s.ai_act_class)}
            {s.ai_act_checked_at && <> ({t('aiact.solutionNote', { date: formatDateTime(s.ai_act_checked_at, ctx.lang), version: s.ai_act_rule_version })}{ctx.user && s.ai_act_check_id ? <>, <a href={`/selbstcheck/${s.ai_act_check_id}`}>{t('aiact.reportLink')}</a></> : null})</>}
            {ctx.can('solution.edit', s) && <> · <a href={`/loesungen/${s.slug}/selbstcheck`}>{t('aiact.runForSolution')}</a></>}
          </dd>
          <Fact ctx={ctx} label="personal_data" value={s.personal_data} coded="personal_data" />
          <Fact ctx={ctx} label="dpia_status" value={s.dpia_status} coded="dpia_status" />
          <Fact ctx={ctx} label="hosting" value={s.hosting} coded="hosting" />
          <Fact ctx={ctx} label="legal_basis" value={s.legal_basis} lang={lang} />
        </dl>
        <TextSection ctx={ctx} field="human_oversight" text={s.human_oversight} lang={lang} />
        <TextSection ctx={ctx} field="risks_measures" text={s.risks_measures} lang={lang} />
      </section>
      <section><h2>{t('catalogue.sections.reuse')}</h2>
        <dl class="facts">
          <dt>{t('catalogue.fields.reuse_offered')}</dt><dd>{s.reuse_offered ? t('common.yes') : t('common.no')}</dd>
          <Fact ctx={ctx} label="reuse_conditions" value={s.reuse_conditions} lang={lang} />
          <dt>{t('catalogue.fields.cooperation_wanted')}</dt><dd>{s.cooperation_wanted ? t('common.yes') : t('common.no')}</dd>
          {s.contact_email && <><dt>{t('catalogue.fields.contact_email')}</dt><dd><a href={`mailto:${s.contact_email}`}>{s.contact_email}</a></dd></>}
        </dl>
      </section>
      {s.source !== 'own' && info && (
        <p class="attribution-box">
          {t('catalogue.importedFrom', { source: t(`catalogue.values.source.${s.source}`), licence: info.licence })}. {info.attribution}.
          {s.source_url && <> <a href={s.source_url}>{t('catalogue.originalEntry')}</a>.</>} <a href="/ueber-die-daten">{t('catalogue.aboutData')}</a>
        </p>
      )}
      {similar.length > 0 && (
        <section aria-labelledby="similar"><h2 id="similar">{t('catalogue.similar')}</h2>
          <ul>{similar.map((o) => <li><a href={`/loesungen/${o.slug}`} lang={partLang(ctx, o.language)}>{o.title}</a></li>)}</ul>
        </section>
      )}
    </article>
  );
}

const opts = (ctx: ViewContext, field: string, values: readonly string[]) => values.map((v) => ({ value: v, label: valueLabel(ctx, field, v) }));

export function SolutionForm({ ctx, form, action, title }: { ctx: ViewContext; form: FormState; action: string; title: string }) {
  const { t } = ctx;
  const L = (f: string) => t(`catalogue.fields.${f}`);
  const none = t('catalogue.choose');
  return (
    <>
      <h1>{title}</h1>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action={action} class="form form-wide">
        {/* Who sees the entry is decided first, not found at the end of a long form. */}
        <fieldset><legend>{t('catalogue.sections.visibility')}</legend>
          <Select ctx={ctx} form={form} name="visibility" label={L('visibility')} hint={t('formHelp.visibilityHint')} required options={opts(ctx, 'visibility', VISIBILITIES)} />
        </fieldset>
        <fieldset><legend>{t('catalogue.sections.overview')}</legend>
          <TextField ctx={ctx} form={form} name="title" label={L('title')} hint={t('catalogue.hints.title')} required maxLength={100} />
          <TextArea ctx={ctx} form={form} name="summary" label={L('summary')} hint={t('catalogue.hints.summary')} required maxLength={350} rows={3} />
          <TextArea ctx={ctx} form={form} name="description" label={L('description')} hint={t('catalogue.hints.description')} rows={8} maxLength={20000} />
          <Select ctx={ctx} form={form} name="maturity" label={L('maturity')} required options={opts(ctx, 'maturity', MATURITIES)} />
          <Select ctx={ctx} form={form} name="field_of_action" label={L('field_of_action')} placeholder={none} options={opts(ctx, 'field_of_action', FIELDS_OF_ACTION)} />
          <Select ctx={ctx} form={form} name="process_type" label={L('process_type')} placeholder={none} options={opts(ctx, 'process_type', PROCESS_TYPES)} />
          <Select ctx={ctx} form={form} name="interaction" label={L('interaction')} placeholder={none} options={opts(ctx, 'interaction', INTERACTIONS)} />
          <Select ctx={ctx} form={form} name="language" label={L('language')} required options={opts(ctx, 'language', LANGUAGES)} />
        </fieldset>
        <fieldset><legend>{t('catalogue.sections.problem')}</legend>
          <TextArea ctx={ctx} form={form} name="problem_goal" label={L('problem_goal')} rows={3} maxLength={4000} />
          <TextArea ctx={ctx} form={form} name="benefit" label={L('benefit')} rows={3} maxLength={4000} />
          <TextArea ctx={ctx} form={form} name="previous_process" label={L('previous_process')} rows={3} maxLength={4000} />
        </fieldset>
        <fieldset><legend>{t('catalogue.sections.technique')}</legend>
          <Select ctx={ctx} form={form} name="technique" label={L('technique')} placeholder={none} options={opts(ctx, 'technique', TECHNIQUES)} />
          <TextField ctx={ctx} form={form} name="vendor" label={L('vendor')} maxLength={200} />
          <Checkbox ctx={ctx} form={form} name="own_development" label={L('own_development')} />
          <TextField ctx={ctx} form={form} name="open_source_url" label={L('open_source_url')} maxLength={500} />
        </fieldset>
        <fieldset><legend>{t('catalogue.sections.costs')}</legend>
          <Select ctx={ctx} form={form} name="cost_model" label={L('cost_model')} placeholder={none} options={opts(ctx, 'cost_model', COST_MODELS)} />
          <TextField ctx={ctx} form={form} name="cost_min_eur" label={L('cost_min_eur')} maxLength={9} />
          <TextField ctx={ctx} form={form} name="cost_max_eur" label={L('cost_max_eur')} maxLength={9} />
          <TextField ctx={ctx} form={form} name="cost_basis" label={L('cost_basis')} hint={t('catalogue.hints.cost_basis')} maxLength={200} />
          <TextField ctx={ctx} form={form} name="funding" label={L('funding')} maxLength={500} />
        </fieldset>
        <fieldset><legend>{t('catalogue.sections.data')}</legend>
          <Select ctx={ctx} form={form} name="personal_data" label={L('personal_data')} placeholder={none} options={opts(ctx, 'personal_data', PERSONAL_DATA)} />
          <Select ctx={ctx} form={form} name="dpia_status" label={L('dpia_status')} placeholder={none} options={opts(ctx, 'dpia_status', DPIA_STATUSES)} />
          <Select ctx={ctx} form={form} name="hosting" label={L('hosting')} placeholder={none} options={opts(ctx, 'hosting', HOSTINGS)} />
          <TextArea ctx={ctx} form={form} name="legal_basis" label={L('legal_basis')} rows={2} maxLength={10000} />
          <Select ctx={ctx} form={form} name="ai_act_class" label={L('ai_act_class')} placeholder={none} options={opts(ctx, 'ai_act_class', AI_ACT_CLASSES)} />
        </fieldset>
        <fieldset><legend>{t('catalogue.sections.responsible')}</legend>
          <TextArea ctx={ctx} form={form} name="human_oversight" label={L('human_oversight')} rows={3} maxLength={4000} />
          <TextArea ctx={ctx} form={form} name="risks_measures" label={L('risks_measures')} rows={3} maxLength={4000} />
        </fieldset>
        <fieldset><legend>{t('catalogue.sections.reuse')}</legend>
          <Checkbox ctx={ctx} form={form} name="reuse_offered" label={L('reuse_offered')} />
          <TextArea ctx={ctx} form={form} name="reuse_conditions" label={L('reuse_conditions')} rows={2} maxLength={2000} />
          <Checkbox ctx={ctx} form={form} name="cooperation_wanted" label={L('cooperation_wanted')} />
          <TextField ctx={ctx} form={form} name="contact_email" type="email" label={L('contact_email')} hint={t('catalogue.hints.contact_email')} maxLength={254} />
        </fieldset>
        <Submit label={t('common.save')} />
      </Form>
    </>
  );
}

function show(ctx: ViewContext, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return ctx.t('catalogue.empty');
  if (['field_of_action', 'process_type', 'interaction', 'technique', 'maturity', 'cost_model', 'personal_data', 'dpia_status', 'hosting', 'ai_act_class', 'language', 'visibility'].includes(field)) {
    return valueLabel(ctx, field, value as string);
  }
  if (['own_development', 'reuse_offered', 'cooperation_wanted'].includes(field)) return value ? ctx.t('common.yes') : ctx.t('common.no');
  return String(value);
}

export function HistoryPage({ ctx, data }: { ctx: ViewContext; data: Awaited<ReturnType<typeof versionsOf>> }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('catalogue.historyTitle', { title: data.solution.title })}</h1>
      <p><a href={`/loesungen/${data.solution.slug}`}>{data.solution.title}</a></p>
      {data.versions.map((v) => (
        <section class="card version" aria-labelledby={`v${v.version}`}>
          <h2 id={`v${v.version}`}>{t('catalogue.versionBy', { version: v.version, date: formatDateTime(v.at, ctx.lang), name: v.by === null ? t('common.none') : personName(t, v.by) })}</h2>
          <p>{t('catalogue.versionFields', { fields: v.changes.map((c) => t(`catalogue.fields.${c.field}`)).join(', ') })}</p>
          {v.version > 1 && (
            <table class="table diff">
              <caption class="visually-hidden">{t('catalogue.versionBy', { version: v.version, date: formatDateTime(v.at, ctx.lang), name: v.by === null ? '' : personName(t, v.by) })}</caption>
              <thead><tr><th scope="col">{t('catalogue.field')}</th><th scope="col">{t('catalogue.before')}</th><th scope="col">{t('catalogue.after')}</th></tr></thead>
              <tbody>
                {v.changes.map((c) => (
                  <tr><th scope="row">{t(`catalogue.fields.${c.field}`)}</th><td><del>{show(ctx, c.field, c.before)}</del></td><td><ins>{show(ctx, c.field, c.after)}</ins></td></tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </>
  );
}

export function DeploymentForm({ ctx, s, form, stored }: { ctx: ViewContext; s: Solution; form: FormState; stored: string | null }) {
  const { t } = ctx;
  const L = (f: string) => t(`catalogue.fields.${f}`, { defaultValue: t(`deployments.fields.${f}`) });
  return (
    <>
      <h1>{t('catalogue.deploymentTitle')}: {s.title}</h1>
      <p class="lead">{t('catalogue.deploymentIntro', { organisation: ctx.user?.organisationName ?? '' })}</p>
      {stored && <p>{t('deployments.storedNow', { line: stored })}</p>}
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action={`/loesungen/${s.slug}/einsatz`}>
        <input type="hidden" name="organisation" value={form.values.organisation ?? String(ctx.user?.organisationId ?? '')} />
        <Select ctx={ctx} form={form} name="status" label={L('status')} required options={DEPLOYMENT_STATUSES.map((v) => ({ value: v, label: valueLabel(ctx, 'status', v) }))} />
        <TextField ctx={ctx} form={form} name="since" label={L('since')} hint={t('deployments.hints.since')} maxLength={7} />
        <TextField ctx={ctx} form={form} name="contact" label={L('contact')} maxLength={300} />
        <TextField ctx={ctx} form={form} name="cost_paid_eur" label={t('deployments.fields.cost_paid_eur')} hint={t('deployments.hints.cost_paid_eur')} maxLength={9} />
        <Select ctx={ctx} form={form} name="cost_period" label={t('deployments.fields.cost_period')} placeholder={t('catalogue.notSet')}
          options={COST_PERIODS.map((p) => ({ value: p, label: t(`deployments.periods.${p}`) }))} />
        <TextField ctx={ctx} form={form} name="cost_paid" label={t('deployments.fields.cost_paid')} maxLength={300} />
        <TextArea ctx={ctx} form={form} name="experience" label={L('experience')} rows={6} maxLength={8000} />
        <Select ctx={ctx} form={form} name="visibility" label={L('visibility')} required options={(['public', 'members'] as const).map((v) => ({ value: v, label: valueLabel(ctx, 'visibility', v) }))} />
        <Submit label={t('catalogue.deploymentSave')} />
      </Form>
      {stored && (
        <Form ctx={ctx} action={`/loesungen/${s.slug}/einsatz/entfernen`}>
          <button type="submit" class="button button-secondary">{t('catalogue.removeDeployment')}</button>
        </Form>
      )}
    </>
  );
}

export function AboutDataPage({ ctx, counts }: { ctx: ViewContext; counts: Record<string, number> }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('catalogue.aboutData')}</h1>
      <p class="lead">{t('catalogue.aboutDataIntro')}</p>
      {(['pstw', 'nl', 'atrs'] as const).map((src) => (
        <section class="card" aria-labelledby={`src-${src}`}>
          <h2 id={`src-${src}`}>{t(`catalogue.values.source.${src}`)}</h2>
          <p>{t('catalogue.entries', { count: counts[src] ?? 0 })} · <a href={`/loesungen?source=${src}`}>{t('catalogue.title')}</a></p>
          <p>{SOURCE_INFO[src].attribution}. {t('catalogue.fields.source')}: <a href={SOURCE_INFO[src].url}>{SOURCE_INFO[src].url}</a> · {SOURCE_INFO[src].licence}</p>
        </section>
      ))}
      <section class="card" aria-labelledby="src-search-lexicon">
        <h2 id="src-search-lexicon">{t('searchLexicon.title')}</h2>
        <p>{t('searchLexicon.intro')}</p>
        <p>{t('searchLexicon.freedict')} {t('searchLexicon.source')}: <a href="https://freedict.org/">https://freedict.org/</a></p>
        <p>{t('searchLexicon.glossary')}</p>
      </section>
    </>
  );
}

export function ExamplesPage({ ctx, count }: { ctx: ViewContext; count: number }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('catalogue.examplesTitle')}</h1>
      <p class="lead">{t('catalogue.examplesIntro')}</p>
      <p>{t('catalogue.entries', { count })}</p>
      <div class="actions-row">
        <Form ctx={ctx} action="/verwaltung/beispiele/laden" class="inline-form"><button type="submit" class="button">{t('catalogue.loadExamples')}</button></Form>
        <Form ctx={ctx} action="/verwaltung/beispiele/entfernen" class="inline-form"><button type="submit" class="button button-secondary">{t('catalogue.removeExamples')}</button></Form>
      </div>
    </>
  );
}

export { VISIBILITIES };
