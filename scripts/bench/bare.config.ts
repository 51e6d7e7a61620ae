/**
 * Playwright configuration of the benchmark's bare run (bare.spec.ts): as many trivial API tests
 * as `npm test` runs, with as many workers (BENCH_TESTS, BENCH_WORKERS, set by the benchmark),
 * fullyParallel and the list reporter as the contract suite has them locally. Nothing of the suite.
 */
import { defineConfig } from '@playwright/test';

const workers = Number(process.env['BENCH_WORKERS']);
if (!Number.isSafeInteger(workers) || workers < 1) throw new Error('BENCH_WORKERS is not a positive whole number; the benchmark (scripts/bench/suite.ts) sets it');

export default defineConfig({
  testDir: '.',
  testMatch: 'bare.spec.ts',
  outputDir: process.env['BENCH_OUTPUT'] ?? 'test-results/bench-bare',
  fullyParallel: true,
  workers,
  reporter: [['list']],
});
