import { spreadsheetCsv } from '../../platform/csv.js';
import type { RegisterData } from './service.js';

/**
 * The fields of the machine-readable transparency register. Where the Dutch Algoritmeregister publication
 * standard has a field, its name is used (name, organization, description_short, goal, status, begin_date,
 * provider, human_intervention, lawful_basis, risks, contact_email, url); the AI Act fields have no
 * counterpart there and keep names of their own.
 */
export const REGISTER_FIELDS = [
  'name', 'organization', 'description_short', 'goal', 'status', 'begin_date', 'provider', 'human_intervention', 'lawful_basis', 'risks',
  'contact_email', 'url', 'ai_act_class', 'ai_act_checked_at', 'ai_act_rule_version', 'deployment_status', 'deployment_contact',
] as const;
export type RegisterField = (typeof REGISTER_FIELDS)[number];

/** The status values of the Dutch standard: in use, in development, out of use. */
const NL_STATUS: Record<string, string> = {
  production: 'in_gebruik', pilot: 'in_gebruik', planned: 'in_ontwikkeling', in_development: 'in_ontwikkeling', retired: 'buiten_gebruik',
};

/**
 * One record per public AI system of the organisation, keyed by the register field names: its public
 * deployments of catalogue solutions, then the self-checks without a catalogue entry it published as entries of their own.
 */
export function registerRows(data: RegisterData, baseUrl: string): Record<RegisterField, string | null>[] {
  return [...deploymentRows(data, baseUrl), ...data.entries.map((e) => ({
    name: e.title,
    organization: data.organisation.name,
    description_short: e.register_purpose,
    goal: e.register_purpose,
    status: null,
    begin_date: null,
    provider: null,
    human_intervention: e.register_oversight,
    lawful_basis: e.register_legal_basis,
    risks: null,
    contact_email: null,
    url: new URL(`/organisationen/${data.organisation.slug}/ki-register#${registerEntryAnchor(e.id)}`, baseUrl).toString(),
    ai_act_class: e.risk_class,
    ai_act_checked_at: e.completed_at,
    ai_act_rule_version: e.rule_version,
    deployment_status: null,
    deployment_contact: e.register_contact,
  }))];
}

/** The anchor of a register entry of its own on the register page. */
export const registerEntryAnchor = (checkId: number) => `eintrag-${checkId}`;

function deploymentRows(data: RegisterData, baseUrl: string): Record<RegisterField, string | null>[] {
  return data.systems.map((s) => ({
    name: s.title,
    organization: data.organisation.name,
    description_short: s.summary,
    goal: s.problem_goal || null,
    status: NL_STATUS[s.status] ?? null,
    begin_date: s.since,
    provider: s.vendor || null,
    human_intervention: s.human_oversight || null,
    lawful_basis: s.legal_basis || null,
    risks: s.risks_measures || null,
    contact_email: s.contact_email || null,
    url: new URL(`/loesungen/${s.slug}`, baseUrl).toString(),
    ai_act_class: s.ai_act_class,
    ai_act_checked_at: s.ai_act_checked_at,
    ai_act_rule_version: s.ai_act_rule_version,
    deployment_status: s.status,
    deployment_contact: s.contact || null,
  }));
}

export function registerJson(data: RegisterData, baseUrl: string) {
  const systems = registerRows(data, baseUrl);
  return { organization: data.organisation.name, count: systems.length, systems };
}

/** The register as a CSV file for German spreadsheets (UTF-8 with BOM, ";"). */
export function registerCsv(data: RegisterData, baseUrl: string): string {
  return spreadsheetCsv([...REGISTER_FIELDS], registerRows(data, baseUrl).map((r) => REGISTER_FIELDS.map((f) => r[f] ?? '')));
}
