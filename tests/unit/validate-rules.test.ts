/**
 * Every rule of `npm run validate`, one synthetic docs tree that trips it and one that does not,
 * with the exact findings (all of them, so that a rule firing where it should not also fails).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { CROSS_LOCALE_RULES } from '../../scripts/lib/checks/index.ts';
import { formatText } from '../../scripts/lib/diagnostics.ts';
import { readDocsTree } from '../../scripts/lib/read.ts';
import { RULES } from '../../scripts/lib/rules.ts';
import { makeTree, validateTree } from './helpers.ts';

/** A clean synthetic page: every check passes on it. Line numbers below refer to it. */
const PAGE = `---
title: Frobnicate widget errors
shortTitle: Frobnicate errors
redirect_from:
  - /widgets/old-frobnicate-errors
versions:
  fpt: '*'
topics:
  - Widgets
---
{% note %}

Synthetic page for tests of {% data variables.product.widget_name %}.

{% endnote %}

## Widget jammed

When the \`widget_id\` is wrong, the frob_count stays at zero and this comes back. See [the next section](#widget-missing).

\`\`\`json
{
  "error": "widget_jammed",
  "error_description": "The widget is jammed.",
  "error_uri": "/widgets/frobnicate-errors#widget-jammed"
}
\`\`\`

## Widget missing

Read [the widget page](/widgets/frobnicate-errors) and [an outside page](https://example.com/widgets#top).

\`\`\`json
{
  "error": "widget_missing",
  "error_description": "The widget is missing.",
  "error_uri": "/widgets/frobnicate-errors#widget-missing"
}
\`\`\`
`;

const PATH = 'widgets/frobnicate-errors.md';
const EN = `en/${PATH}`;

/** The page with each `[from, to]` replaced once; a `from` that is not there is a mistake in the test. */
function edit(text: string, ...pairs: Array<[string, string]>): string {
  let out = text;
  for (const [from, to] of pairs) {
    assert.ok(out.includes(from), `the page contains ${JSON.stringify(from)}`);
    out = out.replace(from, to);
  }
  return out;
}

/** Every finding of validate over the files, as text lines. */
function findings(files: Record<string, string>): string[] {
  const text = formatText(validateTree(readDocsTree(makeTree(files))).findings);
  return text === '' ? [] : text.split('\n');
}

/** A "translation" of PAGE: headings and prose translated; identifiers, links and JSON kept. */
const DE = edit(
  PAGE,
  ['## Widget jammed', '## Widget klemmt'],
  ['## Widget missing', '## Widget fehlt'],
  ['When the `widget_id` is wrong, the frob_count stays at zero and this comes back.', 'Wenn `widget_id` falsch ist, bleibt frob_count auf null.'],
);
const JA = edit(PAGE, ['## Widget jammed', '## ウィジェット詰まり'], ['## Widget missing', '## ウィジェットなし']);

describe('validate rules: the clean synthetic page', () => {
  it('has no finding alone, as two translations without a source, or with its source', () => {
    assert.deepEqual(findings({ [EN]: PAGE }), []);
    assert.deepEqual(findings({ [`de-DE/${PATH}`]: DE, [`ja-JP/${PATH}`]: JA }), []);
    assert.deepEqual(findings({ [`de-DE/${PATH}`]: DE, [`ja-JP/${PATH}`]: JA, [`ko-KR/${PATH}`]: JA }), []);
  });

  it('leaves the recipe rules to generate: an error without a recipe is not a docs problem', () => {
    const page = edit(PAGE, ['"widget_missing"', '"widget_unrecipied"']);
    assert.deepEqual(findings({ [EN]: page }), []);
  });

  it('knows every rule id it can report, and marks only parity rules as cross-locale', () => {
    for (const rule of CROSS_LOCALE_RULES) assert.ok(rule in RULES, rule);
    assert.deepEqual([...CROSS_LOCALE_RULES].filter((r) => !/disagree|missing|misaligned|stale/.test(r)), []);
  });
});

describe('validate rules: reading the tree', () => {
  it('docs-unreadable: trips on a page outside any locale folder, as a warning', () => {
    assert.deepEqual(findings({ [EN]: PAGE, 'stray.md': PAGE }), [
      'stray.md:1:1: warning `stray.md` is not inside a locale folder, so its locale is unknown and it is skipped. Move it to `<locale>/stray.md`. (docs-unreadable)',
    ]);
  });
  it('docs-unreadable: not on files that are not pages, or hidden folders', () => {
    assert.deepEqual(findings({ [EN]: PAGE, 'notes.txt': 'x', '.drafts/x.md': 'x', 'en/.hidden/y.md': 'x' }), []);
  });

  it('file-not-text: trips on a `.md` file holding NUL bytes', () => {
    assert.deepEqual(findings({ [EN]: PAGE, 'en/widgets/picture.md': 'GIF89a\u0000\u0001' }), [
      'en/widgets/picture.md:1:1: error `en/widgets/picture.md` holds NUL bytes: it is binary, not a Markdown page. Remove it or rename it away from `.md`. (file-not-text)',
    ]);
  });
  it('file-not-text: not on UTF-8 text with a BOM, CRLF line endings and characters beyond the BMP', () => {
    assert.deepEqual(findings({ [EN]: `\uFEFF${PAGE.replace(/\n/g, '\r\n').replace('Synthetic page', 'Synthetic 🧩 page')}` }), []);
  });
});

