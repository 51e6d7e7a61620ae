/**
 * The health of one locale's docs, as `npm run validate -- --locale=<locale>` sees it: one test
 * per locale project. Errors not accepted by the baseline fail it; warnings and accepted findings
 * show as annotations in the report. Cross-locale findings are in docs-parity.spec.ts.
 */
import path from 'node:path';
import { BASELINE_FILE } from '../../scripts/cli/validate.ts';
import { CROSS_LOCALE_RULES } from '../../scripts/lib/checks/index.ts';
import { loadDocsReport, type DocsReport } from '../../scripts/lib/checks/load.ts';
import type { Finding } from '../../scripts/lib/checks/types.ts';
import { expect, ROOT, test } from '../fixtures.ts';

const DOCS = 'docs';

/** Validated once per worker: every test of this file reads the same report. */
let report: DocsReport | undefined;
const reportOnce = () => (report ??= loadDocsReport(path.join(ROOT, DOCS), path.join(ROOT, BASELINE_FILE), ROOT));

const line = (f: Finding) => `${DOCS}/${f.file}:${f.line}:${f.column}: ${f.message} (${f.rule})`;
const own = (locale: string) => (f: Finding) => f.locale === locale && !CROSS_LOCALE_RULES.has(f.rule);

test('docs health: front-matter, Liquid, JSON examples, links and anchors of this locale', async ({ docsLocale }) => {
  expect(docsLocale, 'docs health runs in a locale project').not.toBe('');
  const { locales, fresh, accepted } = reportOnce();
  expect(locales, `the docs have no ${docsLocale} folder`).toContain(docsLocale);
  const mine = fresh.filter(own(docsLocale));
  for (const f of mine.filter((d) => d.severity === 'warning')) test.info().annotations.push({ type: 'warning', description: line(f) });
  for (const { finding, entry } of accepted.filter((a) => own(docsLocale)(a.finding))) {
    test.info().annotations.push({ type: 'accepted', description: `${line(finding)}; accepted in ${BASELINE_FILE}: ${entry.reason}` });
  }
  const errors = mine.filter((d) => d.severity === 'error').map(line);
  expect(errors, `${docsLocale} docs have errors; \`npm run validate -- --locale=${docsLocale}\` lists them with the fix`).toHaveNoProblems();
});
