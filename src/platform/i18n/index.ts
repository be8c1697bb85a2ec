import i18next, { type TFunction } from 'i18next';
import { de } from './de.js';
import { en } from './en.js';

export const languages = ['de', 'en'] as const;
export type Lang = (typeof languages)[number];
export type T = TFunction;

const instance = i18next.createInstance();
await instance.init({
  resources: { de: { translation: de }, en: { translation: en } },
  lng: 'de',
  fallbackLng: 'de',
  // Views escape everything they render, so the catalogue must not escape a second time.
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
} as Parameters<typeof instance.init>[0]);

/**
 * {{date, instant}} in a message: an instant stored as an ISO string (e.g. in a notification's parameters)
 * is written in the reader's language. A value stored already formatted, by an older version, stays as it is.
 */
instance.services.formatter?.add('instant', (value: unknown, lng: string | undefined) =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value) ? formatDateTime(value, isLang(lng) ? lng : 'de') : String(value));

/**
 * {{field, fieldOfAction}}: a field of action stored as its code (e.g. in a notification's parameters) is
 * named in the reader's language.
 */
instance.services.formatter?.add('fieldOfAction', (value: unknown, lng: string | undefined) =>
  instance.getFixedT(isLang(lng) ? lng : 'de')(`catalogue.values.field_of_action.${String(value)}`, { defaultValue: String(value) }));

export function translatorFor(lang: Lang): T {
  return instance.getFixedT(lang);
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** Dates always carry the year and the time zone, in Europe/Berlin. */
export function formatDateTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    timeZone: 'Europe/Berlin',
    day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB').format(n);
}