describe('validate rules: front-matter', () => {
  it('yaml-syntax: trips on YAML that does not parse', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['title: Frobnicate widget errors', 'title: [Frobnicate']) }), [
      'en/widgets/frobnicate-errors.md:3:1: error Front-matter YAML does not parse: Flow sequence in block collection must be sufficiently indented and end with a ]. Fix the YAML between the `---` lines. (yaml-syntax)',
    ]);
  });
  it('yaml-syntax: not on quoted values holding YAML punctuation', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['title: Frobnicate widget errors', "title: 'Frobnicate: [widget] errors'"]) }), []);
  });

  it('frontmatter-type: trips on a string for a list, an unquoted version number, a non-string list item, a list for a string, a string for a boolean', () => {
    const page = edit(
      PAGE,
      ['redirect_from:\n  - /widgets/old-frobnicate-errors', 'redirect_from: /widgets/old'],
      ["fpt: '*'", 'ghes: 3.5'],
      ['  - Widgets', '  - Widgets\n  - 42'],
      ['shortTitle: Frobnicate errors', 'shortTitle: [a]\nhidden: "yes"'],
    );
    assert.deepEqual(findings({ [EN]: page }), [
      'en/widgets/frobnicate-errors.md:3:1: error Front-matter `shortTitle` must be a string, not a list; quote the value. (frontmatter-type)',
      'en/widgets/frobnicate-errors.md:4:1: error Front-matter `hidden` must be `true` or `false`, not the string `yes`; write `true` or `false`. (frontmatter-type)',
      'en/widgets/frobnicate-errors.md:5:1: error Front-matter `redirect_from` must be a list of strings, not the string `/widgets/old`; write one `- item` line per entry under `redirect_from:`. (frontmatter-type)',
      "en/widgets/frobnicate-errors.md:6:1: error Front-matter `versions.ghes` must be a version range such as `'*'` or `'>=3.5'`, not the number `3.5`; quote it. (frontmatter-type)",
      'en/widgets/frobnicate-errors.md:8:1: error Front-matter `topics` must be a list of strings, but item 2 is the number `42`; quote it. (frontmatter-type)',
    ]);
  });
  it("frontmatter-type: not on `versions: '*'`, `layout: false`, booleans, numbers and a feature list", () => {
    const page = edit(PAGE, ["versions:\n  fpt: '*'", "versions: '*'\nlayout: false\nhidden: true\nminiTocMaxHeadingLevel: 3"]);
    assert.deepEqual(findings({ [EN]: page }), []);
    assert.deepEqual(findings({ [EN]: edit(PAGE, ["fpt: '*'", "fpt: '*'\n  feature:\n    - widget-flags"]) }), []);
  });

  it('frontmatter-type: trips on translation metadata YAML reads as a number', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['topics:', 'ms.openlocfilehash: 1234567890\ntopics:']) }), [
      'en/widgets/frobnicate-errors.md:8:1: error Front-matter `ms.openlocfilehash` must be a string, not the number `1234567890`; quote the value. (frontmatter-type)',
    ]);
  });

  it('frontmatter-unknown-key: trips on a misspelt key (with "did you mean") and on a key GitHub docs has not', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['shortTitle: Frobnicate errors', 'shorttitle: Frobnicate errors\nwidgetColour: red']) }), [
      'en/widgets/frobnicate-errors.md:3:1: warning Front-matter key `shorttitle` is not one GitHub docs knows; did you mean `shortTitle`? (frontmatter-unknown-key)',
      'en/widgets/frobnicate-errors.md:4:1: warning Front-matter key `widgetColour` is not one GitHub docs knows; remove it, or check its spelling. (frontmatter-unknown-key)',
    ]);
  });
  it('frontmatter-unknown-key: not on `ms.*` translation metadata or other known keys', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['shortTitle: Frobnicate errors', "shortTitle: Frobnicate errors\nms.widgetthing: x\nproduct: Widgets\nintro: 'Synthetic.'"]) }), []);
  });

  it('locale-mismatch: trips when `ms.contentlocale` names another locale than the folder', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['topics:', 'ms.contentlocale: de-DE\ntopics:']) }), [
      'en/widgets/frobnicate-errors.md:8:1: warning `ms.contentlocale` is `de-DE` but the page is in the `en` folder; move the file to `de-DE/` or fix the key. (locale-mismatch)',
    ]);
  });
  it('locale-mismatch: not when it names the folder in another case', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['topics:', 'ms.contentlocale: EN\ntopics:']) }), []);
  });
});

