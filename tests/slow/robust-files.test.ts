/**
 * Files that are not Markdown pages: binary, invalid UTF-8, empty, 20 MB, a 100 000-line JSON
 * block. Each gives a diagnostic or a normal result, never an exception.
 *
 * The big ones run in a child process with a 384 MB heap (`--max-old-space-size`), so a memory
 * blow-up kills the child and fails the test instead of the machine; a 60 s timeout guards against
 * a hang (no timed assertion: a healthy run takes a few seconds). The child prints its peak RSS.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatText } from '../../scripts/lib/diagnostics.ts';
import { MAX_PAGE_BYTES, readDocsTree } from '../../scripts/lib/read.ts';
import { makeTree, pipelineOf } from '../unit/helpers.ts';

const HEAP_MB = 384;
const CHILD_TIMEOUT_MS = 60_000;

const lib = (name: string) => fileURLToPath(new URL(`../../scripts/lib/${name}`, import.meta.url));

/** In the child: read the tree, run the pipeline, print what was read, the diagnostics and the peak RSS. */
const CHILD = `
import { formatText } from ${JSON.stringify(lib('diagnostics.ts'))};
import { parsePage } from ${JSON.stringify(lib('parse.ts'))};
import { buildFrom, loadTree } from ${JSON.stringify(lib('pipeline.ts'))};
import { readDocsTree } from ${JSON.stringify(lib('read.ts'))};
const tree = readDocsTree(process.argv[1]);
const loaded = loadTree(tree, { cache: null }, parsePage);
const result = { models: loaded.models, diagnostics: buildFrom(loaded, { file: 'recipes.yaml', text: 'faults: {}\\nendpoints: {}\\n' }).diagnostics };
console.log(JSON.stringify({
  files: tree.files.map((f) => f.file),
  blocks: result.models.map((m) => m.jsonBlocks.map((b) => ({ line: b.line, parsed: 'value' in b }))),
  diagnostics: formatText(result.diagnostics),
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
}));
`;

interface ChildResult {
  files: string[];
  blocks: Array<Array<{ line: number; parsed: boolean }>>;
  diagnostics: string;
  maxRssMb: number;
}

/** Runs the whole pipeline over a tree in a child with a bounded heap; fails on a crash, an OOM or a hang. */
function runBounded(root: string, label: string): ChildResult {
  const child = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', '--input-type=module', '--eval', CHILD, root], {
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(child.signal, null, `${label}: the child was killed by ${child.signal} (over ${CHILD_TIMEOUT_MS / 1000} s?)\n${child.stderr}`);
  assert.equal(child.status, 0, `${label}: the child failed (out of its ${HEAP_MB} MB heap?)\n${child.stderr.slice(-2000)}`);
  const result = JSON.parse(child.stdout) as ChildResult;
  console.log(`${label}: peak RSS ${result.maxRssMb} MB with a ${HEAP_MB} MB heap`);
  return result;
}

const FILE = 'de-DE/widgets/frobnicate-errors.md';

