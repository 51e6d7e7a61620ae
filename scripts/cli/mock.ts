/** `npm run mock`: runs the embedded GitHub-like OAuth server until SIGINT or SIGTERM. */
import { randomBytes } from 'node:crypto';
import { loadCases } from '../lib/cases.ts';
import { flags } from '../lib/cli.ts';
import { DEVICE_GRANT_TYPE } from '../lib/recipes.ts';
import { UsageError } from '../lib/util.ts';
import { DEVICE_HOOKS } from '../mock/answers.ts';
import { parseHttpUrl } from '../mock/redirect-uri.ts';
import { APP_STATES, createMock, DEFAULT_DOCS_ORIGIN, SECRET_ENV, TEST_APP, type Mock } from '../mock/server.ts';
import { COMMAND_LINES } from './commands.ts';

/** How the command is called. */
export const { usage: USAGE, options: OPTIONS } = COMMAND_LINES.mock;

/** What the command reads and writes besides its flags. */
export interface MockIo {
  out: (line: string) => void;
  env: Readonly<Record<string, string | undefined>>;
}

const defaultIo: MockIo = { out: (line) => console.log(line), env: process.env };

/** Parses the flags, starts the mock and prints its URL and test app. Never prints the secret. */
export async function start(args: string[], io: MockIo = defaultIo): Promise<Mock> {
  const values = flags(args, OPTIONS, USAGE);
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port must be a port number from 0 to 65535 (0: a free port), not \`${values.port}\`\nusage: ${USAGE}`);
  if (values['client-id'] === '') throw new UsageError(`--client-id must not be empty\nusage: ${USAGE}`);
  if (!parseHttpUrl(values['callback-url'])) throw new UsageError(`--callback-url must be an absolute http(s) URL such as \`${TEST_APP.callbackUrl}\`, not \`${values['callback-url']}\`\nusage: ${USAGE}`);
  // As GitHub answers: its recorded `error_uri` where the profiles keep one, absolute on its docs origin elsewhere.
  const asGithub = values['as-github'];
  let docsOrigin: string | null = values['absolute-error-uri'] || asGithub ? DEFAULT_DOCS_ORIGIN : null;
  if (values['docs-origin'] !== undefined) {
    const url = parseHttpUrl(values['docs-origin']);
    if (!url || url.pathname !== '/' || url.search || url.hash) throw new UsageError(`--docs-origin must be an http(s) origin such as \`${DEFAULT_DOCS_ORIGIN}\` (no path), not \`${values['docs-origin']}\`\nusage: ${USAGE}`);
    docsOrigin = url.origin;
  }
  const { cases } = loadCases(values.cases);

  const fromEnv = io.env[SECRET_ENV];
  const clientSecret = fromEnv ? fromEnv : randomBytes(24).toString('base64url');
  let mock: Mock;
  try {
    mock = await createMock({ cases, clientId: values['client-id'], clientSecret, callbackUrl: values['callback-url'], appStates: APP_STATES, host: values.host, port, docsOrigin, asGithub, log: (line) => io.out(`mock: ${line}`) });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} on ${values.host} is in use; pick another with --port=N, or --port=0 for a free one`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') throw new UsageError(`cannot listen on ${values.host}:${port} (${String(code)}); use --host=127.0.0.1 and a free --port`);
    throw error;
  }

  io.out(`mock: listening on ${mock.url}`);
  io.out(`  authorize  GET  ${mock.url}/login/oauth/authorize?client_id=${encodeURIComponent(values['client-id'])}&state=…`);
  io.out(`  token      POST ${mock.url}/login/oauth/access_token`);
  io.out(`  device     POST ${mock.url}/login/device/code, then poll the token endpoint with device_code and grant_type=${DEVICE_GRANT_TYPE}`);
  io.out(`  test hooks POST ${mock.url}${DEVICE_HOOKS.approve} (and ${DEVICE_HOOKS.deny}, ${DEVICE_HOOKS.expire}) with user_code=…: the user approves, denies, or the code expires`);
  io.out('test app:');
  io.out(`  client id      ${values['client-id']}`);
  io.out(`  callback URL   ${values['callback-url']}`);
  io.out(`  other apps     ${TEST_APP.suspendedClientId} (suspended), ${TEST_APP.deviceFlowDisabledClientId} (device flow not enabled)`);
  io.out(fromEnv
    ? `  client secret  from ${SECRET_ENV}`
    : `  client secret  random and not shown, as ${SECRET_ENV} is not set; to choose it, start with ${SECRET_ENV}=<secret> npm run mock`);
  io.out(
    asGithub
      ? `  error_uri      as GitHub is recorded to send it (tests/profiles.yaml), else absolute on ${docsOrigin ?? DEFAULT_DOCS_ORIGIN}`
      : docsOrigin === null
        ? '  error_uri      relative, as documented (--absolute-error-uri for absolute, --as-github for GitHub\'s recorded values)'
        : `  error_uri      absolute on ${docsOrigin}, like the real service`,
  );
  io.out(`answers: ${cases.length} documented ${cases.length === 1 ? 'case' : 'cases'} from ${values.cases}`);
  for (const note of mock.notes) io.out(`  note: ${note}`);
  io.out('Stop with Ctrl+C.');
  return mock;
}

/** Resolves with the name of the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** Runs the mock until `until` resolves (by default a signal), then stops it; returns the exit code. */
export async function run(args: string[], io: MockIo = defaultIo, until: () => Promise<string> = untilSignal): Promise<number> {
  const stopRequested = until();
  const mock = await start(args, io);
  const signal = await stopRequested;
  io.out(`mock: ${signal}, stopping`);
  await mock.stop();
  io.out('mock: stopped');
  return 0;
}
