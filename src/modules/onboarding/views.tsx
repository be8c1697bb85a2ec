import type { ComponentChildren } from 'preact';
import { formatDateTime, formatNumber } from '../../platform/i18n/index.js';
import type { ViewContext } from '../../platform/views/context.js';
import { Checkbox, ErrorMessage, ErrorSummary, Form, Submit, type FormState } from '../../platform/views/forms.js';
import type { RegisterSource } from '../catalogue/import.js';
import type { ChecklistEntry } from './checklist.js';
import { parseResults, parseSources, type ImportRun, type RegisterFile } from './register-import.js';

// ---------------------------------------------------------------------------------------------
// Checklist on /verwaltung

export function Checklist({ ctx, steps }: { ctx: ViewContext; steps: ChecklistEntry[] }) {
  const { t } = ctx;
  const done = steps.filter((s) => s.done).length;
  return (
    <section class="checklist card" aria-labelledby="checklist-title">
      <h2 id="checklist-title">{t('onboarding.checklist.title')}</h2>
      <p id="checklist-count">{done === steps.length ? t('onboarding.checklist.allDone') : t('onboarding.checklist.count', { done, total: steps.length })}</p>
      <ol class="checklist-items">
        {steps.map((s) => (
          <li class={s.done ? 'check-done' : 'check-open'} data-item={s.item}>
            <span class="check-state">{s.done ? t('onboarding.checklist.done') : t('onboarding.checklist.open')}</span>{' '}
            <a href={s.href}>{t(`onboarding.checklist.items.${s.item}.label`)}</a>
            <p class="hint">{t(`onboarding.checklist.items.${s.item}.${s.done ? 'doneHint' : 'openHint'}`)}</p>
          </li>
        ))}
      </ol>
      <p class="hint">{t('onboarding.checklist.guide')}</p>
    </section>
  );
}

export function LocalAddressWarning({ ctx, baseUrl }: { ctx: ViewContext; baseUrl: string }) {
  return (
    <section class="notice" aria-labelledby="base-url-title">
      <h2 id="base-url-title">{ctx.t('onboarding.outbox.localTitle')}</h2>
      <p>{ctx.t('onboarding.outbox.localText', { baseUrl })}</p>
    </section>
  );
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/g;

/** The web addresses in a mail's text, each once, in order. */
export function mailLinks(text: string): string[] {
  return [...new Set(text.match(URL_IN_TEXT) ?? [])];
}

/** A mail's text as sent, with its web addresses as links. */
export function MailBody({ text }: { text: string }) {
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    parts.push(text.slice(last, m.index));
    parts.push(<a href={m[0]}>{m[0]}</a>);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return <pre class="mail-body">{parts}</pre>;
}

// ---------------------------------------------------------------------------------------------
// Register import

const sourceName = (ctx: ViewContext, s: string) => ctx.t(`catalogue.values.source.${s}`, { defaultValue: s });

function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((100 * done) / total)) : 0;
}

export function ImportProgress({ ctx, run }: { ctx: ViewContext; run: ImportRun }) {
  const { t, lang } = ctx;
  const sources = parseSources(run.sources);
  return (
    <div class="import-progress" role="status">
      <p>
        {t('onboarding.import.progressSource', {
          source: run.current_source ? sourceName(ctx, run.current_source) : '–', index: Math.min(run.sources_done + 1, sources.length), total: sources.length,
        })}
      </p>
      <progress max={Math.max(run.rows_total, 1)} value={run.rows_done} aria-labelledby="import-rows">{percent(run.rows_done, run.rows_total)} %</progress>
      <p id="import-rows">
        {run.rows_total > 0
          ? t('onboarding.import.progressRows', { done: formatNumber(run.rows_done, lang), total: formatNumber(run.rows_total, lang), percent: percent(run.rows_done, run.rows_total) })
          : t('onboarding.import.progressReading')}
      </p>
      <p class="hint">{t('onboarding.import.refreshHint')}</p>
    </div>
  );
}

