import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatText, sortDiagnostics } from '../../scripts/lib/diagnostics.ts';
import { parseOne, widgetPage } from './helpers.ts';

describe('parse: front-matter', () => {
  it('reads a mapping and the line of each key', () => {
    const { page, diagnostics } = parseOne(widgetPage({}));
    assert.deepEqual(diagnostics, []);
    assert.equal(page.frontMatter?.['title'], 'Frobnicate widget errors');
    assert.deepEqual(page.frontMatter?.['redirect_from'], ['/widgets/old-frobnicate-errors']);
    assert.equal(page.frontMatterLine, 1);
    assert.deepEqual(page.frontMatterKeyLines, { title: 2, redirect_from: 3, versions: 5 });
  });

  it('reports broken YAML at its line in the .md file, not in the YAML', () => {
    const text = '---\ntitle: Widgets\nversions:\n  fpt: [unclosed\n---\n## Widget jammed\n';
    const { page, diagnostics } = parseOne(text);
    assert.equal(page.frontMatter, null);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]?.rule, 'yaml-syntax');
    assert.equal(diagnostics[0]?.severity, 'error');
    // The flow sequence opened on line 4 is never closed; the YAML ends on line 5 (the closing ---).
    assert.ok((diagnostics[0]?.line ?? 0) >= 4 && (diagnostics[0]?.line ?? 0) <= 5, `line ${diagnostics[0]?.line}`);
    assert.match(diagnostics[0]?.message ?? '', /^Front-matter YAML does not parse: .+\. Fix the YAML between the `---` lines\.$/);
    // Sections are still read after a broken front-matter.
    assert.equal(page.sections[0]?.heading, 'Widget jammed');
  });

  it('points a bad indentation error at the offending line', () => {
    const text = '---\ntitle: Widgets\n  bad: indent\n---\n';
    const { diagnostics } = parseOne(text);
    // The yaml parser places both problems where the compact mapping starts: line 2, column 8.
    assert.deepEqual(
      diagnostics.map((d) => [d.line, d.column, d.message]),
      [
        [2, 8, 'Front-matter YAML does not parse: Nested mappings are not allowed in compact mappings. Fix the YAML between the `---` lines.'],
        [2, 8, 'Front-matter YAML does not parse: Implicit keys need to be on a single line. Fix the YAML between the `---` lines.'],
      ],
    );
  });

  it('rejects front-matter that is not a mapping', () => {
    const { page, diagnostics } = parseOne('---\n- a\n- b\n---\n# Widgets\n');
    assert.equal(page.frontMatter, null);
    assert.equal(formatText(diagnostics), 'en/widgets/frobnicate-errors.md:1:1: error Front-matter is not a mapping of keys to values. Write it as `key: value` lines. (frontmatter-type)');
  });

  it('accepts a page without front-matter', () => {
    const { page, diagnostics } = parseOne('## Widget jammed\n');
    assert.equal(page.frontMatter, null);
    assert.equal(page.frontMatterLine, null);
    assert.deepEqual(diagnostics, []);
  });
});

