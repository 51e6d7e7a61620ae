/**
 * Playwright configuration of the benchmark's floor run (floor.spec.ts): the projects, the
 * tests in each and the workers of the layout the benchmark read from the `npm test` run it
 * just timed (BENCH_LAYOUT), with the contract suite's fullyParallel and local reporter, and
 * its output under the folder the benchmark names (BENCH_OUTPUT). Nothing of the suite: bare
 * Playwright with the same layout.
 */
import { defineConfig } from '@playwright/test';
import { layoutFromEnv, projectGrep } from './layout.ts';

const layout = layoutFromEnv(process.env);

export default defineConfig({
  testDir: '.',
  testMatch: 'floor.spec.ts',
  outputDir: process.env['BENCH_OUTPUT'] ?? 'test-results/bench-floor',
  // As tests/playwright.config.ts (tests/unit/perf-bench.test.ts keeps them the same).
  fullyParallel: true,
  workers: layout.workers,
  reporter: [['list']],
  projects: layout.projects.map(({ name }) => ({ name, grep: projectGrep(name) })),
});
