/**
 * Bad docs that used to crash, hang, read outside the tree or inject into logs: the fast checks.
 * The same inputs through the real commands, with their time bounds, are in tests/slow/bad-docs.test.ts.
 */
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { diagnostic, formatGithub, formatText } from '../../scripts/lib/diagnostics.ts';
import { DOCS_ORIGIN, parseErrorUri } from '../../scripts/lib/error-uri.ts';
import { jsonError } from '../../scripts/lib/json-error.ts';
import { MAX_TREE_DEPTH, replaceSpans } from '../../scripts/lib/parse.ts';
import { readDocsTree } from '../../scripts/lib/read.ts';
import { withOrigin } from '../../scripts/mock/answers.ts';
import { makeTree, parseOne, pipelineOf, validateTree } from './helpers.ts';

const rulesOf = (list: ReadonlyArray<{ rule: string }>) => list.map((d) => d.rule);

describe('bad docs: depth', () => {
  it('an unclosed JSON text nested 10 001 deep gets the depth limit as its reason, not a stack overflow', () => {
    const text = '['.repeat(10_001);
    let error: Error | undefined;
    try {
      JSON.parse(text);
    } catch (e) {
      error = e as Error;
    }
    assert.deepEqual(jsonError(text, error as Error), { reason: 'arrays and objects nested deeper than 128 levels', offset: 129 });
  });

  it('a tree deeper than the walk accepts is reported at the line where it goes too deep', () => {
    // 14 blockquotes (under the per-line limit), then a list nested one level more on each line.
    const quote = '> '.repeat(14);
    const lines = Array.from({ length: 30 }, (_, i) => `${quote}${'  '.repeat(i)}- widget ${i}`);
    const { diagnostics } = parseOne(`# Widgets\n\n${lines.join('\n')}\n`);
    const deep = diagnostics.filter((d) => d.rule === 'nesting-too-deep');
    assert.equal(deep.length, 1, JSON.stringify(diagnostics));
    assert.match(deep[0]?.message ?? '', new RegExp(`more than ${MAX_TREE_DEPTH} levels`));
    assert.ok((deep[0]?.line ?? 0) > 3 && (deep[0]?.line ?? 0) <= 32, String(deep[0]?.line));
  });

  it('10 000 blockquotes on one line are reported at that line before parsing', () => {
    const started = Date.now();
    const { diagnostics } = parseOne(`# Widgets\n\n${'>'.repeat(10_000)} widget\n`);
    assert.deepEqual(diagnostics.map((d) => [d.rule, d.line]), [['nesting-too-deep', 3]]);
    assert.ok(Date.now() - started < 2000);
  });
});

describe('bad docs: shapes remark takes super-linear time over', () => {
  it('120 KB of `*a_` is page-too-complex at line 1, found without parsing', () => {
    const started = Date.now();
    const { diagnostics } = parseOne(`# Widgets\n\n${'*a_'.repeat(40_000)}\n`);
    assert.deepEqual(diagnostics.map((d) => [d.rule, d.line]), [['page-too-complex', 1]]);
    assert.match(diagnostics[0]?.message ?? '', /the paragraph at line 3 has 80000/);
    assert.ok(Date.now() - started < 2000);
  });

  it('thousands of nested list lines are page-too-complex', () => {
    const { diagnostics } = parseOne(`# Widgets\n\n${'- - widget\n'.repeat(1300)}`);
    assert.deepEqual(rulesOf(diagnostics), ['page-too-complex']);
  });

  it('ordinary emphasis, links and nested lists are not', () => {
    const paragraph = Array.from({ length: 300 }, (_, i) => `**widget_${i}** [jammed](/widgets/${i}) _now_`).join('\n');
    const lists = '- widget\n  - jammed\n    > - missing\n'.repeat(500);
    const { diagnostics } = parseOne(`# Widgets\n\n${paragraph}\n\n${lists}\n\`\`\`\n${'*a_'.repeat(40_000)}\n\`\`\`\n`);
    assert.deepEqual(rulesOf(diagnostics), []);
  });

  it('spans are blanked in linear time, as the lazy regexes did', () => {
    assert.equal(replaceSpans('a <b> c <d e> f', '<', '>', (m) => ' '.repeat(m.length)), 'a     c       f');
    assert.equal(replaceSpans('{% a %}{% b', '{%', '%}', () => ''), '{% b');
    const started = Date.now();
    replaceSpans('<a '.repeat(300_000), '<', '>', () => '');
    assert.ok(Date.now() - started < 500);
  });

  it('900 KB of `<a ` or `{% ` in a translated page is checked in seconds', () => {
    for (const unit of ['<a ', '{% ', '{% a ']) {
      const started = Date.now();
      const root = makeTree({
        'xx-XX/example/widgets.md': `# Widgets\n\n${unit.repeat(Math.floor(900_000 / unit.length))}\n`,
        'yy-YY/example/widgets.md': '# Widgets\n\nWidgets.\n',
      });
      validateTree(readDocsTree(root));
      assert.ok(Date.now() - started < 15_000, `${unit}: ${Date.now() - started} ms`);
    }
  });
});

