/**
 * validate over a tree in the github/docs layout: `content/` is the source locale `en`,
 * `translations/<locale>/content/` the translations. One translation is current, one stale,
 * one misaligned; the expected hashes are computed here from the CRLF bytes, not by the tool.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../scripts/cli/validate.ts';
import { fromCwd, makeTree } from './helpers.ts';

const SOURCE = `---
title: Frobnicate widget errors
versions:
  fpt: '*'
---
## Widget jammed

Check the \`widget_id\` you sent.

\`\`\`json
{"error": "widget_jammed", "error_description": "The widget is jammed.", "error_uri": "/widgets/frobnicate-errors#widget-jammed"}
\`\`\`
`;

/** The source as it was before its last edit: what the stale translation was made from. */
const OLDER_SOURCE = SOURCE.replace('Check the `widget_id` you sent.', 'Check the `widget_id`.');

/** SHA-1 of the text with every line ending written as CRLF, from the bytes. */
function sha1OfCrlf(text: string): string {
  const bytes = Buffer.from(text.replace(/\r\n/g, '\n').replace(/\n/g, '\r\n'), 'utf8');
  assert.ok(!bytes.includes(Buffer.from('\r\r')), 'no doubled CR');
  return createHash('sha1').update(bytes).digest('hex');
}

function translation(heading: string, prose: string, hash: string, level = '##'): string {
  return `---
title: Synthetic translation
versions:
  fpt: '*'
ms.openlocfilehash: ${hash}
---
${level} ${heading}

${prose}

\`\`\`json
{"error": "widget_jammed", "error_description": "The widget is jammed.", "error_uri": "/widgets/frobnicate-errors#widget-jammed"}
\`\`\`
`;
}

const PAGE = 'content/widgets/frobnicate-errors.md';
const CURRENT = sha1OfCrlf(SOURCE);
const STALE = sha1OfCrlf(OLDER_SOURCE);

function tree(): string {
  return makeTree({
    [PAGE]: SOURCE,
    [`translations/de-DE/${PAGE}`]: translation('Widget klemmt', 'Prüfen Sie die gesendete `widget_id`.', CURRENT),
    [`translations/ja-JP/${PAGE}`]: translation('ウィジェット詰まり', '送信した `widget_id` を確認してください。', STALE),
    [`translations/ko-KR/${PAGE}`]: translation('위젯 걸림', '보낸 ID를 확인하세요.', CURRENT, '###'),
  });
}

function validate(args: string[]): { code: number; out: string } {
  const lines: string[] = [];
  const code = run(args, { out: (t) => lines.push(t), err: (t) => lines.push(`stderr: ${t}`) });
  return { code, out: lines.join('\n') };
}

const STALE_LINE = `translations/ja-JP/content/widgets/frobnicate-errors.md:5:1: warning This translation is out of date: \`ms.openlocfilehash\` is \`${STALE}\`, but the en source content/widgets/frobnicate-errors.md now hashes to \`${CURRENT}\` (SHA-1 of its CRLF form). Update the translation from the source, then set \`ms.openlocfilehash: ${CURRENT}\`. (translation-stale)`;
const KO_LINES = [
  'translations/ko-KR/content/widgets/frobnicate-errors.md:7:1: warning Section `위젯 걸림` does not mention `widget_id`, which en has (content/widgets/frobnicate-errors.md:8); identifiers are not translated, so keep it as written. (identifier-missing)',
  'translations/ko-KR/content/widgets/frobnicate-errors.md:7:1: error Heading `위젯 걸림` is an h3 here, but heading 1 of en is an h2 (`Widget jammed`, content/widgets/frobnicate-errors.md:6); keep the heading levels of en, so that sections and anchors line up by position. (sections-misaligned)',
];

describe('validate: a github/docs layout tree with a source locale and three translations', () => {
  it('reports the stale translation with both hashes, leaves the current one alone, and compares the others with the source', () => {
    const root = tree();
    assert.notEqual(CURRENT, STALE);
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline']), {
      code: 1,
      out: fromCwd(root, [STALE_LINE, ...KO_LINES, 'validate: 1 error, 2 warnings (4 files: de-DE, en, ja-JP, ko-KR).'].join('\n')),
    });
  });

  it('--locale keeps that locale\'s findings and the cross-locale ones that involve it', () => {
    const root = tree();
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline', '--locale=ja-JP']), {
      code: 0,
      out: fromCwd(root, [STALE_LINE, 'validate: 0 errors, 1 warning (1 file: ja-JP).'].join('\n')),
    });
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline', '--locale=de-DE']), { code: 0, out: 'validate: 0 errors, 0 warnings (1 file: de-DE).' });
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline', '--locale=en']), {
      code: 1,
      out: fromCwd(root, [STALE_LINE, ...KO_LINES, 'validate: 1 error, 2 warnings (1 file: en).'].join('\n')),
    });
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline', '--locale=ja-JP', '--locale=de-DE', '--strict']), {
      code: 1,
      out: fromCwd(root, [STALE_LINE, 'validate: 0 errors, 1 warning (2 files: de-DE, ja-JP).'].join('\n')),
    });
  });

  it('hashes the CRLF form: a source saved with CRLF line endings has the same hash, so the current translation stays current', () => {
    const root = tree();
    writeFileSync(path.join(root, PAGE), SOURCE.replace(/\n/g, '\r\n'));
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline', '--locale=de-DE']), { code: 0, out: 'validate: 0 errors, 0 warnings (1 file: de-DE).' });
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline', '--locale=ja-JP']).out.split('\n')[0], fromCwd(root, STALE_LINE));
  });

  it('a translation made from the current source is no longer stale once its hash is updated', () => {
    const root = tree();
    writeFileSync(path.join(root, `translations/ja-JP/${PAGE}`), translation('ウィジェット詰まり', '送信した `widget_id` を確認してください。', CURRENT));
    assert.deepEqual(validate([`--docs=${root}`, '--no-baseline', '--locale=ja-JP']), { code: 0, out: 'validate: 0 errors, 0 warnings (1 file: ja-JP).' });
  });
});
