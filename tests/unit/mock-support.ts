/**
 * What the mock's tests share: the committed cases, a started mock that is always stopped,
 * requests as an OAuth client makes them, and parsers for the XML and form answers that do
 * not reuse the mock's own serializer.
 */
import { randomBytes } from 'node:crypto';
import type { Case } from '../../scripts/lib/build.ts';
import { loadCases } from '../../scripts/lib/cases.ts';
import type { FaultSpec } from '../../scripts/lib/recipes.ts';
import { createMock, TEST_APP, type Mock, type MockOptions } from '../../scripts/mock/server.ts';

/** A recognisable secret, so that tests can search output for it. */
export const SECRET = 'mock-test-secret-7c41e0a9';

/** The test app every test registers on the mock. */
export const APP = { clientId: TEST_APP.clientId, clientSecret: SECRET, callbackUrl: TEST_APP.callbackUrl } as const;

/** The cases of the committed tests/fixtures/cases.json. */
export const COMMITTED = loadCases().cases;

/** The three faults of a token request, as the tests name them. */
export type Fault = 'client-credentials' | 'redirect-uri' | 'code';

/** Synthetic fault specs of each kind a token request can have, as a profiles file defines them. */
export const FAULT_SPECS: Record<Fault, FaultSpec> = {
  'client-credentials': { name: 'wrong-widget-secret', kind: 'credential', fields: [['client_id', 'client_id'], ['client_secret', 'client_secret']] },
  'redirect-uri': { name: 'unregistered-widget-callback', kind: 'unknown-value', field: 'redirect_uri', known: 'callback-url', optional: true },
  code: { name: 'unissued-widget-code', kind: 'unknown-value', field: 'code', known: 'issued-code', optional: false },
};

/** Which of the three a fault spec is, by its kind and field. */
export function faultOf(spec: FaultSpec): Fault | null {
  if (spec.kind === 'credential') return 'client-credentials';
  if (spec.kind === 'unknown-value') return spec.known === 'issued-code' ? 'code' : 'redirect-uri';
  return null;
}

/** The first case of the token endpoint whose fault is of this sort: the one the mock answers with. */
export function caseOf(cases: readonly Case[], fault: Fault): Case {
  // The web flow's token requests: the device flow's polls (selected by `device_code`) have other faults.
  const found = cases.find((c) => c.request.path === '/login/oauth/access_token' && c.request.selectedBy === null && faultOf(c.request.fault) === fault);
  if (!found) throw new Error(`no case names a \`${fault}\` fault`);
  return found;
}

/** A fresh value no server has issued. */
export function random(): string {
  return randomBytes(8).toString('hex');
}

/** Starts a mock of the test app over the committed cases (unless given others), runs `fn`, always stops it. */
export async function withMock(options: Partial<MockOptions>, fn: (mock: Mock) => Promise<void>): Promise<void> {
  const mock = await createMock({ cases: COMMITTED, ...APP, ...options });
  try {
    await fn(mock);
  } finally {
    await mock.stop();
  }
}

/** An answer as a client sees it. */
export interface Reply {
  status: number;
  contentType: string | null;
  text: string;
  headers: Headers;
}

/** How a request carries its fields. */
export type Encoding = 'form' | 'json' | 'query';