describe('bad docs: line endings', () => {
  it('lone-CR line endings give the same findings as LF', () => {
    const lf = '---\ntitle: Widgets\n---\n\n# Widgets\n\n## Widget jammed\n\nSee widget_jammed.\n\n## Widget missing\n\nSee widget_missing.\n';
    const other = lf.replace('See widget_missing.', 'See it.');
    const findings = (text: string) => validateTree(readDocsTree(makeTree({ 'xx-XX/example/widgets.md': text, 'yy-YY/example/widgets.md': other }))).findings.map((f) => [f.file, f.line, f.rule]);
    const expected = findings(lf);
    assert.deepEqual(expected, [['yy-YY/example/widgets.md', 11, 'identifier-missing']]);
    assert.deepEqual(findings(lf.replace(/\n/g, '\r')), expected);
  });
});

describe('bad docs: symlinks', () => {
  it('a link out of the tree is a warning naming the link, and what it points at is not read', () => {
    const outside = makeTree({ 'secret.md': '# Outside\n\nwidget_secret_text\n' });
    const root = makeTree({ 'xx-XX/example/widgets.md': '# Widgets\n' });
    symlinkSync(path.join(outside, 'secret.md'), path.join(root, 'xx-XX/example/outside.md'));
    symlinkSync(outside, path.join(root, 'xx-XX/elsewhere'));
    const tree = readDocsTree(root);
    assert.deepEqual(tree.files.map((f) => f.file), ['xx-XX/example/widgets.md']);
    assert.deepEqual(
      tree.diagnostics.map((d) => [d.file, d.severity, d.rule]),
      [
        ['xx-XX/elsewhere', 'warning', 'docs-unreadable'],
        ['xx-XX/example/outside.md', 'warning', 'docs-unreadable'],
      ],
    );
  });

  it('a link inside the tree is followed', () => {
    const root = makeTree({ 'xx-XX/example/widgets.md': '# Widgets\n' });
    symlinkSync(path.join(root, 'xx-XX/example/widgets.md'), path.join(root, 'xx-XX/example/alias.md'));
    assert.deepEqual(readDocsTree(root).files.map((f) => f.file), ['xx-XX/example/alias.md', 'xx-XX/example/widgets.md']);
  });

  it('a dangling link that is not a page is none of the checker’s business; one named .md is', () => {
    const root = makeTree({ 'xx-XX/example/widgets.md': '# Widgets\n' });
    symlinkSync('no-such-widget.png', path.join(root, 'xx-XX/example/widget.png'));
    symlinkSync('no-such-page.md', path.join(root, 'xx-XX/example/gone.md'));
    assert.deepEqual(readDocsTree(root).diagnostics.map((d) => [d.file, d.rule]), [['xx-XX/example/gone.md', 'docs-unreadable']]);
  });
});

describe('bad docs: text output', () => {
  const forged = diagnostic({ file: 'xx-XX/wid\ngets.md', line: 3, locale: 'xx-XX' }, 'error', 'json-syntax', 'value `x\n::error file=a::forged \u001b[31mred\u202e` here');

  it('escapes control characters in text output', () => {
    const text = formatText([forged]);
    assert.equal(text, 'xx-XX/wid\\ngets.md:3:1: error value `x\\n::error file=a::forged \\u001b[31mred\\u202e` here (json-syntax)');
  });

  it('escapes them in GitHub annotations too: one line, no ESC', () => {
    const text = formatGithub([forged], '');
    assert.equal(text.split('\n').length, 1);
    assert.doesNotMatch(text, /[\p{Cc}\u202e]/u);
  });
});

describe('bad docs: error_uri lookalikes', () => {
  it('userinfo is not a docs path; another host is another origin', () => {
    assert.equal(parseErrorUri('https://docs.github.com@evil.example/widgets/x#widget-jammed'), null);
    assert.equal(parseErrorUri('https://docs.github.com.evil.example/widgets/x#widget-jammed')?.origin, 'https://docs.github.com.evil.example');
  });

  it('validate rejects both, and accepts the docs origin itself', () => {
    const page = (uri: string) => `# Widgets\n\n## Widget jammed\n\n\`\`\`json\n{"error": "widget_jammed", "error_description": "Jammed.", "error_uri": "${uri}"}\n\`\`\`\n`;
    const errorsOf = (uri: string) => pipelineOf({ 'xx-XX/widgets/frobnicate-errors.md': page(uri) }).diagnostics.filter((d) => d.rule === 'error-uri-invalid').map((d) => d.message);
    assert.deepEqual(errorsOf(`${DOCS_ORIGIN}/widgets/frobnicate-errors#widget-jammed`), []);
    assert.deepEqual(errorsOf('https://docs.github.com.evil.example/widgets/frobnicate-errors#widget-jammed'), [
      '`error_uri` `https://docs.github.com.evil.example/widgets/frobnicate-errors#widget-jammed` of `widget_jammed` is on `https://docs.github.com.evil.example`, not on the docs origin `https://docs.github.com`; write it as a docs path, `/<page path>#<heading id>`.',
    ]);
    assert.equal(errorsOf('https://docs.github.com@evil.example/widgets/frobnicate-errors#widget-jammed').length, 1);
  });

  it('the mock never serves one', () => {
    for (const uri of ['https://docs.github.com.evil.example/w#x', 'https://docs.github.com@evil.example/w#x']) {
      assert.deepEqual({ ...withOrigin({ error: 'widget_jammed', error_uri: uri }, null) }, { error: 'widget_jammed' });
      assert.deepEqual({ ...withOrigin({ error: 'widget_jammed', error_uri: uri }, DOCS_ORIGIN) }, { error: 'widget_jammed' });
    }
    assert.deepEqual({ ...withOrigin({ error_uri: '/w#x' }, DOCS_ORIGIN) }, { error_uri: `${DOCS_ORIGIN}/w#x` });
  });
});