describe('parse: sections and ids', () => {
  it('slugs headings as GitHub does, unique per page', () => {
    const { page } = parseOne('## Widget jammed\n## Widget jammed\n## Widget jammed\n### Widget Jammed!\n');
    assert.deepEqual(
      page.sections.map((s) => [s.depth, s.slug]),
      [
        [2, 'widget-jammed'],
        [2, 'widget-jammed-1'],
        [2, 'widget-jammed-2'],
        [3, 'widget-jammed-3'],
      ],
    );
  });

  it('keeps code, CJK and emoji in headings the way github-slugger does', () => {
    const { page } = parseOne('## The `widget_id` field\n## 配置错误\n## Jammed 🚀 widget\n## Ünïcödé Wïdget\n');
    assert.deepEqual(
      page.sections.map((s) => [s.heading, s.slug]),
      [
        ['The widget_id field', 'the-widget_id-field'],
        ['配置错误', '配置错误'],
        ['Jammed 🚀 widget', 'jammed--widget'],
        ['Ünïcödé Wïdget', 'ünïcödé-wïdget'],
      ],
    );
  });

  it('slugs a heading with Liquid on its text without the tag, keeping the tag in the heading', () => {
    const { page } = parseOne('## About {% data variables.product.widget_name %} jams\n');
    assert.equal(page.sections[0]?.heading, 'About {% data variables.product.widget_name %} jams');
    assert.equal(page.sections[0]?.slug, 'about-jams');
  });

  it('honours explicit ids: {#id} replaces the slug, <a name> inside or before adds one', () => {
    const text = [
      '## Widget jammed {#jam}',
      '## <a name="inner"></a>Widget missing',
      '<a name="before"></a>',
      '## Widget late',
      '',
      '<a name="too-far"></a>',
      '',
      'A paragraph between.',
      '',
      '## Widget lost',
      '## Widget jammed',
    ].join('\n');
    const { page } = parseOne(text);
    assert.deepEqual(
      page.sections.map((s) => [s.heading, s.slug, s.explicitId ?? null]),
      [
        ['Widget jammed', 'jam', 'jam'],
        ['Widget missing', 'widget-missing', 'inner'],
        ['Widget late', 'widget-late', 'before'],
        ['Widget lost', 'widget-lost', null],
        // `{#jam}` took no slug, so the second "Widget jammed" gets the plain slug.
        ['Widget jammed', 'widget-jammed', null],
      ],
    );
  });

  it('records each section’s first paragraph', () => {
    const { page } = parseOne('## Widget jammed\n\n<a name="x"></a>\n\nThe widget **is** jammed.\n\nSecond.\n## Empty\n');
    assert.equal(page.sections[0]?.firstParagraph, 'The widget is jammed.');
    assert.equal(page.sections[1]?.firstParagraph, undefined);
  });
});

describe('parse: JSON blocks', () => {
  it('parses blocks with their position and section', () => {
    const { page, diagnostics } = parseOne(widgetPage({}));
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      page.jsonBlocks.map((b) => [b.line, b.section, (b.value as { error: string }).error]),
      [
        [14, 0, 'widget_jammed'],
        [26, 1, 'widget_missing'],
      ],
    );
  });

  it('reports a block that does not parse at the offending line and column, with the reason', () => {
    const text = '## Widget jammed\n\n```json\n{\n  "error": "widget_jammed",\n  "error_uri": }\n```\n';
    const { page, diagnostics } = parseOne(text);
    assert.equal(page.jsonBlocks[0]?.value, undefined);
    assert.equal(
      formatText(diagnostics),
      "en/widgets/frobnicate-errors.md:6:16: error ```json block at line 3 does not parse: Unexpected token '}' (line 6, column 16). Fix the JSON, or mark the fence as another language if it is not JSON. (json-syntax)",
    );
  });

  it('gives the parser’s reason for a trailing comma', () => {
    const { diagnostics } = parseOne('## W\n\n```json\n{"error": "widget_jammed",}\n```\n');
    assert.equal(diagnostics[0]?.message, '```json block at line 3 does not parse: Expected double-quoted property name (line 4, column 27). Fix the JSON, or mark the fence as another language if it is not JSON.');
  });

  it('is not broken by {% raw %}, Liquid inside strings, or NBSP', () => {
    const text = [
      '## Widget\u00a0jammed',
      '',
      '```json',
      '{% raw %}',
      '{"error": "widget_jammed", "error_description": "{{ widget.name }}\u00a0{% data variables.product.widget %}", "error_uri": "/w#widget-jammed"}',
      '{% endraw %}',
      '```',
    ].join('\n');
    const { page, diagnostics } = parseOne(text);
    assert.deepEqual(diagnostics, []);
    assert.equal(page.sections[0]?.slug, 'widget-jammed');
    assert.deepEqual(page.jsonBlocks[0]?.value, {
      error: 'widget_jammed',
      error_description: '{{ widget.name }}\u00a0{% data variables.product.widget %}',
      error_uri: '/w#widget-jammed',
    });
    // Tags inside {% raw %} are text, not tags.
    assert.deepEqual(
      page.liquid.map((t) => [t.name, t.line]),
      [
        ['raw', 4],
        ['endraw', 6],
      ],
    );
  });

  it('reads a CRLF file exactly like its LF twin', () => {
    const lf = widgetPage({});
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = parseOne(lf);
    const b = parseOne(crlf);
    assert.deepEqual(b.diagnostics, []);
    const strip = (p: typeof a.page) => ({ ...p, crlfSha1: '' });
    assert.deepEqual(strip(b.page), strip(a.page));
    // The SHA-1 of the CRLF form is the same for both.
    assert.equal(a.page.crlfSha1, b.page.crlfSha1);
  });

  it('reads a file with a BOM: front-matter found, lines unchanged', () => {
    const text = widgetPage({});
    const a = parseOne(text);
    const b = parseOne(`\uFEFF${text}`);
    assert.deepEqual(b.diagnostics, []);
    assert.equal(b.page.frontMatter?.['title'], 'Frobnicate widget errors');
    assert.deepEqual(b.page.sections, a.page.sections);
    assert.deepEqual(b.page.jsonBlocks, a.page.jsonBlocks);
  });

  it('reports an unterminated fence at its opening line', () => {
    const text = '## Widget jammed\n\n```json\n{"error": "widget_jammed"}\n\n## Widget missing\n';
    const { page, diagnostics } = parseOne(text);
    assert.deepEqual(page.unterminatedFences, [3]);
    // The swallowed text is not JSON either: that is reported where the parser gives up.
    assert.deepEqual(
      sortDiagnostics(diagnostics).map((d) => `${d.line} ${d.rule}`),
      ['3 unterminated-fence', '6 json-syntax'],
    );
    assert.equal(sortDiagnostics(diagnostics)[0]?.message, 'Code fence opened here is never closed; it swallows the rest of the page. Close it with a matching fence line (e.g. ```).');
    // The swallowed heading is not a section.
    assert.equal(page.sections.length, 1);
  });

  it('does not flag closed tilde fences or longer closing fences', () => {
    const { page, diagnostics } = parseOne('~~~json\n{"a": 1}\n~~~\n\n````json\n{"b": 2}\n`````\n');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(page.unterminatedFences, []);
    assert.deepEqual(
      page.jsonBlocks.map((b) => b.value),
      [{ a: 1 }, { b: 2 }],
    );
  });
});

