/**
 * `npm test`: the contract suite. Takes the target flags, passes every other argument to
 * `playwright test` untouched, and the settings through the environment (never the command
 * line, where the secret would show). Without `--base-url` it starts the embedded mock on the
 * cases and tests that. With `--docs` or `--recipes` the contract of those is generated into a
 * temporary folder first, and the suite runs on it instead of the committed one.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCases } from '../lib/cases.ts';
import { blockingBuildErrors, loadAndBuild, shownFrom } from '../lib/cli.ts';
import { formatText, summarize } from '../lib/diagnostics.ts';
import { BASELINE_FILE, DEFAULT_CACHE_DIR, DOCS_DIR, RECIPES_FILE, ROOT, UsageError } from '../lib/util.ts';
import { writeOutputs } from '../lib/write.ts';
import { createMock } from '../mock/server.ts';
import { SECRET_ENV, TEST_APP } from '../mock/test-app.ts';
import { splitArgs, withDocsGithubReporter, withSummaryReporter } from '../suite/args.ts';
import { LOCATION_ENV, locationsFromEnv } from '../suite/locations.ts';
import { DEFAULT_DOCS_ORIGIN, DEFAULT_REQUEST_TIMEOUT_MS, ENV, secretFromFile, settingsFromEnv, settingsToEnv, type TargetSettings } from '../suite/settings.ts';

/** The suite's Playwright configuration, relative to the root. */
export const CONFIG = 'tests/playwright.config.ts';

/** How the command is called. */
export const USAGE =
  'docs-contract test [--base-url=URL] [--client-id=ID] [--callback-url=URL] [--suspended-client-id=ID] [--device-flow-disabled-client-id=ID] [--docs-origin=URL] [--request-timeout=MS] [--strict] [--docs=DIR --recipes=FILE] [any playwright test flag]; the secret comes from OAUTH_CLIENT_SECRET or --client-secret-file=PATH (--client-secret=… is accepted, but a command line is seen by other users and kept in npm\'s debug log)';

/** The settings our flags and the environment give; bad values are usage errors. */
export function settingsOf(ours: ReturnType<typeof splitArgs>['ours'], env: NodeJS.ProcessEnv): TargetSettings {
  if (ours['client-secret'] !== undefined && ours['client-secret-file'] !== undefined) throw new UsageError('give the client secret once: --client-secret or --client-secret-file, not both');
  const secret = ours['client-secret'] ?? secretFromFile(ours['client-secret-file']) ?? env[SECRET_ENV];
  const flagsEnv: NodeJS.ProcessEnv = {
    [ENV.docsOrigin]: ours['docs-origin'] ?? DEFAULT_DOCS_ORIGIN,
    [ENV.requestTimeout]: ours['request-timeout'] ?? String(DEFAULT_REQUEST_TIMEOUT_MS),
  };
  if (ours['base-url'] !== undefined) flagsEnv[ENV.baseUrl] = ours['base-url'];
  if (ours['client-id'] !== undefined) flagsEnv[ENV.clientId] = ours['client-id'];
  if (ours['callback-url'] !== undefined) flagsEnv[ENV.callbackUrl] = ours['callback-url'];
  if (ours['suspended-client-id'] !== undefined) flagsEnv[ENV.suspendedClientId] = ours['suspended-client-id'];
  if (ours['device-flow-disabled-client-id'] !== undefined) flagsEnv[ENV.deviceFlowDisabledClientId] = ours['device-flow-disabled-client-id'];
  if (secret !== undefined && secret !== '') flagsEnv[ENV.clientSecret] = secret;
  return settingsFromEnv(flagsEnv);
}

