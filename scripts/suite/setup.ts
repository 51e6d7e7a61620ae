/**
 * Global setup of the contract suite, once per run before any test: the cases loaded and
 * checked; without a server URL, the embedded mock started on them (in this process, stopped by
 * the teardown), else one connection attempt to the server (so an unreachable one is reported
 * once, in one line naming the URL); every schema compiled (a bad one stops the run, naming the
 * file); the docs validated as `npm run validate` does. Which cases, schemas and docs: scripts/suite/locations.ts. The cases and the docs report go to the
 * workers in one file (scripts/suite/prepared.ts), removed by the teardown this returns.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCases } from '../lib/cases.ts';
import { CROSS_LOCALE_RULES } from '../lib/checks/index.ts';
import { loadDocsReport } from '../lib/checks/load.ts';
import { DEFAULT_CACHE_DIR, ROOT, UsageError } from '../lib/util.ts';
import { locationsFromEnv, type Locations } from './locations.ts';
import { PREPARED_ENV, runLocales, type DocsCheck, type Prepared } from './prepared.ts';
import { probe, SetupError, UnreachableError } from './probe.ts';
import { compiledSchemas } from './schemas.ts';
import { settingsFromEnv, settingsToEnv } from './settings.ts';

/** Validates the docs and applies the baseline the locations name. Never throws: a problem is the check's result. */
export async function docsCheck(at: Locations): Promise<DocsCheck> {
  const show = (file: string) => path.relative(at.root, file) || '.';
  try {
    const report = await loadDocsReport(at.docs, at.baseline, at.root, path.join(at.root, DEFAULT_CACHE_DIR));
    return { ok: true, report, crossLocaleRules: [...CROSS_LOCALE_RULES].sort(), baselineFile: show(at.baseline) };
  } catch (error) {
    return { ok: false, problem: `cannot validate ${show(at.docs)}/: ${error instanceof UsageError ? error.message : `${(error as Error).name}: ${(error as Error).message}`}` };
  }
}

/**
 * The global setup, on `env` (the runner's environment, which its workers inherit) and the
 * repository at `root` unless `env` names other locations. `log` tells which server is tested.
 */
export async function setUp(env: NodeJS.ProcessEnv, root = ROOT, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<() => Promise<void>> {
  let settings = settingsFromEnv(env);
  let data: Prepared;
  let cases: Prepared['cases'];
  let at: Locations;
  try {
    at = locationsFromEnv(env, root);
    cases = loadCases(at.cases);
  } catch (error) {
    if (error instanceof UsageError) throw new SetupError(error.message);
    throw error;
  }
  let mock: { url: string; stop(): Promise<void> } | null = null;
  if (settings.baseUrl === null) {
    const { APP_STATES, createMock, TEST_APP } = await import('../mock/server.ts');
    const app = {
      clientId: settings.clientId ?? TEST_APP.clientId,
      clientSecret: settings.clientSecret ?? randomBytes(18).toString('base64url'),
      callbackUrl: settings.callbackUrl ?? TEST_APP.callbackUrl,
      suspendedClientId: settings.suspendedClientId ?? TEST_APP.suspendedClientId,
      deviceFlowDisabledClientId: settings.deviceFlowDisabledClientId ?? TEST_APP.deviceFlowDisabledClientId,
    };
    // The default apps' states, under the client ids this run gives them.
    const appStates = { [app.suspendedClientId]: APP_STATES[TEST_APP.suspendedClientId] ?? [], [app.deviceFlowDisabledClientId]: APP_STATES[TEST_APP.deviceFlowDisabledClientId] ?? [] };
    mock = await createMock({ cases: cases.cases, clientId: app.clientId, clientSecret: app.clientSecret, callbackUrl: app.callbackUrl, appStates, host: '127.0.0.1', port: 0 });
    log(`npm test: no --base-url, so testing the embedded mock at ${mock.url} (client id \`${app.clientId}\`, callback \`${app.callbackUrl}\`, ${settings.clientSecret === null ? 'a random secret' : 'the given secret'})`);
    settings = { ...settings, ...app, baseUrl: mock.url };
    Object.assign(env, settingsToEnv(settings, {}));
  } else {
    const problem = await probe(settings.baseUrl, settings.requestTimeout);
    if (problem) throw new UnreachableError(problem);
  }
  try {
    const validators = compiledSchemas(at.schemas);
    data = { cases, docs: await docsCheck(at), validators };
    const known = [...new Set([...cases.locales, ...(data.docs.ok ? data.docs.report.locales : [])])].sort();
    for (const locale of runLocales(env) ?? []) {
      if (!known.includes(locale)) throw new UsageError(`unknown locale \`${locale}\` (given by --locale or --project); the docs and cases of this run have ${known.map((l) => `\`${l}\``).join(', ')}`);
    }
  } catch (error) {
    await mock?.stop();
    if (error instanceof UsageError) throw new SetupError(error.message);
    throw error;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'docs-contract-'));
  const file = path.join(dir, 'prepared.json');
  writeFileSync(file, JSON.stringify(data));
  env[PREPARED_ENV] = file;
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    await mock?.stop();
  };
}

export default function globalSetup(): Promise<() => Promise<void>> {
  return setUp(process.env);
}
