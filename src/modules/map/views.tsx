import type { ViewContext } from '../../platform/views/context.js';
import { ErrorSummary, Form, Select, Submit } from '../../platform/views/forms.js';
import { FIELDS_OF_ACTION } from '../catalogue/fields.js';
import { AREA_STATES, MAP_STAGES, SHADE_CLASSES, type MapArea, type MapModel } from './service.js';

/** What the figure needs of the request: it is rendered once and kept for every visitor of the same audience and language. */
export type MapContext = Pick<ViewContext, 't' | 'lang' | 'regionName'>;

interface Look {
  fill: string;
  stroke: string;
  dash?: string;
}

/**
 * Light to dark, each class clearly apart; outlines dark on the light classes and white on the dark ones,
 * so neighbouring municipalities stay apart whatever their shade. With a solution chosen the three states
 * differ in more than colour: solid dark, hatched with a dashed outline, plain light.
 */
function look(shade: string, id: string): Look {
  switch (shade) {
    case 'shade-0': return { fill: '#f4f6f8', stroke: '#4a5360' };
    case 'shade-1': return { fill: '#c6dbef', stroke: '#4a5360' };
    case 'shade-2': return { fill: '#6baed6', stroke: '#1b1f24' };
    case 'shade-3': return { fill: '#2171b5', stroke: '#ffffff' };
    case 'shade-4': return { fill: '#08306b', stroke: '#ffffff' };
    case 'state-runs': return { fill: '#084785', stroke: '#ffffff' };
    case 'state-interested': return { fill: `url(#${id}-hatch)`, stroke: '#1b1f24', dash: '4 2' };
    default: return { fill: '#f4f6f8', stroke: '#4a5360' };
  }
}

const stageLabel = (ctx: MapContext, stage: string) => ctx.t(`catalogue.values.maturity.${stage}`);

/** The sentence that names what the map shows, with the filters applied. */
export function mapTitle(ctx: MapContext, model: MapModel): string {
  const { t } = ctx;
  const region = ctx.regionName;
  const { reife, handlungsfeld } = model.filters;
  let title = model.solution ? t('map.figureTitleSolution', { solution: model.solution.title, region })
    : reife ? t('map.figureTitleStage', { stage: stageLabel(ctx, reife), region }) : t('map.figureTitle', { region });
  if (model.solution && reife) title = t('map.inStage', { title, stage: stageLabel(ctx, reife) });
  if (handlungsfeld) title = t('map.inField', { title, field: t(`catalogue.values.field_of_action.${handlungsfeld}`) });
  return title;
}

/** The name and figure of one area, as its tooltip and as screen readers announce its link. */
export function areaLabel(ctx: MapContext, model: MapModel, area: MapArea): string {
  const { t } = ctx;
  if (area.state) return t('map.stateTitle', { name: area.name, state: t(`map.states.${area.state}`) });
  if (model.filters.reife) return t('map.stageTitle', { name: area.name, count: area.count, stage: stageLabel(ctx, model.filters.reife) });
  return t('map.countTitle', { name: area.name, count: area.count });
}

function Swatch({ shade, id }: { shade: string; id: string }) {
  const l = look(shade, id);
  return (
    <svg class="swatch" width="28" height="18" viewBox="0 0 28 18" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="26" height="16" fill={l.fill} stroke={l.stroke === '#ffffff' ? '#1b1f24' : l.stroke} stroke-width="1.2" stroke-dasharray={l.dash} />
    </svg>
  );
}