/** Runs the suite; resolves to Playwright's exit code (0 all passed, 1 any failed), or 1 when the docs given have errors. */
export async function run(args: string[], log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<number> {
  const { ours, strict, rest } = splitArgs(args);
  if (rest.includes('--help') || rest.includes('-h')) {
    log(`usage: ${USAGE}\nPlaywright's own flags follow.\n`);
    return playwright(rest, process.env);
  }
  let settings = settingsOf(ours, process.env);
  let env: NodeJS.ProcessEnv = process.env;
  let generated: string | null = null;
  let mock: { url: string; stop(): Promise<void> } | null = null;
  try {
    if (ours.docs !== undefined || ours.recipes !== undefined) {
      generated = mkdtempSync(path.join(tmpdir(), 'docs-contract-generated-'));
      const ok = generateInto(generated, ours.docs ?? DOCS_DIR, ours.recipes ?? RECIPES_FILE, log);
      if (!ok) return 1;
      env = { ...env, [LOCATION_ENV.generated]: generated, [LOCATION_ENV.docs]: path.resolve(ours.docs ?? DOCS_DIR), [LOCATION_ENV.root]: process.cwd() };
    }
    if (settings.baseUrl === null) {
      // The embedded mock answers from the run's cases: a bad cases file is the usage error naming it.
      const cases = loadCases(locationsFromEnv(env).cases);
      const app = {
        clientId: settings.clientId ?? TEST_APP.clientId,
        clientSecret: settings.clientSecret ?? randomBytes(18).toString('base64url'),
        callbackUrl: settings.callbackUrl ?? TEST_APP.callbackUrl,
        suspendedClientId: settings.suspendedClientId ?? TEST_APP.suspendedClientId,
        deviceFlowDisabledClientId: settings.deviceFlowDisabledClientId ?? TEST_APP.deviceFlowDisabledClientId,
      };
      const appStates = { [app.suspendedClientId]: ['suspended'], [app.deviceFlowDisabledClientId]: ['device-flow-disabled'] };
      mock = await createMock({ cases: cases.cases, clientId: app.clientId, clientSecret: app.clientSecret, callbackUrl: app.callbackUrl, appStates, host: '127.0.0.1', port: 0 });
      log(`npm test: no --base-url, so testing the embedded mock at ${mock.url} (client id \`${app.clientId}\`, callback \`${app.callbackUrl}\`, ${settings.clientSecret === null ? 'a random secret' : 'the given secret'})`);
      settings = { ...settings, ...app, baseUrl: mock.url };
    } else {
      const given = (name: string, value: string | null) => `${name} ${value === null ? 'not given' : `\`${value}\``}`;
      log(`npm test: testing ${settings.baseUrl} (${given('client id', settings.clientId)}, secret ${settings.clientSecret === null ? 'not given' : 'given'}, ${given('callback', settings.callbackUrl)}; docs origin ${settings.docsOrigin}; request timeout ${settings.requestTimeout} ms)`);
    }
    const childEnv = settingsToEnv(settings, env);
    if (strict) childEnv[ENV.strict] = '1';
    else delete childEnv[ENV.strict];
    return await playwright(withSummaryReporter(withDocsGithubReporter(rest)), childEnv);
  } finally {
    await mock?.stop();
    if (generated !== null) rmSync(generated, { recursive: true, force: true });
  }
}

/** Generates the contract of `docs` and `recipes` into `dir`; false (with the findings logged) when they have errors. */
function generateInto(dir: string, docs: string, recipes: string, log: (line: string) => void): boolean {
  const { loaded, build } = loadAndBuild('test', { docs, recipes, cache: DEFAULT_CACHE_DIR, 'no-cache': false }, log);
  // As for generate: errors the repository's baseline accepts do not stop it.
  const errors = blockingBuildErrors({ docs, baseline: BASELINE_FILE, 'no-baseline': false }, build.diagnostics);
  if (errors.length > 0) {
    log(formatText(errors, shownFrom(docs, [path.relative(process.cwd(), recipes)])));
    log(`npm test: the docs in \`${docs}\` or the recipes \`${recipes}\` have errors (${summarize(build.diagnostics)}), so there is no contract to test; \`docs-contract validate --docs=${docs}\` lists every problem.`);
    return false;
  }
  writeOutputs(dir, build.files);
  log(`npm test: the contract of \`${docs}\` (${build.cases.length} case${build.cases.length === 1 ? '' : 's'}, ${loaded.contract.locales.join(', ')}) generated into a temporary folder for this run`);
  return true;
}

/**
 * Runs `playwright test -c tests/playwright.config.ts …args` in the working directory (where its
 * reports go); resolves to its exit code. Signals are passed on. Playwright compiles no TypeScript
 * under node_modules, where an installed docs-contract lives, so the runner and its workers
 * (which inherit its flags) load tsx, which does.
 */
function playwright(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const tsx = import.meta.resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsx, cli, 'test', '-c', path.join(ROOT, CONFIG), ...args], { env, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code ?? 1);
    });
  });
}
