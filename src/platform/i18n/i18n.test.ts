import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../config.js';
import { de } from './de.js';
import { en } from './en.js';
import { formatNumber, translatorFor } from './index.js';

type Tree = { [key: string]: string | Tree };

/** Every leaf of a catalogue as a dotted key with its text. */
function leaves(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') for (const [k, v] of leaves(value, path)) out.set(k, v);
    else out.set(path, value);
  }
  return out;
}

/** Every source file of the platform, tests and catalogues excepted. */
function sourceFiles(dir = join(projectRoot, 'src')): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !/\/i18n\/(de|en)\.ts$/.test(path)) files.push(path);
  }
  return files;
}

const deKeys = leaves(de as unknown as Tree);
const enKeys = leaves(en as unknown as Tree);

/** Finds every literal use of a catalogue key in the source, with where it was found. */
function keysUsedInSource(): { key: string; where: string }[] {
  const found: { key: string; where: string }[] = [];
  const patterns = [
    // t('key'), request.t('key'), ctx.t("key"), mailT('key') — a literal first argument.
    /(?<![\w$])(?:t|mailT)\(\s*(['"`])([^'"`$]+)\1/g,
    // Keys handed over to be translated later: FormError fields, zod messages, AppError message and title.
    /\bkey:\s*(['"])([a-z][\w]*\.[\w.]+)\1/g,
    /\bmessage:\s*(['"])([a-z][\w]*\.[\w.]+)\1/g,
    /new AppError\(\s*'[^']*',\s*\d+,\s*(')([^']+)'/g,
    /new AppError\(\s*'[^']*',\s*\d+,\s*'[^']+',\s*(')([^']+)'/g,
  ];
  for (const file of sourceFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const re of patterns) {
      for (const m of text.matchAll(re)) {
        const line = text.slice(0, m.index).split('\n').length;
        found.push({ key: m[2], where: `${relative(projectRoot, file)}:${line}` });
      }
    }
  }
  return found;
}

describe('translation catalogues', () => {
  it('have exactly the same keys in German and English', () => {
    const onlyDe = [...deKeys.keys()].filter((k) => !enKeys.has(k));
    const onlyEn = [...enKeys.keys()].filter((k) => !deKeys.has(k));
    assert.deepEqual(onlyDe, [], 'keys missing in the English catalogue');
    assert.deepEqual(onlyEn, [], 'keys only in the English catalogue');
    assert.ok(deKeys.size > 150, `walked the whole catalogue (${deKeys.size} keys)`);
  });

  it('have only non-empty strings as texts', () => {
    for (const [name, catalogue] of [['de', deKeys], ['en', enKeys]] as const) {
      for (const [key, value] of catalogue) {
        assert.equal(typeof value, 'string', `${name}: ${key} is not a string`);
        assert.notEqual(String(value).trim(), '', `${name}: ${key} is empty`);
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    const vars = (s: unknown) => [...String(s).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of deKeys) assert.deepEqual(vars(enKeys.get(key)), vars(text), `placeholders of ${key}`);
  });

  it('contain every key the source code translates', () => {
    const used = keysUsedInSource();
    assert.ok(used.length > 150, `found the translation calls in src (${used.length})`);
    assert.ok(used.some((u) => u.key === 'errors.notFound'), 'found keys handed to AppError');
    assert.ok(used.some((u) => u.key === 'validation.consent'), 'found keys handed to zod as message');
    assert.ok(used.some((u) => u.key === 'mail.inviteSubject'), 'found keys of the mail translator');
    // i18next picks key_one / key_other when a count is given: a plural key exists when both forms do.
    const exists = (key: string) => deKeys.has(key) || (deKeys.has(`${key}_one`) && deKeys.has(`${key}_other`));
    const missing = used.filter((u) => !exists(u.key)).map((u) => `${u.key} (${u.where})`);
    assert.deepEqual(missing, [], 'keys used in src but missing in the German catalogue');
  });

  it('contain the keys built from values: kinds, roles, outbox states and audit actions', () => {
    for (const kind of ['gemeinde', 'kreis', 'andere']) assert.ok(deKeys.has(`kinds.${kind}`), kind);
    for (const role of ['member', 'moderator', 'admin']) assert.ok(deKeys.has(`roles.${role}`), role);
    for (const status of ['pending', 'sent']) assert.ok(deKeys.has(`admin.outboxStatus.${status}`), status);
    const actions = new Set<string>();
    for (const file of sourceFiles()) {
      for (const m of readFileSync(file, 'utf8').matchAll(/recordAudit\([^;]*?action:\s*'([^']+)'/g)) actions.add(m[1]);
    }
    assert.ok(actions.has('legal.updated'), 'found the audited actions');
    for (const action of actions) assert.ok(deKeys.has(`audit.${action}`), `audit log label for ${action}`);
  });

  it('translate with variables and format numbers per language', () => {
    assert.equal(translatorFor('de')('legal.editTitle', { page: 'Impressum' }), 'Impressum bearbeiten');
    assert.equal(translatorFor('en')('legal.editTitle', { page: 'Legal notice' }), 'Edit Legal notice');
    // Views escape on their own; the catalogue must hand text through unchanged.
    assert.equal(translatorFor('de')('common.signedInAs', { name: '<b>&' }), 'Angemeldet als <b>&');
    assert.equal(formatNumber(259777, 'de'), '259.777');
    assert.equal(formatNumber(259777, 'en'), '259,777');
  });

  it('give each set of variables its own text, asked for again and again', () => {
    for (let round = 0; round < 2; round++) {
      const t = translatorFor('de');
      assert.equal(t('catalogue.results', { count: 1 }), '1 Lösung');
      assert.equal(t('catalogue.results', { count: 2 }), '2 Lösungen');
      assert.equal(t('catalogue.resultsFor', { count: 2, q: 'Chatbot' }), '2 Lösungen für „Chatbot“');
      assert.equal(t('catalogue.resultsFor', { count: 2, q: 'Avatar' }), '2 Lösungen für „Avatar“');
      assert.equal(translatorFor('en')('catalogue.results', { count: 2 }), '2 solutions');
    }
  });
});
