/**
 * The `npm test` figure: the contract suite against the embedded mock, whole (what `npm test`
 * runs: the mock, Playwright, every contract test), against a bare Playwright run of as many
 * trivial API tests against a bare node:http server, with the same worker count. Both are child
 * processes timed from spawn to exit; the bare run follows each `npm test` run, which tells it
 * the number of tests and workers.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { figure, side, type Group } from './figures.ts';
import { failure, measure } from './measure.ts';
import { startBare } from './serve.ts';

const TIMEOUT_MS = 180_000;

/** What Playwright's list reporter says it runs: `Running 9 tests using 1 worker`. */
export function runningOf(output: string): { tests: number; workers: number } | null {
  const m = /^Running (\d+) tests? using (\d+) workers?\b/m.exec(output);
  return m ? { tests: Number(m[1]), workers: Number(m[2]) } : null;
}

/** Tests Playwright's summary says passed (`  9 passed (3.7s)`); 0 without one. */
export function passedOf(output: string): number {
  return Number(/^\s*(\d+) passed\b/m.exec(output)?.[1] ?? 0);
}

/** `npm test` against the embedded mock vs bare Playwright + node:http. */
export function suiteGroup(scratch: string): Group {
  const samples = { ours: [] as number[], bare: [] as number[] };
  let layout = '';
  const playwright = createRequire(import.meta.url).resolve('@playwright/test/cli');
  // No CI variable: both with the local reporter and no retries; no secret: the mock gets a random one.
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  delete env['CI'];
  delete env['OAUTH_CLIENT_SECRET'];
  return {
    name: 'test',
    async sample(log) {
      log('npm test against the embedded mock');
      // package.json's `test` script: `node scripts/docs-contract.js test`.
      const run = await measure({ args: ['scripts/docs-contract.js', 'test'], env, timeoutMs: TIMEOUT_MS });
      if (run.code !== 0) return failure('npm test', run);
      const running = runningOf(run.stdout + run.stderr);
      if (running === null) return 'npm test printed no `Running N tests using W workers` line';
      const server = await startBare();
      try {
        log(`bare Playwright: ${running.tests} trivial API tests, ${running.workers} worker${running.workers === 1 ? '' : 's'}`);
        const bare = await measure({
          args: [playwright, 'test', '-c', 'scripts/bench/bare.config.ts'],
          env: { ...env, BENCH_URL: server.url, BENCH_TESTS: String(running.tests), BENCH_WORKERS: String(running.workers), BENCH_OUTPUT: path.join(scratch, 'bare-playwright') },
          timeoutMs: TIMEOUT_MS,
        });
        if (bare.code !== 0 || passedOf(bare.stdout) !== running.tests) return failure('the bare Playwright run', bare);
        samples.ours.push(run.ms / 1000);
        samples.bare.push(bare.ms / 1000);
        layout = `${running.tests} tests, ${running.workers} worker${running.workers === 1 ? '' : 's'}`;
      } finally {
        await server.stop();
      }
      return null;
    },
    figures: (reason) => [
      figure({
        group: 'test',
        name: 'npm test (embedded mock): time',
        unit: 's',
        ours: side('`npm test`, the contract suite against the embedded mock', samples.ours),
        peer: side(`\`playwright test\` of as many trivial API tests against a bare node:http server, same workers${layout ? ` (${layout})` : ''}`, samples.bare),
        target: { ratio: '≤', bound: 1.25 },
        note: reason,
      }),
    ],
  };
}
