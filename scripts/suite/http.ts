/**
 * One bounded HTTP exchange: a request out, and either the whole answer or one line saying what
 * the server did instead. Time (the request timeout covers connecting, waiting and the whole
 * body) and size (the body is read up to a limit, never further) are bounded, redirects are
 * never followed, and nothing is decompressed.
 *
 * The suite uses this rather than Playwright's APIRequestContext, which reads every body whole
 * into memory with no limit (and decompresses it), and records each request's body, the client
 * secret included, in the trace.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';

/** Largest response body read by default: a documented answer is far smaller. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** What to send. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** How long and how much. */
export interface HttpLimits {
  /** Longest the whole exchange may take, from connecting to the last body byte (--request-timeout). */
  timeoutMs: number;
  /** Largest body read; a longer one is a problem, not an answer. */
  maxBodyBytes: number;
}

/** A whole answer. Header names are in lower case; repeated headers are joined with `, `. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** An answer, or the one-line reason there is none (what the server did, and what was expected). */
export type HttpOutcome = ({ ok: true } & HttpAnswer) | { ok: false; problem: string };

/**
 * How far an exchange got: no connection yet; connected and waiting for the answer (with the
 * interim 1xx responses received so far); or reading the body.
 */
type Phase = { at: 'connecting' } | { at: 'waiting'; interim: string[] } | { at: 'body'; status: number; declared: number | null; received: number };

/** Sends `request` and resolves with the outcome; never rejects, never outlives `timeoutMs`. */
export function exchange(request: HttpRequest, limits: HttpLimits): Promise<HttpOutcome> {
  return new Promise((resolve) => {
    const url = new URL(request.url);
    let phase: Phase = { at: 'connecting' };
    let settled = false;
    const finish = (outcome: HttpOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      resolve(outcome);
    };
    const fail = (problem: string) => finish({ ok: false, problem });
    const timer = setTimeout(() => fail(timeoutProblem(phase, limits.timeoutMs, outgoing.socket?.bytesRead ?? 0)), limits.timeoutMs);

    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const headers: Record<string, string> = {
      ...request.headers,
      // Only the bytes the server sends are judged: no compression, no connection kept for later.
      'accept-encoding': 'identity',
      connection: 'close',
      ...(body === undefined ? {} : { 'content-length': String(body.length) }),
    };
    const outgoing = (url.protocol === 'https:' ? https : http).request(url, { method: request.method, headers, agent: false }, (res) => {
      const declared = declaredLength(res.headers);
      const reading = { at: 'body' as const, status: res.statusCode ?? 0, declared, received: 0 };
      phase = reading;
      if (declared !== null && declared > limits.maxBodyBytes) return fail(tooLong(limits.maxBodyBytes, declared));
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        reading.received += chunk.length;
        if (reading.received > limits.maxBodyBytes) fail(tooLong(limits.maxBodyBytes, declared));
        else chunks.push(chunk);
      });
      res.on('end', () => finish({ ok: true, status: reading.status, headers: flatHeaders(res.headers), body: Buffer.concat(chunks) }));
      const cutOff = () => fail(`the server sent status ${reading.status}, then broke off the connection after ${bytesOf(reading)}; expected the whole answer`);
      res.on('error', cutOff);
      res.on('close', () => {
        if (!res.complete) cutOff();
      });
    });
    outgoing.on('socket', (socket) => socket.once('connect', () => (phase = phase.at === 'connecting' ? { at: 'waiting', interim: [] } : phase)));
    outgoing.on('information', (info: { statusCode: number; statusMessage: string }) => {
      if (phase.at === 'waiting') phase.interim.push(`${info.statusCode}${info.statusMessage ? ` ${info.statusMessage}` : ''}`);
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => fail(errorProblem(error, phase, outgoing.socket?.bytesRead ?? 0)));
    outgoing.end(body);
  });
}

/** What a timeout means at each phase, in one line. `bytesRead`: bytes the server sent on the connection. */
function timeoutProblem(phase: Phase, timeoutMs: number, bytesRead: number): string {
  const did =
    phase.at === 'connecting'
      ? 'no connection'
      : phase.at === 'waiting'
        ? waitedFor(phase.interim, bytesRead)
        : phase.received === 0
          ? `the server sent status ${phase.status} and headers but no body`
          : `the server sent status ${phase.status} and ${bytesOf(phase)}`;
  return `${did} within ${timeoutMs} ms; expected the whole answer within --request-timeout (raise it with --request-timeout=MS if the server is only slow)`;
}

/** What the server sent while the answer was awaited: interim responses, part of a status line and headers, or nothing. */
function waitedFor(interim: readonly string[], bytesRead: number): string {
  if (interim.length > 0) {
    return `the server sent ${interim.length === 1 ? 'an interim response' : `${interim.length} interim responses`} (${interim.join(', ')}) but no final answer`;
  }
  if (bytesRead > 0) return `the server sent ${bytesRead} byte${bytesRead === 1 ? '' : 's'} of a status line and headers, never ending them`;
  return 'the server accepted the connection but sent nothing';
}

/** What a socket error means before or during the answer, in one line. */
function errorProblem(error: NodeJS.ErrnoException, phase: Phase, bytesRead: number): string {
  if (error.code === 'ECONNREFUSED') return 'connection refused; expected a server listening at --base-url';
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return 'host not found; check --base-url';
  if (phase.at === 'body') return `the server sent status ${phase.status}, then broke off the connection after ${bytesOf(phase)}; expected the whole answer`;
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE' || /socket hang up/i.test(error.message)) {
    if (phase.at === 'waiting' && (phase.interim.length > 0 || bytesRead > 0)) return `${waitedFor(phase.interim, bytesRead)}, then closed the connection; expected an answer`;
    return 'the server closed the connection without an answer; expected an answer';
  }
  return `no answer (${error.code ?? (error.message.split('\n')[0] ?? '')}); expected an answer`;
}

function tooLong(limit: number, declared: number | null): string {
  const length = declared === null ? 'no Content-Length' : `Content-Length: ${declared}`;
  return `the body is over ${limit} bytes (${length}), so it was not read further; expected a documented answer, which is far smaller`;
}

/** `3 of 151 body bytes`, `1 body byte (no Content-Length)`. */
function bytesOf(phase: { declared: number | null; received: number }): string {
  const unit = phase.received === 1 && phase.declared === null ? 'body byte' : 'body bytes';
  return phase.declared === null ? `${phase.received} ${unit} (no Content-Length)` : `${phase.received} of ${phase.declared} ${unit}`;
}

function declaredLength(headers: IncomingHttpHeaders): number | null {
  const value = headers['content-length'];
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return Number(value);
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
