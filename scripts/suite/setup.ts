/**
 * Global setup of the contract suite, once per run before any test: one connection attempt to
 * the server (so an unreachable one is reported once, in one line naming the URL); the cases
 * loaded and checked; every schema compiled (a bad one stops the run, naming the file); the docs
 * validated as `npm run validate` does. Which cases, schemas and docs: scripts/suite/locations.ts. The cases and the docs report go to the
 * workers in one file (scripts/suite/prepared.ts), removed by the teardown this returns.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCases } from '../lib/cases.ts';
import { CROSS_LOCALE_RULES } from '../lib/checks/index.ts';
import { loadDocsReport } from '../lib/checks/load.ts';
import { DEFAULT_CACHE_DIR, ROOT, UsageError } from '../lib/util.ts';
import { locationsFromEnv, type Locations } from './locations.ts';
import { PREPARED_ENV, type DocsCheck, type Prepared } from './prepared.ts';
import { probe, SetupError, UnreachableError } from './probe.ts';
import { loadSchemas } from './schemas.ts';
import { settingsFromEnv } from './settings.ts';

/** Validates the docs and applies the baseline the locations name. Never throws: a problem is the check's result. */
export function docsCheck(at: Locations): DocsCheck {
  const show = (file: string) => path.relative(at.root, file) || '.';
  try {
    const report = loadDocsReport(at.docs, at.baseline, at.root, path.join(at.root, DEFAULT_CACHE_DIR));
    return { ok: true, report, crossLocaleRules: [...CROSS_LOCALE_RULES].sort(), baselineFile: show(at.baseline) };
  } catch (error) {
    return { ok: false, problem: `cannot validate ${show(at.docs)}/: ${error instanceof UsageError ? error.message : `${(error as Error).name}: ${(error as Error).message}`}` };
  }
}

/** The global setup, on `env` (the runner's environment, which its workers inherit) and the repository at `root` unless `env` names other locations. */
export async function setUp(env: NodeJS.ProcessEnv, root = ROOT): Promise<() => void> {
  const { baseUrl, requestTimeout } = settingsFromEnv(env);
  if (baseUrl !== null) {
    const problem = await probe(baseUrl, requestTimeout);
    if (problem) throw new UnreachableError(problem);
  }
  let data: Prepared;
  try {
    const at = locationsFromEnv(env, root);
    const cases = loadCases(at.cases);
    loadSchemas(at.schemas);
    data = { cases, docs: docsCheck(at) };
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
