/**
 * A bounded load run of the mock (by request count, loopback only): no errors, no timeouts,
 * every answer the expected one, one token per flow. Figures are printed, never asserted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoad } from '../../scripts/mock/load.ts';
import { caseOf, COMMITTED } from './mock-support.ts';

test('300 web flows and 600 failing exchanges over 10 connections: no errors, every answer as expected', { timeout: 120_000 }, async (t) => {
  const report = await runLoad({ cases: COMMITTED, connections: 10, flows: 300, failures: 600 });
  for (const figures of [report.flows, report.failures]) {
    t.diagnostic(`${figures.scenario}: ${figures.requests} requests in ${figures.seconds} s (${figures.requestsPerSecond}/s), latency p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms`);
  }
  assert.deepEqual(
    { errors: report.flows.errors, timeouts: report.flows.timeouts, unexpected: report.flows.unexpected, statuses: report.flows.statuses, tokens: report.flows.tokens },
    { errors: 0, timeouts: 0, unexpected: 0, statuses: { 200: 300, 302: 300 }, tokens: 300 },
  );
  assert.deepEqual(
    { errors: report.failures.errors, timeouts: report.failures.timeouts, unexpected: report.failures.unexpected, statuses: report.failures.statuses },
    { errors: 0, timeouts: 0, unexpected: 0, statuses: { [String(caseOf(COMMITTED, 'code').request.status)]: 600 } },
  );
});
