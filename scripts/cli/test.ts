/**
 * `npm test`: the contract suite. Takes the target flags, passes every other argument to
 * `playwright test` untouched, and the settings through the environment (never the command
 * line, where the secret would show). Without `--base-url` it starts the embedded mock on the
 * committed cases and tests that.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CASES_FILE } from '../lib/build.ts';
import { loadCases } from '../lib/cases.ts';
import { main } from '../lib/cli.ts';
import { ROOT, UsageError } from '../lib/util.ts';
import { createMock } from '../mock/server.ts';
import { SECRET_ENV, TEST_APP } from '../mock/test-app.ts';
import { splitArgs, withDocsGithubReporter, withSummaryReporter } from '../suite/args.ts';
import { DEFAULT_DOCS_ORIGIN, DEFAULT_REQUEST_TIMEOUT_MS, ENV, secretFromFile, settingsFromEnv, settingsToEnv, type TargetSettings } from '../suite/settings.ts';

/** The suite's Playwright configuration, relative to the root. */
export const CONFIG = 'tests/playwright.config.ts';

const USAGE =
  'npm test -- [--base-url=URL] [--client-id=ID] [--callback-url=URL] [--suspended-client-id=ID] [--docs-origin=URL] [--request-timeout=MS] [--strict] [any playwright test flag]; the secret comes from OAUTH_CLIENT_SECRET or --client-secret-file=PATH (--client-secret=… is accepted, but a command line is seen by other users and kept in npm\'s debug log)';

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
  if (secret !== undefined && secret !== '') flagsEnv[ENV.clientSecret] = secret;
  return settingsFromEnv(flagsEnv);
}

/** Runs the suite; resolves to Playwright's exit code (0 all passed, 1 any failed). */
export async function run(args: string[], log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<number> {
  const { ours, strict, rest } = splitArgs(args);
  if (rest.includes('--help') || rest.includes('-h')) {
    log(`usage: ${USAGE}\nPlaywright's own flags follow.\n`);
    return playwright(rest, process.env);
  }
  let settings = settingsOf(ours, process.env);
  let mock: { url: string; stop(): Promise<void> } | null = null;
  if (settings.baseUrl === null) {
    // The embedded mock answers from the committed cases: a bad cases file is the usage error naming it.
    const cases = loadCases(path.join(ROOT, CASES_FILE));
    const app = {
      clientId: settings.clientId ?? TEST_APP.clientId,
      clientSecret: settings.clientSecret ?? randomBytes(18).toString('base64url'),
      callbackUrl: settings.callbackUrl ?? TEST_APP.callbackUrl,
      suspendedClientId: settings.suspendedClientId ?? TEST_APP.suspendedClientId,
    };
    mock = await createMock({ cases: cases.cases, ...app, appStates: { [app.suspendedClientId]: ['suspended'] }, host: '127.0.0.1', port: 0 });
    log(`npm test: no --base-url, so testing the embedded mock at ${mock.url} (client id \`${app.clientId}\`, callback \`${app.callbackUrl}\`, ${settings.clientSecret === null ? 'a random secret' : 'the given secret'})`);
    settings = { ...settings, ...app, baseUrl: mock.url };
  } else {
    const given = (name: string, value: string | null) => `${name} ${value === null ? 'not given' : `\`${value}\``}`;
    log(`npm test: testing ${settings.baseUrl} (${given('client id', settings.clientId)}, secret ${settings.clientSecret === null ? 'not given' : 'given'}, ${given('callback', settings.callbackUrl)}; docs origin ${settings.docsOrigin}; request timeout ${settings.requestTimeout} ms)`);
  }
  try {
    const env = settingsToEnv(settings, process.env);
    if (strict) env[ENV.strict] = '1';
    else delete env[ENV.strict];
    return await playwright(withSummaryReporter(withDocsGithubReporter(rest)), env);
  } finally {
    await mock?.stop();
  }
}

/** Runs `playwright test -c tests/playwright.config.ts …args` from the repository root; resolves to its exit code. Signals are passed on. */
function playwright(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const child = spawn(process.execPath, [cli, 'test', '-c', CONFIG, ...args], { cwd: ROOT, env, stdio: 'inherit' });
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

if (import.meta.url === `file://${process.argv[1]}`) await main('npm test', run);
