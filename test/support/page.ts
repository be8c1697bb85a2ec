import { unescapeHtml } from './catalogue.js';

/** Reading a server-rendered page as a person would: its text, its error summary, its flash message. */

/** Text of a page without tags, entities resolved, whitespace collapsed. */
export function pageText(html: string): string {
  return unescapeHtml(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
}

/** The text of the error summary at the top of a refused form, heading included, or '' when there is none. */
export function errorSummary(html: string): string {
  const m = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html);
  return m ? pageText(m[0]).trim() : '';
}

/** The messages listed in the error summary, one per problem, in page order. */
export function errorMessages(html: string): string[] {
  const m = /<div class="error-summary"[\s\S]*?<ul>([\s\S]*?)<\/ul>/.exec(html);
  return m ? [...m[1].matchAll(/<li>([\s\S]*?)<\/li>/g)].map((li) => pageText(li[1]).trim()) : [];
}

/** The flash message a page shows after a redirect. */
export function flash(html: string): string {
  const m = /<div class="flash" role="status">([^<]*)<\/div>/.exec(html);
  return m ? unescapeHtml(m[1]) : '';
}
