import { assetUrl } from '../../platform/http/assets.js';
import type { VNode } from 'preact';
import type { ProcurementState, ProcurementUnit } from '../../platform/db/schema.js';
import { nowIso } from '../../platform/clock.js';
import { formatDateTime, formatNumber } from '../../platform/i18n/index.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { PROCUREMENT_TAG } from './notices.js';
import type { ViewContext } from '../../platform/views/context.js';
import { ErrorMessage, ErrorSummary, Form, Select, Submit, TextArea, TextField, emptyForm, errorText, type FormState } from '../../platform/views/forms.js';
import { SavingsChart, formatPercent } from './chart.js';
import { formatCents, type BundleFigures } from './pricing.js';
import { warningText } from './rules.js';
import {
  CONTRACT_KINDS, TIER_ROWS, UNITS, nextStates, type InitiativeListItem, type InitiativePage as PageData, type InitiativeRow,
} from './service.js';
import { ScrollRegion } from '../../platform/views/scroll-region.js';

/** The module's own stylesheet: the chart, the figures tables and the print view. */
export function procurementHead(): VNode {
  return <link rel="stylesheet" href={assetUrl('procurement.css')} />;
}

const money = (ctx: ViewContext, cents: number | null) => (cents === null ? '–' : formatCents(cents, ctx.lang));
const num = (ctx: ViewContext, n: number | null) => (n === null ? '–' : formatNumber(n, ctx.lang));

/** "40 Lizenzen", "1 Lizenz". */
export function units(ctx: Pick<ViewContext, 't' | 'lang'>, unit: ProcurementUnit, count: number): string {
  return `${formatNumber(count, ctx.lang)} ${ctx.t(`procurement.units.${unit}`, { count })}`;
}

function StateBadge({ ctx, state }: { ctx: ViewContext; state: ProcurementState }) {
  return <span class={`state state-${state}`}>{ctx.t(`procurement.states.${state}`)}</span>;
}

export function monthsText(ctx: ViewContext, months: number): string {
  return ctx.t('procurement.months', { count: months, months: formatNumber(months, ctx.lang) });
}

// ---------------------------------------------------------------------------------------------------
// The list

