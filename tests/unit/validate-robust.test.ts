/**
 * The docs checks never throw on odd docs: random pages built from the pieces the checks look
 * at (headings, Liquid, JSON, links, identifiers, front-matter of every shape), in one to three
 * locales with or without a source. Every finding stays a finding: a place inside the file and
 * a message. Fixed seed, printed, so that a failure can be replayed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { SourceFile } from '../../scripts/lib/model.ts';
import { crlfSha1, type DocsTree } from '../../scripts/lib/read.ts';
import { validateTree } from './helpers.ts';

const SEED = Number(process.env['FC_SEED'] ?? 4242);
const RUNS = 400;

const piece = fc.oneof(
  fc.constantFrom(
    '## Widget jammed', '### Widget detail', '##### Widget note', '# Widget title', '## Widget jammed {#jam}', '<a name="jam"></a>',
    '{% note %}', '{% endnote %}', '{% ifversion ghes %}', '{% elsif fpt %}', '{% else %}', '{% endif %}', '{% raw %}', '{% endraw %}',
    '{% data variables.widget.name %}', '{% data %}', '{% data a b %}', '{% frobnicate %}', '{% when %}', '{{ widget }}',
    '```json\n{"error": "widget_jammed", "error_description": "Jammed.", "error_uri": "/widgets/a#widget-jammed"}\n```',
    '```json\n{"error": "widget_missing", "error_description": 1}\n```', '```json\n{"add_widgets": [1]}\n```', '```json\n{broken\n```',
    '```json\n[1, 2]\n```', '```\nleft open', '~~~\nclosed\n~~~',
    '[l](#widget-jammed)', '[l](#jam)', '[l](/widgets/a#nowhere)', '[l](/widgets/b)', '[l](../rel/x.md#y)', '[l](%zz)', '[l](\\\\x)', '[l](mailto:w@example.com)', '[r]: /widgets/a#jam',
    '`widget_id`', 'the frob_count', 'widget\\_id', '`Виджет`', '',
  ),
  fc.string({ maxLength: 20 }),
);
const frontMatter = fc.constantFrom(
  '',
  "---\ntitle: Widgets\nversions:\n  fpt: '*'\nredirect_from:\n  - /widgets/old\n---\n",
  "---\ntitle: Widgets\nversions:\n  fpt: '*'\n  ghes: '>=3.5'\nredirect_from:\n  - /widgets/old/\ntopics: [Widgets]\nms.openlocfilehash: 0123456789abcdef0123456789abcdef01234567\n---\n",
  '---\nredirect_from: /widgets/x\ntopics: [a, 1]\nversions: 3\nms.openlocfilehash: 12\nlayout: [x]\n---\n',
  '---\n: not yaml\n  - [\n---\n',
  '---\nredirect_from:\n  - {a: 1}\nversions:\n  fpt: [1]\n  feature: [x]\nwidgetColour: red\n---\n',
  '---\n- a list\n---\n',
);
const page = fc.tuple(frontMatter, fc.array(piece, { maxLength: 14 }), fc.boolean()).map(([fm, parts, crlf]) => {
  const text = fm + parts.join('\n\n');
  return crlf ? text.replace(/\n/g, '\r\n') : text;
});
const entry = fc.tuple(fc.constantFrom('en', 'de-DE', 'ja-JP'), fc.constantFrom('widgets/a', 'widgets/b', 'widgets'), page);

function treeOf(entries: Array<[string, string, string]>, withSource: boolean): DocsTree {
  const files: SourceFile[] = [];
  for (const [code, page, text] of entries) {
    const locale = !withSource && code === 'en' ? 'fr-FR' : code;
    const file = `${locale}/${page}.md`;
    if (files.some((f) => f.file === file)) continue;
    files.push({ file, locale, page, text, crlfSha1: crlfSha1(text) });
  }
  const locales = [...new Set(files.map((f) => f.locale))].sort();
  return { root: 'synthetic', layout: 'locale-folders', locales, sourceLocale: locales.includes('en') ? 'en' : null, files, diagnostics: [] };
}

describe('validate: odd docs', () => {
  it(`never throws, and every finding has a place in its file and a message (seed ${SEED}, ${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 5 }), fc.boolean(), (entries, withSource) => {
        const tree = treeOf(entries, withSource);
        const lines = new Map(tree.files.map((f) => [f.file, f.text.split(/\r?\n/).length]));
        for (const d of validateTree(tree).findings) {
          const count = lines.get(d.file);
          assert.ok(count !== undefined, `${d.rule} names a file of the tree: ${d.file}`);
          assert.ok(d.line >= 1 && d.line <= count, `${d.rule} line ${d.line} is inside ${d.file} (${count} lines)`);
          assert.ok(d.column >= 1, `${d.rule} column ${d.column}`);
          assert.ok(d.message.length > 0 && !d.message.includes('undefined'), `${d.rule}: ${d.message}`);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
