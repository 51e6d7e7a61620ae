/**
 * Bad docs never crash the tool: property-based tests over generated Markdown, through the
 * whole pipeline (read → parse → contract → recipes → build).
 *
 * Pages are built from arbitraries of the parts a docs page is made of (front-matter, headings,
 * fences, JSON examples, Liquid tags, links, containers, line endings, BOM, NBSP), not from random
 * strings alone, so that the generator reaches the deep paths: merged responses, anchors, schemas.
 *
 * Replaying a failure: fast-check prints the seed and the path of the smallest failing input.
 * Run `FC_SEED=<seed> FC_PATH=<path> node --import tsx --test tests/unit/robust-pages.test.ts`
 * to run exactly that input again (FC_SEED alone replays the whole run). FC_RUNS=<n> sets the
 * number of whole-pipeline runs (default below); the parse-only and on-disk properties scale with
 * it. A new seed (`FC_SEED=$RANDOM`) explores other inputs.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import fc from 'fast-check';
import { run as generate } from '../../scripts/cli/generate.ts';
import type { CasesFile } from '../../scripts/lib/build.ts';
import { validate } from '../../scripts/lib/checks/index.ts';
import { parsePage } from '../../scripts/lib/parse.ts';
import type { Diagnostic } from '../../scripts/lib/diagnostics.ts';
import type { SourceFile } from '../../scripts/lib/model.ts';
import type { RecipesInput } from '../../scripts/lib/read.ts';
import { crlfSha1, readDocsTree, type DocsTree, type Layout } from '../../scripts/lib/read.ts';
import { RULES } from '../../scripts/lib/rules.ts';
import { UNSOUND_EXAMPLE_RULES } from '../../scripts/lib/gate.ts';
import { REPO_RECIPES, runPipeline, WIDGET_RECIPES, type PipelineResult } from '../unit/helpers.ts';

/** Fixed unless FC_SEED is set, so every run of the suite tries the same inputs. */
const SEED = process.env['FC_SEED'] ? Number(process.env['FC_SEED']) : 5_20_2024;
const PATH = process.env['FC_PATH'];
const RUNS = process.env['FC_RUNS'] ? Number(process.env['FC_RUNS']) : 700;
const PARSE_RUNS = 2 * RUNS;
const DISK_RUNS = Math.ceil(RUNS / 12);
console.log(`fast-check seed ${SEED}${PATH ? ` path ${PATH}` : ''} (replay with FC_SEED=${SEED}${PATH ? ` FC_PATH=${PATH}` : ''})`);

/** fast-check options: the fixed seed, and the replay path when one is given. */
function options<T>(numRuns: number): fc.Parameters<T> {
  return { seed: SEED, numRuns, ...(PATH ? { path: PATH } : {}), endOnFailure: false };
}

// ---------------------------------------------------------------------------------------------
// The parts of a page.

const NBSP = '\u00a0';

/** `arbitrary` once in `1 + nulls` draws, else null. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, nulls: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 1, arbitrary }, { weight: nulls, arbitrary: fc.constant(null) });
}

const ERROR_CODES = ['widget_jammed', 'widget_missing', 'widget_on_fire', '__proto__', 'constructor', 'toString', 'widget jammed', 'widget/jammed', 'ウィジェット_詰まり', ''];

const HEADINGS = [
  'Widget jammed',
  'Widget missing',
  'Widget on fire',
  'ウィジェットが詰まった',
  '小部件卡住',
  'Виджет заклинило',
  '🔧 Widget jammed 🎉',
  'The `widget_id` field',
  '`widget_jammed`',
  '{% data variables.product.prodname_widgets %} jammed',
  '{{ site.data.widgets.name }}',
  'Widget jammed {#widget-jammed}',
  'Widget missing {#custom-id}',
  '<a name="widget-on-fire"></a>Widget on fire',
  `Widget${NBSP}jammed`,
  'Widget *jammed* _now_',
  '[Widget jammed](/widgets/frobnicate-errors#widget-jammed)',
  '{% raw %}{{ widget }}{% endraw %} jammed',
  '#',
  '',
  'Ünïcödé Wïdget',
  'Widget jammed {#}',
  'Widget {% ifversion fpt %}jammed{% endif %}',
];

/** What a translator would make of a heading: the same structure, other words. */
const TRANSLATIONS: Array<[string, string]> = [
  ['Widget jammed', 'Widget bloqué'],
  ['Widget missing', 'ウィジェットがない'],
  ['Widget on fire', 'Виджет горит'],
];

