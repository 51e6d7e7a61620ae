/**
 * `npm test`: the contract suite. Takes the target flags, passes every other argument to
 * `playwright test` untouched, and the settings through the environment (never the command
 * line, where the secret would show). Without `--base-url` the suite's global setup starts the
 * embedded mock on the cases and tests that. With `--docs` or `--recipes` the contract of those is generated into a
 * temporary folder first, and the suite runs on it instead of the committed one.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASELINE_FILE, DEFAULT_CACHE_DIR, DOCS_DIR, RECIPES_FILE, ROOT, UsageError } from '../lib/util.ts';
import { SECRET_ENV } from '../mock/test-app.ts';
import { splitArgs, withDocsGithubReporter, withSummaryReporter } from '../suite/args.ts';
import { LOCATION_ENV } from '../suite/locations.ts';
import { DEFAULT_DOCS_ORIGIN, DEFAULT_REQUEST_TIMEOUT_MS, ENV, secretFromFile, settingsFromEnv, settingsToEnv, type TargetSettings } from '../suite/settings.ts';
import { COMMAND_LINES } from './commands.ts';

/** The suite's Playwright configuration, relative to the root. */
export const CONFIG = 'tests/playwright.config.ts';

/** How the command is called. */
export const { usage: USAGE } = COMMAND_LINES.test;

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
  const { ours, strict, locales, rest } = splitArgs(args);
  if (rest.includes('--help') || rest.includes('-h')) {
    log(`usage: ${USAGE}\nPlaywright's own flags follow.\n`);
    return playwright(rest, process.env);
  }
  const settings = settingsOf(ours, process.env);
  let env: NodeJS.ProcessEnv = process.env;
  let generated: string | null = null;
  try {
    if (ours.docs !== undefined || ours.recipes !== undefined) {
      generated = mkdtempSync(path.join(tmpdir(), 'docs-contract-generated-'));
      const ok = await generateInto(generated, ours.docs ?? DOCS_DIR, ours.recipes ?? RECIPES_FILE, log);
      if (!ok) return 1;
      env = { ...env, [LOCATION_ENV.generated]: generated, [LOCATION_ENV.docs]: path.resolve(ours.docs ?? DOCS_DIR), [LOCATION_ENV.root]: process.cwd() };
    }
    if (settings.baseUrl !== null) {
      const given = (name: string, value: string | null) => `${name} ${value === null ? 'not given' : `\`${value}\``}`;
      log(`npm test: testing ${settings.baseUrl} (${given('client id', settings.clientId)}, secret ${settings.clientSecret === null ? 'not given' : 'given'}, ${given('callback', settings.callbackUrl)}; docs origin ${settings.docsOrigin}; request timeout ${settings.requestTimeout} ms)`);
    }
    // Without --base-url, the suite's global setup starts the embedded mock on the run's cases (scripts/suite/setup.ts).
    const childEnv = settingsToEnv(settings, env);
    if (strict) childEnv[ENV.strict] = '1';
    else delete childEnv[ENV.strict];
    if (locales.length > 0) childEnv[ENV.locales] = locales.join(',');
    else delete childEnv[ENV.locales];
    return await playwright(withSummaryReporter(withDocsGithubReporter(rest)), childEnv);
  } finally {
    if (generated !== null) rmSync(generated, { recursive: true, force: true });
  }
}

/** Generates the contract of `docs` and `recipes` into `dir`; false (with the findings logged) when they have errors. */
async function generateInto(dir: string, docs: string, recipes: string, log: (line: string) => void): Promise<boolean> {
  // Loaded here only: a run on the committed contract needs none of the pipeline.
  const [{ blockingBuildErrors }, { shownFrom }, { formatText, summarize }, { parsePage }, { loadAndBuild }, { writeOutputs }] = await Promise.all([
    import('../lib/baseline.ts'),
    import('../lib/cli.ts'),
    import('../lib/diagnostics.ts'),
    import('../lib/parse.ts'),
    import('../lib/pipeline.ts'),
    import('../lib/write.ts'),
  ]);
  const { loaded, build } = loadAndBuild('test', { docs, recipes, cache: DEFAULT_CACHE_DIR, 'no-cache': false }, log, parsePage);
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
 * reports go); resolves to its exit code. Signals are passed on. Playwright compiles the
 * TypeScript of a checkout itself, but none under node_modules, where an installed docs-contract
 * lives: there the runner and its workers (which inherit its flags) load tsx, which does.
 */
function playwright(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const installed = ROOT.split(path.sep).includes('node_modules');
  const loader = installed ? ['--import', import.meta.resolve('tsx')] : [];
  const child = spawn(process.execPath, [...loader, cli, 'test', '-c', path.join(ROOT, CONFIG), ...args], { env, stdio: 'inherit' });
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
