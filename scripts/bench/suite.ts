/**
 * Figure 4: `npm test` against the embedded mock, whole (tsx, the mock, Playwright and every
 * contract test), against a bare Playwright run of as many trivial request tests against a
 * bare node:http server. Both are separate processes timed from spawn to exit.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, notMeasured, ratioFigure, type Figure } from './figures.ts';
import { startBare } from './serve.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NAME = '`npm test` (embedded mock) vs bare Playwright + node:http';
const TARGET = '≤ 1.25× floor';

interface Timed {
  ms: number;
  code: number | null;
  output: string;
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ ms: performance.now() - start, code, output }));
  });
}

/** Tests Playwright ran, from its summary lines (`9 passed`, `2 skipped`, …). */
export function testsRun(output: string): number {
  let total = 0;
  for (const m of output.matchAll(/^\s*(\d+) (?:passed|failed|flaky|skipped|did not run)\b/gm)) total += Number(m[1]);
  return total;
}

/** Runs both, alternating, `runs` times each (fewer when `mayRepeat` says no). */
export async function benchSuite(dir: string, runs: number, log: (line: string) => void, notes: string[], mayRepeat: (nextMs: number) => boolean = () => true): Promise<Figure> {
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
  if (!existsSync(path.join(ROOT, 'scripts/cli/test.ts'))) return notMeasured(NAME, 'ms', TARGET, 'the contract suite (scripts/cli/test.ts) is not available');
  const playwright = createRequire(import.meta.url).resolve('@playwright/test/cli');
  // No CI variable: both run with the local reporters and no retries.
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  delete env['CI'];
  delete env['OAUTH_CLIENT_SECRET'];
  const server = await startBare();
  try {
    const ours: number[] = [];
    const floor: number[] = [];
    let count = 0;
    for (let i = 0; i < runs; i++) {
      if (i > 0 && !mayRepeat((ours[0] ?? 0) + (floor[0] ?? 0))) break;
      log(`npm test against the mock, run ${i + 1}/${runs}`);
      const run = await timed(tsx, ['scripts/cli/test.ts'], env);
      if (run.code !== 0) return notMeasured(NAME, 'ms', TARGET, `npm test exited ${run.code}: ${run.output.trim().split('\n').slice(-3).join(' / ')}`);
      count = testsRun(run.output);
      ours.push(run.ms);
      log(`bare Playwright, ${count} trivial request tests, run ${i + 1}/${runs}`);
      const bare = await timed(process.execPath, [playwright, 'test', '-c', 'scripts/bench/playwright.config.ts'], {
        ...env,
        BENCH_URL: server.url,
        BENCH_TESTS: String(count),
        BENCH_OUTPUT: path.join(dir, 'playwright-floor'),
      });
      if (bare.code !== 0 || testsRun(bare.output) !== count) {
        return notMeasured(NAME, 'ms', TARGET, `the bare Playwright run failed (exit ${bare.code}): ${bare.output.trim().split('\n').slice(-3).join(' / ')}`);
      }
      floor.push(bare.ms);
    }
    notes.push(`npm test: ${count} tests, ${ours.length} run${ours.length === 1 ? '' : 's'} of each${ours.length < runs ? ' (the time budget left no more)' : ''}, timed from spawn to exit (\`tsx scripts/cli/test.ts\`, what \`npm test\` runs, vs \`playwright test\` of scripts/bench/floor.spec.ts).`);
    return ratioFigure(NAME, 'ms', median(ours), median(floor), { atMost: 1.25 });
  } finally {
    await server.stop();
  }
}
