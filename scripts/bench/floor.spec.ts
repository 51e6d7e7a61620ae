/**
 * The floor of the `npm test` figure: as many trivial request tests as the contract suite
 * runs in each of its projects, each one POST to a bare node:http server and a status check.
 * Run by the benchmark with BENCH_URL and BENCH_LAYOUT set; never part of the contract suite.
 * Every project's tests are declared in every process; each project's grep keeps its own.
 */
import { expect, test } from '@playwright/test';
import { floorTitle, layoutFromEnv } from './layout.ts';

const url = process.env['BENCH_URL'] ?? '';

for (const { name, tests } of layoutFromEnv(process.env).projects) {
  for (let i = 1; i <= tests; i++) {
    test(floorTitle(name, i), async ({ request }) => {
      const answer = await request.post(url, { form: { n: String(i) } });
      expect(answer.status()).toBe(200);
    });
  }
}
