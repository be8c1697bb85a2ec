import type { ComponentChildren } from 'preact';

/**
 * A wide table or drawing that scrolls sideways inside the page rather than making the page scroll (WCAG 1.4.10):
 * a named region that takes keyboard focus, so that the arrow keys scroll it too (axe: scrollable-region-focusable).
 */
export function ScrollRegion({ label, children, class: className }: { label: string; children: ComponentChildren; class?: string }) {
  return <div class={className ? `scroll-region ${className}` : 'scroll-region'} role="region" tabIndex={0} aria-label={label}>{children}</div>;
}
