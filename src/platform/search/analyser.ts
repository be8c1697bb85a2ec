import { stemmer as stemDe } from '@orama/stemmers/german';
import { stemmer as stemEn } from '@orama/stemmers/english';
import { stemmer as stemNl } from '@orama/stemmers/dutch';
import { readFileSync } from 'node:fs';

/**
 * The text analyser shared by indexing and querying, so both databases store and search the same terms:
 * lower case, umlauts and ß folded (ä = ae, ß = ss), Snowball stems per language, compounds split into
 * their parts where the parts are known words.
 */
export type SearchLanguage = 'de' | 'en' | 'nl';

const STOP = new Set([
  // de
  'der', 'die', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einer', 'eines', 'einem', 'einen', 'und', 'oder', 'aber', 'mit', 'von', 'vom', 'zu', 'zum', 'zur',
  'im', 'in', 'ins', 'an', 'am', 'auf', 'aus', 'bei', 'für', 'fuer', 'ist', 'sind', 'wird', 'werden', 'wurde', 'als', 'auch', 'sich', 'so', 'wie', 'nicht', 'nach', 'über', 'ueber', 'um', 'es', 'sie', 'er', 'wir', 'ihr', 'dass', 'durch', 'noch', 'nur', 'kann', 'können', 'koennen', 'hat', 'haben', 'diese', 'dieser', 'dieses',
  // de, further function words of the Snowball list as people type them in a question ("Welche Kommunen nutzen …",
  // "Gibt es eine Lösung, mit der man …"); "bin" and "war" are English words too and stay
  'ich', 'mich', 'mir', 'mein', 'meine', 'du', 'dich', 'dir', 'uns', 'unser', 'unsere', 'unseren', 'unserer', 'ihre', 'ihren', 'ihrer', 'ihnen', 'ihm', 'ihn',
  'man', 'welche', 'welcher', 'welches', 'welchen', 'was', 'wer', 'wo', 'wann', 'warum', 'wenn', 'weil', 'dann', 'da', 'damit', 'dort', 'hier', 'ob',
  'ohne', 'gegen', 'unter', 'zwischen', 'vor', 'bis', 'sehr', 'etwas', 'nichts', 'kein', 'keine', 'keinen', 'gibt', 'sein', 'seine',
  'muss', 'müssen', 'muessen', 'will', 'wollen', 'möchte', 'möchten', 'könnte', 'würde', 'habe', 'hatte', 'waren', 'jede', 'jeder', 'jedes',
  'doch', 'nun', 'jetzt', 'schon', 'sowie',
  // en
  'the', 'a', 'an', 'and', 'or', 'of', 'to', 'for', 'on', 'at', 'by', 'with', 'is', 'are', 'was', 'be', 'this', 'that', 'it', 'as', 'from', 'its', 'into', 'their', 'which',
  // en, further function words of the Snowball list (pronouns, auxiliaries, question words, quantifiers), as people
  // type them in a question ("how can we …", "tools that help our staff"); particles of phrasal verbs ("drop out",
  // "set up") stay words
  'i', 'me', 'my', 'we', 'us', 'our', 'ours', 'you', 'your', 'he', 'him', 'his', 'she', 'her', 'they', 'them', 'theirs', 'what', 'who', 'whom',
  'these', 'those', 'am', 'were', 'been', 'being', 'have', 'has', 'had', 'having', 'do', 'does', 'did', 'doing', 'but', 'if', 'because',
  'while', 'about', 'between', 'through', 'during', 'before', 'after', 'then', 'there', 'here', 'when', 'where', 'why', 'how', 'any', 'both',
  'each', 'other', 'some', 'such', 'no', 'nor', 'not', 'only', 'same', 'than', 'too', 'very', 's', 'can', 'could', 'will', 'would', 'should', 'just',
  // nl
  'de', 'het', 'een', 'en', 'van', 'voor', 'op', 'met', 'te', 'dat', 'die', 'wordt', 'zijn', 'om', 'bij', 'door', 'niet', 'ook', 'aan', 'naar', 'worden',
]);

/** Lower case with ß → ss: a word as English spells it. */
export function lower(word: string): string {
  return word.toLowerCase().normalize('NFC').replace(/ß/g, 'ss');
}

