/**
 * The bare Playwright run the `npm test` figure is compared with: BENCH_TESTS tests, each one
 * form POST to a bare node:http server (BENCH_URL) and a status check. Run by the benchmark only.
 */
import { expect, test } from '@playwright/test';

const url = process.env['BENCH_URL'] ?? '';
const tests = Number(process.env['BENCH_TESTS']);
if (!Number.isSafeInteger(tests) || tests < 1) throw new Error('BENCH_TESTS is not a positive whole number; the benchmark (scripts/bench/suite.ts) sets it');

for (let i = 1; i <= tests; i++) {
  test(`trivial request ${i}`, async ({ request }) => {
    const answer = await request.post(url, { form: { n: String(i) } });
    expect(answer.status()).toBe(200);
  });
}