const FRAGMENTS = ['widget-jammed', 'widget-jammed-1', 'widget-missing', 'widget-on-fire', 'custom-id', 'ウィジェットが詰まった', '%E3%82%A6', 'widget%20jammed', 'Widget Jammed', 'widget-id', '', 'no-such-heading', '#'];

const URI_PATHS = [
  '/widgets/frobnicate-errors',
  '/widgets/frobnicate-errors/',
  '/widgets/old-frobnicate-errors',
  'https://docs.github.com/en/widgets/frobnicate-errors',
  '/ja/enterprise-server@3.9/widgets/frobnicate-errors',
  '/widgets/elsewhere',
  '/widgets/not-in-tree',
  'widgets/relative',
  '//host.invalid/x',
  'http://[::1',
  '/widgets/with%20space',
  '/widgets/größe',
  '',
];

const WORDS = ['Synthetic prose about', 'widget_jammed', 'the `client_id`', `non${NBSP}breaking`, '配置错误', '🚀', '\\', '*', '_', '<', '&amp;', '{', '}', '%', '{{', '}}', '{%', '%}', '"', 'http://example.invalid/x'];

const LIQUID_TAGS = [
  '{% note %}',
  '{% endnote %}',
  '{% ifversion fpt %}',
  '{% elsif ghes %}',
  '{% else %}',
  '{% endif %}',
  '{% raw %}',
  '{% endraw %}',
  '{%- raw -%}',
  '{% data variables.product.prodname_widgets %}',
  '{% data %}',
  '{% data bad..ref %}',
  '{% octicon "alert" %}',
  '{% frobnicate %}',
  '{%- note -%}',
  '{% note',
  '%}',
  '{{ widget.name }}',
  '{% comment %}',
  '{% endcomment %}',
  '{%%}',
  '{% 123 %}',
];

const LINK_TARGETS = ['/widgets/frobnicate-errors#widget-jammed', '/widgets/elsewhere#nowhere', 'relative/link', '#widget-missing', 'https://example.invalid/x', '', '<>', '/widgets/größe#ß'];

const NUMBERS = ['0', '-0', '1.5', '1e400', '-1e400', '1e-400', '123456789012345678901234567890', '1E+2', '0.1e999999', '9007199254740993', '-', '01', '1.', '.5'];

/** Plain text: words from the pool, or random graphemes (no lone surrogates: a file cannot hold them). */
const inlineText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);

const inline = fc.oneof(
  { weight: 4, arbitrary: inlineText },
  { weight: 1, arbitrary: fc.constantFrom(...LIQUID_TAGS) },
  { weight: 1, arbitrary: fc.tuple(inlineText, fc.constantFrom(...LINK_TARGETS)).map(([t, u]) => `[${t}](${u})`) },
  { weight: 1, arbitrary: inlineText.map((t) => `\`${t}\``) },
  { weight: 1, arbitrary: fc.constantFrom('<a name="widget-jammed"></a>', '<br>', '<!-- {% note %} -->', '[ref]: /widgets/frobnicate-errors#widget-missing') },
);

const paragraph = fc.array(inline, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(' '));

const heading = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 1, max: 7 }), fc.constantFrom(...HEADINGS), fc.constantFrom('', ' ##', ' #')).map(([n, t, close]) => `${'#'.repeat(n)} ${t}${close}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HEADINGS), fc.constantFrom('===', '---')).map(([t, u]) => `${t}\n${u}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HEADINGS), inlineText).map(([t, extra]) => `## ${t} ${extra}`) },
);

const stringValue = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('The widget jammed.', 'ウィジェットが詰まりました。', '{{ widget }}', '{% data variables.x %}', '', 'a\\nb').map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }).map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.constantFrom('"bad \\x escape"', '"unterminated', '"tab\there"', '"\\ud800"', "'single'") },
);

/** Any JSON value as text, with the hard cases: huge numbers, deep nesting, random JSON. */
const valueText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: stringValue },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.constantFrom('true', 'null', '[]', '{}', 'tru', 'NaN', 'undefined') },
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
  {
    weight: 1,
    // Mostly around the 128-level limit, sometimes past the ~4000 where JSON.stringify overflows the stack.
    arbitrary: fc.tuple(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 300 }) }, { weight: 1, arbitrary: fc.integer({ min: 300, max: 6_000 }) }), fc.constantFrom('[', '{"a":')).map(([n, open]) => `${open.repeat(n)}0${(open === '[' ? ']' : '}').repeat(n)}`),
  },
);

