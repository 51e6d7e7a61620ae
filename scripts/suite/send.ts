/**
 * Sending one case's request: the recipe's form with the target's values filled in, through
 * one bounded exchange (see `http.ts` for why not Playwright's APIRequestContext): never
 * following a redirect, bounded by the request timeout and the body limit.
 */
import { randomBytes } from 'node:crypto';
import type { Case } from '../lib/build.ts';
import { fillForm, type Fill } from '../lib/recipes.ts';
import { checkContentType, decodeUtf8, negotiationFor, parseBody, type Negotiation } from './check.ts';
import { BODY_LIMIT_BYTES, exchange, type HttpAnswer, type HttpOutcome } from './http.ts';
import { describeRequest, maskedExcerpt, maskForm, maskOutput, rememberSecrets, rememberSentSecrets } from './mask.ts';
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
export type Sent = ({ ok: true; answer: Answer } | { ok: false; problem: string }) & {
  shown: string;
  tag: string;
  url: string;
  /** The fields as sent (placeholders filled). */
  form: Array<[string, string]>;
  /** The exchange as the report's attachments show it, masked: the request, and the answer or why there is none. */
  exchange: ExchangeRecord;
};

/** Longest answer body an attachment shows: a documented answer is far shorter; an HTML page or a huge body is cut. */
export const SHOWN_BODY_CHARS = 16 * 1024;

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
  const headers: Record<string, string> = { ...(negotiation.accept ? { accept: negotiation.accept } : {}), 'user-agent': USER_AGENT, ...(inQuery ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) };
  const outcome = await exchange({ method, url, headers, ...(inQuery ? {} : { body: encoded }) }, { timeoutMs: target.requestTimeout, maxBodyBytes });
  const record = recordOf(method, base, headers, form, inQuery, outcome, [target.clientSecret]);
  if (!outcome.ok) return { ok: false, problem: outcome.problem, shown, tag, url: base, form, exchange: record };
  const { status, headers: answerHeaders, body } = outcome;
  return { ok: true, answer: { status, headers: answerHeaders, body }, shown, tag, url: base, form, exchange: record };
}

/** One exchange as the report's attachments show it: the request and the answer (or why there is none), each masked. */
export interface ExchangeRecord {
  request: string;
  answer: string;
}

/**
 * The record of one exchange, masked with the one masking function: the form shown in the query
 * or the body as sent, its secret fields masked by name; then each whole text masked.
 */
function recordOf(method: string, base: string, headers: Readonly<Record<string, string>>, form: ReadonlyArray<readonly [string, string]>, inQuery: boolean, outcome: HttpOutcome, secrets: ReadonlyArray<string | null>): ExchangeRecord {
  const request = [`${method} ${inQuery && form.length > 0 ? `${base}?${maskForm(form)}` : base}`, ...headerLines(headers), '', ...(inQuery ? [] : [maskForm(form)])].join('\n');
  const answer = outcome.ok ? [`${outcome.status}`, ...headerLines(outcome.headers), '', shownBody(outcome.headers['content-type'], outcome.body, secrets)].join('\n') : `no answer: ${outcome.problem}`;
  return { request: maskOutput(request, secrets), answer: maskOutput(answer, secrets) };
}

/** Media types whose secret members masking knows by name (JSON, XML, form-urlencoded). */
const MASKABLE = /^(?:application\/(?:[\w.+-]+\+)?(?:json|xml|x-www-form-urlencoded)|text\/xml)$/;

/**
 * An answer body as an attachment shows it: a JSON, XML or form body, decoded leniently (a bad
 * byte shows as U+FFFD), masked and cut; any other (an HTML page, plain text) only by its size,
 * since a secret the suite never sent could stand anywhere in it, under no name masking knows.
 */
function shownBody(contentType: string | undefined, body: Buffer, secrets: ReadonlyArray<string | null>): string {
  if (body.length === 0) return '';
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (MASKABLE.test(type)) return maskedExcerpt(new TextDecoder().decode(body), SHOWN_BODY_CHARS, secrets);
  return `(${body.length} bytes of ${type || 'no Content-Type'}, not shown: only JSON, XML and form bodies are, their secret members masked)`;
}

/** `name: value` lines, in the order given. */
function headerLines(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
}

/** What came of the steps before a case's request: the values to fill it with, a problem of the server, or why the case cannot be run against it. */
export type Prepared = ({ ok: true; fill: Fill; issued: Record<string, string> } | { ok: false; problem: string } | { ok: false; skip: string }) & {
  /** Each request the steps sent, named, and its answer, masked, for the report's attachments. */
  exchanges: Array<{ name: string } & ExchangeRecord>;
};

