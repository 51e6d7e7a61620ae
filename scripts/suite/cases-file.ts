/**
 * The cases file (tests/fixtures/cases.json) as the suite's light modules read it. Playwright
 * loads tests/playwright.config.ts in its runner and in every worker, and the runner loads every
 * spec file to list the tests: none of them should need the cases module (which brings the
 * recipes parser and yaml) when the cases were already checked in this run.
 *
 * - casesLocales: the configuration's projects, from the file's `locales`;
 * - handedOverCases: the cases `npm test` loaded and checked, which global setup hands the
 *   workers in a temporary file named by DOCS_CONTRACT_CASES.
 */
import { readFileSync } from 'node:fs';
import type { CasesFile } from '../lib/build.ts';
import { UsageError } from '../lib/cli.ts';
import { readHandedOver } from './docs-report.ts';

/** The cases file, relative to the repository: scripts/lib/build.ts's CASES_FILE (a unit test keeps them the same). */
export const CASES = 'tests/fixtures/cases.json';

/** The environment variable naming the file of checked cases that global setup hands the workers. */
export const CASES_ENV = 'DOCS_CONTRACT_CASES';

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

/**
 * The cases handed over in the file `env` names (written by global setup from the cases
 * `npm test` loaded and checked in this run); null when there are none (no variable, no file).
 * A file that is not what setup writes is a usage error naming it.
 */
export function handedOverCases(env: NodeJS.ProcessEnv): CasesFile | null {
  const file = env[CASES_ENV];
  if (!file) return null;
  const read = readHandedOver(file, 'the cases', 'are', 'a cases file', isCasesFile);
  if (read !== null && 'problem' in read) throw new UsageError(read.problem);
  return read?.value ?? null;
}

/** Whether a parsed value has the two lists of a cases file (the full check is loadCases'). */
export function isCasesFile(value: unknown): value is CasesFile {
  const v = value as Record<string, unknown> | null;
  return typeof v === 'object' && v !== null && Array.isArray(v['locales']) && Array.isArray(v['cases']);
}
