/**
 * Parity of the docs across locales, as `npm run validate` sees it: one test, in the
 * `cross-locale` project. Cross-locale errors not accepted by the baseline fail it; warnings,
 * accepted findings and baseline entries that match nothing show as annotations.
 */
import path from 'node:path';
import { BASELINE_FILE } from '../../scripts/cli/validate.ts';
import { CROSS_LOCALE_RULES } from '../../scripts/lib/checks/index.ts';
import { loadDocsReport, type DocsReport } from '../../scripts/lib/checks/load.ts';
import type { Finding } from '../../scripts/lib/checks/types.ts';
import { expect, ROOT, test } from '../fixtures.ts';

const DOCS = 'docs';

/** Validated once per worker. */
let report: DocsReport | undefined;
const reportOnce = () => (report ??= loadDocsReport(path.join(ROOT, DOCS), path.join(ROOT, BASELINE_FILE), ROOT));

const line = (f: Finding) => `${DOCS}/${f.file}:${f.line}:${f.column}: ${f.message} (${f.rule})`;

test('docs parity: locales agree on front-matter, sections, examples, references, links; translations are current', async ({ docsLocale }) => {
  expect(docsLocale, 'docs parity runs in the cross-locale project').toBe('');
  const { locales, fresh, accepted, stale } = reportOnce();
  // Cross-locale findings, and those that belong to no locale (a file outside any locale folder).
  const ours = (f: Finding) => CROSS_LOCALE_RULES.has(f.rule) || !locales.includes(f.locale);
  const mine = fresh.filter(ours);
  for (const f of mine.filter((d) => d.severity === 'warning')) test.info().annotations.push({ type: 'warning', description: line(f) });
  for (const { finding, entry } of accepted.filter((a) => ours(a.finding))) {
    test.info().annotations.push({ type: 'accepted', description: `${line(finding)}; accepted in ${BASELINE_FILE}: ${entry.reason}` });
  }
  for (const entry of stale) {
    test.info().annotations.push({ type: 'warning', description: `${BASELINE_FILE}:${entry.line}: entry \`${entry.rule}\` for \`${entry.file}\` matches no finding any more; run \`npm run validate -- --update-baseline\`` });
  }
  const errors = mine.filter((d) => d.severity === 'error').map(line);
  expect(errors, 'the locales disagree; `npm run validate` lists every problem with the fix').toHaveNoProblems();
});