describe('validate rules: fences and JSON blocks', () => {
  it('unterminated-fence: trips on a fence never closed', () => {
    assert.deepEqual(findings({ [EN]: `${PAGE}\n\`\`\`text\nleft open\n` }), [
      'en/widgets/frobnicate-errors.md:41:1: error Code fence opened here is never closed; it swallows the rest of the page. Close it with a matching fence line (e.g. ```). (unterminated-fence)',
    ]);
  });
  it('unterminated-fence: a fence its list item ends says where, not that it swallows the page', () => {
    const page = `${PAGE}\n1. Step:\n\n   \`\`\`shell\n   run it\n  \`\`\`\n\nText.\n\n\`\`\`text\nclosed\n\`\`\`\n`;
    assert.deepEqual(findings({ [EN]: page }), [
      'en/widgets/frobnicate-errors.md:43:1: error Code fence opened here is not closed inside its list item or blockquote, which ends before line 45; the fence at line 45, meant to close it, opens a new code block instead. Indent the closing fence as the opening one, inside the item. (unterminated-fence)',
    ]);
  });
  it('unterminated-fence: the block that stray closing fence opens is the same defect, said once; a fence with a language after the item is not that closer', () => {
    const strayToEnd = `${PAGE}\n1. Step:\n\n    \`\`\`shell\n  run it\n  \`\`\`\n\nText.\n`;
    assert.deepEqual(findings({ [EN]: strayToEnd }), [
      'en/widgets/frobnicate-errors.md:43:1: error Code fence opened here is not closed inside its list item or blockquote, which ends before line 44; the fence at line 45, meant to close it, opens a new code block instead. Indent the closing fence as the opening one, inside the item. (unterminated-fence)',
    ]);
    const opener = `${PAGE}\n1. Step:\n\n   \`\`\`shell\n   run it\n\nText.\n\n\`\`\`text\nnever closed\n`;
    assert.deepEqual(findings({ [EN]: opener }).map((f) => f.replace(/ opens .*/, '')), [
      'en/widgets/frobnicate-errors.md:43:1: error Code fence opened here is not closed inside its list item or blockquote, which ends before line 46: a fence line written after that',
      'en/widgets/frobnicate-errors.md:48:1: error Code fence opened here is never closed; it swallows the rest of the page. Close it with a matching fence line (e.g. ```). (unterminated-fence)',
    ]);
  });
  it('unterminated-fence: not on an indented code block whose first line looks like a fence (an HTML block ended before it)', () => {
    assert.deepEqual(findings({ [EN]: `${PAGE}\n<p>1. Crank the widget.\n\n    \`\`\`shell\n        cranked\n    \`\`\`</p>\n` }), []);
  });
  it('unterminated-fence: not on a tilde fence closed by tildes', () => {
    assert.deepEqual(findings({ [EN]: `${PAGE}\n~~~text\nclosed\n~~~\n` }), []);
  });

  it('json-syntax: trips on a block that does not parse, at the parser\'s position', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['"The widget is jammed.",', '"The widget is jammed.",,']) }), [
      "en/widgets/frobnicate-errors.md:24:48: error ```json block at line 21 does not parse: Expected double-quoted property name (line 24, column 48). Fix the JSON, or mark the fence as another language if it is not JSON. (json-syntax)",
    ]);
  });
  it('json-syntax: not on braces and Liquid inside JSON strings', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['"The widget is jammed."', '"The widget is {jammed}, see {% raw %}{{ x }}{% endraw %}."']) }), []);
  });

  it('json-not-response: trips on a JSON block that is not an error response', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['## Widget missing\n', '## Widget missing\n\n```json\n{"add_widgets": ["one"]}\n```\n']) }), [
      'en/widgets/frobnicate-errors.md:31:1: warning JSON example under `Widget missing` is not an error response (no string `error` member), so it is not part of the contract. Remove it if it does not belong on this page, or mark the fence as another language. (json-not-response)',
    ]);
  });
  it('json-not-response: not on the same text in a fence of another language', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['## Widget missing\n', '## Widget missing\n\n```text\n{"add_widgets": ["one"]}\n```\n']) }), []);
  });

  it('json-not-response: not on a page that documents no error response', () => {
    const general = "---\ntitle: Widget settings\nversions:\n  fpt: '*'\n---\n## Settings\n\n```json\n{\"add_widgets\": [\"one\"]}\n```\n";
    assert.deepEqual(findings({ [EN]: PAGE, 'en/widgets/settings.md': general }), []);
  });

  it('json-not-strict: trips on a block that is not an error example and holds comments or `...`', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['## Widget missing\n', '## Widget missing\n\n```json\n{\n  // the widget\n  "add_widgets": [...]\n}\n```\n']) }), [
      "en/widgets/frobnicate-errors.md:33:3: warning ```json block at line 31 does not parse: Expected property name or '}' (line 33, column 3): it holds comments or `...` placeholders. Mark the fence `jsonc` or `text`, or write strict JSON. (json-not-strict)",
    ]);
  });
  it('json-not-strict: trips on an excerpt (members without their object, an object left open), not on an error example left open', () => {
    const excerpt = (json: string) =>
      findings({ [EN]: edit(PAGE, ['## Widget missing\n', `## Widget missing\n\n\`\`\`json\n${json}\n\`\`\`\n`]) }).map((f) => `${/ (warning|error) /.exec(f)?.[1]} ${/\(([a-z-]+)\)$/.exec(f)?.[1]}${/: (it is an excerpt[^.]*)\./.exec(f)?.[1] ? ': excerpt' : ''}`);
    assert.deepEqual(excerpt('"add_widgets": [{\n  "name": "one"\n}]'), ['warning json-not-strict: excerpt']);
    assert.deepEqual(excerpt('{\n  "name": "@widgets/frob",\n  "repository": {\n    "type": "git"\n  },'), ['warning json-not-strict: excerpt']);
    assert.deepEqual(excerpt('Accept: application/json\n{"add_widgets": ["one"]}'), ['error json-syntax']);
    assert.deepEqual(excerpt('{\n  "error": "widget_jammed",'), ['error json-syntax']);
  });
  it('json-not-strict: not on an error example with `...`, which stays a json-syntax error, nor on a `jsonc` fence', () => {
    assert.deepEqual(
      findings({ [EN]: edit(PAGE, ['"The widget is jammed.",', '"The widget is jammed.", ...']) }).map((f) => f.replace(/.*\((.*)\)$/, '$1')),
      ['json-syntax'],
    );
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['## Widget missing\n', '## Widget missing\n\n```jsonc\n{\n  // the widget\n  "add_widgets": [...]\n}\n```\n']) }), []);
  });

  it('error-example-fields: trips on an error example without `error_description`', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['  "error_description": "The widget is jammed.",\n', '']) }), [
      'en/widgets/frobnicate-errors.md:21:1: error `widget_jammed` example under `Widget jammed` lacks string `error_description`; an error response documents `error`, `error_description` and `error_uri`. (error-example-fields)',
    ]);
  });
  it('error-example-fields: not on an example with an extra member', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['"The widget is jammed.",', '"The widget is jammed.",\n  "widget_hint": "Shake it.",']) }), []);
  });

  it('duplicate-response: trips on one error documented twice on a page', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['"error": "widget_missing"', '"error": "widget_jammed"']) }), [
      'en/widgets/frobnicate-errors.md:33:1: error `widget_jammed` is documented twice on this page (first at line 21); keep one example per error. (duplicate-response)',
    ]);
  });
  it('duplicate-response: not on the same error documented by two pages', () => {
    const other = edit(PAGE, ['/widgets/frobnicate-errors#widget-jammed', '/widgets/other-errors#widget-jammed'], ['/widgets/frobnicate-errors#widget-missing', '/widgets/other-errors#widget-missing'], ['  - /widgets/old-frobnicate-errors\n', '  - /widgets/old-other-errors\n']);
    assert.deepEqual(findings({ [EN]: PAGE, 'en/widgets/other-errors.md': other }), []);
  });

  it('error-uri-invalid: trips on an `error_uri` that is not a docs path with a fragment', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['"/widgets/frobnicate-errors#widget-jammed"', '"widgets/frobnicate-errors"']) }), [
      'en/widgets/frobnicate-errors.md:21:1: error `error_uri` `widgets/frobnicate-errors` of `widget_jammed` is not a docs path with a `#fragment`; write it as `/<page path>#<heading id>`. (error-uri-invalid)',
    ]);
  });
  it('error-uri-invalid: not on an absolute URL with a language segment', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['"/widgets/frobnicate-errors#widget-jammed"', '"https://docs.github.com/en/widgets/frobnicate-errors#widget-jammed"']) }), []);
  });
});