/**
 * The steps before a case's request: its issue step (a device code, obtained for this request
 * alone), then its prepare steps: a test-only hook the server must serve (404 or 405: the case is
 * skipped, as a real server cannot be driven there), or the same request sent once before.
 */
export async function prepare(baseUrl: string, target: TargetSettings, kase: Case, negotiation: Negotiation): Promise<Prepared> {
  const fill = fillOf(target);
  const issued: Record<string, string> = {};
  const exchanges: Prepared['exchanges'] = [];
  const { issue } = kase.request;
  if (issue) {
    const json = negotiationFor('application/json');
    const sent = await sendForm(baseUrl, target, issue.method, issue.path, fillForm(issue.form, fill), json.accept);
    exchanges.push({ name: 'device code', ...sent.exchange });
    if (!sent.ok) return { ok: false, problem: `${sent.tag}: ${sent.problem}`, exchanges };
    const wanted = `expected 200 with ${issue.values.map((v) => `\`${v}\``).join(', ')} (what this case's request needs first)`;
    if (sent.answer.status !== 200) return { ok: false, problem: `${sent.tag}: status is ${sent.answer.status}; ${wanted}`, exchanges };
    const type = checkContentType(json, sent.answer.headers['content-type'], sent.answer.body);
    if (type) return { ok: false, problem: `${sent.tag}: ${type}`, exchanges };
    const text = decodeUtf8(sent.answer.body);
    if (!text.ok) return { ok: false, problem: `${sent.tag}: ${text.problem}`, exchanges };
    const parsed = parseBody('json', text.text);
    if (!parsed.ok) return { ok: false, problem: `${sent.tag}: ${parsed.problem}`, exchanges };
    const missing = issue.values.filter((v) => !['string', 'number'].includes(typeof parsed.body[v]));
    if (missing.length > 0) return { ok: false, problem: `${sent.tag}: ${missing.map((v) => `\`${v}\``).join(', ')} missing from the answer; ${wanted}`, exchanges };
    for (const v of issue.values) issued[v] = String(parsed.body[v]);
    rememberSentSecrets(Object.entries(issued));
    fill.issued = issued;
  }
  for (const step of kase.request.prepare) {
    if (step.kind === 'repeat') {
      const first = await send(baseUrl, target, kase, negotiation, BODY_LIMIT_BYTES, fill);
      exchanges.push({ name: 'first of two', ...first.exchange });
      if (!first.ok) return { ok: false, problem: `${first.tag}: ${first.problem}`, exchanges };
      continue;
    }
    const sent = await sendForm(baseUrl, target, step.method, step.path, fillForm(step.form, fill), '');
    exchanges.push({ name: `hook ${step.name}`, ...sent.exchange });
    if (!sent.ok) return { ok: false, problem: `${sent.tag}: ${sent.problem} (the test-only hook \`${step.name}\`)`, exchanges };
    if (sent.answer.status === 404 || sent.answer.status === 405) {
      return { ok: false, skip: `the server offers no test-only hook \`${step.name}\` (\`${step.method} ${step.path}\` answered ${sent.answer.status}); without it only a user, or the code's lifetime, gets a device code there. The embedded mock serves it`, exchanges };
    }
    if (sent.answer.status >= 300) return { ok: false, problem: `${sent.tag}, the test-only hook \`${step.name}\`: answered ${sent.answer.status}; expected 2xx`, exchanges };
  }
  return { ok: true, fill, issued, exchanges };
}

/** One form request outside a case (an issue step, a hook), bounded like the cases'. */
async function sendForm(baseUrl: string, target: TargetSettings, method: string, path: string, form: Array<[string, string]>, accept: string) {
  rememberSentSecrets(form);
  const base = `${baseUrl}${path}`;
  const tag = `${method} ${path} (${accept ? `Accept: ${accept}` : 'no Accept'})`;
  const headers = { ...(accept ? { accept } : {}), 'user-agent': USER_AGENT, 'content-type': 'application/x-www-form-urlencoded' };
  const outcome = await exchange({ method, url: base, headers, body: new URLSearchParams(form).toString() }, { timeoutMs: target.requestTimeout, maxBodyBytes: BODY_LIMIT_BYTES });
  const record = recordOf(method, base, headers, form, false, outcome, [target.clientSecret]);
  return outcome.ok ? { ok: true as const, answer: outcome, tag, exchange: record } : { ok: false as const, problem: outcome.problem, tag, exchange: record };
}