const errorUri = fc
  .tuple(fc.constantFrom(...URI_PATHS), fc.option(fc.constantFrom(...FRAGMENTS)), fc.constantFrom('', '', '?q=1'))
  .map(([p, f, q]) => JSON.stringify(f === null ? `${p}${q}` : `${p}${q}#${f}`));

const member = fc.oneof(
  fc.tuple(fc.constantFrom('"__proto__"', '"constructor"', '"error"', '"error_description"', '"extra"', '"\\u0065rror"', '""'), valueText).map(([k, v]) => `${k}: ${v}`),
  fc.constantFrom(...ERROR_CODES).map((c) => `"error": ${JSON.stringify(c)}`),
);

/** The text of a ```json block: mostly error responses, damaged in the ways docs get damaged. */
const jsonText = fc
  .record({
    error: fc.constantFrom(...ERROR_CODES),
    description: stringValue,
    uri: errorUri,
    drop: sometimes(fc.constantFrom(0, 1, 2), 8),
    extras: fc.array(member, { maxLength: 3 }),
    extrasFirst: fc.boolean(),
    pretty: fc.boolean(),
    damage: fc.record({
      how: fc.oneof({ weight: 10, arbitrary: fc.constant('none') }, { weight: 1, arbitrary: fc.constantFrom('truncate', 'garbage', 'raw', 'liquid', 'comma') }),
      at: fc.nat(),
    }),
    instead: sometimes(valueText, 6),
  })
  .map((r) => {
    if (r.instead !== null) return r.instead;
    let members = [`"error": ${JSON.stringify(r.error)}`, `"error_description": ${r.description}`, `"error_uri": ${r.uri}`].filter((_, i) => r.drop !== i);
    members = r.extrasFirst ? [...r.extras, ...members] : [...members, ...r.extras];
    let text = r.pretty ? `{\n  ${members.join(',\n  ')}\n}` : `{${members.join(',')}}`;
    const { how, at } = r.damage;
    const cut = text.length === 0 ? 0 : at % text.length;
    if (how === 'truncate') text = text.slice(0, cut);
    else if (how === 'garbage') text = `${text.slice(0, cut)}}{,"${text.slice(cut)}`;
    else if (how === 'raw') text = `{% raw %}\n${text}\n{% endraw %}`;
    else if (how === 'liquid') text = `${text.slice(0, cut)}{{ x }}${text.slice(cut)}`;
    else if (how === 'comma') text = text.replace(/\n?}$/, ',\n}');
    return text;
  });

const otherCode = fc.oneof(fc.constantFrom('curl -X POST /widgets/token', 'console.log("{% note %}")', '{% raw %}{{ x }}{% endraw %}', '', '\t\tindented'), paragraph);

type FenceParts = { char: string; len: number; indent: string; lang: string; body: string; close: string; innerLen: number };

function fenceText(f: FenceParts): string {
  const open = `${f.indent}${f.char.repeat(f.len)}${f.lang}`;
  const closers: Record<string, string | null> = {
    same: `${f.indent}${f.char.repeat(f.len)}`,
    longer: f.char.repeat(f.len + 2),
    shorter: f.char.repeat(Math.max(1, f.len - 1)),
    other: (f.char === '`' ? '~' : '`').repeat(f.len),
    none: null,
    indented4: `    ${f.char.repeat(f.len)}`,
    trailing: `${f.char.repeat(f.len)} text`,
  };
  const close = closers[f.close] ?? null;
  return [open, f.body, ...(close === null ? [] : [close])].join('\n');
}

const fenceBase = {
  char: fc.constantFrom('`', '~'),
  len: fc.integer({ min: 3, max: 5 }),
  indent: fc.constantFrom('', '', ' ', '   '),
  lang: fc.constantFrom('json', 'json', 'json', 'JSON', ' json', 'jsonc', 'json5', 'json {% raw %}', 'json title="x"', 'js', 'text', '', 'shell'),
  close: fc.oneof({ weight: 12, arbitrary: fc.constant('same') }, { weight: 1, arbitrary: fc.constantFrom('longer', 'shorter', 'other', 'none', 'indented4', 'trailing') }),
  innerLen: fc.integer({ min: 3, max: 5 }),
};

