/**
 * `npm run validate` end to end: files written to a temp dir, the command run, exit code and
 * output asserted exactly, for each format, --strict, --locale, the baseline and usage errors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { filesToCheck, run } from '../../scripts/cli/validate.ts';
import { ParseCache } from '../../scripts/lib/cache.ts';
import { readDocsTree } from '../../scripts/lib/read.ts';
import { parseBaseline, TODO_REASON } from '../../scripts/lib/baseline.ts';
import { BASELINE_FILE, UsageError } from '../../scripts/lib/util.ts';
import { fromCwd, makeTree, WARNING_PAGE as PAGE } from './helpers.ts';

const BROKEN = PAGE.replace('## Widget jammed\n', '## Widget jammed\n\n{% notte %}\n');
const DE = 'de-DE/widgets/frobnicate-errors.md';
const JA = 'ja-JP/widgets/frobnicate-errors.md';

const LIQUID = `${DE}:8:1: error Liquid tag \`{% notte %}\` is not one GitHub docs renders; did you mean \`{% note %}\`? (liquid-unknown-tag)`;
const STRAY = (file: string, line: number) =>
  `${file}:${line}:1: warning JSON example under \`Widget jammed\` is not an error response (no string \`error\` member), so it is not part of the contract. Remove it if it does not belong on this page, or mark the fence as another language. (json-not-response)`;

function tree(): string {
  return makeTree({ [DE]: BROKEN, [JA]: PAGE });
}

/** Runs validate, collecting stdout and stderr lines. */
function validate(args: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('validate CLI: formats', () => {
  it('text: one line per finding, `file:line:column: severity message (rule)`, then a summary; exit 1 on an error', () => {
    const root = tree();
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline']), {
      code: 1,
      out: fromCwd(root, [LIQUID, STRAY(DE, 14), STRAY(JA, 12), 'validate: 1 error, 2 warnings (2 files: de-DE, ja-JP).'].join('\n')),
      err: '',
    });
  });

  it('text names each file from the folder the command runs in, wherever --docs is; JSON keeps it relative to the docs folder', () => {
    const parent = makeTree({ [`widgets-docs/${DE}`]: BROKEN, 'elsewhere/.keep': '' });
    const here = process.cwd();
    process.chdir(path.join(parent, 'elsewhere'));
    try {
      const text = validate(['--docs=../widgets-docs', '--no-baseline', '--quiet']).out.split('\n')[0];
      assert.equal(text, `../widgets-docs/${LIQUID}`);
      const json = JSON.parse(validate(['--docs=../widgets-docs', '--no-baseline', '--quiet', '--format=json']).out) as Array<{ file: string }>;
      assert.deepEqual(json.map((d) => d.file), [DE]);
    } finally {
      process.chdir(here);
    }
  });

  it('json: one array of {file, line, column, locale, severity, rule, message} on stdout, nothing else; the summary on stderr', () => {
    const root = tree();
    const result = validate([`--docs=${root}`, '--no-baseline', '--format=json']);
    assert.equal(result.code, 1);
    assert.equal(result.err, 'validate: 1 error, 2 warnings (2 files: de-DE, ja-JP).');
    const parsed: unknown = JSON.parse(result.out);
    assert.deepEqual(parsed, [
      { file: DE, line: 8, column: 1, locale: 'de-DE', severity: 'error', rule: 'liquid-unknown-tag', message: 'Liquid tag `{% notte %}` is not one GitHub docs renders; did you mean `{% note %}`?' },
      { file: DE, line: 14, column: 1, locale: 'de-DE', severity: 'warning', rule: 'json-not-response', message: STRAY(DE, 14).replace(/^.*?warning (.*) \(json-not-response\)$/, '$1') },
      { file: JA, line: 12, column: 1, locale: 'ja-JP', severity: 'warning', rule: 'json-not-response', message: STRAY(JA, 12).replace(/^.*?warning (.*) \(json-not-response\)$/, '$1') },
    ]);
  });

  it('json: an empty array when clean', () => {
    const root = makeTree({ [JA]: PAGE.replace(/```json\n\{"add_widgets"[\s\S]*?```\n/, '') });
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline', '--format=json']), { code: 0, out: '[]', err: 'validate: 0 errors, 0 warnings (1 file: ja-JP).' });
  });

  it('github: one workflow command per finding, with the file path from the repository', () => {
    const root = tree();
    const prefix = path.relative(process.cwd(), root).split(path.sep).join('/');
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline', '--format=github', '--locale=de-DE']), {
      code: 1,
      out: [
        // `%` is escaped as `%25` in workflow command data, as the Actions toolkit does.
        `::error file=${prefix}/${DE},line=8,col=1,title=liquid-unknown-tag::Liquid tag \`{%25 notte %25}\` is not one GitHub docs renders; did you mean \`{%25 note %25}\`?`,
        `::warning file=${prefix}/${DE},line=14,col=1,title=json-not-response::${STRAY(DE, 14).replace(/^.*?warning (.*) \(json-not-response\)$/, '$1')}`,
        'validate: 1 error, 1 warning (1 file: de-DE).',
      ].join('\n'),
      err: '',
    });
  });
});