export function InitiativeList({ ctx, items, savings, following }: { ctx: ViewContext; items: InitiativeListItem[]; savings: { savingCents: number; initiatives: number }; following: boolean }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('procurement.title')}</h1>
      <p class="lead">{t('procurement.intro')}</p>
      {savings.initiatives > 0 && <p>{t('procurement.savingsLine', { count: savings.initiatives, amount: money(ctx, savings.savingCents) })}</p>}
      <p class="actions-row">
        <a class="button-small" href="/beschaffung/neu">{t('procurement.create')}</a>
        <a href="/beschaffung/wertgrenze">{t('procurement.limit.link')}</a>
      </p>
      <Form ctx={ctx} action={following ? '/fragen/themen/entfernen' : '/fragen/themen'} class="inline-form">
        <input type="hidden" name="kind" value="tag" />
        <input type="hidden" name="value" value={PROCUREMENT_TAG} />
        <input type="hidden" name="zurueck" value="/beschaffung" />
        <button type="submit" class="button-small button-secondary" aria-describedby="follow-procurement-hint">{t(following ? 'communityNotices.follow.unfollow' : 'communityNotices.follow.button')}</button>
        {' '}<span class="hint" id="follow-procurement-hint">{t('communityNotices.follow.hint')}</span>
      </Form>
      <h2 id="initiatives">{t('procurement.initiatives')}</h2>
      {items.length === 0 ? <p>{t('procurement.none')}</p> : (
        <ul class="meeting-list" aria-labelledby="initiatives">
          {items.map(({ initiative: i, figures }) => (
            <li>
              <h3><a href={`/beschaffung/${i.id}`}>{i.title}</a></h3>
              <p class="meta">
                <StateBadge ctx={ctx} state={i.state} /> {t('procurement.ledBy', { organisation: i.lead_organisation_name })} · {i.product}
              </p>
              <p class="meta">
                {t('procurement.listFigures', { count: figures.participants.length, quantity: units(ctx, i.unit, figures.totalQuantity) })}
                {i.state === 'collecting' && <> · {t('procurement.deadlineShort', { date: formatDateTime(i.deadline_at, ctx.lang) })}</>}
                {figures.totalSavingCents > 0 && <> · {t('procurement.savingShort', { amount: money(ctx, figures.totalSavingCents) })}</>}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The community's savings, for the home page. */
export function SavingsLine({ ctx, savings }: { ctx: ViewContext; savings: { savingCents: number; initiatives: number; organisations: number } }) {
  if (savings.initiatives === 0) return null;
  return (
    <section aria-labelledby="joint-savings">
      <h2 id="joint-savings">{ctx.t('procurement.title')}</h2>
      <p>{ctx.t('procurement.dashboard', { count: savings.initiatives, amount: money(ctx, savings.savingCents), organisations: formatNumber(savings.organisations, ctx.lang) })}</p>
      {ctx.user && <p><a href="/beschaffung">{ctx.t('procurement.toList')}</a></p>}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------
// The lead's form

export function initiativeLabels(ctx: Pick<ViewContext, 't'>): Record<string, string> {
  const names = ['title', 'description', 'product', 'vendor', 'solution', 'unit', 'contract_kind', 'term_months', 'option_months',
    'planned_start', 'deadline_date', 'deadline_time', 'one_time_fee', 'quantity', 'max_quantity', 'limit', 'note', 'organisation'];
  return Object.fromEntries(names.map((n) => [n, ctx.t(`procurement.fields.${n}`)]));
}

export function InitiativeForm({ ctx, form, action, title }: { ctx: ViewContext; form: FormState; action: string; title: string }) {
  const { t } = ctx;
  const f = (name: string) => ({ ctx, form, name, label: t(`procurement.fields.${name}`) });
  const tiersError = errorText(t, form, 'tiers');
  return (
    <>
      <h1>{title}</h1>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action={action} class="form form-wide">
        <TextField {...f('title')} required maxLength={150} />
        <TextField {...f('product')} required maxLength={200} hint={t('procurement.hints.product')} />
        <TextArea {...f('description')} rows={6} hint={t('procurement.hints.description')} />
        <TextField {...f('vendor')} maxLength={200} />
        <TextField {...f('solution')} maxLength={500} hint={t('procurement.hints.solution')} />
        <fieldset>
          <legend>{t('procurement.contractLegend')}</legend>
          <Select {...f('unit')} required options={UNITS.map((u) => ({ value: u, label: t(`procurement.unitNames.${u}`) }))} />
          <Select {...f('contract_kind')} required options={CONTRACT_KINDS.map((k) => ({ value: k, label: t(`procurement.rules.kinds.${k}`) }))}
            hint={t('procurement.hints.contractKind')} />
          <div class="field-pair">
            <TextField {...f('term_months')} type="number" min={1} required hint={t('procurement.hints.termMonths')} />
            <TextField {...f('option_months')} type="number" min={0} hint={t('procurement.hints.optionMonths')} />
          </div>
          <TextField {...f('one_time_fee')} hint={t('procurement.hints.oneTimeFee')} />
        </fieldset>
        <fieldset>
          <legend>{t('procurement.datesLegend')}</legend>
          <TextField {...f('planned_start')} type="date" required hint={t('procurement.hints.plannedStart')} />
          <p class="hint">{t('procurement.hints.timeZone')}</p>
          <div class="field-pair">
            <TextField {...f('deadline_date')} type="date" required hint={t('procurement.hints.date')} />
            <TextField {...f('deadline_time')} type="time" hint={t('procurement.hints.deadlineTime')} />
          </div>
        </fieldset>
        <fieldset id="f-tiers" tabIndex={-1} aria-describedby={tiersError ? 'f-tiers-hint f-tiers-error' : 'f-tiers-hint'} class={tiersError ? 'field-error' : undefined}>
          <legend>{t('procurement.tiersLegend')}</legend>
          <p class="hint" id="f-tiers-hint">{t('procurement.hints.tiers', { rows: TIER_ROWS })}</p>
          {tiersError && <ErrorMessage ctx={ctx} id="f-tiers-error">{tiersError}</ErrorMessage>}
          {Array.from({ length: TIER_ROWS }, (_, n) => (
            <div class="field-pair">
              <TextField ctx={ctx} form={form} name={`tier_min_${n + 1}`} type="number" min={1} label={t('procurement.fields.tierMin', { row: n + 1 })} />
              <TextField ctx={ctx} form={form} name={`tier_price_${n + 1}`} label={t('procurement.fields.tierPrice', { row: n + 1 })} />
            </div>
          ))}
        </fieldset>
        <Submit label={t('common.save')} />
      </Form>
    </>
  );
}

// ---------------------------------------------------------------------------------------------------
// The initiative page

function Warnings({ ctx, page, headingLevel = 2 }: { ctx: ViewContext; page: PageData; headingLevel?: 2 | 3 }) {
  const { t } = ctx;
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby="warnings" class="warnings">
      <H id="warnings">{t('procurement.warningsTitle')}</H>
      <p>{t('procurement.estimatedValue', { value: money(ctx, page.figures.estimatedValueCents), quantity: units(ctx, page.initiative.unit, page.figures.maxQuantity), months: monthsText(ctx, page.initiative.term_months + page.initiative.option_months) })}</p>
      <ul class="warning-list">
        {page.warnings.map((w) => (
          <li class={`warning warning-${w.level}`}>
            <p><strong>{t(`procurement.rules.levels.${w.level}`)}:</strong> {warningText(w, t, ctx.lang)}</p>
            <p class="meta">{t('procurement.rules.ruleLabel')}: {w.rule} · {t('procurement.rules.sourceLabel')}: <a href={w.sourceUrl} rel="noopener noreferrer">{w.source}</a></p>
          </li>
        ))}
      </ul>
      <p class="hint">{t('procurement.notLegalAdvice')}</p>
    </section>
  );
}

function TierTable({ ctx, page }: { ctx: ViewContext; page: PageData }) {
  const { t } = ctx;
  const { initiative: i, figures } = page;
  const current = figures.unitPriceCents === null ? -1 : page.tiers.reduce((best, tier, n) => (tier.minQuantity <= figures.totalQuantity ? n : best), -1);
  return (
    <table class="table">
      <caption>{t('procurement.tiersCaption', { unit: t(`procurement.units.${i.unit}`, { count: 1 }) })}</caption>
      <thead><tr><th scope="col">{t('procurement.columns.fromQuantity')}</th><th scope="col" class="num">{t('procurement.columns.unitPrice')}</th><th scope="col">{t('procurement.columns.tierState')}</th></tr></thead>
      <tbody>
        {page.tiers.map((tier, n) => (
          <tr class={n === current ? 'current-tier' : undefined}>
            <td>{units(ctx, i.unit, tier.minQuantity)}</td>
            <td class="num">{money(ctx, tier.unitPriceCents)}</td>
            <td>{n === current ? <strong>{t('procurement.currentTier')}</strong> : tier.minQuantity > figures.totalQuantity ? t('procurement.tierAhead', { missing: units(ctx, i.unit, tier.minQuantity - figures.totalQuantity) }) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "noch 40 Lizenzen bis zur nächsten Preisstufe" or that the highest tier is reached. */
export function nextTierText(ctx: ViewContext, unit: ProcurementUnit, figures: BundleFigures): string {
  if (!figures.nextTier) return ctx.t('procurement.topTier');
  return ctx.t('procurement.nextTier', {
    missing: units(ctx, unit, figures.nextTier.missing),
    price: money(ctx, figures.nextTier.unitPriceCents),
    unit: ctx.t(`procurement.units.${unit}`, { count: 1 }),
  });
}

export function ParticipantsTable({ ctx, page, caption }: { ctx: ViewContext; page: PageData; caption: string }) {
  const { t } = ctx;
  const { figures, initiative: i } = page;
  const fee = i.one_time_fee_cents !== null;
  return (
    <table class="table figures">
      <caption>{caption}</caption>
      <thead><tr>
        <th scope="col">{t('procurement.columns.organisation')}</th>
        <th scope="col" class="num">{t('procurement.columns.quantity')}</th>
        <th scope="col" class="num">{t('procurement.columns.maxQuantity')}</th>
        <th scope="col" class="num">{t('procurement.columns.monthly')}</th>
        <th scope="col" class="num">{t('procurement.columns.term', { months: i.term_months })}</th>
        <th scope="col" class="num">{t('procurement.columns.alonePrice')}</th>
        <th scope="col" class="num">{t('procurement.columns.saving')}</th>
        {fee && <th scope="col" class="num">{t('procurement.columns.oneTimeFee')}</th>}
        <th scope="col" class="num">{t('procurement.columns.totalCost')}</th>
      </tr></thead>
      <tbody>
        {figures.participants.map((p) => (
          <tr>
            <th scope="row">{p.organisationName}</th>
            <td class="num">{num(ctx, p.quantity)}</td>
            <td class="num">{num(ctx, p.maxQuantity)}</td>
            <td class="num">{money(ctx, p.monthlyCents)}</td>
            <td class="num">{money(ctx, p.termCents)}</td>
            <td class="num">{money(ctx, p.aloneUnitPriceCents)}</td>
            <td class="num">{money(ctx, p.savingCents)}</td>
            {fee && <td class="num">{money(ctx, p.oneTimeFeeCents)}</td>}
            <td class="num">{money(ctx, p.totalCents)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot><tr>
        <th scope="row">{t('procurement.columns.total')}</th>
        <td class="num">{num(ctx, figures.totalQuantity)}</td>
        <td class="num">{num(ctx, figures.maxQuantity)}</td>
        <td class="num">{money(ctx, figures.participants.reduce((s, p) => s + p.monthlyCents, 0))}</td>
        <td class="num">{money(ctx, figures.participants.reduce((s, p) => s + p.termCents, 0))}</td>
        <td class="num">{money(ctx, figures.unitPriceCents)}</td>
        <td class="num">{money(ctx, figures.totalSavingCents)}</td>
        {fee && <td class="num">{money(ctx, figures.participants.reduce((s, p) => s + p.oneTimeFeeCents, 0))}</td>}
        <td class="num">{money(ctx, figures.totalCostCents)}</td>
      </tr></tfoot>
    </table>
  );
}

function DeclarationBox({ ctx, page, form }: { ctx: ViewContext; page: PageData; form: FormState }) {
  const { t } = ctx;
  const { initiative: i, own } = page;
  const orgField = <input type="hidden" name="organisation" value={String(ctx.user!.organisationId)} />;
  const f = (name: string) => ({ ctx, form, name, label: t(`procurement.fields.${name}`, { unit: t(`procurement.unitNames.${i.unit}`) }) });
  if (!page.declarationsOpen) {
    return (
      <>
        {own && <p>{t('procurement.ownDeclared', { organisation: ctx.user!.organisationName, quantity: units(ctx, i.unit, own.quantity) })}</p>}
        <p>{t(i.state === 'draft' ? 'procurement.notCollectingYet' : i.state === 'collecting' ? 'procurement.deadlineOver' : i.state === 'cancelled' ? 'procurement.cancelledNote' : 'procurement.boundNote')}</p>
      </>
    );
  }
  const values = form.values.quantity !== undefined ? form : own ? emptyForm({ quantity: String(own.quantity), max_quantity: own.max_quantity === null ? '' : String(own.max_quantity) }) : form;
  const g = (name: string) => ({ ...f(name), form: values });
  return (
    <>
      <p>{t('procurement.declaringFor', { organisation: ctx.user!.organisationName, date: formatDateTime(i.deadline_at, ctx.lang) })}</p>
      {own && <p><strong>{t('procurement.ownDeclared', { organisation: ctx.user!.organisationName, quantity: units(ctx, i.unit, own.quantity) })}</strong></p>}
      <Form ctx={ctx} action={own ? `/beschaffung/${i.id}/erklaerung/aendern` : `/beschaffung/${i.id}/erklaerung`}>
        {orgField}
        <div class="field-pair">
          <TextField {...g('quantity')} type="number" min={1} required hint={t('procurement.hints.quantity')} />
          <TextField {...g('max_quantity')} type="number" min={1} hint={t('procurement.hints.maxQuantity')} />
        </div>
        <Submit label={t(own ? 'procurement.changeDeclaration' : 'procurement.declare')} />
      </Form>
      {own && (
        <Form ctx={ctx} action={`/beschaffung/${i.id}/erklaerung/zurueckziehen`} class="inline-form">
          {orgField}
          <button type="submit" class="button button-secondary">{t('procurement.withdraw')}</button>
        </Form>
      )}
    </>
  );
}

export function InitiativePage({ ctx, page, form = emptyForm() }: { ctx: ViewContext; page: PageData; form?: FormState }) {
  const { t } = ctx;
  const { initiative: i, figures } = page;
  return (
    <article class="initiative">
      <h1>{i.title}</h1>
      <p class="meta"><StateBadge ctx={ctx} state={i.state} /> · {t('procurement.ledBy', { organisation: i.lead_organisation_name })}</p>
      <ErrorSummary ctx={ctx} form={form} />
      {page.canManage && (
        <div class="actions-row">
          {(i.state === 'draft' || i.state === 'collecting') && <a class="button-small" href={`/beschaffung/${i.id}/bearbeiten`}>{t('procurement.edit')}</a>}
          {nextStates(i.state).map((to) => (
            <Form ctx={ctx} action={`/beschaffung/${i.id}/status`} class="inline-form">
              <input type="hidden" name="to" value={to} />
              <button type="submit" class={to === 'cancelled' ? 'button-small button-secondary' : 'button-small'}>{t(`procurement.transitions.${to}`)}</button>
            </Form>
          ))}
        </div>
      )}
      {page.canManage && i.state === 'collecting' && !page.deadlinePassed && <p class="hint">{t('procurement.bindHint', { date: formatDateTime(i.deadline_at, ctx.lang) })}</p>}
      <dl class="facts">
        <dt>{t('procurement.fields.product')}</dt><dd>{i.product}</dd>
        {i.vendor && <><dt>{t('procurement.fields.vendor')}</dt><dd>{i.vendor}</dd></>}
        {page.solution && <><dt>{t('procurement.solutionLabel')}</dt><dd><a href={`/loesungen/${page.solution.slug}`}>{page.solution.title}</a></dd></>}
        <dt>{t('procurement.fields.unit')}</dt><dd>{t(`procurement.unitNames.${i.unit}`)}</dd>
        <dt>{t('procurement.fields.contract_kind')}</dt><dd>{t(`procurement.rules.kinds.${i.contract_kind}`)}</dd>
        <dt>{t('procurement.fields.term_months')}</dt><dd>{monthsText(ctx, i.term_months)}</dd>
        <dt>{t('procurement.fields.option_months')}</dt><dd>{monthsText(ctx, i.option_months)}</dd>
        {i.one_time_fee_cents !== null && <><dt>{t('procurement.fields.one_time_fee')}</dt><dd>{money(ctx, i.one_time_fee_cents)}</dd></>}
        <dt>{t('procurement.fields.planned_start')}</dt><dd>{formatDay(i.planned_start, ctx)}</dd>
        <dt>{t('procurement.deadlineLabel')}</dt><dd>{formatDateTime(i.deadline_at, ctx.lang)}</dd>
      </dl>
      {i.description && <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(i.description) }} />}

      <section aria-labelledby="bundle">
        <h2 id="bundle">{t('procurement.bundleTitle')}</h2>
        <p class="lead">
          {t('procurement.bundleLine', { quantity: units(ctx, i.unit, figures.totalQuantity), count: figures.participants.length, price: money(ctx, figures.unitPriceCents), unit: t(`procurement.units.${i.unit}`, { count: 1 }) })}
        </p>
        <p class="next-tier"><strong>{nextTierText(ctx, i.unit, figures)}</strong></p>
        <TierTable ctx={ctx} page={page} />
      </section>

      <section aria-labelledby="declaration">
        <h2 id="declaration">{t('procurement.declarationTitle')}</h2>
        <DeclarationBox ctx={ctx} page={page} form={form} />
      </section>

      <section aria-labelledby="participants">
        <h2 id="participants">{t('procurement.participantsTitle', { count: figures.participants.length })}</h2>
        {figures.participants.length === 0 ? <p>{t('procurement.noParticipants')}</p> : (
          <>
            <ScrollRegion class="table-scroll" label={t('reflow.scrollTable', { name: t('procurement.participantsCaption', { months: i.term_months }) })}><ParticipantsTable ctx={ctx} page={page} caption={t('procurement.participantsCaption', { months: i.term_months })} /></ScrollRegion>
            <p>{t('procurement.totals', { cost: money(ctx, figures.totalCostCents), saving: money(ctx, figures.totalSavingCents), percent: formatPercent(figures.savingPercent, ctx) })}</p>
          </>
        )}
      </section>

      {figures.participants.length > 0 && (
        <section aria-labelledby="chart">
          <h2 id="chart">{t('procurement.chart.heading')}</h2>
          <SavingsChart ctx={ctx} figures={figures} />
        </section>
      )}

      <Warnings ctx={ctx} page={page} />

      <section aria-labelledby="exports">
        <h2 id="exports">{t('procurement.exportsTitle')}</h2>
        <ul class="link-list">
          <li><a href={`/beschaffung/${i.id}/export.csv`}>{t('procurement.exportCsv')}</a></li>
          <li><a href={`/beschaffung/${i.id}/druck`}>{t('procurement.printView')}</a></li>
        </ul>
      </section>
      <p><a href="/beschaffung">{t('procurement.toList')}</a></p>
    </article>
  );
}

export function formatDay(day: string, ctx: Pick<ViewContext, 'lang'>): string {
  const [y, m, d] = day.split('-');
  return ctx.lang === 'de' ? `${d}.${m}.${y}` : `${d}/${m}/${y}`;
}

// ---------------------------------------------------------------------------------------------------
// The print view: the basis of a joint-award agreement (§ 4 VgV)

export function PrintPage({ ctx, page }: { ctx: ViewContext; page: PageData }) {
  const { t } = ctx;
  const { initiative: i, figures } = page;
  return (
    <article class="print-view">
      <p class="no-print"><a href={`/beschaffung/${i.id}`}>{t('procurement.backToInitiative')}</a> · {t('procurement.printHint')}</p>
      <h1>{t('procurement.print.title', { title: i.title })}</h1>
      <p class="lead">{t('procurement.print.intro')}</p>
      <p class="meta">{t('procurement.print.asOf', { date: formatDateTime(nowIso(), ctx.lang), state: t(`procurement.states.${i.state}`) })}</p>

      <h2>{t('procurement.print.subject')}</h2>
      <dl class="facts">
        <dt>{t('procurement.fields.title')}</dt><dd>{i.title}</dd>
        <dt>{t('procurement.fields.product')}</dt><dd>{i.product}</dd>
        {i.vendor && <><dt>{t('procurement.fields.vendor')}</dt><dd>{i.vendor}</dd></>}
        <dt>{t('procurement.fields.contract_kind')}</dt><dd>{t(`procurement.rules.kinds.${i.contract_kind}`)}</dd>
        <dt>{t('procurement.fields.unit')}</dt><dd>{t(`procurement.unitNames.${i.unit}`)}</dd>
      </dl>

      <h2>{t('procurement.print.lead')}</h2>
      <p>{t('procurement.print.leadText', { organisation: i.lead_organisation_name })}</p>

      <h2>{t('procurement.print.participants')}</h2>
      {figures.participants.length === 0 ? <p>{t('procurement.noParticipants')}</p>
        : <ParticipantsTable ctx={ctx} page={page} caption={t('procurement.print.costSplitCaption', { months: i.term_months })} />}
      <p>{t('procurement.print.costSplit', { price: money(ctx, figures.unitPriceCents), unit: t(`procurement.units.${i.unit}`, { count: 1 }), quantity: units(ctx, i.unit, figures.totalQuantity) })}</p>

      <h2>{t('procurement.print.termTitle')}</h2>
      <dl class="facts">
        <dt>{t('procurement.fields.term_months')}</dt><dd>{monthsText(ctx, i.term_months)}</dd>
        <dt>{t('procurement.fields.option_months')}</dt><dd>{monthsText(ctx, i.option_months)}</dd>
        <dt>{t('procurement.fields.planned_start')}</dt><dd>{formatDay(i.planned_start, ctx)}</dd>
        <dt>{t('procurement.print.maxQuantity')}</dt><dd>{units(ctx, i.unit, figures.maxQuantity)}</dd>
        <dt>{t('procurement.print.estimatedValue')}</dt><dd>{money(ctx, figures.estimatedValueCents)}</dd>
      </dl>

      <h2>{t('procurement.tiersLegend')}</h2>
      <TierTable ctx={ctx} page={page} />

      <Warnings ctx={ctx} page={page} />

      <h2>{t('procurement.print.responsibility')}</h2>
      <p>{t('procurement.print.responsibilityText')}</p>

      <h2 id="signatures">{t('procurement.print.signatures')}</h2>
      <table class="table signatures" aria-labelledby="signatures">
        <thead><tr><th scope="col">{t('procurement.columns.organisation')}</th><th scope="col">{t('procurement.print.placeDate')}</th><th scope="col">{t('procurement.print.signature')}</th></tr></thead>
        <tbody>
          {[{ organisationName: i.lead_organisation_name, organisationId: i.lead_organisation_id }, ...figures.participants.filter((p) => p.organisationId !== i.lead_organisation_id)]
            .map((p) => <tr><th scope="row">{p.organisationName}</th><td /><td /></tr>)}
        </tbody>
      </table>
    </article>
  );
}

// ---------------------------------------------------------------------------------------------------
// Own value limit

export function LimitPage({ ctx, form, data, organisations }: {
  ctx: ViewContext; form: FormState; data: { own: { limit_cents: number; note: string; updated_at: string } | null; all: { organisation_id: number; organisation_name: string; limit_cents: number; note: string }[] };
  organisations: { value: string; label: string; group?: string }[] | null;
}) {
  const { t } = ctx;
  const f = (name: string) => ({ ctx, form, name, label: t(`procurement.fields.${name}`) });
  return (
    <>
      <h1>{t('procurement.limit.title')}</h1>
      <ErrorSummary ctx={ctx} form={form} />
      <p class="lead">{t('procurement.limit.intro')}</p>
      <p>{data.own
        ? t('procurement.limit.current', { organisation: ctx.user!.organisationName, amount: money(ctx, Number(data.own.limit_cents)) })
        : t('procurement.limit.noneYet', { organisation: ctx.user!.organisationName })}</p>
      <Form ctx={ctx} action="/beschaffung/wertgrenze">
        {organisations
          ? <Select {...f('organisation')} options={organisations} hint={t('procurement.hints.organisationAdmin')} />
          : <input type="hidden" name="organisation" value={String(ctx.user!.organisationId)} />}
        <TextField {...f('limit')} hint={t('procurement.hints.limit')} />
        <TextField {...f('note')} maxLength={300} hint={t('procurement.hints.note')} />
        <Submit label={t('common.save')} />
      </Form>
      {data.all.length > 0 && (
        <table class="table">
          <caption>{t('procurement.limit.allCaption')}</caption>
          <thead><tr><th scope="col">{t('procurement.columns.organisation')}</th><th scope="col" class="num">{t('procurement.fields.limit')}</th><th scope="col">{t('procurement.fields.note')}</th></tr></thead>
          <tbody>{data.all.map((l) => <tr><th scope="row">{l.organisation_name}</th><td class="num">{money(ctx, Number(l.limit_cents))}</td><td>{l.note}</td></tr>)}</tbody>
        </table>
      )}
      <p><a href="/beschaffung">{t('procurement.toList')}</a></p>
    </>
  );
}

export type { InitiativeRow };
