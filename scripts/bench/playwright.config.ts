/**
 * Playwright configuration of the benchmark's floor run (floor.spec.ts): Playwright's
 * defaults, with the contract suite's local reporter and parallelism, and its output under
 * the folder the benchmark names (BENCH_OUTPUT).
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: 'floor.spec.ts',
  outputDir: process.env['BENCH_OUTPUT'] ?? 'test-results/bench-floor',
  fullyParallel: true,
  reporter: [['list']],
});