describe('validate CLI: --strict and --locale', () => {
  it('warnings alone exit 0, and 1 with --strict', () => {
    const root = tree();
    const expected = fromCwd(root, [STRAY(JA, 12), 'validate: 0 errors, 1 warning (1 file: ja-JP).'].join('\n'));
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline', '--locale=ja-JP']), { code: 0, out: expected, err: '' });
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline', '--locale=ja-JP', '--strict']), { code: 1, out: expected, err: '' });
  });

  it('--locale keeps a cross-locale finding of another locale\'s file that names it', () => {
    const root = makeTree({ [DE]: PAGE, [JA]: PAGE.replace('"The widget is jammed."', '"Das Widget klemmt."') });
    const disagrees = `${JA}:8:1: error \`widget_jammed\` example differs from de-DE (${DE}:8): \`error_description\` is "Das Widget klemmt." here, "The widget is jammed." there. Make the example match the other locale; JSON examples are not translated. (response-disagrees)`;
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline', '--locale=de-DE']), {
      code: 1,
      out: fromCwd(root, [STRAY(DE, 12), disagrees, 'validate: 1 error, 1 warning (1 file: de-DE).'].join('\n')),
      err: '',
    });
  });

  it('--quiet shows errors only; the summary still counts what is shown', () => {
    const root = tree();
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline', '--quiet']), { code: 1, out: fromCwd(root, [LIQUID, 'validate: 1 error, 0 warnings (2 files: de-DE, ja-JP).'].join('\n')), err: '' });
  });

  it('--locale with a source locale parses only that locale and the source', () => {
    const broken = "---\ntitle: Broken\nversions:\n  fpt: '*'\n---\n```\nunclosed\n";
    const root = makeTree({ 'content/widgets/index.md': "---\ntitle: Widgets\nversions:\n  fpt: '*'\n---\n## Widgets\n", 'translations/xx-XX/content/widgets/index.md': "---\ntitle: Widgets\nversions:\n  fpt: '*'\n---\n## Widgets\n", 'translations/yy-YY/content/widgets/index.md': broken });
    const tree = readDocsTree(root);
    assert.deepEqual(filesToCheck(tree, new Set(['xx-XX'])).map((f) => f.file), ['content/widgets/index.md', 'translations/xx-XX/content/widgets/index.md']);
    assert.equal(validate([`--docs=${root}`, '--no-baseline', '--locale=xx-XX', '--no-cache']).out.split('\n').at(-1), 'validate: 0 errors, 1 warning (1 file: xx-XX).');
    assert.match(validate([`--docs=${root}`, '--no-baseline', '--no-cache']).out, /yy-YY.*unterminated-fence/);
  });

  it('--locale parses only the pages of that locale and its source: the pages of the others are never parsed', () => {
    const page = "---\ntitle: Widgets\nversions:\n  fpt: '*'\n---\n## Widgets\n";
    const root = makeTree({ 'content/widgets/index.md': page, 'translations/xx-XX/content/widgets/index.md': page, 'translations/yy-YY/content/widgets/index.md': page });
    const cache = makeTree({});
    validate([`--docs=${root}`, '--no-baseline', '--locale=xx-XX', `--cache=${cache}`]);
    // The cache holds exactly the pages the run parsed (or took from it): those of en and xx-XX.
    const tree = readDocsTree(root);
    const after = ParseCache.open(cache, root, tree.site?.digest);
    assert.deepEqual(
      tree.files.map((f) => [f.locale, after.get(f) === undefined ? 'not parsed' : 'parsed']),
      [
        ['en', 'parsed'],
        ['xx-XX', 'parsed'],
        ['yy-YY', 'not parsed'],
      ],
    );
  });

  it('an unknown locale is a usage error listing the locales present', () => {
    const root = tree();
    assert.throws(
      () => validate([`--docs=${root}`, '--locale=xx-XX']),
      (e: unknown) => e instanceof UsageError && e.message === `unknown locale \`xx-XX\`; the docs in \`${root}\` have \`de-DE\`, \`ja-JP\`\nusage: docs-contract validate [--docs=DIR] [--locale=L …] [--format=text|json|github|sarif] [--strict] [--quiet] [--baseline=FILE | --no-baseline] [--update-baseline] [--cache=DIR | --no-cache]`,
    );
  });

  it('other usage errors: a format, a flag, a docs folder that do not exist, and conflicting flags', () => {
    const root = tree();
    const usage = '\nusage: docs-contract validate [--docs=DIR] [--locale=L …] [--format=text|json|github|sarif] [--strict] [--quiet] [--baseline=FILE | --no-baseline] [--update-baseline] [--cache=DIR | --no-cache]';
    const throwsUsage = (args: string[], message: string) =>
      assert.throws(() => validate(args), (e: unknown) => e instanceof UsageError && e.message === message, message);
    throwsUsage([`--docs=${root}`, '--format=xml'], `--format must be text, json, github or sarif, not \`xml\`${usage}`);
    throwsUsage([`--docs=${root}`, '--bogus'], `Unknown option '--bogus'${usage}`);
    throwsUsage([`--docs=${root}/nowhere`], `docs folder \`${root}/nowhere\` does not exist; pass --docs=DIR with a folder of <locale>/<path>.md pages or a github/docs checkout`);
    throwsUsage([`--docs=${root}`, '--update-baseline', '--locale=de-DE'], `--update-baseline records the findings of every locale; drop --locale${usage}`);
    throwsUsage([`--docs=${root}`, '--update-baseline', '--no-baseline'], `--update-baseline writes the baseline; drop --no-baseline${usage}`);
  });
});