/** POSTs fields to a path of the mock. */
export async function post(
  mock: Mock,
  fields: ReadonlyArray<readonly [string, string]>,
  options: { accept?: string | null; encoding?: Encoding; path?: string } = {},
): Promise<Reply> {
  const { accept = 'application/json', encoding = 'form', path = '/login/oauth/access_token' } = options;
  const headers: Record<string, string> = {};
  if (accept !== null) headers['accept'] = accept;
  let url = `${mock.url}${path}`;
  let body: string | undefined;
  if (encoding === 'form') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(fields.map(([k, v]): [string, string] => [k, v])).toString();
  } else if (encoding === 'json') {
    headers['content-type'] = 'application/json';
    body = `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
  } else {
    url += `?${new URLSearchParams(fields.map(([k, v]): [string, string] => [k, v])).toString()}`;
  }
  return reply(await fetch(url, { method: 'POST', headers, ...(body === undefined ? {} : { body }) }));
}

/** Turns a fetch response into a Reply. */
export async function reply(response: Response): Promise<Reply> {
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text(), headers: response.headers };
}

/** GETs the authorize endpoint with these query fields; returns the status and the Location, unfollowed. */
export async function authorize(mock: Mock, query: Record<string, string>): Promise<{ status: number; location: URL | null; text: string }> {
  const response = await fetch(`${mock.url}/login/oauth/authorize?${new URLSearchParams(query).toString()}`, { redirect: 'manual' });
  const location = response.headers.get('location');
  return { status: response.status, location: location === null ? null : new URL(location), text: await response.text() };
}

/** Authorizes the test app and returns the code from the redirect. */
export async function issueCode(mock: Mock, query: Record<string, string> = {}): Promise<string> {
  const { status, location } = await authorize(mock, { client_id: APP.clientId, state: 'st', ...query });
  const code = location?.searchParams.get('code');
  if (status !== 302 || !code) throw new Error(`authorize answered ${status}, location ${String(location)}`);
  return code;
}

/** The fields of an exchange of `code` by the test app. */
export function exchangeFields(code: string, extra: Array<[string, string]> = []): Array<[string, string]> {
  return [['client_id', APP.clientId], ['client_secret', APP.clientSecret], ['code', code], ...extra];
}

/** Members of an `<OAuth>` answer: only text elements are allowed, entities decoded. */
export function parseOAuthXml(text: string): Record<string, string> {
  const outer = /^<OAuth>(.*)<\/OAuth>$/s.exec(text);
  if (!outer) throw new Error(`not an <OAuth> document: ${text}`);
  const out: Record<string, string> = {};
  const inner = outer[1] ?? '';
  const element = /<([A-Za-z_][\w.-]*)>([^<]*)<\/\1>/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = element.exec(inner)) !== null) {
    out[m[1] ?? ''] = (m[2] ?? '').replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] ?? '');
    end = element.lastIndex;
  }
  if (end !== inner.length) throw new Error(`unexpected XML content at ${end}: ${inner.slice(end)}`);
  return out;
}

/** Members of a form-urlencoded answer. */
export function parseForm(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}

/** A documented body's members as text, the way XML and form answers carry them. */
export function asText(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/** A synthetic case of the synthetic page `widgets/frobnicate-errors`. */
export function syntheticCase(error: string, fault: Fault, expected: Record<string, unknown>, request: Partial<Case['request']> = {}): Case {
  const fragment = error.replace(/_/g, '-');
  return {
    id: `widgets/frobnicate-errors#${error}`,
    page: 'widgets/frobnicate-errors',
    error,
    heading: error,
    locales: ['xx-XX'],
    sources: [{ file: 'xx-XX/widgets/frobnicate-errors.md', line: 1, locale: 'xx-XX', section: { heading: error, line: 1 } }],
    schema: { $id: `https://docs-contract.invalid/schemas/widgets/frobnicate-errors/${error}.schema.json`, file: `schemas/widgets/frobnicate-errors/${error}.schema.json` },
    expected,
    errorUri: { path: '/widgets/frobnicate-errors', fragment, targetPage: 'widgets/frobnicate-errors', permalinks: ['/widgets/frobnicate-errors'] },
    anchors: {},
    documented: { form: 'json', echoes: [] },
    request: {
      endpoint: 'token',
      method: 'POST',
      path: '/login/oauth/access_token',
      accept: 'application/json',
      form: [['client_id', '{{client_id}}'], ['client_secret', '{{client_secret}}'], ['code', '{{random}}']],
      answer: 'body',
      status: 200,
      fault: FAULT_SPECS[fault],
      rank: (['client-credentials', 'redirect-uri', 'code'] as const).indexOf(fault),
      why: 'synthetic',
      github: null,
      expectErrorUri: 'documented',
      selectedBy: null,
      issue: null,
      prepare: [],
      succeedsAfter: [],
      members: {},
      ...request,
    },
    needs: ['clientId', 'clientSecret'],
    uses: [],
  };
}
