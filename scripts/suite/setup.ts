/**
 * Global setup of the contract suite, once per run before any test: one connection attempt to
 * the server (so an unreachable one is reported once, in one line naming the URL); the cases
 * loaded and checked; every schema under schemas/ compiled (a bad one stops the run, naming the
 * file); the docs validated as `npm run validate` does. The cases and the docs report go to the
 * workers in one file (scripts/suite/prepared.ts), removed by the teardown this returns.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CASES_FILE } from '../lib/build.ts';
import { loadCases } from '../lib/cases.ts';
import { CROSS_LOCALE_RULES } from '../lib/checks/index.ts';
import { loadDocsReport } from '../lib/checks/load.ts';
import { BASELINE_FILE, DEFAULT_CACHE_DIR, DOCS_DIR, ROOT, UsageError } from '../lib/util.ts';
import { PREPARED_ENV, type DocsCheck, type Prepared } from './prepared.ts';
import { probe, SetupError, UnreachableError } from './probe.ts';
import { loadSchemas } from './schemas.ts';
import { settingsFromEnv } from './settings.ts';

/** Validates `docs/` of the repository at `root` and applies its baseline. Never throws: a problem is the check's result. */
export function docsCheck(root: string): DocsCheck {
  try {
    const report = loadDocsReport(path.join(root, DOCS_DIR), path.join(root, BASELINE_FILE), root, path.join(root, DEFAULT_CACHE_DIR));
    return { ok: true, report, crossLocaleRules: [...CROSS_LOCALE_RULES].sort(), baselineFile: BASELINE_FILE };
  } catch (error) {
    return { ok: false, problem: `cannot validate ${DOCS_DIR}/: ${error instanceof UsageError ? error.message : `${(error as Error).name}: ${(error as Error).message}`}` };
  }
}

/** The global setup, on `env` (the runner's environment, which its workers inherit) and the repository at `root`. */
export async function setUp(env: NodeJS.ProcessEnv, root = ROOT): Promise<() => void> {
  const { baseUrl, requestTimeout } = settingsFromEnv(env);
  if (baseUrl !== null) {
    const problem = await probe(baseUrl, requestTimeout);
    if (problem) throw new UnreachableError(problem);
  }
  let data: Prepared;
  try {
    const cases = loadCases(path.join(root, CASES_FILE));
    loadSchemas(path.join(root, 'schemas'));
    data = { cases, docs: docsCheck(root) };
  } catch (error) {
    if (error instanceof UsageError) throw new SetupError(error.message);
    throw error;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'docs-contract-'));
  const file = path.join(dir, 'prepared.json');
  writeFileSync(file, JSON.stringify(data));
  env[PREPARED_ENV] = file;
  return () => rmSync(dir, { recursive: true, force: true });
}

export default function globalSetup(): Promise<() => void> {
  return setUp(process.env);
}