describe('validate rules: Liquid', () => {
  it('liquid-unbalanced: trips on a block never closed', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['{% endnote %}', '']) }), [
      'en/widgets/frobnicate-errors.md:11:1: error `{% note %}` is never closed; add `{% endnote %}` where the block ends. (liquid-unbalanced)',
    ]);
  });
  it('liquid-unbalanced: trips on a closing tag with nothing to close', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['## Widget missing', '{% endtip %}\n\n## Widget missing']) }), [
      'en/widgets/frobnicate-errors.md:29:1: error `{% endtip %}` closes no open `{% tip %}`; remove it, or add the opening tag before it. (liquid-unbalanced)',
    ]);
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['## Widget missing', '{% endif %}\n\n## Widget missing']) }), [
      'en/widgets/frobnicate-errors.md:29:1: error `{% endif %}` closes no open `{% if %}` or `{% ifversion %}`; remove it, or add the opening tag before it. (liquid-unbalanced)',
    ]);
  });
  it('liquid-unbalanced: trips on a block left open inside another that closes', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['{% note %}', '{% ifversion ghes %}\n{% warning %}'], ['{% endnote %}', '{% endif %}']) }), [
      'en/widgets/frobnicate-errors.md:12:1: error `{% warning %}` is not closed before `{% endif %}` at line 16 closes the block around it; add `{% endwarning %}` where this block ends. (liquid-unbalanced)',
    ]);
  });
  it('liquid-unbalanced: trips on a branch outside its block', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['## Widget missing', '{% else %}\n\n## Widget missing']) }), [
      'en/widgets/frobnicate-errors.md:29:1: error `{% else %}` is outside any `{% if %}`, `{% ifversion %}`, `{% unless %}`, `{% case %}` or `{% for %}` block; remove it, or open the block before it. (liquid-unbalanced)',
    ]);
  });
  it('liquid-unbalanced: not on nested versioning with branches, or on unbalanced tags inside `{% raw %}`', () => {
    const block = '{% ifversion fpt %}\nA {% elsif ghes %}\nB {% else %}\nC {% note %}D{% endnote %} {% endif %}\n{% raw %}{% endnote %}{% if %}{% endraw %}\n\n## Widget missing';
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['## Widget missing', block]) }), []);
  });

  it('liquid-unknown-tag: trips on a misspelt tag (with "did you mean") and on a tag GitHub docs does not render', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['{% note %}', '{% notte %}'], ['## Widget missing', '{% frobnicate widgets %}\n\n## Widget missing']) }), [
      'en/widgets/frobnicate-errors.md:11:1: error Liquid tag `{% notte %}` is not one GitHub docs renders; did you mean `{% note %}`? (liquid-unknown-tag)',
      'en/widgets/frobnicate-errors.md:15:1: error `{% endnote %}` closes no open `{% note %}`; remove it, or add the opening tag before it. (liquid-unbalanced)',
      'en/widgets/frobnicate-errors.md:29:1: error Liquid tag `{% frobnicate %}` is not one GitHub docs renders; fix its name, or wrap literal Liquid in `{% raw %}`…`{% endraw %}`. (liquid-unknown-tag)',
    ]);
  });
  it('liquid-unknown-tag: not on octicons, links, tool switches, or anything inside `{% raw %}`', () => {
    const block = '{% octicon "check" aria-label="ok" %} {% link /widgets/frobnicate-errors %}\n\n{% vscode %}\nIn the editor.\n{% endvscode %}\n\n{% raw %}{% frobnicate %}{% endraw %}\n\n## Widget missing';
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['## Widget missing', block]) }), []);
  });

  it('liquid-data-malformed: trips on a reference that is not a dotted path, and on none', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['{% data variables.product.widget_name %}', '{% data widget_name %} and {% data %}']) }), [
      'en/widgets/frobnicate-errors.md:13:29: error `{% data widget_name %}` does not name a data entry; write a dotted path such as `{% data variables.product.product_name %}` or `{% data reusables.<folder>.<file> %}`. (liquid-data-malformed)',
      'en/widgets/frobnicate-errors.md:13:56: error `{% data %}` does not name a data entry; write a dotted path such as `{% data variables.product.product_name %}` or `{% data reusables.<folder>.<file> %}`. (liquid-data-malformed)',
    ]);
  });
  it('liquid-data-malformed: not on reusables paths with hyphens and whitespace-trimming tags', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['{% data variables.product.widget_name %}', '{%- data reusables.widgets.jam-help -%}']) }), []);
  });
});

