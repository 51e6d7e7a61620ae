/**
 * Figure 4: `npm test` against the embedded mock, whole (the command of package.json's `test`
 * script: the mock, Playwright and every contract test), against a bare Playwright run of as
 * many trivial request tests against a bare node:http server, in the same projects. All are
 * separate processes timed from spawn to exit, alternating.
 *
 * The figure's floor has the suite's layout (its projects, the tests in each, its workers), read
 * from the `npm test` run just timed: Playwright starts one worker process per project, so that
 * floor is what Playwright alone costs for this layout. A one-project bare run of the same tests
 * is measured too and reported in the notes.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, notMeasured, ratioFigure, round, type Figure } from './figures.ts';
import { describeLayout, LAYOUT_ENV, layoutOf, oneProject, type Layout } from './layout.ts';
import { startBare } from './serve.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NAME = '`npm test` (embedded mock) vs bare Playwright + node:http, same projects';
const TARGET = '≤ 1.25× floor';
const AT_MOST = 1.25;

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

/**
 * The command and arguments of an npm script, as npm would run it, without a shell: `node` is
 * this Node, any other command the one in node_modules/.bin. A script with shell syntax (quotes,
 * variables, `&&`, redirections…) is not one command: a string saying so.
 */
export function commandOf(script: string, root = ROOT, execPath = process.execPath): { command: string; args: string[] } | string {
  if (!/^[\w@./-]+(?: +[\w@./:=+,-]+)*$/.test(script.trim())) return `\`${script}\` is not one plain command`;
  const [name = '', ...args] = script.trim().split(/ +/);
  if (name === 'node') return { command: execPath, args };
  const bin = path.join(root, 'node_modules/.bin', name);
  return existsSync(bin) ? { command: bin, args } : `\`${name}\` (of \`${script}\`) is neither node nor in node_modules/.bin`;
}

/** package.json's `test` script: what `npm test` runs. */
export function testScript(root = ROOT): string {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return pkg.scripts?.['test'] ?? '';
}

/** Runs ours and both floors, alternating, `runs` times each (fewer when `mayRepeat` says no). */
export async function benchSuite(dir: string, runs: number, log: (line: string) => void, notes: string[], mayRepeat: (nextMs: number) => boolean = () => true): Promise<Figure> {
  if (!existsSync(path.join(ROOT, 'scripts/cli/test.ts'))) return notMeasured(NAME, 'ms', TARGET, 'the contract suite (scripts/cli/test.ts) is not available');
  const script = testScript();
  const ours = commandOf(script);
  if (typeof ours === 'string') return notMeasured(NAME, 'ms', TARGET, `package.json's test script: ${ours}`);
  const playwright = createRequire(import.meta.url).resolve('@playwright/test/cli');
  // No CI variable: all run with the local reporters and no retries.
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  delete env['CI'];
  delete env['OAUTH_CLIENT_SECRET'];
  delete env[LAYOUT_ENV];
  const server = await startBare();
  const bare = (layout: Layout, folder: string) =>
    timed(process.execPath, [playwright, 'test', '-c', 'scripts/bench/playwright.config.ts'], {
      ...env,
      BENCH_URL: server.url,
      [LAYOUT_ENV]: JSON.stringify(layout),
      BENCH_OUTPUT: path.join(dir, folder),
    });
  const failed = (what: string, run: Timed) => `${what} exited ${run.code}: ${run.output.trim().split('\n').slice(-3).join(' / ')}`;
  try {
    const times = { ours: [] as number[], same: [] as number[], one: [] as number[] };
    let layout: Layout | null = null;
    let count = 0;
    for (let i = 0; i < runs; i++) {
      if (i > 0 && !mayRepeat((times.ours[0] ?? 0) + (times.same[0] ?? 0) + (times.one[0] ?? 0))) break;
      log(`npm test against the mock, run ${i + 1}/${runs}`);
      const run = await timed(ours.command, ours.args, env);
      if (run.code !== 0) return notMeasured(NAME, 'ms', TARGET, failed('npm test', run));
      const found = layoutOf(run.output);
      if (typeof found === 'string') return notMeasured(NAME, 'ms', TARGET, `the layout of the npm test run: ${found}`);
      if (layout !== null && JSON.stringify(found) !== JSON.stringify(layout)) {
        return notMeasured(NAME, 'ms', TARGET, `npm test ran ${describeLayout(found)}, but before ${describeLayout(layout)}`);
      }
      layout = found;
      count = layout.projects.reduce((n, p) => n + p.tests, 0); // layoutOf checked it against Playwright's total
      times.ours.push(run.ms);
      log(`bare Playwright, ${count} trivial request tests in the same projects (${describeLayout(layout)}), run ${i + 1}/${runs}`);
      const same = await bare(layout, 'playwright-floor');
      if (same.code !== 0 || testsRun(same.output) !== count) return notMeasured(NAME, 'ms', TARGET, failed('the bare Playwright run', same));
      times.same.push(same.ms);
      log(`bare Playwright, ${count} trivial request tests in one project, run ${i + 1}/${runs}`);
      const one = await bare(oneProject(count, layout.workers), 'playwright-floor-one');
      if (one.code !== 0 || testsRun(one.output) !== count) return notMeasured(NAME, 'ms', TARGET, failed('the one-project bare Playwright run', one));
      times.one.push(one.ms);
    }
    const n = times.ours.length;
    const [value, floor, single] = [median(times.ours), median(times.same), median(times.one)];
    notes.push(
      `npm test: ${count} tests in ${layout?.projects.length ?? 0} projects (${layout ? describeLayout(layout) : ''}), ${n} run${n === 1 ? '' : 's'} of each${n < runs ? ' (the time budget left no more)' : ''}, alternating, timed from spawn to exit (\`${script}\`, what \`npm test\` runs, vs \`playwright test\` of scripts/bench/floor.spec.ts in the same projects, and in one project).`,
      `npm test vs a one-project bare run of the same ${count} trivial tests: ${round(value)} ms vs ${round(single)} ms, ${round(value / single, 3)}× (same-layout floor ${round(floor)} ms, ${round(floor / single, 3)}× the one-project run). Playwright starts one worker process per project, so a one-project floor cannot be met with one project per locale.`,
    );
    return ratioFigure(NAME, 'ms', value, floor, { atMost: AT_MOST });
  } finally {
    await server.stop();
  }
}
