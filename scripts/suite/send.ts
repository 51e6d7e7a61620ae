/**
 * Sending one case's request: the recipe's form with the target's values filled in, through
 * one bounded exchange (see `http.ts` for why not Playwright's APIRequestContext): never
 * following a redirect, bounded by the request timeout and the body limit.
 */
import { randomBytes } from 'node:crypto';
import type { Case } from '../lib/build.ts';
import { fillForm, type Fill } from '../lib/recipes.ts';
import type { Negotiation } from './check.ts';
import { BODY_LIMIT_BYTES, exchange, type HttpAnswer } from './http.ts';
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
  exchange: { request: string; answer: string };
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
  return fill;
}

/** Sends the request of `kase` to `baseUrl` as `negotiation` asks. Never throws for a server's fault. */
export async function send(baseUrl: string, target: TargetSettings, kase: Case, negotiation: Negotiation, maxBodyBytes = BODY_LIMIT_BYTES): Promise<Sent> {
  const form = fillForm(kase.request.form, fillOf(target));
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
  const secrets = [target.clientSecret];
  // Form fields are shown in the query or the body as sent, secret fields masked by name; then the whole text is masked.
  const request = maskOutput(
    [`${method} ${inQuery && form.length > 0 ? `${base}?${maskForm(form)}` : base}`, ...headerLines(headers), '', ...(inQuery ? [] : [maskForm(form)])].join('\n'),
    secrets,
  );
  if (!outcome.ok) return { ok: false, problem: outcome.problem, shown, tag, url: base, form, exchange: { request, answer: maskOutput(`no answer: ${outcome.problem}`, secrets) } };
  const { status, headers: answerHeaders, body } = outcome;
  const answer = [`${status}`, ...headerLines(answerHeaders), '', shownBody(answerHeaders['content-type'], body, secrets)].join('\n');
  return { ok: true, answer: { status, headers: answerHeaders, body }, shown, tag, url: base, form, exchange: { request, answer: maskOutput(answer, secrets) } };
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