describe('parse: Liquid, links, inline code', () => {
  it('finds tags with positions and sections', () => {
    const text = '{% note %}\n\nNote.\n\n{% endnote %}\n\n## Widget {% ifversion fpt %}jammed{% endif %}\n\nUse `{% data x.y %}` and {% data variables.product.widget %}.\n';
    const { page } = parseOne(text);
    assert.deepEqual(
      page.liquid.map((t) => [t.name, t.args, t.line, t.column, t.section]),
      [
        ['note', '', 1, 1, null],
        ['endnote', '', 5, 1, null],
        ['ifversion', 'fpt', 7, 11, 0],
        ['endif', '', 7, 36, 0],
        ['data', 'x.y', 9, 6, 0],
        ['data', 'variables.product.widget', 9, 26, 0],
      ],
    );
  });

  it('collects links, definitions and inline code by section', () => {
    const text = 'Intro [top](/widgets).\n\n## Widget jammed\n\nSee [jams](/widgets/jams#unjam) and `widget_id`.\n\n[ref]: /widgets/ref\n';
    const { page } = parseOne(text);
    assert.deepEqual(
      page.links.map((l) => [l.url, l.line, l.section]),
      [
        ['/widgets', 1, null],
        ['/widgets/jams#unjam', 5, 0],
        ['/widgets/ref', 7, 0],
      ],
    );
    assert.deepEqual(
      page.inlineCode.map((c) => [c.value, c.line, c.section]),
      [['widget_id', 5, 0]],
    );
  });

  it('takes a bare URL as prose and a footnote as no link, while GFM tables are still read', () => {
    const text = [
      'See https://widgets.example/jams#unjam or www.widgets.example today.[^1]',
      '',
      '[^1]: widgets/footnote',
      '',
      '## Errors',
      '',
      '| Code | Meaning |',
      '| --- | --- |',
      '| `widget_jammed` | The widget is jammed. |',
      '| `widget_lost` | The widget is lost. |',
      '',
    ].join('\n');
    const { page, diagnostics } = parseOne(text);
    assert.deepEqual(page.links, []);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      page.jsonBlocks.map((b) => [b.form, b.value]),
      [
        ['table', { error: 'widget_jammed' }],
        ['table', { error: 'widget_lost' }],
      ],
    );
  });

  it('takes a footnote as no link on a page without tables too', () => {
    const { page } = parseOne('Widgets jam.[^1] See [the manual][manual].\n\n[^1]: widgets/footnote\n\n[manual]: /widgets/manual\n');
    assert.deepEqual(page.links.map((l) => [l.url, l.kind ?? 'inline']), [
      ['/widgets/manual', 'definition'],
      ['/widgets/manual', 'reference'],
    ]);
  });
});
