/**
 * `npm test`: the contract suite. Takes the target flags, passes every other argument to
 * `playwright test` untouched, and the settings through the environment (never the command
 * line, where the secret would show). Without `--base-url` it tests the embedded mock.
 *
 * Playwright is started first, and the rest prepared while it starts (on the other core, where
 * there is one): the cases loaded and checked, the embedded mock, the schemas compiled and the
 * docs report, handed to the suite's global setup through a pipe (scripts/suite/handoff.ts). So this module imports little at
 * start-up; the mock and the checks are imported when they are needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CasesFile } from '../lib/build.ts';
import { main, UsageError } from '../lib/cli.ts';
import { SECRET_ENV, TEST_APP } from '../mock/test-app.ts';
import { splitArgs, withSummaryReporter } from '../suite/args.ts';
import { DEFAULT_DOCS_ORIGIN, DEFAULT_REQUEST_TIMEOUT_MS, ENV, HANDOFF, secretFromFile, settingsFromEnv, settingsToEnv, type TargetSettings } from '../suite/settings.ts';

/** The repository root; Playwright runs from here. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The suite's Playwright configuration, relative to the root. */
export const CONFIG = 'tests/playwright.config.ts';

const USAGE =
  'npm test -- [--base-url=URL] [--client-id=ID] [--callback-url=URL] [--docs-origin=URL] [--request-timeout=MS] [--strict] [any playwright test flag]; the secret comes from OAUTH_CLIENT_SECRET or --client-secret-file=PATH (--client-secret=… is accepted, but a command line is seen by other users and kept in npm\'s debug log)';

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
  if (secret !== undefined && secret !== '') flagsEnv[ENV.clientSecret] = secret;
  return settingsFromEnv(flagsEnv);
}

/** Runs the suite; resolves to Playwright's exit code (0 all passed, 1 any failed). */
export async function run(args: string[], log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<number> {
  const { ours, strict, rest } = splitArgs(args);
  if (rest.includes('--help') || rest.includes('-h')) {
    log(`usage: ${USAGE}\nPlaywright's own flags follow.\n`);
    return playwright(rest, process.env, false).exited;
  }
  let settings = settingsOf(ours, process.env);
  const randomSecret = settings.clientSecret === null;
  // The app of the embedded mock; its URL is known once it listens, and handed over then.
  const app: MockApp | null =
    settings.baseUrl === null
      ? {
          clientId: settings.clientId ?? TEST_APP.clientId,
          clientSecret: settings.clientSecret ?? randomBytes(18).toString('base64url'),
          callbackUrl: settings.callbackUrl ?? TEST_APP.callbackUrl,
        }
      : null;
  if (app) settings = { ...settings, ...app };
  else {
    const given = (name: string, value: string | null) => `${name} ${value === null ? 'not given' : `\`${value}\``}`;
    log(`npm test: testing ${settings.baseUrl} (${given('client id', settings.clientId)}, secret ${settings.clientSecret === null ? 'not given' : 'given'}, ${given('callback', settings.callbackUrl)}; docs origin ${settings.docsOrigin}; request timeout ${settings.requestTimeout} ms)`);
  }
  const env = settingsToEnv(settings, process.env);
  if (strict) env[ENV.strict] = '1';
  else delete env[ENV.strict];
  const child = playwright(withSummaryReporter(rest), { ...env, [HANDOFF.env]: String(HANDOFF.fd) }, true);
  let mock: { url: string; stop(): Promise<void> } | null = null;
  try {
    const cases = await loadContract();
    if (app) {
      mock = await startMock(app, cases);
      log(`npm test: no --base-url, so testing the embedded mock at ${mock.url} (client id \`${app.clientId}\`, callback \`${app.callbackUrl}\`, ${randomSecret ? 'a random secret' : 'the given secret'})`);
    }
    const { encodeHandOff, prepareChecks } = await import('../suite/handoff.ts');
    child.handOff(encodeHandOff({ baseUrl: mock?.url ?? null, cases, ...(await prepareChecks(ROOT)) }));
  } catch (error) {
    // A bad cases file (a usage error). Before the hand-off Playwright has started no test and no worker: stop it, and say why.
    child.stop();
    await child.exited;
    await mock?.stop();
    throw error;
  }
  try {
    return await child.exited;
  } finally {
    await mock?.stop();
  }
}

/** The app registered on the embedded mock. */
interface MockApp {
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
}

/** The committed cases, loaded and checked (a bad cases file is a usage error naming it). */
async function loadContract(): Promise<CasesFile> {
  const [{ CASES_FILE }, { loadCases }] = await Promise.all([import('../lib/build.ts'), import('../lib/cases.ts')]);
  return loadCases(path.join(ROOT, CASES_FILE));
}

/** Starts the embedded mock of `contract` for `app`, on a free 127.0.0.1 port. */
async function startMock(app: MockApp, contract: CasesFile): Promise<{ url: string; stop(): Promise<void> }> {
  const { createMock } = await import('../mock/server.ts');
  return createMock({ cases: contract.cases, ...app, host: '127.0.0.1', port: 0 });
}

/** A running `playwright test`. */
interface Playwright {
  /** Resolves to its exit code. */
  exited: Promise<number>;
  /** Sends the hand-off and closes the pipe (no-op without one, or once Playwright is gone). */
  handOff(text: string): void;
  /** Kills it (before it started any worker). */
  stop(): void;
}

/** Runs `playwright test -c tests/playwright.config.ts …args`, with the hand-off pipe on HANDOFF.fd when `withHandOff`. */
function playwright(args: readonly string[], env: NodeJS.ProcessEnv, withHandOff: boolean): Playwright {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const child: ChildProcess = spawn(process.execPath, [cli, 'test', '-c', CONFIG, ...args], {
    cwd: ROOT,
    env,
    stdio: withHandOff ? ['inherit', 'inherit', 'inherit', 'pipe'] : 'inherit',
  });
  const pipe = withHandOff ? (child.stdio[HANDOFF.fd] as Writable | null) : null;
  // Playwright may end without reading it (`--list`, a bad flag): that is no error of ours.
  pipe?.on('error', () => {});
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  const exited: Promise<number> = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      pipe?.destroy();
      resolve(code ?? 1);
    });
  });
  // Awaited later; a failure to start is not unhandled meanwhile.
  exited.catch(() => {});
  return {
    exited,
    handOff: (text) => {
      if (pipe && !pipe.destroyed) pipe.end(text);
    },
    stop: () => {
      pipe?.destroy();
      child.kill('SIGKILL');
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) await main('npm test', run);
