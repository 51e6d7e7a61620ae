/**
 * Global setup of the contract suite, before any test:
 *
 * 1. one connection attempt to the server (scripts/suite/probe.ts), so an unreachable server is
 *    reported once, in one line naming the URL, instead of once per test;
 * 2. every schema under schemas/ read and compiled: a bad one stops the run, naming the file;
 * 3. the docs validated once for the whole run (scripts/suite/docs-report.ts).
 *
 * The compiled schemas and the docs report go to the workers in a temporary folder, named by
 * DOCS_CONTRACT_SCHEMAS and DOCS_CONTRACT_DOCS_REPORT, which the teardown this returns removes.
 * Under `npm test` the embedded mock's URL and the results of 2 and 3 come from `npm test`, which
 * prepared them while Playwright started (scripts/suite/handoff.ts); otherwise this does the work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeDocsCheck, DOCS_REPORT_ENV, writeDocsCheck, writeWhole, type DocsCheck } from './docs-report.ts';
import { checkSchemas, receiveHandOff } from './handoff.ts';
import { probe, SetupError, UnreachableError } from './probe.ts';
import { SCHEMAS_ENV, type StandaloneSchemas } from './schemas.ts';
import { ENV, settingsFromEnv } from './settings.ts';

/** The repository root. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Writes the docs check and the compiled schemas to a new temporary folder and names the files
 * in `env`; returns the teardown that removes the folder. When they cannot be written, `env`
 * names none, and each worker validates the docs and compiles the schemas itself.
 */
export function handOverToWorkers(env: NodeJS.ProcessEnv, docs: DocsCheck, schemas: StandaloneSchemas): () => void {
  let dir: string | null = null;
  try {
    dir = mkdtempSync(path.join(tmpdir(), 'docs-contract-'));
    const report = path.join(dir, 'docs-report.json');
    const compiled = path.join(dir, 'schemas.json');
    writeDocsCheck(report, docs);
    writeWhole(compiled, JSON.stringify(schemas));
    env[DOCS_REPORT_ENV] = report;
    env[SCHEMAS_ENV] = compiled;
  } catch {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
    dir = null;
    env[DOCS_REPORT_ENV] = '';
    env[SCHEMAS_ENV] = '';
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
  return handOverToWorkers(env, handOff?.docs ?? (await computeDocsCheck(root)), schemas.standalone);
}

export default function globalSetup(): Promise<() => void> {
  return setUp(process.env);
}
