import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { de } from '../../platform/i18n/de.js';
import { en } from '../../platform/i18n/en.js';
import { AI_ACT_CLASSES } from '../catalogue/fields.js';
import { ANSWER_ERRORS, evaluate, path } from './engine.js';
import {
  CLASS_RULES, FACTS, OBLIGATIONS, QUESTIONS, REASONS, RULE_VERSIONS, SECTIONS, SOURCES, TODOS, type Condition,
} from './rules.js';

type Tree = { [key: string]: string | Tree };

function lookup(catalogue: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Tree)[part] : undefined), catalogue);
}

/** Every question a condition reads, through the named facts. */
function questionsRead(condition: Condition): string[] {
  if ('q' in condition) return [condition.q];
  if ('anyYes' in condition) return [...condition.anyYes];
  if ('fact' in condition) return questionsRead(FACTS[condition.fact]);
  if ('all' in condition) return condition.all.flatMap(questionsRead);
  if ('any' in condition) return condition.any.flatMap(questionsRead);
  return questionsRead(condition.not);
}

const order = new Map(QUESTIONS.map((q, i) => [q.id, i]));

describe('AI-Act rule table', () => {
  it('asks every question only on answers given before it, so going back never depends on later answers', () => {
    for (const question of QUESTIONS) {
      for (const read of question.askIf ? questionsRead(question.askIf) : []) {
        assert.ok(order.has(read), `${question.id} reads the unknown question ${read}`);
        assert.ok(order.get(read)! < order.get(question.id)!, `${question.id} depends on the later question ${read}`);
      }
    }
  });

  it('refers only to questions that exist, in every condition of classes, reasons, obligations and to-dos', () => {
    const conditions = [...CLASS_RULES.map((r) => r.when), ...REASONS.map((r) => r.when), ...OBLIGATIONS.map((o) => o.when), ...TODOS.map((t) => t.when)];
    for (const condition of conditions) for (const read of questionsRead(condition)) assert.ok(order.has(read), `unknown question ${read}`);
    for (const reason of REASONS) {
      for (const id of reason.decisive === null ? [] : typeof reason.decisive === 'string' ? [reason.decisive] : reason.decisive) assert.ok(order.has(id), `reason names ${id}`);
    }
  });

  it('follows the order of the domain notes: scope, Art. 5, Annex III, Art. 6(3), Art. 50, GDPR, staff council', () => {
    const sections = QUESTIONS.map((q) => q.section).filter((s, i, all) => all.indexOf(s) === i);
    assert.deepEqual(sections, [...SECTIONS]);
    assert.equal(QUESTIONS[0].id, 'ai_system');
    assert.equal(QUESTIONS[0].askIf, undefined, 'the first question is always asked');
  });

  it('has unique ids and an article reference for every question, obligation and to-do', () => {
    for (const list of [QUESTIONS, OBLIGATIONS, TODOS] as readonly (readonly { id: string }[])[]) {
      const ids = list.map((x) => x.id);
      assert.equal(new Set(ids).size, ids.length, `duplicate ids in ${ids.join(', ')}`);
    }
    for (const q of QUESTIONS) assert.match(q.articleRef, /(Art\.|Anhang|§)/, q.id);
    for (const o of OBLIGATIONS) assert.match(o.article, /Art\. \d+/, o.id);
    for (const t of TODOS) assert.match(t.article, /(Art\. \d+|§ \d+)/, t.id);
  });

  it('cites a source with a web address for every obligation and to-do', () => {
    for (const [id, source] of Object.entries(SOURCES)) {
      assert.ok(source.label.length > 5, id);
      assert.match(source.url, /^https:\/\/[^\s]+$/, id);
    }
    for (const rule of [...OBLIGATIONS, ...TODOS]) assert.ok(SOURCES[rule.source], `${rule.id} cites ${rule.source}`);
  });

  it('yields exactly the risk classes of the catalogue', () => {
    assert.deepEqual([...CLASS_RULES.map((r) => r.riskClass)].sort(), [...AI_ACT_CLASSES].sort());
  });

  it('keeps dated rule versions in order, with the original Art. 113 dates and the Digital-Omnibus postponement', () => {
    const day = /^\d{4}-\d{2}-\d{2}$/;
    for (let i = 1; i < RULE_VERSIONS.length; i++) assert.ok(RULE_VERSIONS[i - 1].validFrom < RULE_VERSIONS[i].validFrom, 'oldest first');
    for (const v of RULE_VERSIONS) for (const [key, date] of Object.entries(v.dates)) assert.match(date, day, `${v.id} ${key}`);
    const [original, omnibus] = RULE_VERSIONS;
    assert.equal(original.dates.annex_iii, '2026-08-02');
    assert.equal(original.dates.annex_i, '2027-08-02');
    assert.equal(omnibus.dates.annex_iii, '2027-12-02');
    assert.equal(omnibus.dates.annex_i, '2028-08-02');
    for (const v of RULE_VERSIONS) {
      assert.equal(v.dates.general, '2025-02-02', 'Art. 4 and Art. 5 apply from 2 Feb 2025');
      assert.equal(v.dates.art_50, '2026-08-02', 'Art. 50 unchanged');
    }
  });

  it('has every text the table and the engine refer to in German and in English', () => {
    const keys = new Set<string>(Object.values(ANSWER_ERRORS));
    for (const q of QUESTIONS) {
      for (const part of ['text', 'explanation', 'example', 'short']) keys.add(`aiact.questions.${q.id}.${part}`);
    }
    for (const view of path({})) for (const option of view.options) keys.add(option.labelKey);
    for (const s of SECTIONS) keys.add(`aiact.sections.${s}`);
    for (const r of REASONS) keys.add(r.key);
    for (const o of OBLIGATIONS) { keys.add(`aiact.obligations.${o.id}.title`); keys.add(`aiact.obligations.${o.id}.explanation`); }
    for (const t of TODOS) keys.add(`aiact.todos.${t.id}`);
    keys.add('aiact.results.disclaimer');
    for (const key of keys) {
      for (const [name, catalogue] of [['de', de], ['en', en]] as const) {
        const text = lookup(catalogue, key);
        assert.equal(typeof text, 'string', `${name}: ${key}`);
        assert.ok(String(text).trim().length > 0, `${name}: ${key} is empty`);
      }
    }
  });

  it('names the decisive answer in the reason sentence wherever there is one', () => {
    for (const r of REASONS) {
      const text = String(lookup(de, r.key));
      if (r.decisive === null) assert.doesNotMatch(text, /\{\{question\}\}/, r.key);
      else assert.match(text, /\$t\(\{\{question\}\}\)/, r.key);
    }
    const result = evaluate({ ai_system: 'no', d_personal_data: 'no', d_staff_data: 'no' }, '2026-11-27');
    assert.equal(result.reasonParams.question, 'aiact.questions.ai_system.text');
  });
});
