/**
 * The docs locales the suite has a Playwright project for, as tests/playwright.config.ts reads
 * them: Playwright loads the configuration in its runner and in every worker, so this reads the
 * `locales` of the cases file without loading the cases module (which needs the recipes parser
 * and yaml). Only when that cannot give them does it load it, to name the problem.
 */
import { readFileSync } from 'node:fs';

/** The cases file, relative to the repository: scripts/lib/build.ts's CASES_FILE (a unit test keeps them the same). */
export const CASES = 'tests/fixtures/cases.json';

/**
 * The `locales` of the cases file `file`. A file that cannot be read or parsed, or whose
 * `locales` is not a non-empty list of strings, goes to loadCases, which throws the usage error
 * naming it (or, should it accept the file, gives its locales).
 */
export async function casesLocales(file: string): Promise<string[]> {
  try {
    const { locales } = JSON.parse(readFileSync(file, 'utf8')) as { locales?: unknown };
    if (Array.isArray(locales) && locales.length > 0 && locales.every((l) => typeof l === 'string')) return locales as string[];
  } catch {
    // loadCases says what is wrong
  }
  const { loadCases } = await import('../lib/cases.ts');
  return loadCases(file).locales;
}