/** Lower case with ß → ss and ae/oe/ue → ä/ö/ü, so both German spellings meet in one stem. */
export function fold(word: string): string {
  return lower(word).replace(/ae/g, 'ä').replace(/oe/g, 'ö').replace(/ue/g, 'ü');
}

/** Splits text into words (letters and digits; hyphens separate compound parts). */
export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The words written with hyphens, joined ("e-mail" → "email", "real-time" → "realtime", "chat-bot" → "chatbot"), with the
 * index of their first word in words(text) and their number of words: a text may write a word with or without its
 * hyphen, and the index holds both forms.
 */
export function hyphenated(text: string): { joined: string; first: number; count: number }[] {
  const out: { joined: string; first: number; count: number }[] = [];
  let index = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:[-\u2010\u2011][\p{L}\p{N}]+)*/gu)) {
    const parts = words(m[0]);
    if (parts.length > 1) out.push({ joined: parts.join(''), first: index, count: parts.length });
    index += parts.length;
  }
  return out;
}

/** The stop words as fold() writes them ("does" → "dös"), so a folded word is looked up as it is. */
const STOP_FOLDED = new Set([...STOP].map(fold));

export function isStopWord(folded: string): boolean {
  return STOP_FOLDED.has(folded);
}

const stemmers: Record<SearchLanguage, (w: string) => string> = { de: stemDe, en: stemEn, nl: stemNl };

let americanBases: Set<string> | undefined;
/**
 * English headwords that may be the American base form of a British spelling ("center", "license", "catalog", "model"),
 * from the English dictionaries (scripts/english-spelling.ts).
 */
function bases(): Set<string> {
  americanBases ??= new Set(readFileSync(new URL('./lexicon/english-spelling.txt', import.meta.url), 'utf8').split('\n').filter(Boolean));
  return americanBases;
}

/**
 * British endings with the American spelling of the word and, where a British ending is also an ordinary one
 * ("fence", "filling"), the base form that must be a dictionary headword.
 */
const BRITISH: [RegExp, (m: RegExpMatchArray) => [string, string | null]][] = [
  [/^(.{3,})is(ation|ations|e|ed|es|ing|er|ers)$/, (m) => [`${m[1]}iz${m[2]}`, null]],
  [/^(.{2,})ys(e|ed|es|ing|er|ers)$/, (m) => [`${m[1]}yz${m[2]}`, null]],
  [/^(.{3,})our(|s|ed|ing|ite|ites|able|ful|less|hood|hoods|er|ers)$/, (m) => [`${m[1]}or${m[2]}`, null]],
  [/^(.{3,})tre(|s)$/, (m) => [`${m[1]}ter${m[2]}`, `${m[1]}ter`]],
  [/^(.{3,})ence(|s)$/, (m) => [`${m[1]}ense${m[2]}`, `${m[1]}ense`]],
  [/^(.{3,})ogue(|s)$/, (m) => [`${m[1]}og${m[2]}`, `${m[1]}og`]],
  [/^(.{3,})amme(|s)$/, (m) => [`${m[1]}am${m[2]}`, `${m[1]}am`]],
  [/^(.{2,}[ae])ll(ing|ed|er|ers)$/, (m) => [`${m[1]}l${m[2]}`, `${m[1]}l`]],
];

/**
 * The American spelling of a British English word ("organisation" → "organization", "behaviour" → "behavior",
 * "centre" → "center", "modelling" → "modeling"), so both spellings meet in one stem. -ise/-yse/-our always change (a word
 * spelt so in both countries, such as "promise", changes the same way in every text); -tre, -ence, -ogue, -amme and a
 * doubled l only when the American base form is a headword ("filling" stays: "fil" is none).
 */
export function americanSpelling(lowered: string): string {
  // A word folded for German ("catalogü") is matched as spelt; English has no umlauts.
  const word = lowered.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue');
  for (const [pattern, spell] of BRITISH) {
    const m = word.match(pattern);
    if (!m) continue;
    const [american, base] = spell(m);
    if (base === null || bases().has(base)) return american;
  }
  return lowered;
}

/**
 * The stem of a word: for German and Dutch of the folded word (fold()), for English of the word in lower case (lower():
 * English has no ae/oe/ue for umlauts, so "issued" = "issue", "requests" = "request", "queues" = "queue"). Umlauts end
 * up as plain vowels in every language.
 */
