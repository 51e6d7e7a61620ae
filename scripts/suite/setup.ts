/**
 * Global setup of the contract suite, before any test:
 *
 * 1. one connection attempt to the server (scripts/suite/probe.ts), so an unreachable server is
 *    reported once, in one line naming the URL, instead of once per test;
 * 2. every schema under schemas/ read and compiled: a bad one stops the run, naming the file;
 * 3. the docs validated once for the whole run (scripts/suite/docs-report.ts).
 *
 * The compiled schemas and the docs report (and under `npm test` the checked cases) go to the
 * workers in a temporary folder, named by DOCS_CONTRACT_SCHEMAS, DOCS_CONTRACT_DOCS_REPORT (and
 * DOCS_CONTRACT_CASES), which the teardown this returns removes. Under `npm test` the embedded
 * mock's URL, the cases and the results of 2 and 3 come from `npm test`, which prepared them
 * while Playwright started (scripts/suite/handoff.ts); otherwise this does the work, and each
 * process loads the cases itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CasesFile } from '../lib/build.ts';
import { CASES_ENV } from './cases-file.ts';
import { computeDocsCheck, DOCS_REPORT_ENV, writeDocsCheck, writeWhole, type DocsCheck } from './docs-report.ts';
import { checkSchemas, receiveHandOff } from './handoff.ts';
import { probe, SetupError, UnreachableError } from './probe.ts';
import { SCHEMAS_ENV, type StandaloneSchemas } from './schemas.ts';
import { ENV, settingsFromEnv } from './settings.ts';

/** The repository root. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Writes the docs check, the compiled schemas and the checked cases (null: none, each process
 * loads them) to a new temporary folder and names the files in `env`; returns the teardown that
 * removes the folder. When they cannot be written, `env` names none, and each worker validates
 * the docs, compiles the schemas and loads the cases itself.
 */
export function handOverToWorkers(env: NodeJS.ProcessEnv, docs: DocsCheck, schemas: StandaloneSchemas, cases: CasesFile | null): () => void {
  let dir: string | null = null;
  try {
    dir = mkdtempSync(path.join(tmpdir(), 'docs-contract-'));
    const report = path.join(dir, 'docs-report.json');
    const compiled = path.join(dir, 'schemas.json');
    const checked = path.join(dir, 'cases.json');
    writeDocsCheck(report, docs);
    writeWhole(compiled, JSON.stringify(schemas));
    if (cases) writeWhole(checked, JSON.stringify(cases));
    env[DOCS_REPORT_ENV] = report;
    env[SCHEMAS_ENV] = compiled;
    env[CASES_ENV] = cases ? checked : '';
  } catch {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
    dir = null;
    env[DOCS_REPORT_ENV] = '';
    env[SCHEMAS_ENV] = '';
    env[CASES_ENV] = '';
  }
  const made = dir;
  return () => {
    if (made !== null) rmSync(made, { recursive: true, force: true });
  };
}

/** Probes the server `env` names, if any; an unreachable one is an UnreachableError. */
async function probeTarget(env: NodeJS.ProcessEnv): Promise<void> {
  const { baseUrl, requestTimeout } = settingsFromEnv(env);
  if (baseUrl === null) return; // every test that needs a server skips, saying so
  const problem = await probe(baseUrl, requestTimeout);
  if (problem) throw new UnreachableError(problem);
}

/** The global setup, on `env` (the runner's environment, which its workers inherit) and the repository at `root`. */
export async function setUp(env: NodeJS.ProcessEnv, root = ROOT): Promise<() => void> {
  const pending = receiveHandOff(env);
  // A server given by --base-url is probed while npm test finishes its preparations.
  pending.catch(() => {});
  const given = !!env[ENV.baseUrl];
  if (given) await probeTarget(env);
  const handOff = await pending;
  if (handOff?.baseUrl) env[ENV.baseUrl] = handOff.baseUrl;
  if (!given) await probeTarget(env);
  const schemas = handOff?.schemas ?? (await checkSchemas(path.join(root, 'schemas')));
  if (!schemas.ok) throw new SetupError(schemas.problem);
  return handOverToWorkers(env, handOff?.docs ?? (await computeDocsCheck(root)), schemas.standalone, handOff?.cases ?? null);
}

export default function globalSetup(): Promise<() => void> {
  return setUp(process.env);
}