describe('validate rules: links and anchors', () => {
  it('link-not-absolute: trips on relative links, suggesting the path from the docs root', () => {
    const page = edit(PAGE, ['(/widgets/frobnicate-errors)', '(../gadgets/guide.md#setup)'], ['(https://example.com/widgets#top)', '(sibling-page)']);
    assert.deepEqual(findings({ [EN]: page }), [
      'en/widgets/frobnicate-errors.md:31:6: error Link `../gadgets/guide.md#setup` is relative, so it breaks across versions and locales; write it from the docs root: `/gadgets/guide#setup`. (link-not-absolute)',
      'en/widgets/frobnicate-errors.md:31:55: error Link `sibling-page` is relative, so it breaks across versions and locales; write it from the docs root: `/widgets/sibling-page`. (link-not-absolute)',
    ]);
  });
  it('link-not-absolute: not on absolute paths, fragments, other schemes or reference definitions to them', () => {
    const page = edit(PAGE, ['(https://example.com/widgets#top)', '(mailto:widgets@example.com), [ref][w] and [top](#widget-jammed)\n\n[w]: /widgets/frobnicate-errors']);
    assert.deepEqual(findings({ [EN]: page }), []);
  });

  it('missing-anchor: trips on a link fragment matching no heading, in-page or on another page of the tree', () => {
    const other = "---\ntitle: Other widgets\nversions:\n  fpt: '*'\n---\n## Setup\n\n[back](/widgets/frobnicate-errors#nothing-like-it-at-all-here)\n";
    const page = edit(PAGE, ['(#widget-missing)', '(#widget-mising)'], ['(/widgets/frobnicate-errors)', '(/widgets/old-frobnicate-errors/#widget-jamed)']);
    assert.deepEqual(findings({ [EN]: page, 'en/widgets/other.md': other }), [
      'en/widgets/frobnicate-errors.md:19:86: error Link anchor `#widget-mising` matches no heading of this page; did you mean `#widget-missing`? (missing-anchor)',
      'en/widgets/frobnicate-errors.md:31:6: error Link anchor `#widget-jamed` matches no heading of `frobnicate-errors`; did you mean `#widget-jammed`? (missing-anchor)',
      'en/widgets/other.md:8:1: error Link anchor `#nothing-like-it-at-all-here` matches no heading of `frobnicate-errors`; add the heading or fix the anchor. (missing-anchor)',
    ]);
  });
  it('missing-anchor: at the definition of a reference-style link, saying when no link on the page uses it', () => {
    const other = "---\ntitle: Other widgets\nversions:\n  fpt: '*'\n---\n## Setup\n\nSee [the jam][jam].\n\n[jam]: /widgets/frobnicate-errors#widget-jamed\n[spare]: /widgets/frobnicate-errors#widget-spare\n";
    assert.deepEqual(findings({ [EN]: PAGE, 'en/widgets/other.md': other }), [
      'en/widgets/other.md:10:1: error Link anchor `#widget-jamed` matches no heading of `frobnicate-errors`; did you mean `#widget-jammed`? (missing-anchor)',
      'en/widgets/other.md:11:1: error Link anchor `#widget-spare` matches no heading of `frobnicate-errors`; did you mean `#widget-jammed`? No link on the page uses this reference definition: delete it, or fix its anchor. (missing-anchor)',
    ]);
  });
  it('missing-anchor: trips on an `error_uri` fragment matching no heading', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['#widget-jammed"', '#widget-jamed"']) }), [
      'en/widgets/frobnicate-errors.md:21:1: error `error_uri` anchor `#widget-jamed` matches no heading of `frobnicate-errors`; did you mean `#widget-jammed`? (missing-anchor)',
    ]);
  });
  it('missing-anchor: not on an `<a name>` anchor, a redirect permalink, or a translation linking to ids it got from its source', () => {
    const other = "---\ntitle: Other widgets\nversions:\n  fpt: '*'\n---\n## Setup\n\n[jam](/widgets/old-frobnicate-errors/#jam) and [missing](/en/widgets/frobnicate-errors#widget-missing)\n";
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['## Widget jammed', '<a name="jam"></a>\n## Widget jammed']), 'en/widgets/other.md': other }), []);
    const de = edit(DE, ['topics:', `ms.openlocfilehash: ${'a'.repeat(40)}\ntopics:`]);
    const lines = findings({ [EN]: PAGE, [`de-DE/${PATH}`]: de });
    assert.deepEqual(lines.map((l) => l.replace(/.*\((.*)\)$/, '$1')), ['translation-stale'], 'the German `#widget-missing` resolves by the source position');
  });

  it('anchor-unverifiable: trips on a link fragment into a page that is not in the tree, as a warning', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['(/widgets/frobnicate-errors)', '(/gadgets/guide#setup)']) }), [
      'en/widgets/frobnicate-errors.md:31:6: warning Link `/gadgets/guide#setup` points at `/gadgets/guide`, a page that is not in the docs tree, so anchor `#setup` cannot be checked. Add that page to the docs to check it. (anchor-unverifiable)',
    ]);
  });
  it('anchor-unverifiable: trips on an `error_uri` into a page that is not in the tree', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['"/widgets/frobnicate-errors#widget-jammed"', '"/gadgets/guide#widget-jammed"']) }), [
      'en/widgets/frobnicate-errors.md:21:1: warning `error_uri` of `widget_jammed` points at `/gadgets/guide`, a page that is not in the docs tree, so anchor `#widget-jammed` cannot be checked. Add that page to the docs to check it. (anchor-unverifiable)',
    ]);
  });
  it('anchor-unverifiable: not on a link without a fragment to a page outside the tree', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['(/widgets/frobnicate-errors)', '(/gadgets/guide)']) }), []);
  });

  it('anchor-wrong-section: trips on an `error_uri` naming the heading of another error', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['#widget-jammed"', '#widget-missing"']) }), [
      'en/widgets/frobnicate-errors.md:21:1: error `error_uri` anchor `#widget-missing` names `Widget missing` (en/widgets/frobnicate-errors.md:29), but `widget_jammed` is documented under `Widget jammed` (en/widgets/frobnicate-errors.md:17); point the anchor at that heading. (anchor-wrong-section)',
    ]);
  });
  it('anchor-wrong-section: not when the example sits under an h3 of the named section\'s own heading', () => {
    assert.deepEqual(findings({ [EN]: edit(PAGE, ['When the', '### Details\n\nWhen the'], ['#widget-jammed"', '#details"']) }), []);
  });
});

