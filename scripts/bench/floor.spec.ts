/**
 * The floor of the `npm test` figure: as many trivial request tests as the contract suite
 * runs, each one POST to a bare node:http server and a status check. Run by the benchmark
 * with BENCH_URL and BENCH_TESTS set; never part of the contract suite.
 */
import { expect, test } from '@playwright/test';

const url = process.env['BENCH_URL'] ?? '';
const count = Number(process.env['BENCH_TESTS'] ?? '0');

for (let i = 1; i <= count; i++) {
  test(`trivial request ${i}`, async ({ request }) => {
    const answer = await request.post(url, { form: { n: String(i) } });
    expect(answer.status()).toBe(200);
  });
}
