/**
 * What the mock answers, per endpoint: for each fault the cases name, in the order the endpoint
 * checks them, the documented body of the case naming it. Built once from the cases; the mock
 * knows no error code or fault by name, only the kinds of fault.
 */
import { documentedBody, type Case } from '../lib/build.ts';
import { DOCS_ORIGIN, parseErrorUri } from '../lib/error-uri.ts';
import type { AnswerForm, FaultSpec, MemberSpec } from '../lib/recipes.ts';

/** The token endpoint of GitHub's web flow, which the mock always serves. */
export const TOKEN_ENDPOINT = { method: 'POST', path: '/login/oauth/access_token' } as const;

/** The authorization endpoint of GitHub's web flow, which the mock always serves. */
export const AUTHORIZE_ENDPOINT = { method: 'GET', path: '/login/oauth/authorize' } as const;

/** The device flow's first endpoint, which issues device and user codes; the mock always serves it. */
export const DEVICE_CODE_ENDPOINT = { method: 'POST', path: '/login/device/code' } as const;

/** The field that sends a token request to the device flow (the profiles' `selected_by`). */
export const DEVICE_CODE_FIELD = 'device_code';

/**
 * The mock's test-only endpoints (tests/profiles.yaml names them under `hooks:`): what a user does
 * on the verification page with a `user_code`, and what time does to it.
 */
export const DEVICE_HOOKS = {
  approve: '/_docs-contract/device/approve',
  deny: '/_docs-contract/device/deny',
  expire: '/_docs-contract/device/expire',
} as const;

/** Status and body of the answer to a request that has one fault. */
export interface Answer {
  fault: FaultSpec;
  /** The case documenting it. */
  caseId: string;
  /** The documented error code, for log lines. */
  error: string | null;
  status: number;
  body: Readonly<Record<string, unknown>>;
  /** Members added to the body from the grant (`interval` of `slow_down`). */
  members: Readonly<Record<string, MemberSpec>>;
}

/** How one endpoint answers: its faults in the order it checks them, each with its answer. */
export interface EndpointPlan {
  method: string;
  path: string;
  answer: AnswerForm;
  checks: Answer[];
}

/** The plan of every endpoint the cases name, by `METHOD path`, and notes on what they leave ambiguous. */
export interface AnswerPlan {
  endpoints: ReadonlyMap<string, EndpointPlan>;
  /** One line each, for the mock's start-up output. */
  notes: string[];
}

/**
 * Status of the answer to a fault no case documents. GitHub's answer is unknown then, so the
 * mock does not invent a 200 that a client could take for documented behaviour.
 */
export const UNDOCUMENTED_STATUS = 400;

/** The key of an endpoint in a plan; `selectedBy` names the field that selects it among those of one method and path. */
export const endpointKey = (method: string, path: string, selectedBy: string | null = null) => `${method} ${path}${selectedBy ? ` (${selectedBy})` : ''}`;

/**
 * Groups the cases by endpoint and orders each endpoint's faults by the rank of their error in
 * the profiles file; the first case naming a fault answers it. `error_uri` is made absolute on
 * `docsOrigin` when given; with `asGithub`, it is GitHub's recorded value where the profile has one.
 */
export function planAnswers(cases: readonly Case[], docsOrigin: string | null, asGithub = false): AnswerPlan {
  const endpoints = new Map<string, EndpointPlan>();
  const notes: string[] = [];
  const ranked = [...cases].sort((a, b) => a.request.rank - b.request.rank);
  for (const c of ranked) {
    const { method, path, fault, answer, status, selectedBy } = c.request;
    const key = endpointKey(method, path, selectedBy);
    const plan = endpoints.get(key) ?? { method, path, answer, checks: [] };
    endpoints.set(key, plan);
    const taken = plan.checks.find((a) => a.fault.name === fault.name);
    if (taken) {
      notes.push(`cases \`${taken.caseId}\` and \`${c.id}\` both name the \`${fault.name}\` fault of \`${key}\`; the mock answers with \`${taken.caseId}\`, so the test of \`${c.id}\` fails against the mock. Give one of them another fault in tests/profiles.yaml.`);
      continue;
    }
    // As GitHub answers, where the profile records it: its `error_uri`, already absolute.
    // GitHub's recorded value comes from the profile, not the docs: it is sent as recorded.
    const documented = withOrigin(documentedBody(c), docsOrigin);
    const body = asGithub && c.request.github ? { ...documented, error_uri: c.request.github.errorUri } : documented;
    plan.checks.push({ fault, caseId: c.id, error: typeof c.expected['error'] === 'string' ? c.expected['error'] : null, status, body, members: c.request.members });
  }
  return { endpoints, notes };
}

/** The body of an answer to a request that fails in a way no case documents: HTTP 400 and a body saying so. */
export function undocumented(what: string): Record<string, string> {
  return {
    error: 'undocumented_fault',
    error_description: `The request ${what}, and no documented error says how to answer that; document the error and give it a fault in tests/profiles.yaml, then run \`npm run generate\`.`,
  };
}

/**
 * A copy of a documented body with a relative `error_uri` made absolute on the docs origin. An
 * absolute one on another origin, or with userinfo, is left out: the mock never sends a client elsewhere.
 */
export function withOrigin(body: Readonly<Record<string, unknown>>, docsOrigin: string | null): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(body)) {
    if (name === 'error_uri' && typeof value === 'string') {
      const uri = parseErrorUri(value);
      if (uri?.origin != null && uri.origin !== (docsOrigin ?? DOCS_ORIGIN)) continue;
      if (uri === null && /^[a-z][a-z0-9+.-]*:|^\/\//i.test(value)) continue;
      out[name] = docsOrigin !== null && uri?.origin === null ? `${docsOrigin}${value}` : value;
    } else out[name] = value;
  }
  return out;
}
