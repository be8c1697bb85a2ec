import type { Db } from '../../src/platform/db/database.js';
import { loadCurrentUser } from '../../src/platform/http/current-user.js';
import type { CurrentUser } from '../../src/platform/policy.js';
import type { Insertable } from 'kysely';
import type { SolutionsTable } from '../../src/platform/db/schema.js';
import { createSolution, parseSolution } from '../../src/modules/catalogue/service.js';

/** A complete, valid form for a new solution, as the browser sends it (unticked boxes left out); pass fields to change. */
export function solutionForm(fields: Record<string, string> = {}): Record<string, string> {
  return {
    title: 'Bürger-Chatbot für das Bürgerbüro',
    summary: 'Ein Chatbot beantwortet Fragen zu Terminen und Unterlagen rund um die Uhr.',
    description: 'Der Chatbot kennt die Leistungsbeschreibungen der Stadt.\nBei Unklarheiten verweist er an das Bürgerbüro.',
    problem_goal: 'Viele gleiche Fragen am Telefon.',
    benefit: 'Weniger Anrufe.',
    previous_process: 'Auskunft nur am Telefon.',
    field_of_action: 'general_public_services',
    process_type: 'public_services',
    interaction: 'g2c',
    technique: 'generative',
    maturity: 'pilot',
    vendor: 'Beispiel GmbH',
    open_source_url: '',
    cost_model: 'licence_year',
    cost_min_eur: '5000',
    cost_max_eur: '12000',
    cost_basis: 'pro Jahr',
    funding: '',
    personal_data: 'none',
    dpia_status: 'not_required',
    hosting: 'de',
    legal_basis: '',
    ai_act_class: 'transparency',
    human_oversight: 'Ein Mensch prüft die Antworten monatlich.',
    risks_measures: '',
    reuse_conditions: '',
    contact_email: 'digital@olpe.example',
    language: 'de',
    visibility: 'public',
    cooperation_wanted: '1',
    ...fields,
  };
}

/** The signed-in person as the services see them. */
export async function viewerOf(db: Db, userId: number): Promise<CurrentUser> {
  const viewer = await loadCurrentUser(db, userId);
  if (!viewer) throw new Error(`no active user ${userId}`);
  return viewer;
}

/**
 * Creates a solution through the service, as the given person; the form needs only title, summary
 * and whatever else matters to the test (maturity defaults to "pilot", visibility to "public").
 */
export async function makeSolution(db: Db, viewer: CurrentUser, fields: Record<string, string>, extra: Partial<Insertable<SolutionsTable>> = {}) {
  const data = parseSolution({ maturity: 'pilot', language: 'de', visibility: 'public', ...fields }, {});
  return createSolution(db, viewer, data, extra);
}

/** Slugs of the result list of a /loesungen page, in order. */
export function resultSlugs(html: string): string[] {
  return [...html.matchAll(/<li class="result"><h3><a href="\/loesungen\/([^"]+)"(?: lang="[a-z]+")?>/g)].map((m) => m[1]);
}

/** The number in the results heading ("12 Lösungen", "1 Lösung für „x“"). */
export function resultTotal(html: string): number {
  const m = /<h2 id="results-title"[^>]*>(\d+) Lösung/.exec(html);
  if (!m) throw new Error('no results heading');
  return Number(m[1]);
}

/** The options of one facet on a /loesungen page: value, label and the count shown next to it. */
export function facetOptions(html: string, facet: string): { value: string; label: string; count: number; checked: boolean }[] {
  const re = new RegExp(`<input type="checkbox" id="[^"]*" name="${facet}" value="([^"]*)"( checked)?/><label for="[^"]*">([^<]*) <span class="count">\\((\\d+)\\)</span></label>`, 'g');
  return [...html.matchAll(re)].map((m) => ({ value: m[1], checked: Boolean(m[2]), label: unescapeHtml(m[3]), count: Number(m[4]) }));
}

export function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/**
 * The fields a browser would send for the form with the given action, as the page fills them in:
 * text inputs and text areas with their values (line breaks as CRLF), the selected option of each list (the first when none
 * is selected), ticked boxes only. The CSRF token is left out (the visitor adds its own).
 */
export function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form with action ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].slice(1).map((m) => [m[1], m[2] === undefined ? true : unescapeHtml(m[2])]));
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input\b[^>]*>/g)) {
    const a = attrs(m[0]);
    if (typeof a.name !== 'string' || a.name === '_csrf') continue;
    if (a.type === 'checkbox' && !a.checked) continue;
    fields[a.name] = typeof a.value === 'string' ? a.value : '';
  }
  for (const m of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const a = attrs(`<textarea${m[1]}>`);
    // Browsers send the line breaks of a text area as CRLF, whatever the page had.
    if (typeof a.name === 'string') fields[a.name] = unescapeHtml(m[2]).replace(/\r?\n/g, '\r\n');
  }
  for (const m of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const a = attrs(`<select${m[1]}>`);
    const options = [...m[2].matchAll(/<option\b([^>]*)>/g)].map((o) => attrs(`<option${o[1]}>`));
    const chosen = options.find((o) => o.selected) ?? options[0];
    if (typeof a.name === 'string') fields[a.name] = chosen && typeof chosen.value === 'string' ? chosen.value : '';
  }
  return fields;
}