describe('validate rules: across locales (no source locale: compared with each other)', () => {
  const at = (locale: string) => `${locale}/${PATH}`;

  it('frontmatter-disagrees: trips on `versions` that one locale of three changed, naming the two that agree', () => {
    assert.deepEqual(findings({ [at('de-DE')]: edit(DE, ["fpt: '*'", "fpt: '*'\n  ghes: '>=3.5'"]), [at('ja-JP')]: JA, [at('ko-KR')]: JA }), [
      'de-DE/widgets/frobnicate-errors.md:6:1: error Front-matter `versions` differs from ja-JP and ko-KR (ja-JP/widgets/frobnicate-errors.md:6): `ghes` is ">=3.5" here, (absent) there. It is not translated, so it must be the same in every locale; make the locales agree. (frontmatter-disagrees)',
    ]);
  });
  it('frontmatter-disagrees: trips on a missing redirect and a missing `topics`', () => {
    const de = edit(DE, ['  - /widgets/old-frobnicate-errors', '  - /widgets/old-frobnicate-errors\n  - /widgets/older']);
    assert.deepEqual(findings({ [at('de-DE')]: de, [at('ja-JP')]: edit(JA, ['topics:\n  - Widgets\n', '']) }), [
      'ja-JP/widgets/frobnicate-errors.md:1:1: error Front-matter `topics` differs from de-DE (de-DE/widgets/frobnicate-errors.md:9): `topics` is missing here. It is not translated, so it must be the same in every locale; make the locales agree. (frontmatter-disagrees)',
      'ja-JP/widgets/frobnicate-errors.md:4:1: error Front-matter `redirect_from` differs from de-DE (de-DE/widgets/frobnicate-errors.md:4): lacks `/widgets/older`. It is not translated, so it must be the same in every locale; make the locales agree. (frontmatter-disagrees)',
    ]);
  });
  it('frontmatter-disagrees: not on a release written with or without its plan\'s prefix (`ghae: ghae-next` is `ghae: next`)', () => {
    const withPlan = edit(DE, ["fpt: '*'", "fpt: '*'\n  ghae: ghae-next"]);
    assert.deepEqual(findings({ [at('de-DE')]: withPlan, [at('ja-JP')]: edit(JA, ["fpt: '*'", "fpt: '*'\n  ghae: 'next'"]) }), []);
    assert.equal(findings({ [at('de-DE')]: withPlan, [at('ja-JP')]: edit(JA, ["fpt: '*'", "fpt: '*'\n  ghae: 'fpt-next'"]) }).length, 1);
  });
  it('frontmatter-disagrees: not on a trailing slash, another order, or translated titles', () => {
    const de = edit(DE, ['  - /widgets/old-frobnicate-errors', '  - /widgets/older/\n  - /widgets/old-frobnicate-errors/'], ['title: Frobnicate widget errors', 'title: Widget-Fehler']);
    const ja = edit(JA, ['  - /widgets/old-frobnicate-errors', '  - /widgets/old-frobnicate-errors\n  - /widgets/older']);
    assert.deepEqual(findings({ [at('de-DE')]: de, [at('ja-JP')]: ja }), []);
  });

  it('sections-misaligned: trips on an extra heading, and content is then not compared by position', () => {
    assert.deepEqual(findings({ [at('de-DE')]: edit(DE, ['## Widget fehlt', '### Unterabschnitt\n\n## Widget fehlt']), [at('ja-JP')]: JA, [at('ko-KR')]: JA }), [
      'de-DE/widgets/frobnicate-errors.md:29:1: error This page has 3 h2–h4 headings and ja-JP and ko-KR have 2 (ja-JP/widgets/frobnicate-errors.md); heading 2 is `Unterabschnitt` (h3) here but `ウィジェットなし` (h2) there. Translate every heading and keep its level, so that sections and anchors line up by position. (sections-misaligned)',
    ]);
  });
  it('sections-misaligned: trips on a heading of another level', () => {
    assert.deepEqual(findings({ [at('de-DE')]: edit(DE, ['## Widget fehlt', '### Widget fehlt']), [at('ja-JP')]: JA, [at('ko-KR')]: JA }), [
      'de-DE/widgets/frobnicate-errors.md:29:1: error Heading `Widget fehlt` is an h3 here, but heading 2 of ja-JP and ko-KR is an h2 (`ウィジェットなし`, ja-JP/widgets/frobnicate-errors.md:29); keep the heading levels of ja-JP and ko-KR, so that sections and anchors line up by position. (sections-misaligned)',
    ]);
  });
  it('sections-misaligned: not on an extra h5, whose content folds into its section', () => {
    assert.deepEqual(findings({ [at('de-DE')]: edit(DE, ['Read [the widget page]', '##### Hinweis\n\nRead [the widget page]']), [at('ja-JP')]: JA }), []);
  });

  it('data-refs-disagree, links-disagree, identifier-missing: trip on a section that dropped them, naming the locale that has them', () => {
    const de = edit(
      DE,
      ['{% data variables.product.widget_name %}', 'Widgets'],
      ['[the widget page](/widgets/frobnicate-errors)', 'die Widget-Seite'],
      ['Wenn `widget_id` falsch ist, bleibt frob_count auf null.', 'Wenn die ID falsch ist.'],
    );
    assert.deepEqual(findings({ [at('de-DE')]: de, [at('ja-JP')]: JA }), [
      'de-DE/widgets/frobnicate-errors.md:11:1: error The text before the first heading lacks `{% data variables.product.widget_name %}`, which ja-JP has (ja-JP/widgets/frobnicate-errors.md:13); keep every `{% data %}` reference when translating. (data-refs-disagree)',
      // One dropped sentence with two identifiers: one finding.
      'de-DE/widgets/frobnicate-errors.md:17:1: warning Section `Widget klemmt` does not mention `widget_id` and `frob_count`, which ja-JP has (ja-JP/widgets/frobnicate-errors.md:19); identifiers are not translated, so keep them as written. (identifier-missing)',
      'de-DE/widgets/frobnicate-errors.md:29:1: error Section `Widget fehlt` lacks the link to `/widgets/frobnicate-errors` that ja-JP has (ja-JP/widgets/frobnicate-errors.md:31); keep every link target when translating. (links-disagree)',
    ]);
  });
  it('data-refs-disagree, links-disagree, identifier-missing: not on references moved within a section, link paths with a language segment or slash, identifiers as escaped prose', () => {
    const de = edit(
      DE,
      ['Synthetic page for tests of {% data variables.product.widget_name %}.', '{% data variables.product.widget_name %}: synthetisch.'],
      ['(/widgets/frobnicate-errors)', '(/de/widgets/frobnicate-errors/)'],
      ['Wenn `widget_id` falsch ist, bleibt frob_count auf null.', 'Wenn widget\\_id falsch ist, bleibt `frob_count` auf null.'],
    );
    assert.deepEqual(findings({ [at('de-DE')]: de, [at('ja-JP')]: JA }), []);
  });

  it('json-disagrees: trips on a JSON block only one locale carries; the one without it is told', () => {
    assert.deepEqual(findings({ [at('de-DE')]: edit(DE, ['## Widget fehlt\n', '## Widget fehlt\n\n```json\n{"add_widgets": ["one"]}\n```\n']), [at('ja-JP')]: JA }), [
      'de-DE/widgets/frobnicate-errors.md:31:1: warning JSON example under `Widget fehlt` is not an error response (no string `error` member), so it is not part of the contract. Remove it if it does not belong on this page, or mark the fence as another language. (json-not-response)',
      'ja-JP/widgets/frobnicate-errors.md:29:1: error Section `ウィジェットなし` lacks the JSON block `{"add_widgets":["one"]}` that de-DE has (de-DE/widgets/frobnicate-errors.md:31); JSON examples are not translated, so every locale carries the same ones. (json-disagrees)',
    ]);
  });
  it('json-disagrees: not on the same JSON with other whitespace and key order', () => {
    const de = edit(DE, ['## Widget fehlt\n', '## Widget fehlt\n\n```json\n{ "b": 2,\n  "a": [1] }\n```\n']);
    const ja = edit(JA, ['## ウィジェットなし\n', '## ウィジェットなし\n\n```json\n{"a":[1],"b":2}\n```\n']);
    const lines = findings({ [at('de-DE')]: de, [at('ja-JP')]: ja });
    assert.deepEqual(lines.map((l) => l.replace(/.*\((.*)\)$/, '$1')), ['json-not-response', 'json-not-response']);
  });

  it('response-disagrees: trips on an error example whose body differs (and json-disagrees stays quiet about it)', () => {
    assert.deepEqual(findings({ [at('de-DE')]: edit(DE, ['"The widget is jammed."', '"Das Widget klemmt."']), [at('ja-JP')]: JA }), [
      'ja-JP/widgets/frobnicate-errors.md:21:1: error `widget_jammed` example differs from de-DE (de-DE/widgets/frobnicate-errors.md:21): `error_description` is "The widget is jammed." here, "Das Widget klemmt." there. Make the example match the other locale; JSON examples are not translated. (response-disagrees)',
    ]);
  });
  it('response-missing: trips on an error example one locale lacks (and json-disagrees stays quiet about it)', () => {
    // Without a source, the Japanese heading's id `#widget-missing` was inferred from that example, so the in-page link loses it too.
    const ja = JA.replace(/```json\n\{\n {2}"error": "widget_missing"[\s\S]*?```\n/, '');
    assert.notEqual(ja, JA);
    assert.deepEqual(findings({ [at('de-DE')]: DE, [at('ja-JP')]: ja }), [
      'ja-JP/widgets/frobnicate-errors.md:1:1: error `widget_missing` is documented in de-DE (de-DE/widgets/frobnicate-errors.md:33) but not in this ja-JP page; add its example. (response-missing)',
      'ja-JP/widgets/frobnicate-errors.md:19:86: error Link anchor `#widget-missing` matches no heading of this page; did you mean `#widget-jammed`? (missing-anchor)',
    ]);
  });

  it('staleness-unchecked: said once when translations carry `ms.openlocfilehash` and there is no source', () => {
    const hash = (t: string) => edit(t, ['topics:', `ms.openlocfilehash: ${'a'.repeat(40)}\ntopics:`]);
    assert.deepEqual(findings({ [at('de-DE')]: hash(DE), [at('ja-JP')]: hash(JA) }), [
      'de-DE/widgets/frobnicate-errors.md:8:1: warning There is no source locale in the docs tree, so whether the translations are current cannot be checked (`ms.openlocfilehash` is the SHA-1 of the source file each was translated from). Add the source pages (`content/…` in the github/docs layout, or an `en/` folder) to check it. (staleness-unchecked)',
    ]);
  });
  it('staleness-unchecked: not said when no page records a hash', () => {
    assert.deepEqual(findings({ [at('de-DE')]: DE, [at('ja-JP')]: JA }), []);
  });
});