const fence = fc.record({ ...fenceBase, body: fc.oneof({ weight: 4, arbitrary: jsonText }, { weight: 1, arbitrary: otherCode }) }).map(fenceText);

/** A fence holding another fence: closes early or not, depending on the lengths. */
const nestedFence = fc
  .record({ outer: fc.record({ ...fenceBase, body: fc.constant('') }), inner: fc.record({ ...fenceBase, body: jsonText }) })
  .map(({ outer, inner }) => fenceText({ ...outer, body: fenceText(inner) }));

/** What an error-documentation page is made of: a heading, some prose, a JSON example. */
const section = fc
  .tuple(fc.integer({ min: 2, max: 4 }), fc.constantFrom(...HEADINGS), sometimes(paragraph, 1), fc.record({ ...fenceBase, lang: fc.constant('json'), body: jsonText }))
  .map(([depth, title, prose, f]) => [`${'#'.repeat(depth)} ${title}`, ...(prose === null ? [] : [prose]), fenceText(f)].join('\n\n'));

const simpleBlock = fc.oneof(
  { weight: 8, arbitrary: section },
  { weight: 3, arbitrary: heading },
  { weight: 3, arbitrary: paragraph },
  { weight: 4, arbitrary: fence },
  { weight: 1, arbitrary: nestedFence },
  { weight: 1, arbitrary: fc.constantFrom(...LIQUID_TAGS) },
  { weight: 1, arbitrary: fc.constantFrom('<a name="widget-jammed"></a>', '<div>\n{% note %}\n</div>', '---', '    indented code {% note %}', '| a | b |\n|---|---|\n| `x` | {% data y %} |') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
);

/** A block inside a container (blockquote, list item) or wrapped in a Liquid block tag. */
const block = fc.oneof(
  { weight: 6, arbitrary: simpleBlock },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('> ', '- ', '1. ', '  '), simpleBlock).map(([prefix, b]) =>
      b
        .split('\n')
        .map((line, i) => (i === 0 || prefix === '> ' ? prefix : ' '.repeat(prefix.length)) + line)
        .join('\n'),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(['{% note %}', '{% endnote %}'], ['{% ifversion fpt %}', '{% endif %}'], ['{% raw %}', '{% endraw %}'], ['{% note %}', '']), simpleBlock).map(
      ([[open, close], b]) => `${open}\n\n${b}\n\n${close}`,
    ),
  },
);

const FRONT_MATTER_LINES = [
  'title: Frobnicate widget errors',
  'title: "ウィジェットのエラー"',
  'redirect_from:\n  - /widgets/old-frobnicate-errors',
  'redirect_from: /widgets/old-frobnicate-errors',
  'redirect_from: 5',
  'redirect_from:\n  - 7\n  - {a: b}',
  "versions:\n  fpt: '*'\n  ghes: '>=3.9'",
  'versions: everything',
  'ms.contentlocale: ja-JP',
  'ms.contentlocale: en',
  'ms.openlocfilehash: 0123456789abcdef',
  '__proto__: polluted',
  'constructor: 1',
  'topics:\n  - Widgets\n  - 配置',
  'shared: &shared [1, 2]\nreuse: *shared',
  'date: 2020-01-01',
  'big: 1e400',
  'empty:',
  `spaced:${NBSP}value`,
  'intro: "{% data variables.product.prodname_widgets %}"',
];

const BROKEN_YAML = [
  'title: "unterminated',
  '\ttitle: tab indented',
  'title: value: other',
  '- a list\ntitle: then a map',
  'versions: [unclosed',
  'title: |\n bad\n  indent',
  '? complex\n: key',
  'ref: *undefined_alias',
  'title: one\ntitle: two',
  'a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\ne: &e [*d, *d]\nf: &f [*e, *e]\ng: &g [*f, *f]\nh: [*g, *g]',
  'title: {% data variables.x %}',
  'just a string',
  '- a\n- b',
  '@reserved',
  '%YAML 1.2\n---\ntitle: x',
];

