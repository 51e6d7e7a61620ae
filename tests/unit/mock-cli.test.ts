/**
 * `npm run mock`: flags, the printed test app, usage errors, and the command end to end in a
 * child process (start, serve, SIGTERM), never printing the secret, a code or a token.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { start, run, type MockIo } from '../../scripts/cli/mock.ts';
import { UsageError } from '../../scripts/lib/util.ts';
import { createMock, SECRET_ENV, TEST_APP } from '../../scripts/mock/server.ts';
import { APP, caseOf, COMMITTED, exchangeFields, issueCode, post, random, SECRET } from './mock-support.ts';

function io(env: Record<string, string> = { [SECRET_ENV]: SECRET }): MockIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line), env };
}

const BANNER_END = [
  'test app:',
  `  client id      ${TEST_APP.clientId}`,
  `  callback URL   ${TEST_APP.callbackUrl}`,
  `  other apps     ${TEST_APP.suspendedClientId} (suspended), ${TEST_APP.deviceFlowDisabledClientId} (device flow not enabled)`,
];

/** The lines naming the device flow's endpoints and test-only hooks. */
const deviceLines = (url: string) => [
  `  device     POST ${url}/login/device/code, then poll the token endpoint with device_code and grant_type=urn:ietf:params:oauth:grant-type:device_code`,
  `  test hooks POST ${url}/_docs-contract/device/approve (and /_docs-contract/device/deny, /_docs-contract/device/expire) with user_code=…: the user approves, denies, or the code expires`,
];

describe('start()', () => {
  test('prints the URL, the endpoints and the test app; the secret comes from the environment and is not printed', async () => {
    const out = io();
    const mock = await start([], out);
    try {
      assert.deepEqual(out.lines, [
        `mock: listening on ${mock.url}`,
        `  authorize  GET  ${mock.url}/login/oauth/authorize?client_id=${TEST_APP.clientId}&state=…`,
        `  token      POST ${mock.url}/login/oauth/access_token`,
        ...deviceLines(mock.url),
        ...BANNER_END,
        `  client secret  from ${SECRET_ENV}`,
        '  error_uri      relative, as documented (--absolute-error-uri for absolute, --as-github for GitHub\'s recorded values)',
        `answers: ${COMMITTED.length} documented cases from tests/fixtures/cases.json`,
        'Stop with Ctrl+C.',
      ]);
      assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(JSON.parse((await post(mock, exchangeFields(await issueCode(mock)))).text).access_token, 'the secret from the environment works');
      assert.ok(!out.lines.join('\n').includes(SECRET));
    } finally {
      await mock.stop();
    }
  });

  test('without the environment variable the secret is random, unprinted, and the output says how to set it', async () => {
    const out = io({});
    const mock = await start(['--client-id=widget-client', '--callback-url=http://127.0.0.1:9/widgets'], out);
    try {
      assert.deepEqual(out.lines.slice(5, 10), [
        'test app:',
        '  client id      widget-client',
        '  callback URL   http://127.0.0.1:9/widgets',
        `  other apps     ${TEST_APP.suspendedClientId} (suspended), ${TEST_APP.deviceFlowDisabledClientId} (device flow not enabled)`,
        `  client secret  random and not shown, as ${SECRET_ENV} is not set; to choose it, start with ${SECRET_ENV}=<secret> npm run mock`,
      ]);
      const got = await post(mock, [['client_id', 'widget-client'], ['client_secret', SECRET], ['code', random()]]);
      assert.equal(got.text, JSON.stringify(caseOf(COMMITTED, 'client-credentials').expected));
    } finally {
      await mock.stop();
    }
  });

  for (const [args, origin] of [[['--absolute-error-uri'], 'https://docs.github.com'], [['--docs-origin=https://docs.widgets.invalid/'], 'https://docs.widgets.invalid']] as const) {
    test(`${args.join(' ')} makes error_uri absolute on ${origin}`, async () => {
      const out = io();
      const mock = await start([...args], out);
      try {
        assert.equal(out.lines[10], `  error_uri      absolute on ${origin}, like the real service`);
        const body = JSON.parse((await post(mock, exchangeFields(random()))).text) as Record<string, unknown>;
        assert.equal(body['error_uri'], `${origin}${String(caseOf(COMMITTED, 'code').expected['error_uri'])}`);
      } finally {
        await mock.stop();
      }
    });
  }

  test('--as-github answers with the error_uri GitHub is recorded to send, where the profiles keep one', async () => {
    // The authorization endpoint's redirect_uri_mismatch: GitHub sends another path than the one documented.
    const kase = COMMITTED.find((c) => c.error === 'redirect_uri_mismatch' && c.request.method === 'GET');
    const recorded = kase?.request.github?.errorUri;
    assert.ok(kase && recorded, 'the profile records GitHub\'s error_uri of the authorization endpoint\'s redirect_uri_mismatch');
    assert.ok(!recorded.endsWith(String(kase.expected['error_uri'])), 'GitHub\'s value differs from the documented one');
    const redirectOf = async (args: string[]) => {
      const out = io();
      const mock = await start(args, out);
      try {
        const query = new URLSearchParams({ client_id: TEST_APP.clientId, redirect_uri: 'https://redirect-uri-mismatch.invalid/callback', state: 'widget-state' });
        const response = await fetch(`${mock.url}/login/oauth/authorize?${query}`, { redirect: 'manual' });
        return { banner: out.lines[10] ?? '', errorUri: new URL(response.headers.get('location') ?? '').searchParams.get('error_uri') };
      } finally {
        await mock.stop();
      }
    };
    const asGithub = await redirectOf(['--as-github']);
    assert.match(asGithub.banner, /^ {2}error_uri {6}as GitHub is recorded to send it/);
    assert.equal(asGithub.errorUri, recorded);
    assert.equal((await redirectOf([])).errorUri, kase.expected['error_uri'], 'without it, as documented');
  });

  const USAGE = 'usage: docs-contract mock [--port=N] [--host=H] [--client-id=ID] [--callback-url=URL] [--docs-origin=URL] [--absolute-error-uri] [--as-github] [--cases=FILE]';
  const usageErrors: Array<[string[], string]> = [
    [['--port=abc'], `--port must be a port number from 0 to 65535 (0: a free port), not \`abc\`\n${USAGE}`],
    [['--port=70000'], `--port must be a port number from 0 to 65535 (0: a free port), not \`70000\`\n${USAGE}`],
    [['--client-id='], `--client-id must not be empty\n${USAGE}`],
    [['--callback-url=localhost:8976/callback'], `--callback-url must be an absolute http(s) URL such as \`${TEST_APP.callbackUrl}\`, not \`localhost:8976/callback\`\n${USAGE}`],
    [['--docs-origin=https://docs.github.com/en'], `--docs-origin must be an http(s) origin such as \`https://docs.github.com\` (no path), not \`https://docs.github.com/en\`\n${USAGE}`],
    [['--cases=tests/fixtures/widgets-missing.json'], 'cases file `tests/fixtures/widgets-missing.json` does not exist; run `npm run generate` to build it from the docs'],
    [['--widgets'], `Unknown option '--widgets'\n${USAGE}`],
  ];
  for (const [args, message] of usageErrors) {
    test(`${args.join(' ')} is a usage error`, async () => {
      await assert.rejects(start(args, io()), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.equal(error.message, message);
        return true;
      });
    });
  }

  test('a port in use is a usage error naming it', async () => {
    const taken = await createMock({ cases: COMMITTED, ...APP });
    try {
      const port = new URL(taken.url).port;
      await assert.rejects(start([`--port=${port}`], io()), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.equal(error.message, `port ${port} on 127.0.0.1 is in use; pick another with --port=N, or --port=0 for a free one`);
        return true;
      });
    } finally {
      await taken.stop();
    }
  });
});