describe('validate rules: across locales (with a source locale)', () => {
  const hashed = (text: string, hash: string) => edit(text, ['topics:', `ms.openlocfilehash: ${hash}\ntopics:`]);

  it('json-disagrees, data-refs-disagree, links-disagree: trip on what a translation adds to its source section', () => {
    const de = edit(
      DE,
      ['{% data variables.product.widget_name %}.', '{% data variables.product.widget_name %} and {% data variables.product.gadget_name %}.'],
      ['## Widget fehlt\n', '## Widget fehlt\n\nSee [gadgets](/gadgets/list).\n\n```json\n{"add_widgets": ["one"]}\n```\n'],
    );
    const lines = findings({ [EN]: PAGE, [`de-DE/${PATH}`]: de });
    assert.deepEqual(lines.filter((l) => !l.endsWith('(staleness-unchecked)')), [
      "de-DE/widgets/frobnicate-errors.md:13:74: error `{% data variables.product.gadget_name %}` is not in en's text before the first heading (en/widgets/frobnicate-errors.md:11); use the same references as en. (data-refs-disagree)",
      "de-DE/widgets/frobnicate-errors.md:31:5: error Link to `/gadgets/list` is not in en's section `Widget missing` (en/widgets/frobnicate-errors.md:29); link to the same targets as en. (links-disagree)",
      "de-DE/widgets/frobnicate-errors.md:33:1: error The JSON block `{\"add_widgets\":[\"one\"]}` is not in en's section `Widget missing` (en/widgets/frobnicate-errors.md:29); remove it, or add it to the en page first. (json-disagrees)",
      'de-DE/widgets/frobnicate-errors.md:33:1: warning JSON example under `Widget fehlt` is not an error response (no string `error` member), so it is not part of the contract. Remove it if it does not belong on this page, or mark the fence as another language. (json-not-response)',
    ]);
  });
  it('links-disagree: trips on a link moved to another section, from both sides', () => {
    const de = `${edit(DE, ['See [the next section](#widget-missing).', ''])}\nSee [the next section](#widget-missing).\n`;
    const lines = findings({ [EN]: PAGE, [`de-DE/${PATH}`]: de });
    assert.deepEqual(lines.filter((l) => !l.endsWith('(staleness-unchecked)')), [
      // No `ms.openlocfilehash`: en may have gained the link since, which the message allows for.
      'de-DE/widgets/frobnicate-errors.md:17:1: error Section `Widget klemmt` lacks the link to `#widget-missing` that en has (en/widgets/frobnicate-errors.md:19); keep every link target when translating, or update the translation if en added it after it was made. (links-disagree)',
      "de-DE/widgets/frobnicate-errors.md:41:5: error Link to `#widget-missing` is not in en's section `Widget missing` (en/widgets/frobnicate-errors.md:29); link to the same targets as en. (links-disagree)",
    ]);
  });
  it('frontmatter-disagrees: trips on a topic the translation added, and says to copy it from the source', () => {
    const lines = findings({ [EN]: PAGE, [`de-DE/${PATH}`]: edit(DE, ['  - Widgets\n', '  - Widgets\n  - Gadgets\n']) });
    assert.deepEqual(lines.filter((l) => !l.endsWith('(staleness-unchecked)')), [
      'de-DE/widgets/frobnicate-errors.md:8:1: error Front-matter `topics` differs from en (en/widgets/frobnicate-errors.md:8): has `Gadgets` in addition. It is not translated, so it must be the same in every locale; copy it from en. (frontmatter-disagrees)',
    ]);
  });
  it('staleness-unchecked: trips once per locale on translations without `ms.openlocfilehash`, and on each translation without a source page', () => {
    const simple = (title: string, extra = '') => `---\ntitle: ${title}\nversions:\n  fpt: '*'\n${extra}---\nText.\n`;
    const lines = findings({
      [EN]: PAGE,
      [`de-DE/${PATH}`]: DE,
      'en/widgets/b.md': simple('B'),
      'de-DE/widgets/b.md': simple('B auf Deutsch'),
      'de-DE/widgets/orphan.md': simple('Verwaist', "ms.openlocfilehash: '0000000000000000000000000000000000000000'\n"),
    });
    assert.deepEqual(lines, [
      "de-DE/widgets/b.md:1:1: warning This translation has no `ms.openlocfilehash` (nor does 1 other de-DE page), so whether it is current cannot be checked; record the SHA-1 of the CRLF form of the en source it was translated from (the current en/widgets/b.md is `" + sha1Crlf(simple('B')) + "`). (staleness-unchecked)",
      "de-DE/widgets/orphan.md:5:1: warning This page has no en source (`widgets/orphan`), so whether this translation is current cannot be checked; add the source page, or remove the translation if the page was deleted. (staleness-unchecked)",
    ]);
    assert.deepEqual(findings({ [EN]: PAGE, [`de-DE/${PATH}`]: DE }), [
      `de-DE/widgets/frobnicate-errors.md:1:1: warning This translation has no \`ms.openlocfilehash\`, so whether it is current cannot be checked; record the SHA-1 of the CRLF form of the en source it was translated from (the current en/widgets/frobnicate-errors.md is \`${sha1Crlf(PAGE)}\`). (staleness-unchecked)`,
    ]);
  });
  it('translation-stale: not on a translation whose hash is its source\'s (the stale case is in validate-github-layout)', () => {
    assert.deepEqual(findings({ [EN]: PAGE, [`de-DE/${PATH}`]: hashed(DE, sha1Crlf(PAGE)) }), []);
    assert.deepEqual(findings({ [EN]: PAGE, [`de-DE/${PATH}`]: hashed(DE, sha1Crlf(PAGE).toUpperCase()) }), [], 'hex case does not matter');
  });
});

/** SHA-1 of the CRLF form of a text, computed here independently of the tool. */
function sha1Crlf(text: string): string {
  return createHash('sha1').update(Buffer.from(text.split('\n').join('\r\n'), 'utf8')).digest('hex');
}
