/**
 * Sending one case's request with Playwright's APIRequestContext: the recipe's form with the
 * target's values filled in, never following a redirect, bounded by the request timeout.
 */
import { randomBytes } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import type { Case } from '../lib/build.ts';
import { fillForm, type Fill } from '../lib/recipes.ts';
import type { Negotiation } from './check.ts';
import { describeRequest } from './mask.ts';
import type { TargetSettings } from './settings.ts';

/** A server's answer, as far as the checks need it. */
export interface Answer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  text: string;
}

/** What came of sending: an answer, or the one-line reason there is none; `shown` is the masked request. */
export type Sent = { ok: true; answer: Answer; shown: string } | { ok: false; problem: string; shown: string };

/** The placeholder values of a target; `random` is a fresh value no server has issued. */
export function fillOf(target: TargetSettings): Fill {
  const fill: Fill = { random: () => randomBytes(10).toString('hex') };
  if (target.clientId !== null) fill.clientId = target.clientId;
  if (target.clientSecret !== null) fill.clientSecret = target.clientSecret;
  if (target.callbackUrl !== null) fill.callbackUrl = target.callbackUrl;
  return fill;
}

/** Sends the request of `kase` to `baseUrl` as `negotiation` asks. Never throws for a server's fault. */
export async function send(request: APIRequestContext, baseUrl: string, target: TargetSettings, kase: Case, negotiation: Negotiation): Promise<Sent> {
  const form = fillForm(kase.request.form, fillOf(target));
  const url = `${baseUrl}${kase.request.path}`;
  const method = kase.request.method;
  const shown = describeRequest({ method, url, accept: negotiation.accept, form }, [target.clientSecret]);
  const encoded = new URLSearchParams(form).toString();
  const inQuery = method === 'GET' || method === 'HEAD';
  let response;
  try {
    response = await request.fetch(inQuery && encoded ? `${url}?${encoded}` : url, {
      method,
      headers: { Accept: negotiation.accept, ...(inQuery ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }) },
      ...(inQuery ? {} : { data: encoded }),
      maxRedirects: 0,
      timeout: target.requestTimeout,
      failOnStatusCode: false,
    });
  } catch (error) {
    return { ok: false, problem: transportProblem(error, target.requestTimeout), shown };
  }
  try {
    return { ok: true, answer: { status: response.status(), headers: response.headers(), text: await response.text() }, shown };
  } catch (error) {
    return { ok: false, problem: transportProblem(error, target.requestTimeout), shown };
  } finally {
    await response.dispose().catch(() => {});
  }
}

/** One line for a request that got no answer: refused, timed out, reset, or unresolvable. */
export function transportProblem(error: unknown, timeoutMs: number): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = (message.split('\n')[0] ?? '').replace(/^[\w.]+: /, '');
  if (/Timeout \d+ms exceeded/i.test(message)) return `no answer within ${timeoutMs} ms (raise it with --request-timeout=MS)`;
  if (/ECONNREFUSED/.test(message)) return 'connection refused: is the server running at --base-url?';
  if (/ECONNRESET|socket hang up/i.test(message)) return 'the server closed the connection without an answer';
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return 'host not found: check --base-url';
  return `no answer: ${first}`;
}
