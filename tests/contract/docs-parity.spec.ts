/**
 * Parity of the docs across locales, as `npm run validate` sees it: one test. With `--locale`,
 * only the findings that involve those locales, as `npm run validate -- --locale=…`. Cross-locale errors not accepted by the baseline fail it; warnings,
 * accepted findings and baseline entries that match nothing show as annotations. The docs are
 * validated once per run, in global setup (scripts/suite/setup.ts).
 */
import type { Finding } from '../../scripts/lib/checks/types.ts';
import { DOCS_DIR as DOCS } from '../../scripts/lib/util.ts';
import { FINDINGS_ATTACHMENT } from '../../scripts/suite/github-reporter.ts';
import { runDocsCheck, runLocales } from '../../scripts/suite/prepared.ts';
import { involves } from '../../scripts/lib/checks/types.ts';
import { expect, test } from '../fixtures.ts';

const line = (f: Finding) => `${DOCS}/${f.file}:${f.line}:${f.column}: ${f.message} (${f.rule})`;

test('docs parity: locales agree on front-matter, sections, examples, references, links; translations are current', async () => {
  const check = runDocsCheck();
  expect([check.ok ? null : check.problem], 'the docs could not be checked across locales').toHaveNoProblems();
  if (!check.ok) return;
  const { report, baselineFile } = check;
  const crossLocale = new Set(check.crossLocaleRules);
  // Cross-locale findings, and those that belong to no locale (a file outside any locale folder).
  const selected = runLocales();
  const ours = (f: Finding) => (crossLocale.has(f.rule) || !report.locales.includes(f.locale)) && (selected === null || involves(f, selected));
  const mine = report.fresh.filter(ours);
  for (const f of mine.filter((d) => d.severity === 'warning')) test.info().annotations.push({ type: 'warning', description: line(f) });
  for (const { finding, entry } of report.accepted.filter((a) => ours(a.finding))) {
    test.info().annotations.push({ type: 'accepted', description: `${line(finding)}; accepted in ${baselineFile}: ${entry.reason}` });
  }
  for (const entry of report.stale) {
    test.info().annotations.push({ type: 'warning', description: `${baselineFile}:${entry.line}: entry \`${entry.rule}\` for \`${entry.file}\` matches no finding any more; run \`npm run validate -- --update-baseline\`` });
  }
  const failing = mine.filter((d) => d.severity === 'error');
  // As data too, for the reporters that point at the docs (scripts/suite/github-reporter.ts).
  if (failing.length > 0) await test.info().attach(FINDINGS_ATTACHMENT, { body: JSON.stringify(failing.map(({ file, line, column, rule, message }) => ({ file, line, column, rule, message }))), contentType: 'application/json' });
  const errors = failing.map(line);
  expect(errors, 'the locales disagree; `npm run validate` lists every problem with the fix').toHaveNoProblems();
});