describe('validate CLI: the baseline', () => {
  it('--update-baseline accepts every finding; validate then passes; an edit elsewhere in the page keeps them accepted', () => {
    const root = tree();
    const file = path.join(root, 'baseline.yaml');
    assert.deepEqual(validate([`--docs=${root}`, `--baseline=${file}`, '--update-baseline']), {
      code: 0,
      out: `validate: wrote ${file}: 3 entries (0 kept, 3 added, 0 removed). Replace each \`${TODO_REASON}\` with the reason.`,
      err: '',
    });
    const baseline = parseBaseline(readFileSync(file, 'utf8'), file);
    assert.equal(baseline.docs, root);
    assert.deepEqual(
      baseline.entries.map((e) => [e.rule, e.file, e.locale, e.reason]),
      [
        ['liquid-unknown-tag', DE, 'de-DE', TODO_REASON],
        ['json-not-response', DE, 'de-DE', TODO_REASON],
        ['json-not-response', JA, 'ja-JP', TODO_REASON],
      ],
    );
    assert.deepEqual(validate([`--docs=${root}`, `--baseline=${file}`, '--strict']), { code: 0, out: `validate: 0 errors, 0 warnings (2 files: de-DE, ja-JP); 3 accepted by ${file}.`, err: '' });

    // Lines move: the findings are the same, so still accepted.
    writeFileSync(path.join(root, JA), PAGE.replace('## Widget jammed\n', '## Widget jammed\n\nSynthetic text.\n\nMore of it.\n'));
    assert.deepEqual(validate([`--docs=${root}`, `--baseline=${file}`, '--strict']).code, 0);
  });

  it('reports entries that match nothing any more (failing only under --strict), and new findings', () => {
    const root = tree();
    const file = path.join(root, 'baseline.yaml');
    validate([`--docs=${root}`, `--baseline=${file}`, '--update-baseline']);
    writeFileSync(path.join(root, DE), PAGE); // fixes the Liquid error
    writeFileSync(path.join(root, JA), PAGE.replace('"The widget is jammed."', '"Das Widget klemmt."')); // a new error
    const stale = `${file}:8:1: warning Baseline entry \`liquid-unknown-tag\` for \`${DE}\` matches no finding any more; remove it, or run \`npm run validate -- --update-baseline\`. (baseline-stale)`;
    const disagrees = `${JA}:8:1: error \`widget_jammed\` example differs from de-DE (${DE}:8): \`error_description\` is "Das Widget klemmt." here, "The widget is jammed." there. Make the example match the other locale; JSON examples are not translated. (response-disagrees)`;
    assert.deepEqual(validate([`--docs=${root}`, `--baseline=${file}`]), {
      code: 1,
      out: fromCwd(root, [disagrees, stale, `validate: 1 error, 1 warning (2 files: de-DE, ja-JP); 2 accepted by ${file}.`].join('\n')),
      err: '',
    });
    writeFileSync(path.join(root, JA), PAGE);
    assert.deepEqual(validate([`--docs=${root}`, `--baseline=${file}`]), { code: 0, out: [stale, `validate: 0 errors, 1 warning (2 files: de-DE, ja-JP); 2 accepted by ${file}.`].join('\n'), err: '' });
    assert.equal(validate([`--docs=${root}`, `--baseline=${file}`, '--strict']).code, 1);
  });

  it('--update-baseline keeps the reasons of entries that still match and drops the others', () => {
    const root = tree();
    const file = path.join(root, 'baseline.yaml');
    validate([`--docs=${root}`, `--baseline=${file}`, '--update-baseline']);
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll(`"${TODO_REASON}"`, 'Synthetic reason kept on purpose.'));
    writeFileSync(path.join(root, DE), PAGE);
    assert.deepEqual(validate([`--docs=${root}`, `--baseline=${file}`, '--update-baseline']), { code: 0, out: `validate: wrote ${file}: 2 entries (2 kept, 0 added, 1 removed).`, err: '' });
    assert.deepEqual(
      parseBaseline(readFileSync(file, 'utf8'), file).entries.map((e) => [e.file, e.reason]),
      [
        [DE, 'Synthetic reason kept on purpose.'],
        [JA, 'Synthetic reason kept on purpose.'],
      ],
    );
  });

  it('a baseline for other docs: the default one is not applied (and says so), an explicit one is a usage error', () => {
    const root = tree();
    assert.deepEqual(validate([`--docs=${root}`, '--locale=ja-JP']), {
      code: 0,
      out: fromCwd(root, [STRAY(JA, 12), `validate: 0 errors, 1 warning (1 file: ja-JP); baseline ${BASELINE_FILE} not applied (it is for \`docs\`).`].join('\n')),
      err: '',
    });
    assert.throws(
      () => validate([`--docs=${root}`, `--baseline=${BASELINE_FILE}`]),
      (e: unknown) => e instanceof UsageError && e.message === `baseline \`${BASELINE_FILE}\` is for the docs in \`docs\`, not \`${root}\`; pass the matching --docs, or another --baseline`,
    );
    assert.throws(
      () => validate([`--docs=${root}`, `--baseline=${root}/none.yaml`]),
      (e: unknown) => e instanceof UsageError && e.message === `baseline file \`${root}/none.yaml\` does not exist; create it with --update-baseline, or drop --baseline`,
    );
  });

  it('a malformed baseline is a usage error naming its line', () => {
    const root = tree();
    const file = path.join(root, 'baseline.yaml');
    const entry = (fingerprint: string) => `docs: ${root}\naccepted:\n  - rule: json-not-response\n    file: ${JA}\n    fingerprint: ${fingerprint}\n    reason: Synthetic.\n`;
    writeFileSync(file, entry('not-hex'));
    assert.throws(() => validate([`--docs=${root}`, `--baseline=${file}`]), (e: unknown) => e instanceof UsageError && e.message === `${file}:3: \`fingerprint\` \`not-hex\` is not 16 hex digits; fix it, or rewrite the file with \`npm run validate -- --update-baseline\`.`);
    writeFileSync(file, entry('0123456789abcdef').replace('    reason: Synthetic.\n', ''));
    assert.throws(() => validate([`--docs=${root}`, `--baseline=${file}`]), (e: unknown) => e instanceof UsageError && e.message === `${file}:3: entry lacks a non-empty \`reason\`; fix it, or rewrite the file with \`npm run validate -- --update-baseline\`.`);
    writeFileSync(file, 'docs: [unclosed\n');
    assert.throws(() => validate([`--docs=${root}`, `--baseline=${file}`]), (e: unknown) => e instanceof UsageError && e.message.startsWith(`${file}:2: baseline YAML does not parse: `));
  });
});

