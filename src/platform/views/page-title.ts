import type { T } from '../i18n/index.js';

/**
 * The window title of a result list: what was found (the query and the count), the page when there are several,
 * then the list's name, so that a screen reader announces what happened when the page opens.
 */
export function resultsTitle(t: T, list: string, found: string, page: number, pages: number): string {
  return `${found}${pages > 1 ? `, ${t('common.pageOf', { page, pages })}` : ''} – ${list}`;
}
