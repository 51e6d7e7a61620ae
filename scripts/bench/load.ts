/**
 * Figure 5: the embedded mock under load against a bare node:http server answering the same
 * bytes. autocannon, over loopback, bounded in time and connections; each server runs in its
 * own child process, the load generator in this one. The request is a token exchange of a
 * code never issued, which the mock answers with the documented body of the `code` fault.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { TOKEN_ENDPOINT } from '../mock/answers.ts';
import { TEST_APP } from '../mock/test-app.ts';
import { median, notMeasured, ratioFigure, type Figure } from './figures.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NAME = 'mock under load vs bare node:http (token exchange, requests/s)';
const TARGET = '≥ 0.7× floor';
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

/** Runs both servers under the same load, alternating, `runs` times each (fewer when `mayRepeat` says no). */
export async function benchLoad(runs: number, seconds: number, connections: number, log: (line: string) => void, notes: string[], mayRepeat: (nextMs: number) => boolean = () => true): Promise<Figure> {
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
    if (sample.status !== 200 || !body.includes('"error"')) return notMeasured(NAME, 'requests/s', TARGET, `the mock answered ${sample.status} ${body.slice(0, 80)}`);
    bare = await serve('bare', { BENCH_BODY: body, BENCH_TYPE: sample.headers.get('content-type') ?? 'application/json' });
    const ours: number[] = [];
    const floor: number[] = [];
    let problems = 0;
    for (let i = 0; i < runs; i++) {
      if (i > 0 && !mayRepeat(2 * seconds * 1000 + 500)) break;
      log(`load: mock, ${seconds} s × ${connections} connections, run ${i + 1}/${runs}`);
      const m = await hammer(mock.url, secret, seconds, connections);
      log(`load: bare node:http, ${seconds} s × ${connections} connections, run ${i + 1}/${runs}`);
      const b = await hammer(bare.url, secret, seconds, connections);
      ours.push(m.rps);
      floor.push(b.rps);
      problems += m.problems + b.problems;
    }
    notes.push(`load: autocannon, ${connections} connections, ${seconds} s per run, ${ours.length} run${ours.length === 1 ? '' : 's'} of each server${ours.length < runs ? ' (the time budget left no more)' : ''}, alternating; ${problems} errors, timeouts or non-2xx answers.`);
    return ratioFigure(NAME, 'requests/s', median(ours), median(floor), { atLeast: 0.7 });
  } finally {
    if (mock) await stop(mock);
    if (bare) await stop(bare);
  }
}
