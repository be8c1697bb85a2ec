import type { ViewContext } from './context.js';

/**
 * The language of a part written in another language than the page (WCAG 3.1.2): an entry's own texts, such as the
 * English or Dutch ones imported from the public registers; undefined when it is the page's language.
 */
export function partLang(ctx: ViewContext, language: string | null | undefined): string | undefined {
  return language && language !== ctx.lang ? language : undefined;
}