export function stem(word: string, lang: SearchLanguage): string {
  const s = stemmers[lang](lang === 'en' ? americanSpelling(word) : word);
  return s.replace(/ä/g, 'a').replace(/ö/g, 'o').replace(/ü/g, 'u');
}

/** The stem of a word as written (any case) in a language: folded for German and Dutch, in lower case for English. */
export function stemOf(word: string, lang: SearchLanguage): string {
  return stem(lang === 'en' ? lower(word) : fold(word), lang);
}

export interface Lexicon {
  has(word: string): boolean;
  /**
   * The platform's own words (glossary, dictionaries, seed), as opposed to those taken from entries: a word of the
   * dictionaries is split only into parts that are both. compoundParts (translations.ts) when not given.
   */
  trusted?: Lexicon;
}

const LINKS = ['', 's', 'es', 'n', 'en'];
const MIN_PART = 3;
export const MIN_COMPOUND = 7;

const known = (lexicon: Lexicon, part: string) => part.length >= MIN_PART && (lexicon.has(part) || lexicon.has(stem(part, 'de')));

/**
 * Splits a German compound into known parts ("schlaglocherkennung" → ["schlagloch", "erkennung"]),
 * allowing the linking -s-, -es-, -n-, -en-. Returns [] when no split into 2 or 3 known parts exists.
 */
export function decompound(folded: string, lexicon: Lexicon): string[] {
  if (folded.length < MIN_COMPOUND) return [];
  const split = (rest: string, depth: number): string[] | null => {
    if (known(lexicon, rest) && depth > 0) return [rest];
    if (depth === 2) return null;
    for (let i = rest.length - MIN_PART; i >= MIN_PART; i--) {
      const head = rest.slice(0, i);
      if (!known(lexicon, head)) continue;
      for (const link of LINKS) {
        if (!rest.startsWith(link, i)) continue;
        const tail = rest.slice(i + link.length);
        if (tail.length < MIN_PART) continue;
        const more = split(tail, depth + 1);
        if (more) return [head, ...more];
      }
    }
    return null;
  };
  return split(folded, 0) ?? [];
}

/** Words of a text worth remembering for splitting compounds later: folded, and their German stems. */
export function lexiconWords(text: string): string[] {
  const out = new Set<string>();
  for (const w of words(text)) {
    const f = fold(w);
    if (f.length < 4 || isStopWord(f) || /^\d+$/.test(f)) continue;
    out.add(f);
    out.add(stem(f, 'de'));
  }
  return [...out];
}

export interface IndexField {
  text: string;
  weight: number;
}

/**
 * Terms of a document with integer weights: per field its weight times the (capped) term frequency;
 * the parts of a compound count half.
 */
export function indexTerms(fields: IndexField[], lang: SearchLanguage, lexicon: Lexicon): Map<string, number> {
  const terms = new Map<string, number>();
  const add = (term: string, w: number) => {
    if (term.length < 2 || term.length > 60) return;
    terms.set(term, (terms.get(term) ?? 0) + w);
  };
  for (const field of fields) {
    const counts = new Map<string, number>();
    for (const w of words(field.text)) {
      const f = fold(w);
      if (isStopWord(f)) continue;
      const key = lang === 'en' ? lower(w) : f;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, n] of counts) {
      const tf = Math.min(n, 3);
      add(stemOf(key, lang), field.weight * 2 * tf);
      if (lang === 'de') for (const part of decompound(key, lexicon)) add(stem(part, 'de'), field.weight * tf);
    }
  }
  return terms;
}

/** One word of a query: the terms any of which satisfies it. */
export type QueryGroup = { word: string; terms: string[] };

/**
 * Turns a query into groups (all must match): each word's stems in German, English and Dutch;
 * a compound becomes one group per part, each also satisfied by the whole compound.
 */
export function queryGroups(query: string, lexicon: Lexicon): QueryGroup[] {
  const groups: QueryGroup[] = [];
  for (const w of words(query).slice(0, 12)) {
    const f = fold(w);
    if (isStopWord(f) && words(query).length > 1) continue;
    const whole = [...new Set((['de', 'en', 'nl'] as const).map((l) => stemOf(w, l)))];
    const parts = decompound(f, lexicon);
    if (parts.length) {
      for (const part of parts) groups.push({ word: part, terms: [...new Set([stem(part, 'de'), ...whole])] });
    } else {
      groups.push({ word: f, terms: whole });
    }
  }
  return groups;
}