const frontMatter = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...FRONT_MATTER_LINES), { maxLength: 5 }).map((lines) => `---\n${lines.join('\n')}${lines.length ? '\n' : ''}---\n`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.array(fc.constantFrom(...FRONT_MATTER_LINES), { maxLength: 3 }), fc.constantFrom(...BROKEN_YAML), fc.nat())
      .map(([lines, broken, at]) => {
        const all = [...lines];
        all.splice(at % (all.length + 1), 0, broken);
        return `---\n${all.join('\n')}\n---\n`;
      }),
  },
  { weight: 1, arbitrary: fc.constantFrom('---\ntitle: never closed\n', '---\n---\n', '--- \ntitle: x\n---\n', '---\r\ntitle: x\r\n---\r\n') },
);

/** How a page's text is finally written: line endings, BOM, NBSP for spaces. */
const format = fc.record({
  eol: fc.constantFrom('lf', 'lf', 'lf', 'crlf', 'crlf', 'mixed', 'cr'),
  mix: fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
  bom: fc.boolean(),
  nbsp: sometimes(fc.nat(), 4),
  sep: fc.constantFrom('\n\n', '\n\n', '\n'),
  finalNewline: fc.boolean(),
});

type Format = typeof format extends fc.Arbitrary<infer T> ? T : never;

function render(frontMatterText: string, blocks: readonly string[], f: Format): string {
  let text = frontMatterText + blocks.join(f.sep) + (f.finalNewline ? '\n' : '');
  if (f.nbsp !== null) {
    // Replace one space in every few with a no-break space: it must be text, never a separator.
    let i = 0;
    text = text.replace(/ /g, (s) => ((i++ + (f.nbsp ?? 0)) % 7 === 0 ? NBSP : s));
  }
  if (f.eol === 'crlf') text = text.replace(/\n/g, '\r\n');
  else if (f.eol === 'cr') text = text.replace(/\n/g, '\r');
  else if (f.eol === 'mixed') {
    let i = 0;
    text = text.replace(/\n/g, () => (f.mix[i++ % f.mix.length] ? '\r\n' : '\n'));
  }
  return (f.bom ? '\uFEFF' : '') + text;
}

/** How a translation differs from the first locale's page. */
const edit = fc.record({
  op: fc.constantFrom('keep', 'keep', 'keep', 'translate', 'translate', 'translate', 'drop', 'insert', 'replace', 'fresh'),
  at: fc.nat(),
  block,
  otherFrontMatter: sometimes(frontMatter, 4),
  format: sometimes(format, 3),
});

const LOCALES = ['en', 'fr-FR', 'ja-JP', 'ru-RU', 'zh-CN'];
const PAGES = ['widgets/frobnicate-errors', 'widgets/frobnicate-errors', 'widgets/frobnicate-errors', '', 'widgets/with space', 'widgets/größe'];

/** A docs tree: one page in one to three locales, sometimes a second page, in one of the two layouts. */
const docs = fc
  .record({
    locales: fc.uniqueArray(fc.constantFrom(...LOCALES), { minLength: 1, maxLength: 3 }),
    page: fc.constantFrom(...PAGES),
    frontMatter,
    blocks: fc.array(block, { maxLength: 8 }),
    format,
    edits: fc.array(edit, { minLength: 2, maxLength: 2 }),
    freshBlocks: fc.array(block, { maxLength: 6 }),
    second: sometimes(fc.array(block, { maxLength: 4 }), 3),
    githubLayout: fc.boolean(),
    recipes: fc.constantFrom(WIDGET_RECIPES, WIDGET_RECIPES, WIDGET_RECIPES, REPO_RECIPES, 'faults: {}\nendpoints: {}\n'),
  })
  .map((d) => {
    const layout: Layout = d.githubLayout && d.locales.includes('en') ? 'github-docs' : 'locale-folders';
    const pages: Array<{ locale: string; page: string; text: string }> = [];
    d.locales.forEach((locale, i) => {
      let blocks = [...d.blocks];
      let fm = d.frontMatter;
      let f = d.format;
      const e = i === 0 ? undefined : d.edits[i - 1];
      if (e) {
        const at = blocks.length === 0 ? 0 : e.at % blocks.length;
        if (e.op === 'translate') blocks = blocks.map((b) => TRANSLATIONS.reduce((s, [from, to]) => s.split(from).join(to), b));
        else if (e.op === 'drop') blocks.splice(at, 1);
        else if (e.op === 'insert') blocks.splice(at, 0, e.block);
        else if (e.op === 'replace') blocks.splice(at, 1, e.block);
        else if (e.op === 'fresh') blocks = d.freshBlocks;
        if (e.otherFrontMatter !== null) fm = e.otherFrontMatter;
        if (e.format !== null) f = e.format;
      }
      pages.push({ locale, page: d.page, text: render(fm, blocks, f) });
    });
    if (d.second) pages.push({ locale: d.locales[0] ?? 'en', page: 'widgets/elsewhere', text: render(d.frontMatter, d.second, d.format) });
    return { layout, pages, recipes: d.recipes };
  });

