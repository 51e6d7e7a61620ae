/**
 * Sending one case's request: the recipe's form with the target's values filled in, through
 * one bounded exchange (see `http.ts` for why not Playwright's APIRequestContext): never
 * following a redirect, bounded by the request timeout and the body limit.
 */
import { randomBytes } from 'node:crypto';
import type { Case } from '../lib/build.ts';
import { fillForm, type Fill } from '../lib/recipes.ts';
import { checkContentType, decodeUtf8, negotiationFor, parseBody, type Negotiation } from './check.ts';
import { BODY_LIMIT_BYTES, exchange, type HttpAnswer } from './http.ts';
import { describeRequest, rememberSecrets, rememberSentSecrets } from './mask.ts';
import type { TargetSettings } from './settings.ts';

/** Who is asking, for servers that want to know (and refuse a request without a `User-Agent`). */
export const USER_AGENT = 'docs-contract (contract suite)';

/** A server's whole answer: status, headers (names in lower case) and body bytes. */
export type Answer = HttpAnswer;

/**
 * What came of sending: an answer, or the one-line reason there is none. `shown` is the whole
 * request, masked; `tag` names it in a few words (`POST /token (Accept: application/json)`) for
 * lines that must stand alone.
 */
export type Sent = ({ ok: true; answer: Answer } | { ok: false; problem: string }) & { shown: string; tag: string; url: string; /** The fields as sent (placeholders filled). */ form: Array<[string, string]> };

/** The placeholder values of a target; `random` is a fresh value no server has issued. */
export function fillOf(target: TargetSettings): Fill {
  const fill: Fill = { random: () => randomBytes(10).toString('hex') };
  if (target.clientId !== null) fill.clientId = target.clientId;
  if (target.clientSecret !== null) fill.clientSecret = target.clientSecret;
  if (target.callbackUrl !== null) fill.callbackUrl = target.callbackUrl;
  if (target.suspendedClientId !== null) fill.suspendedClientId = target.suspendedClientId;
  if (target.deviceFlowDisabledClientId !== null) fill.deviceFlowDisabledClientId = target.deviceFlowDisabledClientId;
  return fill;
}