function Legend({ ctx, model, id }: { ctx: MapContext; model: MapModel; id: string }) {
  const { t } = ctx;
  const entries = model.solution
    ? AREA_STATES.map((s) => ({ shade: `state-${s}`, label: t(`map.states.${s}`), hint: s === 'neither' ? '' : t(`map.stateHints.${s}`) }))
    : SHADE_CLASSES.map((c) => ({ shade: c, label: t(`map.classes.${c}`), hint: '' }));
  const heading = model.solution ? t('map.legendSolution') : model.filters.reife ? t('map.legendStage') : t('map.legendCount');
  return (
    <div class="map-legend">
      <p class="map-legend-title" id={`${id}-legend`}>{heading}</p>
      <ul aria-labelledby={`${id}-legend`}>
        {entries.map((e) => <li><Swatch shade={e.shade} id={id} /> {e.label}{e.hint && <span class="count"> ({e.hint})</span>}</li>)}
        <li>
          <svg class="swatch" width="28" height="18" viewBox="0 0 28 18" aria-hidden="true" focusable="false">
            <line x1="1" y1="9" x2="27" y2="9" stroke="#ffffff" stroke-width="4" />
            <line x1="1" y1="9" x2="27" y2="9" stroke="#1b1f24" stroke-width="2" />
          </svg> {t('map.districtBoundary')}
        </li>
      </ul>
    </div>
  );
}

function AreaShape({ area, areaCtx }: { area: MapArea; areaCtx: { ctx: MapContext; model: MapModel; id: string } }) {
  const { ctx, model, id } = areaCtx;
  const label = areaLabel(ctx, model, area);
  const l = look(area.shade, id);
  const path = <path d={area.d} data-ags={area.ags} class={area.shade} fill={l.fill} stroke={l.stroke}
    stroke-width={l.dash ? '1.2' : '0.8'} stroke-dasharray={l.dash} stroke-linejoin="round" />;
  if (!area.slug) return <g><title>{label}</title>{path}</g>;
  return <a href={`/organisationen/${area.slug}`} aria-label={label}><title>{label}</title>{path}</a>;
}