type Docs = typeof docs extends fc.Arbitrary<infer T> ? T : never;

/** One page of one locale, for the cheaper parse-only property. */
const page = fc.record({ frontMatter, blocks: fc.array(block, { maxLength: 8 }), format }).map((p) => render(p.frontMatter, p.blocks, p.format));

// ---------------------------------------------------------------------------------------------
// Running the pipeline and checking what it promises.

const RECIPES_FILE = 'recipes.yaml';

function fileOf(layout: Layout, locale: string, page: string): string {
  const rel = `${page || 'index'}.md`;
  if (layout === 'github-docs') return locale === 'en' ? `content/${rel}` : `translations/${locale}/content/${rel}`;
  return `${locale}/${rel}`;
}

/** The docs tree the reader would produce for these pages, built in memory. */
function memoryTree(d: Docs): DocsTree {
  const files: SourceFile[] = d.pages
    .map(({ locale, page, text }) => ({ file: fileOf(d.layout, locale, page), locale, page, text, crlfSha1: crlfSha1(text) }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const locales = [...new Set(d.pages.map((p) => p.locale))].sort();
  return { root: 'docs', layout: d.layout, locales, sourceLocale: locales.includes('en') ? 'en' : null, files, diagnostics: [] };
}

const addFormats = ((formats as unknown as { default?: typeof formats }).default ?? formats) as unknown as (ajv: Ajv2020) => Ajv2020;
// As the suite configures it, except that compiled schemas are not registered by `$id`:
// the same `$id` comes back with other content in the next run. Compiled once per distinct text.
const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true, addUsedSchema: false }));
const compiled = new Map<string, ValidateFunction>();

