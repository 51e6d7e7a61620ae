/**
 * The health of one locale's docs, as `npm run validate -- --locale=<locale>` sees it: one test
 * per locale of the docs and the cases. Errors not accepted by the baseline fail it; warnings and accepted findings
 * show as annotations in the report. Cross-locale findings are in docs-parity.spec.ts. The docs
 * are validated once per run, in global setup (scripts/suite/setup.ts).
 */
import type { Finding } from '../../scripts/lib/checks/types.ts';
import { DOCS_DIR as DOCS } from '../../scripts/lib/util.ts';
import { FINDINGS_ATTACHMENT } from '../../scripts/suite/github-reporter.ts';
import { runCases, runDocsCheck, runsLocale } from '../../scripts/suite/prepared.ts';
import { expect, test } from '../fixtures.ts';

const line = (f: Finding) => `${DOCS}/${f.file}:${f.line}:${f.column}: ${f.message} (${f.rule})`;

/** The locales of the cases and of the docs (when they could be read), as the run selects them. */
const docs = runDocsCheck();
const locales = [...new Set([...runCases().locales, ...(docs.ok ? docs.report.locales : [])])].filter(runsLocale);

for (const docsLocale of locales) {
  test(`[${docsLocale}] docs health: front-matter, Liquid, JSON examples, links and anchors of this locale`, async () => {
    const check = runDocsCheck();
    expect([check.ok ? null : check.problem], `the ${docsLocale} docs could not be checked`).toHaveNoProblems();
    if (!check.ok) return;
    const { report, baselineFile } = check;
    const crossLocale = new Set(check.crossLocaleRules);
    const own = (f: Finding) => f.locale === docsLocale && !crossLocale.has(f.rule);
    expect(report.locales, `the docs have no ${docsLocale} folder`).toContain(docsLocale);
    const mine = report.fresh.filter(own);
    for (const f of mine.filter((d) => d.severity === 'warning')) test.info().annotations.push({ type: 'warning', description: line(f) });
    for (const { finding, entry } of report.accepted.filter((a) => own(a.finding))) {
      test.info().annotations.push({ type: 'accepted', description: `${line(finding)}; accepted in ${baselineFile}: ${entry.reason}` });
    }
    const failing = mine.filter((d) => d.severity === 'error');
    // As data too, for the reporters that point at the docs (scripts/suite/github-reporter.ts).
    if (failing.length > 0) await test.info().attach(FINDINGS_ATTACHMENT, { body: JSON.stringify(failing.map(({ file, line, column, rule, message }) => ({ file, line, column, rule, message }))), contentType: 'application/json' });
    const errors = failing.map(line);
    expect(errors, `${docsLocale} docs have errors; \`npm run validate -- --locale=${docsLocale}\` lists them with the fix`).toHaveNoProblems();
  });
}