describe('run()', () => {
  test('serves until told to stop, then stops and returns 0', { timeout: 30_000 }, async () => {
    const out = io();
    let stop: (signal: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const exit = run([], out, () => stopped);
    while (!out.lines.some((l) => l.startsWith('Stop with'))) await new Promise((r) => setImmediate(r));
    const url = /^mock: listening on (\S+)$/.exec(out.lines[0] ?? '')?.[1] ?? '';
    const served = await fetch(`${url}/login/oauth/authorize?client_id=${TEST_APP.clientId}`, { redirect: 'manual' });
    assert.equal(served.status, 302);
    stop('SIGTERM');
    assert.equal(await exit, 0);
    assert.deepEqual(out.lines.slice(-3), ['mock: GET /login/oauth/authorize → 302 code issued', 'mock: SIGTERM, stopping', 'mock: stopped']);
    await assert.rejects(fetch(`${url}/login/oauth/authorize`), 'the server no longer listens');
  });
});

describe('npm run mock, end to end', () => {
  test('a child process prints its URL, serves a whole flow, stops on SIGTERM, and never prints the secret, code or token', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ['scripts/docs-contract.js', 'mock', '--port=0'], {
      env: { ...process.env, [SECRET_ENV]: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // A bound, not a timed assertion: if the mock never says where it listens, stop waiting.
    const bound = setTimeout(() => child.kill('SIGKILL'), 45_000);
    try {
      let url: string | undefined;
      while (url === undefined) {
        url = /^mock: listening on (\S+)$/m.exec(stdout)?.[1];
        if (url === undefined) {
          if (child.exitCode !== null || child.signalCode !== null) assert.fail(`the mock exited before listening:\n${stdout}${stderr}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      const mock = { url, notes: [], stop: async () => {} };
      const code = await issueCode(mock);
      const token = JSON.parse((await post(mock, exchangeFields(code))).text).access_token as string;
      assert.match(token, /^gho_/);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.match(stdout, /\nmock: SIGTERM, stopping\nmock: stopped\n$/);
      assert.equal(stderr, '');
      for (const secret of [SECRET, code, token]) assert.ok(!`${stdout}${stderr}`.includes(secret), 'a secret, code or token was printed');
    } finally {
      clearTimeout(bound);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  test('a usage error exits 2 with one line and the usage', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ['scripts/docs-contract.js', 'mock', '--port=abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 2);
    assert.equal(stderr, 'mock: --port must be a port number from 0 to 65535 (0: a free port), not `abc`\nusage: docs-contract mock [--port=N] [--host=H] [--client-id=ID] [--callback-url=URL] [--docs-origin=URL] [--absolute-error-uri] [--as-github] [--cases=FILE]\n');
  });
});