/** Lines of a text as an editor counts them: `\n`, `\r\n` and a lone `\r` each end a line. */
function linesOf(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

/** Every diagnostic names a file that was read, a place inside it, a known rule and a message. */
function checkDiagnostics(list: readonly Diagnostic[], texts: ReadonlyMap<string, string>, locales: ReadonlySet<string>): void {
  for (const d of list) {
    const where = `${d.file}:${d.line}:${d.column} (${d.rule}) ${d.message}`;
    const text = texts.get(d.file);
    assert.ok(text !== undefined, `diagnostic names a file that was not read: ${where}`);
    const lines = linesOf(text);
    assert.ok(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines.length, `line outside the file's ${lines.length} lines: ${where}`);
    const length = lines[d.line - 1]?.length ?? 0;
    assert.ok(Number.isInteger(d.column) && d.column >= 1 && d.column <= length + 1, `column outside line ${d.line} (${length} characters): ${where}`);
    assert.ok(Object.hasOwn(RULES, d.rule), `unknown rule: ${where}`);
    assert.ok(d.message.trim().length > 0, `empty message: ${where}`);
    assert.ok(d.severity === 'error' || d.severity === 'warning', `bad severity: ${where}`);
    assert.ok(locales.has(d.locale), `unknown locale \`${d.locale}\`: ${where}`);
  }
}

/** Every promise the pipeline and the docs checks make about their diagnostics and outputs, for one result. */
function checkResult(tree: DocsTree, recipes: RecipesInput, result: PipelineResult): void {
  const texts = new Map<string, string>(tree.files.map((f) => [f.file, f.text]));
  const locales = new Set(['', ...tree.locales]);
  checkDiagnostics(validate(result.loaded).findings, texts, locales);
  texts.set(recipes.file, recipes.text);
  checkDiagnostics(result.diagnostics, texts, locales);
  const outputs = new Map<string, unknown>();
  for (const [file, text] of result.build.files) {
    assert.ok(text.endsWith('\n'), `${file} ends with a newline`);
    outputs.set(file, JSON.parse(text));
  }
  const cases = outputs.get('tests/fixtures/cases.json') as CasesFile | undefined;
  assert.ok(cases, 'cases.json is built');
  const index = outputs.get('schemas/index.json') as { schemas: Array<{ $id: string; file: string }> } | undefined;
  assert.ok(index, 'schemas/index.json is built');
  const byId = new Map<string, ValidateFunction>();
  for (const [file, schema] of outputs) {
    if (!file.endsWith('.schema.json')) continue;
    const text = result.build.files.get(file) ?? '';
    const validate = compiled.get(text) ?? ajv.compile(schema as object);
    compiled.set(text, validate);
    const { $id, examples } = schema as { $id: string; examples: unknown[] };
    byId.set($id, validate);
    assert.ok(Array.isArray(examples) && examples.length > 0, `${file} has examples`);
    for (const example of examples) assert.ok(validate(example), `${file} rejects its own example: ${ajv.errorsText(validate.errors)}`);
  }
  for (const entry of index.schemas) assert.ok(outputs.has(entry.file), `index names ${entry.file}, which is built`);
  const schemaFiles = new Set(index.schemas.map((entry) => entry.file));
  // Responses whose own example contradicts itself are left out, each with its diagnostic.
  const built = result.contract.responses.filter((r) => !result.build.leftOut.includes(`${r.page}#${r.error}`));
  for (const left of result.build.leftOut) assert.ok(result.build.diagnostics.some((d) => UNSOUND_EXAMPLE_RULES.has(d.rule)), `${left} is left out with its diagnostic`);
  assert.equal(schemaFiles.size, built.length, `one schema file per documented response built: ${built.map((r) => `${r.page}#${r.error}`).join(', ')} → ${[...schemaFiles].join(', ')}`);
  for (const c of cases.cases) {
    const validate = byId.get(c.schema.$id);
    assert.ok(validate, `case ${c.id} names schema ${c.schema.$id}, which is built`);
    assert.ok(validate(c.expected), `${c.schema.file} rejects the expected body of case ${c.id}: ${ajv.errorsText(validate.errors)}`);
  }
}

/** Runs the pipeline twice on fresh copies and checks both runs agree and keep every promise. */
function checkDocs(d: Docs): PipelineResult {
  const recipes = { file: RECIPES_FILE, text: d.recipes };
  const first = runPipeline(memoryTree(d), recipes);
  const second = runPipeline(memoryTree(d), recipes);
  assert.deepEqual(second.diagnostics, first.diagnostics, 'two runs give the same diagnostics');
  assert.deepEqual([...second.build.files], [...first.build.files], 'two runs give the same files');
  checkResult(memoryTree(d), recipes, first);
  return first;
}

// Counts of what the generated inputs reached, printed so a weakened generator shows.
const reached = { runs: 0, diagnostics: new Map<string, number>(), schemas: 0, cases: 0 };

function record(result: PipelineResult): void {
  reached.runs++;
  for (const d of result.diagnostics) reached.diagnostics.set(d.rule, (reached.diagnostics.get(d.rule) ?? 0) + 1);
  reached.schemas += [...result.build.files.keys()].filter((f) => f.endsWith('.schema.json')).length;
  reached.cases += result.build.cases.length;
}

describe(`robust: generated pages through the whole pipeline (fast-check seed ${SEED})`, () => {
  it(`no exception escapes; diagnostics are placed inside their file with a known rule; outputs are deterministic, parse, and their schemas accept their examples (${RUNS} runs in memory)`, () => {
    fc.assert(
      fc.property(docs, (d) => {
        record(checkDocs(d));
      }),
      options(RUNS),
    );
    const rules = [...reached.diagnostics].sort(([a], [b]) => (a < b ? -1 : 1)).map(([rule, n]) => `${rule} ${n}`);
    console.log(`reached over ${reached.runs} runs: ${reached.schemas} schemas, ${reached.cases} cases; diagnostics: ${rules.join(', ')}`);
    // The generator must keep reaching the deep stages, or the property says little.
    for (const rule of ['yaml-syntax', 'json-syntax', 'unterminated-fence', 'response-disagrees', 'response-missing', 'missing-anchor', 'anchor-wrong-section', 'duplicate-response', 'error-uri-invalid', 'recipe-missing'] as const) {
      if (!PATH) assert.ok((reached.diagnostics.get(rule) ?? 0) > 0, `the generated pages reach rule ${rule}`);
    }
    if (!PATH) assert.ok(reached.schemas > RUNS / 10, `the generated pages reach the schema builder (${reached.schemas} schemas)`);
  });

  it(`parsing one page: no exception escapes, every position of the model and of each diagnostic is inside the file, and a second parse gives the same model (${PARSE_RUNS} runs)`, () => {
    fc.assert(
      fc.property(page, fc.constantFrom('en', 'ja-JP'), (text, locale) => {
        const file = `${locale}/widgets/frobnicate-errors.md`;
        const source = { file, locale, page: 'widgets/frobnicate-errors', text, crlfSha1: crlfSha1(text) };
        const first = parsePage(source);
        assert.deepEqual(parsePage({ ...source }), first, 'a second parse gives the same model and diagnostics');
        const texts = new Map([[file, text]]);
        checkDiagnostics(first.diagnostics, texts, new Set([locale]));
        // The model's own positions are diagnostics-to-be: they must be inside the file too.
        const { page: model } = first;
        const places = [
          ...model.sections.map((s) => ({ what: `section \`${s.heading}\``, ...s })),
          ...model.jsonBlocks.map((b) => ({ what: 'json block', ...b })),
          ...model.jsonBlocks.flatMap((b) => (b.parseError ? [{ what: 'json error', ...b.parseError }] : [])),
          ...model.liquid.map((t) => ({ what: `liquid tag ${t.name}`, ...t })),
          ...model.links.map((l) => ({ what: `link ${l.url}`, ...l })),
          ...model.inlineCode.map((c) => ({ what: 'inline code', ...c })),
          ...Object.entries(model.frontMatterKeyLines).map(([key, line]) => ({ what: `front-matter key ${key}`, line, column: 1 })),
          ...model.unterminatedFences.map((line) => ({ what: 'unterminated fence', line, column: 1 })),
        ];
        const lines = linesOf(text);
        for (const p of places) {
          const length = lines[p.line - 1]?.length ?? -1;
          assert.ok(p.line >= 1 && p.line <= lines.length && p.column >= 1 && p.column <= length + 1, `${p.what} at ${p.line}:${p.column} is outside the file`);
        }
        for (const b of model.jsonBlocks) assert.ok(b.section === null || model.sections[b.section], 'a json block names a section that exists');
      }),
      options(PARSE_RUNS),
    );
  });

  it('reading the same pages from disk gives the same result as in memory, and generate writes the same files twice', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'docs-contract-robust-'));
    try {
      let n = 0;
      fc.assert(
        fc.property(docs, (d) => {
          const dir = path.join(work, String(n++));
          try {
            const root = path.join(dir, 'docs');
            for (const { locale, page, text } of d.pages) {
              const abs = path.join(root, fileOf(d.layout, locale, page));
              mkdirSync(path.dirname(abs), { recursive: true });
              writeFileSync(abs, text);
            }
            writeFileSync(path.join(dir, RECIPES_FILE), d.recipes);
            const tree = readDocsTree(root);
            assert.deepEqual(tree.diagnostics, []);
            const memory = memoryTree(d);
            // The reader decodes UTF-8 the WHATWG way, which drops a leading BOM; the parser drops it too.
            const asRead = memory.files.map((f) => ({ ...f, text: f.text.replace(/^\uFEFF/, ''), crlfSha1: crlfSha1(f.text.replace(/^\uFEFF/, '')) }));
            assert.deepEqual(tree.files, asRead, 'the reader returns the text written, line endings included');
            assert.equal(tree.layout, memory.layout);
            assert.deepEqual(tree.locales, memory.locales);
            const recipes = { file: RECIPES_FILE, text: d.recipes };
            const fromDisk = runPipeline(tree, recipes);
            assert.deepEqual(fromDisk.diagnostics, runPipeline(memory, recipes).diagnostics);
            checkResult(tree, recipes, fromDisk);

            const outputs = [path.join(dir, 'out1'), path.join(dir, 'out2')].map((out) => {
              const lines: string[] = [];
              const code = generate(['--docs', root, '--recipes', path.join(dir, RECIPES_FILE), '--out', out], (line) => lines.push(line));
              return { code, lines, files: snapshot(out) };
            });
            assert.deepEqual(outputs[1], outputs[0], 'generate is deterministic on disk');
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }),
        options(DISK_RUNS),
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

/** Every file under a folder, by relative path, with its text. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return out;
  }
  for (const rel of entries.sort()) {
    try {
      out[rel] = readFileSync(path.join(dir, rel), 'utf8');
    } catch {
      // a folder
    }
  }
  return out;
}
