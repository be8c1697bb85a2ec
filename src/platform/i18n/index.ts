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

const translators = new Map<Lang, T>();

/** A message's key with its parameters as plain data; undefined for parameters that are not (a function, a cycle). */
function memoKey(key: string, options: unknown): string | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  for (const value of Object.values(options)) {
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) return undefined;
    if (typeof value === 'function' || typeof value === 'bigint' || typeof value === 'symbol') return undefined;
  }
  return `${key}\u0000${JSON.stringify(options)}`;
}
/** Messages kept per language, parameters filled in, before the store is emptied and begins again. */
const TEXTS_KEPT = 20_000;

/**
 * The translator of a language, made once. Each message is looked up once per set of parameters and kept (the
 * messages are fixed at start-up): a page asks for hundreds, for every label, option, heading and count.
 */
export function translatorFor(lang: Lang): T {
  let translator = translators.get(lang);
  if (translator) return translator;
  const fixed = instance.getFixedT(lang) as unknown as ((...args: unknown[]) => unknown) & Record<'lng' | 'ns' | 'keyPrefix', unknown>;
  const texts = new Map<string, string>();
  translator = Object.assign((key: unknown, ...rest: unknown[]) => {
    if (typeof key !== 'string' || rest.length > 1) return fixed(key, ...rest);
    const memo = rest.length === 0 ? key : memoKey(key, rest[0]);
    if (memo === undefined) return fixed(key, ...rest);
    let text = texts.get(memo);
    if (text === undefined) {
      const result = fixed(key, ...rest);
      if (typeof result !== 'string') return result;
      if (texts.size >= TEXTS_KEPT) texts.clear();
      texts.set(memo, text = result);
    }
    return text;
  }, { lng: fixed.lng, ns: fixed.ns, keyPrefix: fixed.keyPrefix }) as unknown as T;
  translators.set(lang, translator);
  return translator;
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** Dates always carry the year and the time zone, in Europe/Berlin. */
/**
 * A date or number format of the platform's languages, made once per language: making an Intl format costs far more
 * than using it, and a page of forty dates would otherwise make forty.
 */
export function perLanguage<F>(make: (locale: string) => F): (lang: Lang) => F {
  const made = new Map<Lang, F>();
  return (lang) => {
    let format = made.get(lang);
    if (!format) made.set(lang, format = make(lang === 'de' ? 'de-DE' : 'en-GB'));
    return format;
  };
}

const dateTimeFormat = perLanguage((locale) => new Intl.DateTimeFormat(locale, {
  timeZone: 'Europe/Berlin',
  day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
  timeZoneName: 'short',
}));

export function formatDateTime(iso: string, lang: Lang): string {
  return dateTimeFormat(lang).format(new Date(iso));
}

const numberFormat = perLanguage((locale) => new Intl.NumberFormat(locale));

export function formatNumber(n: number, lang: Lang): string {
  return numberFormat(lang).format(n);
}
