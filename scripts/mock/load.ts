/**
 * A bounded load run of the mock over loopback with autocannon: whole web flows (authorize,
 * then exchange the code), and exchanges of codes never issued. Counts every answer that is not
 * the expected one. Figures only; whoever calls it decides what to print or assert.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import type { Case } from '../lib/build.ts';
import { AUTHORIZE_ENDPOINT, TOKEN_ENDPOINT } from './answers.ts';
import { createMock, type Mock } from './server.ts';
import { TEST_APP } from './test-app.ts';

/** How much load to make. Bounded by request counts, never by time. */
export interface LoadOptions {
  cases: readonly Case[];
  /** Concurrent connections; default 10. */
  connections?: number;
  /** Whole web flows (two requests each); default 2 000. */
  flows?: number;
  /** Exchanges of never-issued codes, each answered with the documented fault of an unissued code; default 4 000. */
  failures?: number;
}

/** What one scenario measured. */
export interface LoadFigures {
  scenario: string;
  requests: number;
  /** Wall-clock time of the scenario. */
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Connection errors and timeouts, as autocannon counts them. */
  errors: number;
  timeouts: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
  /** Answers that were not the expected status and body. */
  unexpected: number;
}

/** The figures of both scenarios, and how many tokens the flows obtained. */
export interface LoadReport {
  flows: LoadFigures & { tokens: number };
  failures: LoadFigures;
}

/** Starts a mock of the test app, runs both scenarios against it, stops it. */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const secret = randomBytes(16).toString('hex');
  const app = { clientId: TEST_APP.clientId, clientSecret: secret, callbackUrl: TEST_APP.callbackUrl };
  const mock = await createMock({ cases: options.cases, ...app });
  try {
    const connections = options.connections ?? 10;
    const codeCase = options.cases.find(({ request: { fault } }) => fault.kind === 'unknown-value' && fault.known === 'issued-code');
    const flows = await flowScenario(mock, app, connections, options.flows ?? 2000);
    const failures = await failureScenario(mock, app, connections, options.failures ?? 4000, codeCase);
    return { flows, failures };
  } finally {
    await mock.stop();
  }
}

type App = { clientId: string; clientSecret: string; callbackUrl: string };

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

async function flowScenario(mock: Mock, app: App, connections: number, flows: number): Promise<LoadFigures & { tokens: number }> {
  let tokens = 0;
  let unexpected = 0;
  const started = performance.now();
  const authorizePath = `${AUTHORIZE_ENDPOINT.path}?${form({ client_id: app.clientId, state: 'load' })}`;
  const result = await autocannon({
    url: mock.url,
    connections,
    amount: flows * 2,
    timeout: 10,
    // autocannon notices the end of a run on this tick; the default, a second, would pad small runs.
    sampleInt: 100,
    requests: [
      {
        method: 'GET',
        path: authorizePath,
        onResponse: (status, _body, context, responseHeaders) => {
          const location = responseHeaders?.['location'];
          const code = typeof location === 'string' ? new URL(location).searchParams.get('code') : null;
          (context as Record<string, unknown>)['code'] = code;
          if (status !== 302 || !code) unexpected++;
        },
      },
      {
        method: TOKEN_ENDPOINT.method,
        path: TOKEN_ENDPOINT.path,
        headers,
        setupRequest: (request, context) => ({
          ...request,
          body: form({ client_id: app.clientId, client_secret: app.clientSecret, code: String((context as Record<string, unknown>)['code'] ?? '') }),
        }),
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"token_type":"bearer"')) tokens++;
          else unexpected++;
        },
      },
    ],
  });
  return { ...figures('web flow: authorize, then exchange the code', result, unexpected, performance.now() - started), tokens };
}

async function failureScenario(mock: Mock, app: App, connections: number, amount: number, codeCase: Case | undefined): Promise<LoadFigures> {
  let unexpected = 0;
  const started = performance.now();
  const expectedBody = codeCase ? JSON.stringify(codeCase.expected) : null;
  const result = await autocannon({
    url: mock.url,
    connections,
    amount,
    timeout: 10,
    // autocannon notices the end of a run on this tick; the default, a second, would pad small runs.
    sampleInt: 100,
    requests: [
      {
        method: TOKEN_ENDPOINT.method,
        path: TOKEN_ENDPOINT.path,
        headers,
        setupRequest: (request) => ({ ...request, body: form({ client_id: app.clientId, client_secret: app.clientSecret, code: randomBytes(10).toString('hex') }) }),
        onResponse: (status, body) => {
          if (!codeCase || status !== codeCase.request.status || body !== expectedBody) unexpected++;
        },
      },
    ],
  });
  return figures('exchange of a never-issued code: the documented fault of an unissued code', result, unexpected, performance.now() - started);
}

function figures(scenario: string, result: autocannon.Result, unexpected: number, elapsedMs: number): LoadFigures {
  const statuses: Record<string, number> = {};
  for (const [status, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = stat?.count ?? 0;
  const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    scenario,
    requests,
    // Measured here: autocannon's own duration counts whole seconds of its ticker.
    seconds: Math.round(elapsedMs) / 1000,
    requestsPerSecond: elapsedMs > 0 ? Math.round((requests * 1000) / elapsedMs) : 0,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    unexpected,
  };
}
