import type { ComponentChildren } from 'preact';
import type { ViewContext } from '../../platform/views/context.js';
import { LEGAL_PAGES, type LegalSlug } from './service.js';

/** A translated sentence whose <link>…</link> part becomes a link to href. */
export function withLink(text: string, href: string): ComponentChildren {
  const m = /^(.*)<link>(.*)<\/link>(.*)$/s.exec(text);
  return m ? <>{m[1]}<a href={href}>{m[2]}</a>{m[3]}</> : text;
}

/**
 * Says which legal pages are still empty and that the join form stays closed until both are published;
 * with links to fill them in where the reader may edit them.
 */
export function MissingLegalPages({ ctx, missing, note }: { ctx: ViewContext; missing: LegalSlug[]; note?: string }) {
  const { t } = ctx;
  if (missing.length === 0) return null;
  const pages = missing.map((slug) => t(LEGAL_PAGES[slug])).join(', ');
  return (
    <section class="notice" aria-labelledby="legal-missing-title">
      <h2 id="legal-missing-title">{t('legalGate.missingTitle')}</h2>
      <p>{t('legalGate.missingIntro', { pages })}</p>
      {note && <p>{note}</p>}
      {ctx.can('legal.edit') && (
        <ul>{missing.map((slug) => <li><a href={`/${slug}/bearbeiten`}>{t('legalGate.fillIn', { page: t(LEGAL_PAGES[slug]) })}</a></li>)}</ul>
      )}
    </section>
  );
}
