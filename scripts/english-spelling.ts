// Writes src/platform/search/lexicon/english-spelling.txt: the headwords of the English dictionaries that are the
// American base form of a British spelling the search folds only when the base is a real word ("center" for "centre",
// "license" for "licence", "catalog", "program", "model" for "modelling"). Run after scripts/convert-freedict.ts:
// npx tsx scripts/english-spelling.ts
import { writeFileSync } from 'node:fs';
import { dictionary } from '../src/platform/search/translations.js';

const forms = new Set<string>();
for (const to of ['de', 'nl'] as const) {
  for (const [, form] of dictionary('en', to).entries()) if (/^[a-z]+$/.test(form)) forms.add(form);
}
const bases = [...forms].filter((f) => f.length >= 4 && /(?:ter|ense|og|am|[ae]l)$/.test(f)).sort();
const file = new URL('../src/platform/search/lexicon/english-spelling.txt', import.meta.url);
writeFileSync(file, bases.join('\n') + '\n');
console.log(`${bases.length} base forms written to ${file.pathname}`);
