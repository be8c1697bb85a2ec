/** The catalogue's closed vocabularies (codes in English; labels in the i18n catalogue under catalogue.values). */
export const FIELDS_OF_ACTION = [
  'general_public_services', 'public_order_safety', 'economic_affairs', 'environmental_protection',
  'housing_community', 'health', 'recreation_culture', 'education', 'social_protection', 'defence',
] as const;
export const PROCESS_TYPES = ['public_services', 'analysis_monitoring', 'internal_management', 'enforcement', 'adjudication'] as const;
export const INTERACTIONS = ['g2c', 'g2b', 'g2g'] as const;
export const TECHNIQUES = ['rule_based', 'machine_learning', 'hybrid', 'generative'] as const;
export const MATURITIES = ['idea', 'planned', 'in_development', 'pilot', 'production', 'retired'] as const;
export const COST_MODELS = ['one_time', 'licence_year', 'subscription_user', 'per_transaction'] as const;
export const PERSONAL_DATA = ['none', 'pseudonymised', 'identified'] as const;
export const DPIA_STATUSES = ['done', 'not_required', 'planned', 'open'] as const;
export const HOSTINGS = ['on_prem', 'municipal_dc', 'de', 'eu', 'third_country'] as const;
export const AI_ACT_CLASSES = ['prohibited', 'high_risk', 'transparency', 'minimal', 'not_ai'] as const;
export const LANGUAGES = ['de', 'en', 'nl'] as const;
export const SOURCES = ['own', 'pstw', 'nl', 'atrs'] as const;
export const VISIBILITIES = ['draft', 'members', 'public'] as const;
export const DEPLOYMENT_STATUSES = ['interested', ...MATURITIES] as const;

export type Maturity = (typeof MATURITIES)[number];

/** Licence and attribution of each source, shown on every imported entry and on the "Über die Daten" page. */
export const SOURCE_INFO: Record<(typeof SOURCES)[number], { licence: string; attribution: string; url: string }> = {
  own: { licence: '', attribution: '', url: '' },
  pstw: {
    licence: 'CC BY 4.0',
    attribution: '© European Union / European Commission, Joint Research Centre, Public Sector Tech Watch',
    url: 'https://interoperable-europe.ec.europa.eu/collection/public-sector-tech-watch',
  },
  nl: { licence: 'CC0 1.0', attribution: 'Algoritmeregister der Niederlande (algoritmes.overheid.nl)', url: 'https://algoritmes.overheid.nl' },
  atrs: {
    licence: 'Open Government Licence v3.0',
    attribution: 'Contains public sector information licensed under the Open Government Licence v3.0 (UK Algorithmic Transparency Recording Standard)',
    url: 'https://www.gov.uk/algorithmic-transparency-records',
  },
};

/** Where an entry comes from: the region's own entries or the public registers (the "origin" facet). */
export const ORIGINS = ['region', 'registers'] as const;

/** The facets of the search page, in display order. */
export const FACETS = ['origin', 'field_of_action', 'maturity', 'technique', 'district', 'organisation', 'ai_act_class', 'reuse_offered', 'source', 'language'] as const;
export type Facet = (typeof FACETS)[number];