describe('validate CLI: the committed baseline', () => {
  it('gives every baseline entry a reason of its own', () => {
    const baseline = parseBaseline(readFileSync(BASELINE_FILE, 'utf8'), BASELINE_FILE);
    assert.equal(baseline.docs, 'docs');
    for (const entry of baseline.entries) {
      assert.notEqual(entry.reason, TODO_REASON, `${entry.rule} ${entry.file}`);
      assert.ok(entry.reason.length > 80, `${entry.rule} ${entry.file} says why`);
    }
  });
});

describe('validate CLI: the real command', () => {
  it('exits 2 on a usage error, with the message on stderr and nothing on stdout', () => {
    const result = spawnSync(process.execPath, ['scripts/docs-contract.js', 'validate', '--docs=tests/unit/fixtures/widget-repo/docs', '--locale=zz-ZZ'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      'validate: unknown locale `zz-ZZ`; the docs in `tests/unit/fixtures/widget-repo/docs` have `en`, `xx-XX`\nusage: docs-contract validate [--docs=DIR] [--locale=L …] [--format=text|json|github|sarif] [--strict] [--quiet] [--baseline=FILE | --no-baseline] [--update-baseline] [--cache=DIR | --no-cache]\n',
    );
  });

  it('prints only the JSON array on stdout with --format=json', () => {
    const docs = makeTree({ 'en/widgets/notes.md': '## Notes\n\n```json\n{"widget": ...}\n```\n' });
    const result = spawnSync(process.execPath, ['scripts/docs-contract.js', 'validate', `--docs=${docs}`, '--format=json', '--no-baseline'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0);
    const parsed = JSON.parse(result.stdout) as Array<{ rule: string; line: number }>;
    assert.deepEqual(parsed.map((d) => `${d.rule}:${d.line}`), ['json-not-strict:4']);
    assert.equal(result.stderr, 'validate: 0 errors, 1 warning (1 file: en).\n');
  });
});