/** Sends the request of `kase` to `baseUrl` as `negotiation` asks, with `fill`'s values. Never throws for a server's fault. */
export async function send(baseUrl: string, target: TargetSettings, kase: Case, negotiation: Negotiation, maxBodyBytes = BODY_LIMIT_BYTES, fill: Fill = fillOf(target)): Promise<Sent> {
  const form = fillForm(kase.request.form, fill);
  // Known before the answer is read: a server may echo its own secret even where none was sent.
  rememberSecrets([target.clientSecret]);
  rememberSentSecrets(form);
  const method = kase.request.method;
  const encoded = new URLSearchParams(form).toString();
  const inQuery = method === 'GET' || method === 'HEAD';
  const base = `${baseUrl}${kase.request.path}`;
  const url = inQuery && encoded ? `${base}?${encoded}` : base;
  const shown = describeRequest({ method, url: base, accept: negotiation.accept, form }, [target.clientSecret]);
  const tag = `${method} ${new URL(base).pathname} (${negotiation.accept ? `Accept: ${negotiation.accept}` : 'no Accept'})`;
  const outcome = await exchange(
    {
      method,
      url,
      headers: { ...(negotiation.accept ? { accept: negotiation.accept } : {}), 'user-agent': USER_AGENT, ...(inQuery ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(inQuery ? {} : { body: encoded }),
    },
    { timeoutMs: target.requestTimeout, maxBodyBytes },
  );
  if (!outcome.ok) return { ok: false, problem: outcome.problem, shown, tag, url: base, form };
  const { status, headers, body } = outcome;
  return { ok: true, answer: { status, headers, body }, shown, tag, url: base, form };
}

/** What came of the steps before a case's request: the values to fill it with, a problem of the server, or why the case cannot be run against it. */
export type Prepared = { ok: true; fill: Fill; issued: Record<string, string> } | { ok: false; problem: string } | { ok: false; skip: string };

/**
 * The steps before a case's request: its issue step (a device code, obtained for this request
 * alone), then its prepare steps: a test-only hook the server must serve (404 or 405: the case is
 * skipped, as a real server cannot be driven there), or the same request sent once before.
 */
export async function prepare(baseUrl: string, target: TargetSettings, kase: Case, negotiation: Negotiation): Promise<Prepared> {
  const fill = fillOf(target);
  const issued: Record<string, string> = {};
  const { issue } = kase.request;
  if (issue) {
    const json = negotiationFor('application/json');
    const sent = await sendForm(baseUrl, target, issue.method, issue.path, fillForm(issue.form, fill), json.accept);
    if (!sent.ok) return { ok: false, problem: `${sent.tag}: ${sent.problem}` };
    const wanted = `expected 200 with ${issue.values.map((v) => `\`${v}\``).join(', ')} (what this case's request needs first)`;
    if (sent.answer.status !== 200) return { ok: false, problem: `${sent.tag}: status is ${sent.answer.status}; ${wanted}` };
    const type = checkContentType(json, sent.answer.headers['content-type'], sent.answer.body);
    if (type) return { ok: false, problem: `${sent.tag}: ${type}` };
    const text = decodeUtf8(sent.answer.body);
    if (!text.ok) return { ok: false, problem: `${sent.tag}: ${text.problem}` };
    const parsed = parseBody('json', text.text);
    if (!parsed.ok) return { ok: false, problem: `${sent.tag}: ${parsed.problem}` };
    const missing = issue.values.filter((v) => !['string', 'number'].includes(typeof parsed.body[v]));
    if (missing.length > 0) return { ok: false, problem: `${sent.tag}: ${missing.map((v) => `\`${v}\``).join(', ')} missing from the answer; ${wanted}` };
    for (const v of issue.values) issued[v] = String(parsed.body[v]);
    rememberSentSecrets(Object.entries(issued));
    fill.issued = issued;
  }
  for (const step of kase.request.prepare) {
    if (step.kind === 'repeat') {
      const first = await send(baseUrl, target, kase, negotiation, BODY_LIMIT_BYTES, fill);
      if (!first.ok) return { ok: false, problem: `${first.tag}: ${first.problem}` };
      continue;
    }
    const sent = await sendForm(baseUrl, target, step.method, step.path, fillForm(step.form, fill), '');
    if (!sent.ok) return { ok: false, problem: `${sent.tag}: ${sent.problem} (the test-only hook \`${step.name}\`)` };
    if (sent.answer.status === 404 || sent.answer.status === 405) {
      return { ok: false, skip: `the server offers no test-only hook \`${step.name}\` (\`${step.method} ${step.path}\` answered ${sent.answer.status}); without it only a user, or the code's lifetime, gets a device code there. The embedded mock serves it` };
    }
    if (sent.answer.status >= 300) return { ok: false, problem: `${sent.tag}, the test-only hook \`${step.name}\`: answered ${sent.answer.status}; expected 2xx` };
  }
  return { ok: true, fill, issued };
}

/** One form request outside a case (an issue step, a hook), bounded like the cases'. */
async function sendForm(baseUrl: string, target: TargetSettings, method: string, path: string, form: Array<[string, string]>, accept: string) {
  rememberSentSecrets(form);
  const base = `${baseUrl}${path}`;
  const tag = `${method} ${path} (${accept ? `Accept: ${accept}` : 'no Accept'})`;
  const outcome = await exchange(
    { method, url: base, headers: { ...(accept ? { accept } : {}), 'user-agent': USER_AGENT, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() },
    { timeoutMs: target.requestTimeout, maxBodyBytes: BODY_LIMIT_BYTES },
  );
  return outcome.ok ? { ok: true as const, answer: outcome, tag } : { ok: false as const, problem: outcome.problem, tag };
}
