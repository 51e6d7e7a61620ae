import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { formatText } from '../../scripts/lib/diagnostics.ts';
import { isLocaleCode, readDocsTree } from '../../scripts/lib/read.ts';
import { UsageError } from '../../scripts/lib/util.ts';
import { makeTree, widgetPage } from './helpers.ts';

describe('read: layouts', () => {
  it('reads <locale>/<path>.md, with the page identity relative to the locale root', () => {
    const root = makeTree({
      'fr-FR/widgets/frobnicate-errors.md': widgetPage({}),
      'fr-FR/widgets/index.md': '# Widgets\n',
      'ja-JP/widgets/frobnicate-errors.md': widgetPage({}),
      'fr-FR/widgets/notes.txt': 'not a page',
    });
    const tree = readDocsTree(root);
    assert.equal(tree.layout, 'locale-folders');
    assert.deepEqual(tree.locales, ['fr-FR', 'ja-JP']);
    assert.equal(tree.sourceLocale, null);
    assert.deepEqual(
      tree.files.map((f) => [f.file, f.locale, f.page]),
      [
        ['fr-FR/widgets/frobnicate-errors.md', 'fr-FR', 'widgets/frobnicate-errors'],
        ['fr-FR/widgets/index.md', 'fr-FR', 'widgets'],
        ['ja-JP/widgets/frobnicate-errors.md', 'ja-JP', 'widgets/frobnicate-errors'],
      ],
    );
  });

  it('reads the github/docs layout: content/ is the source locale `en`, translations/<locale>/content/ the others', () => {
    const root = makeTree({
      'content/widgets/frobnicate-errors.md': widgetPage({}),
      'translations/de-DE/content/widgets/frobnicate-errors.md': widgetPage({}),
      'translations/ja-JP/content/widgets/frobnicate-errors.md': widgetPage({}),
      'data/reusables/widgets/intro.md': 'Not a page.',
    });
    const tree = readDocsTree(root);
    assert.equal(tree.layout, 'github-docs');
    assert.equal(tree.sourceLocale, 'en');
    assert.deepEqual(tree.locales, ['de-DE', 'en', 'ja-JP']);
    assert.deepEqual(
      tree.files.map((f) => [f.file, f.locale, f.page]),
      [
        ['content/widgets/frobnicate-errors.md', 'en', 'widgets/frobnicate-errors'],
        ['translations/de-DE/content/widgets/frobnicate-errors.md', 'de-DE', 'widgets/frobnicate-errors'],
        ['translations/ja-JP/content/widgets/frobnicate-errors.md', 'ja-JP', 'widgets/frobnicate-errors'],
      ],
    );
  });

  it('treats an `en` folder as the source locale in the locale-folder layout', () => {
    const tree = readDocsTree(makeTree({ 'en/widgets/a.md': '# A\n', 'de-DE/widgets/a.md': '# A\n' }));
    assert.equal(tree.sourceLocale, 'en');
  });

  it('refuses the content/ folder of a github/docs checkout, naming the --docs meant', () => {
    const root = makeTree({
      'content/widgets/frobnicate-errors.md': widgetPage({}),
      'content/index.md': '# Widgets\n',
      'translations/de-DE/content/widgets/frobnicate-errors.md': widgetPage({}),
      'data/variables/product.yml': 'widget: Widget\n',
    });
    const content = path.join(root, 'content');
    assert.throws(() => readDocsTree(content), UsageError);
    assert.throws(() => readDocsTree(content), {
      message: `\`${content}\` is a content folder of a github/docs checkout, not a folder of locale folders; did you mean \`--docs=${root}\`? (its English pages are read from content/, each translation from translations/<locale>/content/)`,
    });
    // The parent it names reads as the github/docs layout; a translation's content folder names the same checkout.
    assert.equal(readDocsTree(root).layout, 'github-docs');
    const translated = path.join(root, 'translations', 'de-DE', 'content');
    assert.throws(() => readDocsTree(translated), { message: new RegExp(`; did you mean \`--docs=${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`\\?`) });
  });

  it('refuses a folder none of whose folders is a locale code, and names the parent of one locale\'s folder', () => {
    const root = makeTree({ 'widgets/a.md': '# A\n', 'gadgets/b.md': '# B\n', 'get-started/c.md': '# C\n', 'more/d.md': '# D\n' });
    assert.throws(() => readDocsTree(root), UsageError);
    assert.throws(() => readDocsTree(root), {
      message: `no locale folders in \`${root}\`: its folders (\`gadgets\`, \`get-started\`, \`more\`, …) are not locale codes such as \`en\` or \`fr-FR\`; expected <locale>/<path>.md (e.g. fr-FR/page.md) or a github/docs checkout (content/<path>.md)`,
    });
    const docs = makeTree({ 'xx-XX/widgets/a.md': '# A\n' });
    const one = path.join(docs, 'xx-XX');
    assert.throws(() => readDocsTree(one), { message: new RegExp(`; did you mean \`--docs=${docs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`\\? \\(\`xx-XX\` is one locale's folder\\)`) });
  });

  it('skips a folder beside the locale folders that is not a locale code, saying so', () => {
    const tree = readDocsTree(makeTree({ 'xx-XX/widgets/a.md': '# A\n', 'images/widgets.md': '# Not a locale\n' }));
    assert.deepEqual(tree.locales, ['xx-XX']);
    assert.deepEqual(tree.files.map((f) => f.file), ['xx-XX/widgets/a.md']);
    assert.equal(
      formatText(tree.diagnostics),
      'images:1:1: warning `images/` is not a locale code (such as `en` or `fr-FR`), so its pages are skipped. Move them into a locale folder, or the folder out of the docs tree. (docs-unreadable)',
    );
  });

  it('takes locale codes as docs trees name their folders', () => {
    for (const code of ['en', 'fr-FR', 'zh-Hans-CN', 'es-419', 'pt-br', 'xx-XX']) assert.ok(isLocaleCode(code), code);
    for (const name of ['widgets', 'get-started', 'content', 'EN', 'en_US', 'en-']) assert.ok(!isLocaleCode(name), name);
  });

  it('throws a usage error for a missing folder or one without locales', () => {
    assert.throws(() => readDocsTree('no/such/docs'), UsageError);
    assert.throws(() => readDocsTree(makeTree({ 'page.md': '# A\n' })), /no locale folders in `.+`; expected <locale>\/<path>\.md \(e\.g\. fr-FR\/page\.md\) or content\/<path>\.md/);
  });
});

describe('read: files that are not pages', () => {
  it('reports binary, invalid UTF-8 and misplaced files, and reads names with spaces and non-ASCII', () => {
    const root = makeTree({
      'de-DE/widgets/binary.md': new Uint8Array([0x23, 0x20, 0x00, 0x01, 0x02]),
      'de-DE/widgets/latin1.md': new Uint8Array([0x23, 0x20, 0x41, 0x0a, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]),
      'de-DE/widgets/empty.md': '',
      'de-DE/widgets/with space.md': '# With space\n',
      'de-DE/widgets/größe.md': '# Größe\n',
      'stray.md': '# Stray\n',
    });
    const tree = readDocsTree(root);
    assert.deepEqual(
      tree.files.map((f) => f.file),
      ['de-DE/widgets/empty.md', 'de-DE/widgets/größe.md', 'de-DE/widgets/with space.md'],
    );
    assert.equal(
      formatText(tree.diagnostics),
      [
        'stray.md:1:1: warning `stray.md` is not inside a locale folder, so its locale is unknown and it is skipped. Move it to `<locale>/stray.md`. (docs-unreadable)',
        'de-DE/widgets/binary.md:1:1: error `de-DE/widgets/binary.md` holds NUL bytes: it is binary, not a Markdown page. Remove it or rename it away from `.md`. (file-not-text)',
        'de-DE/widgets/latin1.md:3:1: error `de-DE/widgets/latin1.md` is not valid UTF-8 (first bad byte at offset 8); it is skipped. Re-save it as UTF-8. (file-not-text)',
      ].join('\n'),
    );
  });

  it('reports a symlink loop once and a dangling link, and does not hang', () => {
    const root = makeTree({ 'de-DE/widgets/a.md': '# A\n' });
    symlinkSync('..', path.join(root, 'de-DE/widgets/loop'));
    symlinkSync('missing.md', path.join(root, 'de-DE/widgets/dangling.md'));
    const tree = readDocsTree(root);
    assert.deepEqual(
      tree.files.map((f) => f.file),
      ['de-DE/widgets/a.md'],
    );
    assert.equal(
      formatText(tree.diagnostics),
      [
        'de-DE/widgets/dangling.md:1:1: error `de-DE/widgets/dangling.md` (a link) cannot be read (ENOENT); fix or remove the dangling link. (docs-unreadable)',
        'de-DE/widgets/loop:1:1: warning `de-DE/widgets/loop` leads back to a folder already read (a symlink loop); it is skipped. Remove the link or point it elsewhere. (docs-unreadable)',
      ].join('\n'),
    );
  });

  it('skips a named pipe instead of blocking on it', () => {
    const root = makeTree({ 'de-DE/a.md': '# A\n' });
    execFileSync('mkfifo', [path.join(root, 'de-DE/pipe.md')]);
    const tree = readDocsTree(root);
    assert.deepEqual(
      tree.files.map((f) => f.file),
      ['de-DE/a.md'],
    );
    assert.equal(formatText(tree.diagnostics), "de-DE/pipe.md:1:1: warning `de-DE/pipe.md` is not a regular file (a pipe, socket or device); it is skipped. Replace it with the page's text. (docs-unreadable)");
  });
});
