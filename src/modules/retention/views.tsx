import type { RetentionPeriods } from '../../platform/config.js';
import type { ViewContext } from '../../platform/views/context.js';
import { retentionSchedule } from './service.js';

/** The generated "Aufbewahrungsfristen" part of the privacy page: the configured periods, in the reader's language. */
export function RetentionSection({ ctx, periods }: { ctx: ViewContext; periods: RetentionPeriods }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="retention-title">
      <h2 id="retention-title">{t('retention.title')}</h2>
      <p>{t('retention.intro')}</p>
      <ul>
        {retentionSchedule(periods).map(({ kind, days }) => (
          <li>{t(`retention.kinds.${kind}`, { period: days === 0 ? t('retention.immediately') : t('retention.days', { count: days }) })}</li>
        ))}
      </ul>
    </section>
  );
}
