// Converts the FreeDict dictionaries (dictd format, Debian packages dict-freedict-*) into the compact lookup files
// in src/platform/search/lexicon/: npx tsx scripts/convert-freedict.ts [<dictd directory>]
// Default directory /usr/share/dictd. Each pair becomes freedict-<pair>.tsv.gz, one headword a line, sorted by key:
//   key \t form \t senses \t translation|translation|…
// key = the headword's words folded and stemmed by the search analyser (so inflected query words find it),
// form = the headword folded with plain vowels (for telling "meeting" from "meet"), "~rest" when it begins with the key,
// senses = how many meanings the dictionary lists (ambiguity), translations in the dictionary's order, at most 6.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync, constants } from 'node:zlib';
import { resolve } from 'node:path';
import { projectRoot } from '../src/platform/config.js';
import { lexiconKey, normaliseTerm, plainForm } from '../src/platform/search/translations.js';
import type { SearchLanguage } from '../src/platform/search/analyser.js';

export const PAIRS = ['deu-eng', 'eng-deu', 'deu-nld', 'nld-deu', 'eng-nld', 'nld-eng'] as const;
const LANG: Record<string, SearchLanguage> = { deu: 'de', eng: 'en', nld: 'nl' };
const MAX_TRANSLATIONS = 6;
const MAX_WORDS = 3;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const decode64 = (s: string) => [...s].reduce((n, c) => n * 64 + B64.indexOf(c), 0);

interface Sense {
  translations: string[];
  score: number;
  order: number;
}

interface Entry {
  headword: string;
  plural: boolean;
  senses: Sense[];
}

const NOUN_TAG = /<(?:n|fem|masc|neut|pl)\b[^>]*>/;
/** Subject labels that mark a special field; [Br.], [Am.] and the like only mark a variant. */
const FIELD_LABEL = /\[(?!Br\.|Am\.|Austr\.|Sc\.|Irl\.|Ös\.|Schw\.|BW|Norddt\.|Süddt\.|ugs\.|coll\.|adm\.|pol\.)[^\]]+\]/;

/**
 * Senses from fields a municipal AI catalogue hardly needs (species, minerals, machine parts, music …), left out to
 * keep the data small, unless they also carry a field the catalogue does need (administration, law, environment …).
 */
const SKIPPED_FIELD = /\[(?:ornith|zool|bot|chem|biochem|geol|min|mineral|astron|naut|textil|mus|anat|ichth|entom|phil|lit|poet|obs|veraltet|veraltend|alt|selten|Sprw|humor|pej|relig|print|pharm|cook|art|hist|Bayr|geh|techn|mach|electr|aviat|mil|phys|photo|biol|math|sport|agr)\.?\]/;
const KEPT_FIELD = /\[(?:adm|jur|pol|envir|comp|econ|fin|soc|transp|school|statist|telco|meteo|constr|geogr)\.?\]/;

