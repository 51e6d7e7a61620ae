/**
 * What the suite's global setup prepares once per run and every worker reads: the checked cases,
 * the docs report and the compiled response schemas, in one JSON file in a temporary folder
 * named by DOCS_CONTRACT_PREPARED.
 * Spec files read it when they are loaded (global setup runs before Playwright loads them for a
 * run); without it (`playwright test --list`, which runs no global setup) the cases are loaded
 * from the cases file directly.
 */
import { readFileSync } from 'node:fs';
import type { CasesFile } from '../lib/build.ts';
import { loadCases } from '../lib/cases.ts';
import type { DocsReport } from '../lib/checks/load.ts';
import { UsageError } from '../lib/util.ts';
import { locationsFromEnv } from './locations.ts';
import { ENV } from './settings.ts';

/** The environment variable naming the prepared file. */
export const PREPARED_ENV = 'DOCS_CONTRACT_PREPARED';

/** The docs validated and split by the baseline, with what the specs need to read the findings; or why that failed. */
export type DocsCheck =
  | {
      ok: true;
      report: DocsReport;
      /** The rules of findings that compare locales (docs-parity's); the others are one locale's (docs-health's). */
      crossLocaleRules: string[];
      /** The baseline file, relative to the repository, for messages. */
      baselineFile: string;
    }
  | { ok: false; problem: string };

/** What global setup writes. */
export interface Prepared {
  cases: CasesFile;
  docs: DocsCheck;
  /** The response schemas, compiled: a CommonJS module's text (scripts/suite/schemas.ts, compiledSchemas). */
  validators: string;
}

let once: Prepared | null | undefined;

/** The prepared file of this run, read once per process; null when there is none (global setup did not run). */
export function prepared(env: NodeJS.ProcessEnv = process.env): Prepared | null {
  if (once !== undefined) return once;
  const file = env[PREPARED_ENV];
  if (!file) return (once = null);
  try {
    return (once = JSON.parse(readFileSync(file, 'utf8')) as Prepared);
  } catch (error) {
    throw new UsageError(`what global setup prepared (${file}) cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); run the suite again`);
  }
}

/** The cases of this run: those global setup checked, or else the cases file, loaded and checked now. */
export function runCases(): CasesFile {
  return prepared()?.cases ?? loadCases(locationsFromEnv(process.env).cases);
}

/** The compiled response schemas of this run, which global setup made; null without global setup. */
export function runValidators(): string | null {
  return prepared()?.validators ?? null;
}

/** The docs report of this run, which global setup made. */
export function runDocsCheck(): DocsCheck {
  return prepared()?.docs ?? { ok: false, problem: 'the docs were not checked: global setup did not run; run the suite with `npm test`' };
}

/** The docs locales whose tests run (`npm test -- --locale=…`); null: every locale's. */
export function runLocales(env: NodeJS.ProcessEnv = process.env): ReadonlySet<string> | null {
  const list = env[ENV.locales]?.split(',').filter((l) => l !== '') ?? [];
  return list.length > 0 ? new Set(list) : null;
}

/** Whether the tests of `locale` run. */
export const runsLocale = (locale: string): boolean => runLocales()?.has(locale) ?? true;