function statusText(ctx: ViewContext, run: ImportRun): string {
  if (run.status === 'running') return ctx.t('onboarding.import.status.running');
  if (run.status === 'done') return ctx.t('onboarding.import.status.done');
  if (run.message === 'stale') return ctx.t('onboarding.import.status.stale');
  if (run.message === 'files') return ctx.t('onboarding.import.status.files');
  return ctx.t('onboarding.import.status.failed');
}

export function ImportRunDetails({ ctx, run }: { ctx: ViewContext; run: ImportRun }) {
  const { t, lang } = ctx;
  const results = parseResults(run.results);
  return (
    <>
      <dl class="facts">
        <dt>{t('onboarding.import.colStatus')}</dt><dd id="import-status">{statusText(ctx, run)}</dd>
        <dt>{t('onboarding.import.colStarted')}</dt><dd>{formatDateTime(run.started_at, lang)}{run.started_by_name ? ` · ${run.started_by_name}` : ''}</dd>
        {run.finished_at && <><dt>{t('onboarding.import.colFinished')}</dt><dd>{formatDateTime(run.finished_at, lang)}</dd></>}
        <dt>{t('onboarding.import.colSources')}</dt><dd>{parseSources(run.sources).map((s) => sourceName(ctx, s)).join(', ')}</dd>
      </dl>
      {run.status === 'running' && <ImportProgress ctx={ctx} run={run} />}
      {results.length > 0 && (
        <table class="table import-results">
          <caption>{t('onboarding.import.resultsCaption')}</caption>
          <thead><tr>
            <th scope="col">{t('onboarding.import.colRegister')}</th><th scope="col">{t('onboarding.import.colRows')}</th>
            <th scope="col">{t('onboarding.import.colCreated')}</th><th scope="col">{t('onboarding.import.colUpdated')}</th>
            <th scope="col">{t('onboarding.import.colUnchanged')}</th><th scope="col">{t('onboarding.import.colSkipped')}</th>
          </tr></thead>
          <tbody>
            {results.map((r) => (
              <tr>
                <th scope="row">{sourceName(ctx, r.source)}</th>
                {r.failed
                  ? <td colSpan={5}>{t('onboarding.import.fileFailed')} <span lang="en">{r.failed}</span></td>
                  : <><td>{formatNumber(r.rows, lang)}</td><td>{formatNumber(r.created, lang)}</td><td>{formatNumber(r.updated, lang)}</td><td>{formatNumber(r.unchanged, lang)}</td><td>{formatNumber(r.skipped, lang)}</td></>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {results.filter((r) => r.errors.length > 0).map((r) => (
        <details class="skipped-rows">
          <summary>{t('onboarding.import.skippedRows', { source: sourceName(ctx, r.source), count: r.skipped })}</summary>
          <ul>{r.errors.map((e) => <li>{t('onboarding.import.line', { line: e.line })} <span lang="en">{e.message}</span></li>)}</ul>
          {r.skipped > r.errors.length && <p class="hint">{t('onboarding.import.moreSkipped', { count: r.skipped - r.errors.length })}</p>}
        </details>
      ))}
      {run.status === 'failed' && run.message && !['stale', 'files'].includes(run.message) && <ErrorMessage ctx={ctx} lang="en">{run.message}</ErrorMessage>}
    </>
  );
}

export function ImportPage({ ctx, files, dir, runs, form }: { ctx: ViewContext; files: RegisterFile[]; dir: string; runs: ImportRun[]; form: FormState }) {
  const { t, lang } = ctx;
  const present = files.filter((f) => f.present);
  const current = runs.find((r) => r.status === 'running');
  return (
    <>
      <h1>{t('onboarding.import.title')}</h1>
      <p class="lead">{t('onboarding.import.intro')}</p>
      <ErrorSummary ctx={ctx} form={form} />
      {current && (
        <section class="card" aria-labelledby="current-run">
          <h2 id="current-run">{t('onboarding.import.currentTitle')}</h2>
          <ImportProgress ctx={ctx} run={current} />
          <p><a href={`/verwaltung/registerimport/${current.id}`}>{t('onboarding.import.showRun')}</a></p>
        </section>
      )}
      <h2>{t('onboarding.import.filesTitle')}</h2>
      {present.length === 0 && (
        <section class="notice" aria-labelledby="files-missing">
          <h3 id="files-missing">{t('onboarding.import.missingTitle')}</h3>
          <p>{t('onboarding.import.missingText', { dir })}</p>
        </section>
      )}
      <table class="table">
        <caption class="visually-hidden">{t('onboarding.import.filesTitle')}</caption>
        <thead><tr><th scope="col">{t('onboarding.import.colRegister')}</th><th scope="col">{t('onboarding.import.colFile')}</th><th scope="col">{t('onboarding.import.colState')}</th></tr></thead>
        <tbody>
          {files.map((f) => (
            <tr>
              <th scope="row">{sourceName(ctx, f.source)}</th>
              <td><code>{f.file}</code></td>
              <td>{f.present
                ? t('onboarding.import.filePresent', { size: formatNumber(Math.round(f.bytes / 1024), lang), date: formatDateTime(f.modified!, lang) })
                : t('onboarding.import.fileMissing')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {present.length > 0 && !current && (
        <Form ctx={ctx} action="/verwaltung/registerimport">
          <fieldset>
            <legend>{t('onboarding.import.chooseLegend')}</legend>
            {present.map((f) => (
              <Checkbox ctx={ctx} form={form} name={`source_${f.source}`} label={sourceName(ctx, f.source)} checked={form.values[`source_${f.source}`] !== '0'} />
            ))}
          </fieldset>
          <p class="hint">{t('onboarding.import.startHint')}</p>
          <Submit label={t('onboarding.import.start')} />
        </Form>
      )}
      <h2>{t('onboarding.import.historyTitle')}</h2>
      {runs.length === 0 ? <p>{t('onboarding.import.historyEmpty')}</p> : (
        <table class="table import-history">
          <caption class="visually-hidden">{t('onboarding.import.historyTitle')}</caption>
          <thead><tr>
            <th scope="col">{t('onboarding.import.colStarted')}</th><th scope="col">{t('onboarding.import.colStatus')}</th>
            <th scope="col">{t('onboarding.import.colCreated')}</th><th scope="col">{t('onboarding.import.colUpdated')}</th>
            <th scope="col">{t('onboarding.import.colUnchanged')}</th><th scope="col">{t('onboarding.import.colSkipped')}</th>
          </tr></thead>
          <tbody>
            {runs.map((r) => (
              <tr>
                <td><a href={`/verwaltung/registerimport/${r.id}`}>{formatDateTime(r.started_at, lang)}</a>{r.started_by_name ? ` · ${r.started_by_name}` : ''}</td>
                <td>{statusText(ctx, r)}</td>
                <td>{formatNumber(r.created, lang)}</td><td>{formatNumber(r.updated, lang)}</td>
                <td>{formatNumber(r.unchanged, lang)}</td><td>{formatNumber(r.skipped, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function sourcesChosen(values: Record<string, string>, files: RegisterFile[]): RegisterSource[] {
  return files.filter((f) => f.present && values[`source_${f.source}`] === '1').map((f) => f.source);
}

// ---------------------------------------------------------------------------------------------
// Welcome page after the first sign-in

export function WelcomePage({ ctx, organisation }: { ctx: ViewContext; organisation: string | null }) {
  const { t } = ctx;
  const steps: [string, string, string][] = [
    ['/profil', 'profile', 'profileText'],
    ['/loesungen', 'catalogue', 'catalogueText'],
    ['/treffen', 'meetings', 'meetingsText'],
  ];
  return (
    <>
      <h1>{t('onboarding.welcome.title', { community: ctx.communityName })}</h1>
      <p class="lead">{t('onboarding.welcome.intro', { name: ctx.user?.name ?? '', organisation: organisation ?? ctx.regionName })}</p>
      <h2>{t('onboarding.welcome.stepsTitle')}</h2>
      <ol class="welcome-steps">
        {steps.map(([href, label, text]) => (
          <li>
            <a href={href}>{t(`onboarding.welcome.${label}`)}</a>
            <p>{t(`onboarding.welcome.${text}`)}</p>
          </li>
        ))}
      </ol>
      <p>{t('onboarding.welcome.questions')} <a href="/fragen">{t('onboarding.welcome.questionsLink')}</a></p>
    </>
  );
}
