/**
 * What the mock answers for each fault: the documented body of the case whose recipe names
 * that fault. Built once from the cases; the mock knows no error code by name.
 */
import type { Case } from '../lib/build.ts';
import { DOCS_ORIGIN, parseErrorUri } from '../lib/error-uri.ts';
import { FAULTS, type Fault } from '../lib/recipes.ts';

/** The token endpoint, as GitHub serves it. */
export const TOKEN_ENDPOINT = { method: 'POST', path: '/login/oauth/access_token' } as const;

/** The authorization endpoint, as GitHub serves it. */
export const AUTHORIZE_ENDPOINT = { method: 'GET', path: '/login/oauth/authorize' } as const;

/** Status and body of the answer to a request that fails one check. */
export interface Answer {
  fault: Fault;
  /** The case documenting it, or null when none does. */
  caseId: string | null;
  /** The documented error code, for log lines; null when undocumented. */
  error: string | null;
  status: number;
  body: Readonly<Record<string, unknown>>;
}

/** The answer for every fault, and notes on what the cases leave ambiguous or out. */
export interface AnswerPlan {
  answers: ReadonlyMap<Fault, Answer>;
  /** One line each, for the mock's start-up output. */
  notes: string[];
}

/**
 * Status of the answer to a fault no case documents. GitHub's answer is unknown then, so the
 * mock does not invent a 200 that a client could take for documented behaviour.
 */
export const UNDOCUMENTED_STATUS = 400;

/**
 * Picks, for each fault, the first case (in the cases file's order) whose recipe names it and
 * that targets the token endpoint; `error_uri` is made absolute on `docsOrigin` when given.
 */
export function planAnswers(cases: readonly Case[], docsOrigin: string | null): AnswerPlan {
  const answers = new Map<Fault, Answer>();
  const notes: string[] = [];
  for (const c of cases) {
    const { method, path, fault } = c.request;
    if (method !== TOKEN_ENDPOINT.method || path !== TOKEN_ENDPOINT.path) {
      notes.push(`case \`${c.id}\` targets \`${method} ${path}\`, which this mock does not serve; its test fails against the mock.`);
      continue;
    }
    const taken = answers.get(fault);
    if (taken) {
      notes.push(`cases \`${taken.caseId}\` and \`${c.id}\` both name the \`${fault}\` fault; the mock answers with \`${taken.caseId}\`, the first, so the test of \`${c.id}\` fails against the mock. Give one of them another fault in tests/recipes.yaml.`);
      continue;
    }
    answers.set(fault, { fault, caseId: c.id, error: typeof c.expected['error'] === 'string' ? c.expected['error'] : null, status: c.request.status, body: withOrigin(c.expected, docsOrigin) });
  }
  for (const fault of FAULTS) {
    if (answers.has(fault)) continue;
    notes.push(`no case names the \`${fault}\` fault; a request failing that check gets HTTP ${UNDOCUMENTED_STATUS} \`undocumented_fault\`. Document the error and give its recipe \`fault: ${fault}\` in tests/recipes.yaml.`);
    answers.set(fault, undocumented(fault));
  }
  return { answers, notes };
}

/** The answer to a fault no case documents: HTTP 400 and a body saying so. */
function undocumented(fault: Fault): Answer {
  return {
    fault,
    caseId: null,
    error: null,
    status: UNDOCUMENTED_STATUS,
    body: {
      error: 'undocumented_fault',
      error_description: `The request fails the \`${fault}\` check, and no documented error says how to answer that; document the error and give its recipe \`fault: ${fault}\` in tests/recipes.yaml, then run \`npm run generate\`.`,
    },
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
