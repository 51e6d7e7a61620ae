/**
 * The Playwright layout of a run (its projects, the tests in each, the workers) as the floor of
 * the `npm test` figure needs it: read from the list reporter's output of the timed `npm test`
 * run, and handed to the floor's configuration (scripts/bench/playwright.config.ts) in
 * BENCH_LAYOUT. Playwright starts a worker process per project, so a floor that is to measure
 * what the suite adds over Playwright must have the suite's projects. No imports: the floor's
 * configuration loads this and nothing of the suite.
 */

/** The environment variable carrying a layout, as JSON, to the floor's configuration. */
export const LAYOUT_ENV = 'BENCH_LAYOUT';

/** Projects in the order they first appear, each with its number of tests, and the workers used. */
export interface Layout {
  projects: Array<{ name: string; tests: number }>;
  workers: number;
}

/** A test's line of the list reporter (not a TTY): mark, index, `[project] › `. Passed, failed, skipped. */
const TEST_LINE = /^ {2}(?:✓|✘|-|ok|x) +\d+ \[([^\]\n]*)\] › /gm;

/** The reporter's first line: `Running 9 tests using 1 worker` (a shard may follow). */
const RUNNING_LINE = /^Running (\d+) tests? using (\d+) workers?\b/m;

/**
 * The layout of a run from the list reporter's output; a string saying what is wrong when the
 * output does not give one (no `Running` line, or tests counted per project that do not add up
 * to it, e.g. a retried test).
 */
export function layoutOf(output: string): Layout | string {
  const running = RUNNING_LINE.exec(output);
  if (!running) return 'no `Running N tests using W workers` line in the output';
  const total = Number(running[1]);
  const workers = Number(running[2]);
  const tests = new Map<string, number>();
  for (const m of output.matchAll(TEST_LINE)) {
    const name = m[1] ?? '';
    tests.set(name, (tests.get(name) ?? 0) + 1);
  }
  const counted = [...tests.values()].reduce((a, b) => a + b, 0);
  if (counted !== total) return `${counted} test lines with a [project] in the output, but Playwright said it ran ${total} tests`;
  return { projects: [...tests].map(([name, n]) => ({ name, tests: n })), workers };
}

/** All `tests` in one project (`floor`), with `workers` workers: the one-project floor. */
export function oneProject(tests: number, workers: number): Layout {
  return { projects: [{ name: 'floor', tests }], workers };
}

/** The layout in the environment (BENCH_LAYOUT); a bad or missing value throws, naming the variable. */
export function layoutFromEnv(env: NodeJS.ProcessEnv): Layout {
  const text = env[LAYOUT_ENV];
  if (text === undefined || text === '') throw new Error(`${LAYOUT_ENV} is not set; the benchmark (scripts/bench/suite.ts) sets it`);
  let layout: unknown;
  try {
    layout = JSON.parse(text);
  } catch {
    throw new Error(`${LAYOUT_ENV} is not JSON: ${text}`);
  }
  const ok =
    typeof layout === 'object' &&
    layout !== null &&
    Number.isSafeInteger((layout as Layout).workers) &&
    (layout as Layout).workers > 0 &&
    Array.isArray((layout as Layout).projects) &&
    (layout as Layout).projects.length > 0 &&
    (layout as Layout).projects.every((p) => typeof p?.name === 'string' && Number.isSafeInteger(p.tests) && p.tests > 0) &&
    new Set((layout as Layout).projects.map((p) => p.name)).size === (layout as Layout).projects.length;
  if (!ok) throw new Error(`${LAYOUT_ENV} is not a layout ({"projects":[{"name":…,"tests":N>0},…],"workers":N>0}, names unique): ${text}`);
  return layout as Layout;
}

/** Title of the floor's `i`-th test of project `name`; the project's grep selects exactly its own. */
export function floorTitle(name: string, i: number): string {
  return `[${name}] trivial request ${i}`;
}

/** The grep of project `name`: the titles floorTitle gives it (Playwright greps the file's path and title, joined by spaces). */
export function projectGrep(name: string): RegExp {
  return new RegExp(`(?:^| )\\[${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\] trivial request \\d+$`);
}

/** A layout in a few words: `fr-FR 4, ru-RU 4, cross-locale 1; 1 worker`. */
export function describeLayout(layout: Layout): string {
  return `${layout.projects.map((p) => `${p.name} ${p.tests}`).join(', ')}; ${layout.workers} worker${layout.workers === 1 ? '' : 's'}`;
}
