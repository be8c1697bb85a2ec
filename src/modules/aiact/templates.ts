/**
 * Document templates pre-filled from a completed self-check, for what its report asks for: a DPIA outline
 * (Art. 35 DSGVO), a fundamental-rights impact assessment outline (Art. 27 KI-VO), the chatbot disclosure text
 * (Art. 50 KI-VO) and the notice to the staff council (Art. 26 Abs. 7 KI-VO, § 72 Abs. 3 LPVG NRW). Each is one
 * structure, written out as Markdown or as a Word document (DOCX, with the `docx` library).
 */
import { Document, ExternalHyperlink, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { T } from '../../platform/i18n/index.js';
import { ANNEX_III_QUESTIONS, SOURCES } from './rules.js';
import type { CheckResult, QuestionView } from './engine.js';

export const TEMPLATE_KINDS = ['dsfa', 'grundrechte', 'chatbot-hinweis', 'personalrat'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

/** The i18n key part of each template. */
const KEY: Record<TemplateKind, string> = { dsfa: 'dpia', grundrechte: 'fria', 'chatbot-hinweis': 'chatbot', personalrat: 'staffCouncil' };

export interface TemplateInput {
  title: string;
  organisation: string;
  /** The day the check was completed, already formatted. */
  completedOn: string;
  riskClass: string;
  reason: string;
  result: CheckResult;
  answers: Record<string, string>;
  questions: QuestionView[];
  reportUrl: string;
  formatDay: (day: string) => string;
}

export interface TemplateDoc {
  title: string;
  facts: [string, string][];
  sections: { heading: string; paragraphs: string[]; items: string[] }[];
  sources: { article: string; label: string; url: string }[];
  note: string;
}

/** The templates the report asks for, in a fixed order. */
export function templatesFor(result: CheckResult): TemplateKind[] {
  const duty = (id: string) => result.obligations.some((o) => o.id === id);
  const todo = (id: string) => result.todos.some((x) => x.id === id);
  return TEMPLATE_KINDS.filter((kind) => {
    if (kind === 'dsfa') return todo('dpia') || duty('dpia_support');
    if (kind === 'grundrechte') return duty('fria');
    if (kind === 'chatbot-hinweis') return duty('disclose_chatbot');
    return result.todos.some((x) => x.area === 'staff_council');
  });
}

export function isTemplateKind(value: string): value is TemplateKind {
  return (TEMPLATE_KINDS as readonly string[]).includes(value);
}

export function templateTitleKey(kind: TemplateKind): string {
  return `selfcheck.templates.${KEY[kind]}.title`;
}

/** The template's content in the visitor's language. */
export function buildTemplate(kind: TemplateKind, input: TemplateInput, t: T): TemplateDoc {
  const k = (part: string, vars: Record<string, unknown> = {}) => t(`selfcheck.templates.${KEY[kind]}.${part}`, { ...vars, title: input.title, organisation: input.organisation });
  const fill = t('selfcheck.templates.fill');
  const answered = (ids: readonly string[]) => input.questions.filter((x) => ids.includes(x.id) && input.answers[x.id] !== undefined)
    .map((x) => `${t(x.textKey)} ${t(input.answers[x.id] === 'yes' ? 'common.yes' : 'common.no')} (${x.articleRef})`);
  const obligation = (id: string) => input.result.obligations.find((o) => o.id === id);
  const facts: [string, string][] = [
    [t('selfcheck.templates.system'), input.title],
    [t('aiact.report.organisation'), input.organisation],
    [t('selfcheck.templates.checkedOn'), input.completedOn],
    [t('selfcheck.templates.riskClass'), input.riskClass],
    [t('aiact.report.ruleVersion'), input.result.ruleVersion],
  ];
  const section = (heading: string, paragraphs: string[], items: string[] = []) => ({ heading, paragraphs, items });
  const note = t('selfcheck.templates.note', { url: input.reportUrl });

  if (kind === 'dsfa') {
    const support = obligation('dpia_support');
    return {
      title: k('title'), facts, note,
      sections: [
        section(k('a'), [fill], answered(['d_personal_data', 'd_external_vendor', 'd_automated_decision', 'd_staff_data'])),
        section(k('b'), [fill]),
        section(k('c'), [input.reason, fill], answered(['d_high_risk_processing', 'f_profiling'])),
        section(k('d'), [fill]),
        section(k('dpo'), [k('dpoText')]),
        ...(support ? [section(k('provider'), [k('providerText', { date: input.formatDay(support.appliesFrom) })])] : []),
      ],
      sources: [
        { article: 'Art. 35 DSGVO', label: SOURCES.GDPR.label, url: SOURCES.GDPR.url },
        { article: k('checklist'), label: SOURCES.G1.label, url: SOURCES.G1.url },
        ...(support ? [{ article: support.article, label: support.source, url: support.sourceUrl }] : []),
      ],
    };
  }
  if (kind === 'grundrechte') {
    const fria = obligation('fria')!;
    return {
      title: k('title'), facts: [...facts, [k('due'), input.formatDay(fria.appliesFrom)]], note,
      sections: [
        section(k('intro'), [k('introText')]),
        section(k('a'), [fill], answered(ANNEX_III_QUESTIONS)),
        section(k('b'), [fill]),
        section(k('c'), [fill]),
        section(k('d'), [input.reason, fill], answered(['f_profiling'])),
        section(k('e'), [fill]),
        section(k('f'), [fill]),
        section(k('notify'), [k('notifyText')]),
      ],
      sources: [{ article: fria.article, label: fria.source, url: fria.sourceUrl }, { article: 'Art. 27 Abs. 1 lit. a–f KI-VO', label: SOURCES.AIA.label, url: SOURCES.AIA.url }],
    };
  }
  if (kind === 'chatbot-hinweis') {
    const duty = obligation('disclose_chatbot')!;
    const personal = input.answers.d_personal_data === 'yes';
    return {
      title: k('title'), facts: [...facts, [k('from'), input.formatDay(duty.appliesFrom)]], note,
      sections: [
        section(k('when'), [k('whenText')]),
        section(k('written'), [k('writtenText'), ...(personal ? [k('privacy')] : [])]),
        section(k('spoken'), [k('spokenText')]),
      ],
      sources: [{ article: duty.article, label: duty.source, url: duty.sourceUrl }],
    };
  }
  const todos = input.result.todos.filter((x) => x.area === 'staff_council');
  return {
    title: k('title'), facts, note,
    sections: [
      section(k('subject'), [k('subjectText'), input.reason]),
      section(k('duties'), [], todos.map((x) => `${t(x.textKey)} (${x.article})`)),
      section(k('staffData'), [], answered(['d_staff_data'])),
      section(k('plan'), [fill]),
      section(k('contact'), [fill]),
    ],
    sources: todos.map((x) => ({ article: x.article, label: x.source, url: x.sourceUrl })),
  };
}

const mdEscape = (s: string) => s.replace(/([\\`*_[\]#<>|])/g, '\\$1');

export function toMarkdown(doc: TemplateDoc, t: T): string {
  const lines: string[] = [`# ${mdEscape(doc.title)}`, ''];
  for (const [label, value] of doc.facts) lines.push(`- **${mdEscape(label)}:** ${mdEscape(value)}`);
  lines.push('');
  for (const s of doc.sections) {
    lines.push(`## ${mdEscape(s.heading)}`, '');
    for (const p of s.paragraphs) lines.push(mdEscape(p), '');
    if (s.items.length) {
      for (const item of s.items) lines.push(`- ${mdEscape(item)}`);
      lines.push('');
    }
  }
  lines.push(`## ${t('selfcheck.templates.sources')}`, '');
  for (const src of doc.sources) lines.push(`- ${mdEscape(src.article)}: [${mdEscape(src.label)}](${src.url})`);
  lines.push('', `*${mdEscape(doc.note)}*`, '');
  return lines.join('\n');
}

export async function toDocx(doc: TemplateDoc, t: T): Promise<Buffer> {
  const children: Paragraph[] = [new Paragraph({ text: doc.title, heading: HeadingLevel.TITLE })];
  for (const [label, value] of doc.facts) children.push(new Paragraph({ children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)] }));
  for (const s of doc.sections) {
    children.push(new Paragraph({ text: s.heading, heading: HeadingLevel.HEADING_1 }));
    for (const p of s.paragraphs) children.push(new Paragraph({ text: p }));
    for (const item of s.items) children.push(new Paragraph({ text: item, bullet: { level: 0 } }));
  }
  children.push(new Paragraph({ text: t('selfcheck.templates.sources'), heading: HeadingLevel.HEADING_1 }));
  for (const src of doc.sources) {
    children.push(new Paragraph({
      bullet: { level: 0 },
      children: [new TextRun(`${src.article}: `), new ExternalHyperlink({ link: src.url, children: [new TextRun({ text: src.label, style: 'Hyperlink' })] })],
    }));
  }
  children.push(new Paragraph({ children: [new TextRun({ text: doc.note, italics: true })] }));
  const document = new Document({ creator: doc.facts[1]?.[1] ?? '', title: doc.title, sections: [{ children }] });
  return Packer.toBuffer(document);
}
