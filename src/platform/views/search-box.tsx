import type { ViewContext } from './context.js';

/**
 * The search field for the solution catalogue: a plain GET form to /loesungen (works without JavaScript).
 * `compact` is the header's (the label is read by screen readers, the landmark named by it); the home page's shows its label.
 */
export function SearchBox({ ctx, id, compact = false }: { ctx: ViewContext; id: string; compact?: boolean }) {
  const { t } = ctx;
  return (
    <form method="get" action="/loesungen" role="search" class={compact ? 'search-form search-compact' : 'search-form'} aria-label={compact ? t('search.boxLabel') : undefined}>
      <label for={id} class={compact ? 'visually-hidden' : undefined}>{t('search.boxLabel')}</label>
      <div class="search-row">
        <input id={id} name="q" type="search" maxLength={1000} placeholder={compact ? undefined : t('search.boxPlaceholder')} />
        <button type="submit" class="button">{t('search.boxSubmit')}</button>
      </div>
    </form>
  );
}