function MapSvg({ ctx, model, id, title }: { ctx: MapContext; model: MapModel; id: string; title: string }) {
  const areaCtx = { ctx, model, id };
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${model.width} ${model.height}`} width="100%" role="group"
      aria-labelledby={`${id}-title`} class="region-map-svg">
      <title id={`${id}-title`}>{title}</title>
      {model.solution && (
        <defs>
          <pattern id={`${id}-hatch`} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="8" height="8" fill="#ffffff" />
            <line x1="0" y1="0" x2="0" y2="8" stroke="#084785" stroke-width="3.5" />
          </pattern>
        </defs>
      )}
      <g class="map-areas">{model.municipalities.map((area) => <AreaShape area={area} areaCtx={areaCtx} />)}</g>
      {/* The district boundaries on top: a white halo under a dark line shows on light and dark shades alike. */}
      <g class="map-districts" aria-hidden="true" fill="none" pointer-events="none" stroke-linejoin="round">
        {model.districts.map((k) => <path d={k.d} stroke="#ffffff" stroke-width="4" />)}
        {model.districts.map((k) => <path d={k.d} stroke="#1b1f24" stroke-width="2" />)}
      </g>
    </svg>
  );
}

function figureCell(ctx: MapContext, area: MapArea) {
  return area.state ? <td>{ctx.t(`map.states.${area.state}`)}</td> : <td class="num">{area.count}</td>;
}

function Tables({ ctx, model }: { ctx: MapContext; model: MapModel }) {
  const { t } = ctx;
  const caption = model.solution ? t('map.tableCaptionSolution', { solution: model.solution.title })
    : model.filters.reife ? t('map.tableCaptionStage', { stage: stageLabel(ctx, model.filters.reife) }) : t('map.tableCaption');
  const figureHeading = model.solution ? <th scope="col">{t('map.columns.state')}</th> : <th scope="col" class="num">{t('map.columns.count')}</th>;
  const name = (a: MapArea) => (a.slug ? <a href={`/organisationen/${a.slug}`}>{a.name}</a> : a.name);
  return (
    <>
      <table class="table region-map-data">
        <caption>{model.filters.handlungsfeld ? t('map.inField', { title: caption, field: t(`catalogue.values.field_of_action.${model.filters.handlungsfeld}`) }) : caption}</caption>
        <thead><tr><th scope="col">{t('map.columns.municipality')}</th><th scope="col">{t('map.columns.district')}</th>{figureHeading}</tr></thead>
        <tbody>
          {model.municipalities.map((a) => <tr data-ags={a.ags}><th scope="row">{name(a)}</th><td>{a.district}</td>{figureCell(ctx, a)}</tr>)}
        </tbody>
      </table>
      {model.districts.length > 0 && (
        <table class="table region-map-districts">
          <caption>{t('map.districtsCaption')}</caption>
          <thead><tr><th scope="col">{t('map.columns.district')}</th>{figureHeading}</tr></thead>
          <tbody>
            {model.districts.map((a) => <tr data-ags={a.ags}><th scope="row">{name(a)}</th>{figureCell(ctx, a)}</tr>)}
          </tbody>
        </table>
      )}
    </>
  );
}

/**
 * The map with its legend, the source of the boundaries and the same figures as tables. Compact (for the
 * home page): the tables folded away and a link to the full map with its filters.
 */
export function RegionMapFigure({ ctx, model, compact = false, id = 'region-map' }: { ctx: MapContext; model: MapModel; compact?: boolean; id?: string }) {
  const title = mapTitle(ctx, model);
  return (
    <div class={compact ? 'region-map region-map-compact' : 'region-map'}>
      {/* On the map page the tables come first: on a phone the names are readable there, and the wide layout
          places the map beside them. Every area of the map is a link; the skip link leads past all of them. */}
      {!compact && <div class="region-map-tables"><Tables ctx={ctx} model={model} /></div>}
      <figure aria-labelledby={`${id}-caption`}>
        <figcaption id={`${id}-caption`}>{title}</figcaption>
        <Legend ctx={ctx} model={model} id={id} />
        <a class="skip-map" href={`#${id}-end`}>{ctx.t('reflow.skipMap')}</a>
        <MapSvg ctx={ctx} model={model} id={id} title={title} />
        <p class="attribution" id={`${id}-end`} tabIndex={-1}>{ctx.t('map.attribution')}</p>
      </figure>
      {compact && (
        <>
          <p><a href="/karte">{ctx.t('map.fullMap')}</a></p>
          <details class="region-map-tables"><summary>{ctx.t('map.showTable')}</summary><Tables ctx={ctx} model={model} /></details>
        </>
      )}
    </div>
  );
}

/** The map page: the filters as a plain form (works without script), then the figure. */
export function MapPage({ ctx, model }: { ctx: ViewContext; model: MapModel }) {
  const { t } = ctx;
  const form = { values: { ...model.chosen } as Record<string, string>, errors: model.errors };
  return (
    <>
      <h1>{t('map.title')}</h1>
      <p class="lead">{t('map.intro', { region: ctx.regionName })}</p>
      <ErrorSummary ctx={ctx} form={form} />
      <Form ctx={ctx} action="/karte" method="get" class="form map-filters">
        <fieldset>
          <legend>{t('map.filters')}</legend>
          <Select ctx={ctx} form={form} name="loesung" label={t('map.solution')} placeholder={t('map.allSolutions')}
            options={model.solutions.map((s) => ({ value: s.slug, label: s.title }))} />
          <Select ctx={ctx} form={form} name="handlungsfeld" label={t('map.field')} placeholder={t('map.allFields')}
            options={FIELDS_OF_ACTION.map((f) => ({ value: f, label: t(`catalogue.values.field_of_action.${f}`) }))} />
          <Select ctx={ctx} form={form} name="reife" label={t('map.stage')} hint={t('map.stageHint')} placeholder={t('map.allStages')}
            options={MAP_STAGES.map((s) => ({ value: s, label: stageLabel(ctx, s) }))} />
        </fieldset>
        <Submit label={t('map.apply')} />
        <p><a href="/karte">{t('map.reset')}</a></p>
      </Form>
      <RegionMapFigure ctx={ctx} model={model} />
    </>
  );
}
