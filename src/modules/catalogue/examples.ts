import { ConfirmationRequired } from '../../platform/confirmation.js';
import type { Db } from '../../platform/db/database.js';
import { forbidden } from '../../platform/errors.js';
import { can, type Visitor } from '../../platform/policy.js';
import { sql } from 'kysely';
import { createSolution, touchCatalogue, type SolutionInput } from './service.js';

const blank: Omit<SolutionInput, 'title' | 'summary' | 'maturity'> = {
  description: '', problem_goal: '', benefit: '', previous_process: '', field_of_action: null, process_type: null, interaction: null, technique: null,
  vendor: '', own_development: 0, open_source_url: '', cost_model: null, cost_min_eur: null, cost_max_eur: null, cost_basis: '', funding: '',
  personal_data: null, dpia_status: null, hosting: null, legal_basis: '', ai_act_class: null, human_oversight: '', risks_measures: '',
  reuse_offered: 0, reuse_conditions: '', cooperation_wanted: 1, contact_email: '', language: 'de', visibility: 'public',
};

/** Example entries drawn from the kinds of projects the community announced; marked as examples. */
export const EXAMPLES: SolutionInput[] = [
  {
    ...blank, title: 'Digitaler Avatar im Rathaus', maturity: 'pilot', field_of_action: 'general_public_services', process_type: 'public_services', interaction: 'g2c', technique: 'generative',
    summary: 'Ein digitaler Avatar beantwortet im Foyer des Rathauses rund um die Uhr Fragen zu Öffnungszeiten, Zuständigkeiten und Dienstleistungen.',
    description: 'Ein Bildschirm mit Mikrofon im Eingangsbereich: Besucherinnen und Besucher fragen in eigenen Worten, der Avatar antwortet gesprochen und zeigt den Weg zum richtigen Amt. Grundlage sind die Leistungsbeschreibungen der Verwaltung.',
    problem_goal: 'Viele Fragen am Empfang wiederholen sich; außerhalb der Öffnungszeiten gibt es keine Auskunft.',
    benefit: 'Auskunft rund um die Uhr, Entlastung des Empfangs.', personal_data: 'none', ai_act_class: 'transparency',
    human_oversight: 'Der Avatar gibt nur Auskunft aus geprüften Texten; bei Unsicherheit verweist er an das Bürgerbüro.',
  },
  {
    ...blank, title: 'Schlaglocherkennung per Smartphone', maturity: 'pilot', field_of_action: 'economic_affairs', process_type: 'analysis_monitoring', interaction: 'g2g', technique: 'machine_learning',
    summary: 'Ein Smartphone hinter der Windschutzscheibe der Dienstfahrzeuge filmt die Straße; eine Bilderkennung findet Schlaglöcher und Risse und trägt sie in eine Karte ein.',
    description: 'Während der ohnehin gefahrenen Touren erkennt ein Modell Straßenschäden. Die Fundstellen landen mit Foto und Koordinaten im Straßenkataster, der Bauhof plant danach die Ausbesserung.',
    problem_goal: 'Schlaglöcher erkennen, bevor sie gemeldet werden oder Schäden verursachen.',
    benefit: 'Systematischer Überblick über den Straßenzustand ohne eigene Befahrungen.', personal_data: 'pseudonymised', ai_act_class: 'minimal',
    risks_measures: 'Gesichter und Kennzeichen werden auf dem Gerät unkenntlich gemacht, bevor Bilder gespeichert werden.',
  },
  {
    ...blank, title: 'Starkregenvorhersage für Ortsteile', maturity: 'in_development', field_of_action: 'environmental_protection', process_type: 'analysis_monitoring', interaction: 'g2g', technique: 'machine_learning',
    summary: 'Ein Modell verbindet Wetterradar, Pegelstände und Geländedaten und warnt Feuerwehr und Bauhof vor Starkregen in einzelnen Ortsteilen.',
    problem_goal: 'Starkregen kommt schnell und örtlich begrenzt; Warnungen für den ganzen Kreis helfen vor Ort wenig.',
    benefit: 'Mehr Vorlaufzeit für Sandsäcke, Straßensperrungen und das Freiräumen von Durchlässen.', personal_data: 'none', ai_act_class: 'minimal',
  },
  {
    ...blank, title: 'KI-Telefonservice für die Bürgerhotline', maturity: 'production', field_of_action: 'general_public_services', process_type: 'public_services', interaction: 'g2c', technique: 'generative',
    summary: 'Ein Sprachassistent nimmt Anrufe an, beantwortet häufige Fragen sofort und verbindet bei allem anderen mit der richtigen Stelle.',
    problem_goal: 'Lange Wartezeiten in der Telefonzentrale, besonders montags und nach Feiertagen.',
    benefit: 'Kürzere Wartezeiten, Anliegen kommen beim richtigen Amt an.', personal_data: 'identified', dpia_status: 'done', ai_act_class: 'transparency',
    human_oversight: 'Anrufende können jederzeit verlangen, mit einem Menschen zu sprechen.',
  },
  {
    ...blank, title: 'Schnellere Prüfung von Anträgen', maturity: 'pilot', field_of_action: 'general_public_services', process_type: 'adjudication', interaction: 'g2c', technique: 'hybrid',
    summary: 'Eingereichte Anträge werden automatisch auf Vollständigkeit geprüft; fehlende Unterlagen werden sofort nachgefordert.',
    problem_goal: 'Unvollständige Anträge verzögern die Bearbeitung um Wochen.',
    benefit: 'Die Sachbearbeitung beginnt mit vollständigen Unterlagen.', personal_data: 'identified', dpia_status: 'planned', ai_act_class: 'minimal',
    human_oversight: 'Die Entscheidung über den Antrag trifft immer die Sachbearbeitung; das System prüft nur die Vollständigkeit.',
  },
  {
    ...blank, title: 'KI erklären mit LEGO-Modellen', maturity: 'production', field_of_action: 'education', process_type: 'internal_management', interaction: 'g2g', technique: 'machine_learning',
    summary: 'Ein Kreis erklärt seinen Beschäftigten in Workshops mit LEGO-Modellen, wie maschinelles Lernen funktioniert und wo seine Grenzen liegen.',
    problem_goal: 'Viele Beschäftigte haben Vorbehalte gegenüber KI, weil sie nicht wissen, wie sie arbeitet.',
    benefit: 'Mehr Verständnis und Akzeptanz; Ideen für eigene Anwendungsfälle aus den Fachbereichen.', personal_data: 'none', ai_act_class: 'not_ai',
    reuse_offered: 1, reuse_conditions: 'Workshop-Konzept und Bauanleitungen werden anderen Kommunen gern überlassen.',
  },
];