/** One translation as search can use it: no labels, no placeholders (sb., etw.), at most three words; '' if unusable. */
export function cleanTranslation(raw: string, lang: SearchLanguage): string {
  let t = raw
    .replace(/<[^>]*>/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(?:sb|sth|jdn|jdm|jds|etw|sb's|sth's)\.(?=\s|$)/g, ' ')
    // Other abbreviations ("lang.", "usw.") are labels, not words.
    .replace(/(?:^|\s)[\p{L}']+\.(?=\s|$)/gu, ' ');
  t = normaliseTerm(t);
  if (lang === 'en') t = t.replace(/^to /, '');
  if (!t || /[/…"=+&@0-9]|\.\.|^-|-$/.test(t) || t.length < 2) return '';
  if (t.split(' ').length > MAX_WORDS) return '';
  return t;
}

/** Translations on one definition line: alternatives separated by commas or semicolons. */
function lineTranslations(line: string, lang: SearchLanguage): string[] {
  // Split on commas outside brackets.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of line) {
    if ('([{<'.includes(ch)) depth++;
    else if (')]}>'.includes(ch)) depth = Math.max(0, depth - 1);
    if ((ch === ',' || ch === ';') && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => cleanTranslation(p, lang)).filter(Boolean);
}

/** Parses one dictd definition block: the head line, then definition lines; notes, examples and references are skipped. */
function parseBlock(block: string, target: SearchLanguage, tagged: boolean): { head: string; plural: boolean; senses: Sense[] } {
  const lines = block.split('\n');
  const headLine = lines[0] ?? '';
  const head = headLine.replace(/\s+\/[^/]*\/.*$/, '').replace(/\s+<.*$/, '').replace(/\s+\(.*$/, '').trim();
  const senses: Sense[] = [];
  let examples = 0;
  let synonyms = false;
  let plural = /<[^>]*\bpl\b[^>]*>/.test(headLine);
  let allPlural = true;
  for (const line of lines.slice(1)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    if (/^"/.test(trimmed)) { examples++; continue; }
    if (/^Synonyms?:/.test(trimmed)) { synonyms = true; continue; }
    if (/^(?:see|Note|Antonyms?|Notes?):/i.test(trimmed)) continue;
    if (/^ {4,}/.test(line)) continue;
    const numbered = trimmed.match(/^(\d+)\.\s+(.*)$/);
    const text = numbered ? numbered[2] : trimmed;
    // In the Ding dictionaries only inflected forms (participles, past tenses) have no part-of-speech tag at all.
    if (tagged && !/<[^>]+>/.test(headLine) && !/<[^>]+>/.test(text)) continue;
    if (SKIPPED_FIELD.test(text) && !KEPT_FIELD.test(text)) continue;
    const translations = lineTranslations(text, target);
    if (!/<pl>/.test(text) || /<(?:n|fem|masc|neut)>/.test(text)) allPlural = false;
    let score = 0;
    if (NOUN_TAG.test(text)) score += 2;
    if (FIELD_LABEL.test(text)) score -= 1;
    senses.push({ translations, score, order: senses.length });
  }
  if (senses.length && allPlural) plural = true;
  // Examples and synonyms belong to the block, which in the Ding dictionaries is one sense.
  if (senses.length === 1) senses[0].score += Math.min(examples, 6) * 2 + (synonyms ? 1 : 0);
  return { head, plural, senses };
}

/** Reads one pair into entries keyed by lower-case headword, senses in the dictionary's order. */
function readPair(dir: string, pair: string): Map<string, Entry> {
  const [from, to] = pair.split('-');
  const source = LANG[from];
  const target = LANG[to];
  const dict = gunzipSync(readFileSync(resolve(dir, `freedict-${pair}.dict.dz`)));
  const index = readFileSync(resolve(dir, `freedict-${pair}.index`), 'utf8');
  const entries = new Map<string, Entry>();
  const ding = /Ding/.test(dict.subarray(0, 400).toString('utf8'));
  for (const row of index.split('\n')) {
    const [key, off, len] = row.split('\t');
    if (!key || !off || !len || key.startsWith('00database') || key.startsWith('00-database')) continue;
    const block = dict.subarray(decode64(off), decode64(off) + decode64(len)).toString('utf8');
    const { head, plural, senses } = parseBlock(block, target, ding);
    const headword = normaliseTerm(head);
    // The index also lists abbreviations and variants pointing to another headword's block: skip those.
    if (!headword || headword !== normaliseTerm(key)) continue;
    if (headword.split(' ').length > MAX_WORDS || /[0-9/…"=+&@.]/.test(headword) || headword.length < 2) continue;
    if (source === 'en' && /^to /.test(headword)) continue;
    const entry = entries.get(headword) ?? { headword, plural: true, senses: [] };
    entry.plural &&= plural;
    for (const s of senses) if (s.translations.length) entry.senses.push({ ...s, order: entry.senses.length });
    if (entry.senses.length) entries.set(headword, entry);
  }
  return entries;
}

/** The pair's lines, sorted by key: plural headwords whose key a singular already has are dropped. */
export function convertPair(dir: string, pair: string): string[] {
  const source = LANG[pair.split('-')[0]];
  const target = LANG[pair.split('-')[1]];
  const entries = readPair(dir, pair);
  const singularKeys = new Set<string>();
  const rows: { key: string; line: string }[] = [];
  const keyed = [...entries.values()].map((e) => ({ e, key: lexiconKey(e.headword, source) }));
  for (const { e, key } of keyed) if (!e.plural) singularKeys.add(key);
  for (const { e, key } of keyed) {
    if (!key || (e.plural && singularKeys.has(key))) continue;
    const senses = [...e.senses].sort((a, b) => b.score - a.score || a.order - b.order);
    const translations: string[] = [];
    // One translation per stem: "measuring amplifier" and "measuring amplifiers" are one search term.
    const seen = new Set<string>();
    for (const s of senses) {
      for (const t of s.translations) {
        const tk = lexiconKey(t, target);
        if (seen.has(tk) || t === e.headword) continue;
        seen.add(tk);
        translations.push(t);
      }
    }
    if (!translations.length) continue;
    // The headword is kept only as far as search compares it (plain form), after the key when it begins with it.
    const form = plainForm(e.headword);
    const written = form.startsWith(key) ? `~${form.slice(key.length)}` : form;
    rows.push({ key, line: `${key}\t${written}\t${e.senses.length}\t${translations.slice(0, MAX_TRANSLATIONS).join('|')}` });
  }
  rows.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)) || (a.line < b.line ? -1 : 1));
  return rows.map((r) => r.line);
}

function main() {
  const dir = process.argv[2] ?? '/usr/share/dictd';
  const out = resolve(projectRoot, 'src/platform/search/lexicon');
  for (const pair of PAIRS) {
    const started = Date.now();
    const lines = convertPair(dir, pair);
    const gz = gzipSync(lines.join('\n') + '\n', { level: constants.Z_BEST_COMPRESSION });
    writeFileSync(resolve(out, `freedict-${pair}.tsv.gz`), gz);
    console.log(`${pair}: ${lines.length} headwords, ${(gz.length / 1024).toFixed(0)} KiB (${Date.now() - started} ms)`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(projectRoot, 'scripts/convert-freedict.ts')) main();
