/**
 * The mock under load against a bare node:http server answering the same bytes: autocannon,
 * over loopback, bounded in time and connections; each server runs in its own child process,
 * the load generator in this one. The request is a token exchange of a code never issued, which
 * the mock answers with the documented body of the `code` fault.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { TOKEN_ENDPOINT } from '../mock/answers.ts';
import { TEST_APP } from '../mock/test-app.ts';
import { figure, side, type Group } from './figures.ts';
import { ROOT } from '../lib/util.ts';

/** Seconds of load per server and sample, and the connections autocannon keeps open. */
const SECONDS = 4;
const CONNECTIONS = 10;
const TOKEN_PATH = TOKEN_ENDPOINT.path;
const CLIENT_ID = TEST_APP.clientId;

interface Child {
  url: string;
  process: ChildProcess;
}

function serve(kind: 'mock' | 'bare', env: NodeJS.ProcessEnv): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/serve.ts', kind], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d));
    child.stdout?.on('data', (d: Buffer) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ url: line.trim(), process: child });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the ${kind} server exited (${code}) before listening: ${err.trim().split('\n').slice(-3).join(' / ')}`)));
  });
}

function stop(child: Child): Promise<void> {
  return new Promise((resolve) => {
    child.process.removeAllListeners('exit');
    child.process.once('exit', () => resolve());
    child.process.stdin?.end();
  });
}

/** Requests per second the server answered with 200 over `seconds` seconds, and any failures. */
async function hammer(url: string, secret: string, seconds: number, connections: number): Promise<{ rps: number; problems: number }> {
  const started = performance.now();
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: TOKEN_ENDPOINT.method,
        path: TOKEN_PATH,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        setupRequest: (request) => ({ ...request, body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: secret, code: randomBytes(10).toString('hex') }).toString() }),
      },
    ],
  });
  const elapsed = (performance.now() - started) / 1000;
  return { rps: result['2xx'] / elapsed, problems: result.errors + result.timeouts + result.non2xx };
}

/** The mock against bare node:http under autocannon, `seconds` each per sample, alternating. */
export function mockGroup(seconds = SECONDS, connections = CONNECTIONS): Group {
  const samples = { mock: [] as number[], bare: [] as number[] };
  let problems = 0;
  return {
    name: 'mock',
    async sample(log) {
      const secret = randomBytes(16).toString('hex');
      let mock: Child | null = null;
      let bare: Child | null = null;
      try {
        mock = await serve('mock', { BENCH_SECRET: secret });
        // The bare server answers exactly what the mock answers to this request.
        const sample = await fetch(`${mock.url}${TOKEN_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: secret, code: 'never-issued' }).toString(),
        });
        const body = await sample.text();
        if (sample.status !== 200 || !body.includes('"error"')) return `the mock answered ${sample.status} ${body.slice(0, 80)}`;
        bare = await serve('bare', { BENCH_BODY: body, BENCH_TYPE: sample.headers.get('content-type') ?? 'application/json' });
        log(`the mock under autocannon, ${seconds} s × ${connections} connections`);
        const m = await hammer(mock.url, secret, seconds, connections);
        log(`bare node:http under autocannon, ${seconds} s × ${connections} connections`);
        const b = await hammer(bare.url, secret, seconds, connections);
        samples.mock.push(m.rps);
        samples.bare.push(b.rps);
        problems += m.problems + b.problems;
        return null;
      } catch (error) {
        return (error as Error).message;
      } finally {
        if (mock) await stop(mock);
        if (bare) await stop(bare);
      }
    },
    figures: (reason) => [
      figure({
        group: 'mock',
        name: 'mock: requests per second',
        unit: 'req/s',
        ours: side(`\`npm run mock\`'s server, a token exchange (form POST) of a code never issued, answered with its documented error; autocannon, ${connections} connections, ${seconds} s`, samples.mock),
        peer: side('a bare node:http server reading the same request and answering the same bytes', samples.bare),
        target: { ratio: '≥', bound: 0.7 },
        note: reason ?? (problems > 0 ? `${problems} errors, timeouts or non-2xx answers` : null),
      }),
    ],
  };
}
