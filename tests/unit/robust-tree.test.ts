/**
 * Docs trees that are awkward on disk: symlink loops, files that cannot be read, things named
 * `.md` that are not files, names with spaces and non-ASCII, two files for one page. Each is
 * handled (the rest of the tree is read) and reported with the file and the fix.
 * (read.test.ts already covers a folder loop, a dangling link, a FIFO and a stray page.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatText } from '../../scripts/lib/diagnostics.ts';
import { readDocsTree } from '../../scripts/lib/read.ts';
import { makeTree, pipelineOf, widgetPage } from './helpers.ts';

const lib = (name: string) => fileURLToPath(new URL(`../../scripts/lib/${name}`, import.meta.url));

/** The user the unreadable-file test drops to when it runs as root (`nobody` on most systems). */
const UNPRIVILEGED = 65534;

describe('robust: awkward docs trees', () => {
  it('reports a pair of links pointing at each other, and a loop two folders down, and reads the rest', () => {
    const root = makeTree({ 'de-DE/widgets/a.md': '# A\n', 'de-DE/widgets/deep/er/b.md': '# B\n' });
    symlinkSync('loop-b.md', path.join(root, 'de-DE/widgets/loop-a.md'));
    symlinkSync('loop-a.md', path.join(root, 'de-DE/widgets/loop-b.md'));
    symlinkSync('../..', path.join(root, 'de-DE/widgets/deep/er/up'));
    const tree = readDocsTree(root);
    assert.deepEqual(
      tree.files.map((f) => f.file),
      ['de-DE/widgets/a.md', 'de-DE/widgets/deep/er/b.md'],
    );
    assert.equal(
      formatText(tree.diagnostics),
      [
        'de-DE/widgets/deep/er/up:1:1: warning `de-DE/widgets/deep/er/up` leads back to a folder already read (a symlink loop); it is skipped. Remove the link or point it elsewhere. (docs-unreadable)',
        'de-DE/widgets/loop-a.md:1:1: error `de-DE/widgets/loop-a.md` (a link) cannot be read (ELOOP); break the symlink loop. (docs-unreadable)',
        'de-DE/widgets/loop-b.md:1:1: error `de-DE/widgets/loop-b.md` (a link) cannot be read (ELOOP); break the symlink loop. (docs-unreadable)',
      ].join('\n'),
    );
  });

  it('reports a page and a folder without read permission (as root: by dropping to an unprivileged user in a child process)', () => {
    // Root reads anything whatever the mode bits, so as root the reader runs in a child that
    // first gives up root (setgid/setuid); as any other user the mode bits alone suffice.
    const root = makeTree({ 'de-DE/widgets/a.md': '# A\n', 'de-DE/widgets/secret.md': '# Secret\n', 'de-DE/widgets/locked/b.md': '# B\n' });
    chmodSync(root, 0o755);
    chmodSync(path.join(root, 'de-DE/widgets/secret.md'), 0o000);
    chmodSync(path.join(root, 'de-DE/widgets/locked'), 0o000);
    try {
      let report: { files: string[]; diagnostics: string };
      if (process.getuid?.() === 0) {
        const child = spawnSync(
          process.execPath,
          [
            '--import',
            'tsx',
            '--input-type=module',
            '--eval',
            `import { formatText } from ${JSON.stringify(lib('diagnostics.ts'))};
import { readDocsTree } from ${JSON.stringify(lib('read.ts'))};
process.setgid(${UNPRIVILEGED});
process.setuid(${UNPRIVILEGED});
const tree = readDocsTree(process.argv[1]);
console.log(JSON.stringify({ files: tree.files.map((f) => f.file), diagnostics: formatText(tree.diagnostics) }));`,
            root,
          ],
          { encoding: 'utf8', timeout: 60_000 },
        );
        assert.equal(child.status, 0, child.stderr);
        report = JSON.parse(child.stdout) as typeof report;
      } else {
        const tree = readDocsTree(root);
        report = { files: tree.files.map((f) => f.file), diagnostics: formatText(tree.diagnostics) };
      }
      assert.deepEqual(report.files, ['de-DE/widgets/a.md']);
      assert.equal(
        report.diagnostics,
        [
          'de-DE/widgets/locked:1:1: error `de-DE/widgets/locked` (a folder) cannot be read (EACCES); give the reader permission. (docs-unreadable)',
          'de-DE/widgets/secret.md:1:1: error `de-DE/widgets/secret.md` (a page) cannot be read (EACCES); give the reader permission. (docs-unreadable)',
        ].join('\n'),
      );
    } finally {
      // Let the temp folder be removed.
      chmodSync(path.join(root, 'de-DE/widgets/locked'), 0o755);
    }
  });

  it('reads a folder named like a page as a folder, and skips a socket named like a page', async () => {
    const root = makeTree({ 'de-DE/widgets/folder.md/inner.md': '# Inner\n' });
    mkdirSync(path.join(root, 'de-DE/widgets/empty.md'));
    const socket = createServer();
    await new Promise<void>((resolve) => socket.listen(path.join(root, 'de-DE/widgets/socket.md'), resolve));
    try {
      const tree = readDocsTree(root);
      assert.deepEqual(
        tree.files.map((f) => [f.file, f.page]),
        [['de-DE/widgets/folder.md/inner.md', 'widgets/folder.md/inner']],
      );
      assert.equal(
        formatText(tree.diagnostics),
        "de-DE/widgets/socket.md:1:1: warning `de-DE/widgets/socket.md` is not a regular file (a pipe, socket or device); it is skipped. Replace it with the page's text. (docs-unreadable)",
      );
    } finally {
      await new Promise((resolve) => socket.close(resolve));
    }
  });

  it('generates cases for pages named with spaces, non-ASCII and URL characters, their anchors resolved through percent-encoded paths', () => {
    const names: Array<[string, string]> = [
      ['widgets/with space', '/widgets/with%20space'],
      ['widgets/größe', '/widgets/gr%C3%B6%C3%9Fe'],
      ['widgets/ウィジェット', '/widgets/%E3%82%A6%E3%82%A3%E3%82%B8%E3%82%A7%E3%83%83%E3%83%88'],
      ['widgets/100% #1', '/widgets/100%25%20%231'],
    ];
    const files: Record<string, string> = {};
    for (const [page, uri] of names) {
      const text = widgetPage({ page: 'x', sections: [['Widget jammed', 'widget_jammed', 'widget-jammed']] }).replace('/x#', `${uri}#`);
      files[`de-DE/${page}.md`] = text;
      files[`fr-FR/${page}.md`] = text;
    }
    const result = pipelineOf(files);
    assert.equal(formatText(result.diagnostics), 'recipes.yaml:19:1: warning error `widget_missing` of endpoint `widgets` matches no documented error; remove it, or document the error in the docs. (recipe-unused)');
    assert.deepEqual(
      result.build.cases.map((c) => [c.id, c.schema.file, c.errorUri.targetPage, c.anchors['de-DE']?.status, c.anchors['fr-FR']?.status]),
      [
        ['widgets/100% #1#widget_jammed', 'schemas/widgets/100~0025~0020~00231/widget_jammed.schema.json', 'widgets/100% #1', 'confirmed', 'confirmed'],
        ['widgets/größe#widget_jammed', 'schemas/widgets/größe/widget_jammed.schema.json', 'widgets/größe', 'confirmed', 'confirmed'],
        ['widgets/with space#widget_jammed', 'schemas/widgets/with~0020space/widget_jammed.schema.json', 'widgets/with space', 'confirmed', 'confirmed'],
        ['widgets/ウィジェット#widget_jammed', 'schemas/widgets/ウィジェット/widget_jammed.schema.json', 'widgets/ウィジェット', 'confirmed', 'confirmed'],
      ],
    );
  });

  it('page-duplicate: trips on `x.md` beside `x/index.md` in one locale, keeping the first; not on the same page in two locales', () => {
    const result = pipelineOf({
      'de-DE/widgets/frobnicate-errors.md': widgetPage({}),
      'de-DE/widgets/frobnicate-errors/index.md': widgetPage({}),
      'fr-FR/widgets/frobnicate-errors/index.md': widgetPage({}),
    });
    assert.equal(
      formatText(result.diagnostics),
      'de-DE/widgets/frobnicate-errors/index.md:1:1: error `de-DE/widgets/frobnicate-errors/index.md` is the same page as `de-DE/widgets/frobnicate-errors.md` (`/widgets/frobnicate-errors`), so it is skipped. Keep one of the two files. (page-duplicate)',
    );
    assert.deepEqual(
      result.build.cases.map((c) => [c.id, c.sources.map((s) => s.file)]),
      [
        ['widgets/frobnicate-errors#widget_jammed', ['de-DE/widgets/frobnicate-errors.md', 'fr-FR/widgets/frobnicate-errors/index.md']],
        ['widgets/frobnicate-errors#widget_missing', ['de-DE/widgets/frobnicate-errors.md', 'fr-FR/widgets/frobnicate-errors/index.md']],
      ],
    );
  });
});