/** Loads the examples once; entries already there (by title) are not duplicated. */
export async function loadExamples(db: Db, viewer: Visitor): Promise<number> {
  if (!can(viewer, 'catalogue.examples')) throw forbidden();
  const existing = new Set((await db.selectFrom('solutions').select('title').where('is_example', '=', 1).execute()).map((r) => r.title));
  let added = 0;
  for (const example of EXAMPLES) {
    if (existing.has(example.title)) continue;
    await createSolution(db, viewer, example, { is_example: 1, organisation_id: null });
    added++;
  }
  return added;
}

/**
 * Removes every example entry in one action, with its versions, deployments and index terms. Without `confirmed`
 * nothing changes: the administrator is asked first, with how many entries go (ConfirmationRequired).
 */
export async function removeExamples(db: Db, viewer: Visitor, confirmed = false): Promise<number> {
  if (!can(viewer, 'catalogue.examples')) throw forbidden();
  if (!confirmed) {
    const count = await countExamples(db);
    if (count > 0) {
      throw new ConfirmationRequired({ key: 'removal.examples.question' },
        [{ key: 'removal.examples.what', vars: { count } }, { key: 'communityNotices.confirm.irreversible' }],
        { key: 'removal.examples.button', vars: { count } });
    }
  }
  return db.transaction().execute(async (trx) => {
    const ids = (await trx.selectFrom('solutions').select('id').where('is_example', '=', 1).execute()).map((r) => r.id);
    if (ids.length === 0) return 0;
    await trx.deleteFrom('search_terms').where('solution_id', 'in', ids).execute();
    await trx.deleteFrom('deployments').where('solution_id', 'in', ids).execute();
    await trx.deleteFrom('solution_versions').where('solution_id', 'in', ids).execute();
    await trx.deleteFrom('solutions').where('id', 'in', ids).execute();
    await touchCatalogue(trx);
    return ids.length;
  });
}

export async function countExamples(db: Db): Promise<number> {
  return Number((await db.selectFrom('solutions').select(sql<number>`count(*)`.as('n')).where('is_example', '=', 1).executeTakeFirstOrThrow()).n);
}
