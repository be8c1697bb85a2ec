import type { ViewContext } from '../../platform/views/context.js';
import { formatNumber } from '../../platform/i18n/index.js';
import type { organisationDirectory, organisationPage } from './service.js';

type Row = Awaited<ReturnType<typeof organisationDirectory>>[number];
type PageData = NonNullable<Awaited<ReturnType<typeof organisationPage>>>;

export function OrganisationList({ ctx, rows }: { ctx: ViewContext; rows: Row[] }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('organisations.title')}</h1>
      <p class="lead">{t('organisations.intro', { region: ctx.regionName })}</p>
      <table class="table">
        <caption class="visually-hidden">{t('organisations.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('organisations.colName')}</th>
            <th scope="col">{t('organisations.colKind')}</th>
            <th scope="col">{t('organisations.colDistrict')}</th>
            <th scope="col" class="num">{t('organisations.colPopulation')}</th>
            <th scope="col" class="num">{t('organisations.colMembers')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row"><a href={`/organisationen/${r.slug}`}>{r.name}</a></th>
              <td>{t(`kinds.${r.kind}`)}</td>
              <td>{r.district_name ?? t('common.none')}</td>
              <td class="num">{r.population != null ? formatNumber(r.population, ctx.lang) : t('common.none')}</td>
              <td class="num">{formatNumber(Number(r.member_count ?? 0), ctx.lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

type DeploymentRow = { status: string; since: string | null; slug: string; title: string };

export function OrganisationDetail({ ctx, data, showPeople, deployments }: { ctx: ViewContext; data: PageData; showPeople: boolean; deployments: DeploymentRow[] }) {
  const { t } = ctx;
  const { org } = data;
  return (
    <>
      <h1>{org.name}</h1>
      <dl class="facts">
        <dt>{t('organisations.colKind')}</dt><dd>{t(`kinds.${org.kind}`)}</dd>
        {org.district_name && (<><dt>{t('common.district')}</dt><dd><a href={`/organisationen/${org.district_slug}`}>{org.district_name}</a></dd></>)}
        {org.population != null && (<><dt>{t('common.population')}</dt><dd>{formatNumber(org.population, ctx.lang)}</dd></>)}
        {org.ags && (<><dt>AGS</dt><dd>{org.ags}</dd></>)}
      </dl>
      <h2>{t('organisations.deploymentsTitle')}</h2>
      <p><a href={`/organisationen/${org.slug}/ki-register`}>{t('aiact.register.link')}</a></p>
      {deployments.length === 0 ? <p>{t('organisations.noDeployments')}</p> : (
        <ul class="deployments">
          {deployments.map((d) => (
            <li>
              <a href={`/loesungen/${d.slug}`}>{d.title}</a>
              {' – '}{t(`catalogue.values.status.${d.status}`)}{d.since ? ` ${t('organisations.since', { month: `${d.since.slice(5, 7)}/${d.since.slice(0, 4)}` })}` : ''}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('organisations.membersTitle')}</h2>
      <p>{t('organisations.membersCount', { count: data.memberCount })}</p>
      {showPeople ? (
        data.people.length ? (
          <ul class="people">
            {data.people.map((p) => (
              <li><strong>{p.name}</strong>{p.job_function ? `, ${p.job_function}` : ''}</li>
            ))}
          </ul>
        ) : <p>{t('organisations.noMembers')}</p>
      ) : <p class="hint">{t('organisations.membersOnlyPeople')}</p>}
      {data.municipalities.length > 0 && (
        <>
          <h2>{t('organisations.municipalitiesTitle')}</h2>
          <ul class="columns">
            {data.municipalities.map((m) => <li><a href={`/organisationen/${m.slug}`}>{m.name}</a></li>)}
          </ul>
        </>
      )}
    </>
  );
}