describe('robust: files that are not Markdown pages', () => {
  it('reports binary, invalid UTF-8 and UTF-16 files at the first bad byte, and reads empty and BOM-only files as empty pages', () => {
    const root = makeTree({
      'de-DE/widgets/logo.md': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
      'de-DE/widgets/utf16.md': new Uint8Array([0xff, 0xfe, 0x23, 0x00, 0x20, 0x00, 0x41, 0x00]),
      'de-DE/widgets/overlong.md': new Uint8Array([0x23, 0x20, 0x41, 0x0a, 0xc0, 0x80, 0x0a]),
      'de-DE/widgets/surrogate.md': new Uint8Array([0x23, 0x0a, 0x0a, 0x41, 0xed, 0xa0, 0x80]),
      'de-DE/widgets/truncated.md': new Uint8Array([0x23, 0x20, 0xe3, 0x82]),
      'de-DE/widgets/empty.md': '',
      'de-DE/widgets/bom-only.md': new Uint8Array([0xef, 0xbb, 0xbf]),
    });
    const tree = readDocsTree(root);
    assert.deepEqual(
      tree.files.map((f) => [f.file, f.text]),
      [
        ['de-DE/widgets/bom-only.md', ''],
        ['de-DE/widgets/empty.md', ''],
      ],
    );
    assert.equal(
      formatText(tree.diagnostics),
      [
        'de-DE/widgets/logo.md:1:1: error `de-DE/widgets/logo.md` holds NUL bytes: it is binary, not a Markdown page. Remove it or rename it away from `.md`. (file-not-text)',
        'de-DE/widgets/overlong.md:2:1: error `de-DE/widgets/overlong.md` is not valid UTF-8 (first bad byte at offset 4); it is skipped. Re-save it as UTF-8. (file-not-text)',
        'de-DE/widgets/surrogate.md:3:1: error `de-DE/widgets/surrogate.md` is not valid UTF-8 (first bad byte at offset 4); it is skipped. Re-save it as UTF-8. (file-not-text)',
        'de-DE/widgets/truncated.md:1:1: error `de-DE/widgets/truncated.md` is not valid UTF-8 (first bad byte at offset 2); it is skipped. Re-save it as UTF-8. (file-not-text)',
        'de-DE/widgets/utf16.md:1:1: error `de-DE/widgets/utf16.md` holds NUL bytes: it is binary, not a Markdown page. Remove it or rename it away from `.md`. (file-not-text)',
      ].join('\n'),
    );
    const result = pipelineOf({ 'de-DE/widgets/empty.md': '', 'fr-FR/widgets/empty.md': '\uFEFF' });
    assert.equal(formatText(result.diagnostics).replace(/^recipes\.yaml.*\n?/gm, ''), '');
    assert.deepEqual(result.build.cases, []);
  });

  it('skips 20 MB files, text or binary, with a diagnostic naming the limit', () => {
    const size = 20 * 1024 * 1024;
    const root = makeTree({
      [FILE]: new Uint8Array(size).fill(0x61),
      'de-DE/widgets/binary.md': new Uint8Array(size),
      'de-DE/widgets/small.md': '## Widget jammed\n',
    });
    const result = runBounded(root, '20 MB files');
    assert.deepEqual(result.files, ['de-DE/widgets/small.md']);
    assert.equal(
      result.diagnostics,
      [
        `de-DE/widgets/binary.md:1:1: error \`de-DE/widgets/binary.md\` is 20.0 MiB, over the 1 MiB a page may have; it is skipped. Split it or move it out of the docs tree. (file-not-text)`,
        `${FILE}:1:1: error \`${FILE}\` is 20.0 MiB, over the 1 MiB a page may have; it is skipped. Split it or move it out of the docs tree. (file-not-text)`,
      ].join('\n'),
    );
  });

  it('a 100 000-line JSON block: parsed when the page is within the size limit, skipped with a diagnostic when over it', () => {
    // An array with one number per line stays under 1 MiB; an object with one member per line does not.
    const array = ['[', ...Array.from({ length: 99_998 }, (_, i) => `${i},`), '0]'];
    const members = Array.from({ length: 99_998 }, (_, i) => `  "widget_${i}": "synthetic value ${i}",`);
    const object = ['{', ...members.slice(0, -1), '  "error": "widget_jammed"', '}'];
    assert.equal(array.length, 100_000);
    assert.equal(object.length, 100_000);
    const fence = (lines: string[]) => `## Widget jammed\n\n\`\`\`json\n${lines.join('\n')}\n\`\`\`\n`;
    const within = fence(array);
    const over = fence(object);
    assert.ok(Buffer.byteLength(within) < MAX_PAGE_BYTES && Buffer.byteLength(over) > MAX_PAGE_BYTES);
    const root = makeTree({ [FILE]: within, 'fr-FR/widgets/frobnicate-errors.md': over });
    const result = runBounded(root, '100 000-line JSON blocks');
    assert.deepEqual(result.files, [FILE]);
    assert.deepEqual(result.blocks, [[{ line: 3, parsed: true }]]);
    assert.equal(
      result.diagnostics,
      [
        // The array is not an error response, but the page documents none, so that is not reported.
        `fr-FR/widgets/frobnicate-errors.md:1:1: error \`fr-FR/widgets/frobnicate-errors.md\` is ${(Buffer.byteLength(over) / 1048576).toFixed(1)} MiB, over the 1 MiB a page may have; it is skipped. Split it or move it out of the docs tree. (file-not-text)`,
      ].join('\n'),
    );
  });

  it('a page just under the size limit, dense with headings, links, code and Liquid, parses within the bounded heap', () => {
    // The limit exists because remark needs about 300 MB per MiB of Markdown: this page proves it is low enough.
    const section = (n: number) =>
      `## Widget section ${n}\n\nSynthetic prose about \`widget_jammed\`, [a link](/widgets/frobnicate-errors#widget-jammed) and {% data variables.product.prodname_widgets %}.\n\n`;
    let text = '';
    for (let n = 0; Buffer.byteLength(text) < MAX_PAGE_BYTES - 200; n++) text += section(n);
    const root = makeTree({ [FILE]: text });
    const result = runBounded(root, `a ${(Buffer.byteLength(text) / 1048576).toFixed(2)} MiB page`);
    assert.deepEqual(result.files, [FILE]);
    assert.equal(result.diagnostics, '');
  });
});
