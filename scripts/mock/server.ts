/**
 * The embedded mock: a GitHub-like OAuth server (authorize and token endpoints) that answers
 * every failing request with the documented body of the case whose recipe names its fault.
 * The only module of the project that opens a socket.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Case } from '../lib/build.ts';
import { FAULTS, type Fault } from '../lib/recipes.ts';
import { AUTHORIZE_ENDPOINT, planAnswers, TOKEN_ENDPOINT, type Answer } from './answers.ts';
import { CodeStore, type Grant } from './codes.ts';
import { fieldsOf, given, parseFields, type Fields } from './fields.ts';
import { CONTENT_TYPES, negotiate, serialize } from './negotiate.ts';
import { parseHttpUrl, redirectUriAllowed } from './redirect-uri.ts';

export { DEFAULT_DOCS_ORIGIN, SECRET_ENV, TEST_APP } from './test-app.ts';

/** How to start the mock. */
export interface MockOptions {
  /** The cases of tests/fixtures/cases.json; answers come from them. */
  cases: readonly Case[];
  clientId: string;
  clientSecret: string;
  /** The app's registered callback URL. */
  callbackUrl: string;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** When set (e.g. 'https://docs.github.com'), `error_uri` is absolute on it, like the real service. */
  docsOrigin?: string | null;
  /** Clock in ms; default Date.now. */
  now?: () => number;
  /** Lifetime of a code; default 10 minutes. */
  codeTtlMs?: number;
  /** Largest request body; over it → 413. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Time a client has to send a whole request; default 10 s. Past it → 408 and the connection closes. */
  requestTimeoutMs?: number;
  /** Receives one line per request (method, path, status, outcome); never a query, secret, code or token. */
  log?: (line: string) => void;
}

/** A running mock. */
export interface Mock {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  url: string;
  /** What the cases leave ambiguous or undocumented (see {@link planAnswers}); one line each. */
  notes: readonly string[];
  /** Stops listening and closes every connection; safe to call twice. */
  stop(): Promise<void>;
}

/** Defaults of the options above. */
export const MOCK_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  codeTtlMs: 10 * 60 * 1000,
  bodyLimitBytes: 1024 * 1024,
  requestTimeoutMs: 10_000,
} as const;

/** Largest request line plus headers: room for a long query string (GitHub takes 16 KB URLs). */
const MAX_HEADER_BYTES = 64 * 1024;

/** Past the body limit, the rest of a body is read and dropped up to this much, so the client sees the 413. */
const DRAIN_BYTES = 16 * 1024 * 1024;

/** Starts the mock; resolves when it listens. Throws a TypeError for options that cannot work. */
export async function createMock(options: MockOptions): Promise<Mock> {
  const settings = { ...MOCK_DEFAULTS, ...definedOnly(options) };
  if (!parseHttpUrl(options.callbackUrl)) throw new TypeError(`callbackUrl \`${options.callbackUrl}\` is not an absolute http(s) URL`);
  if (options.clientId === '') throw new TypeError('clientId must not be empty');
  if (options.clientSecret === '') throw new TypeError('clientSecret must not be empty');
  const docsOrigin = options.docsOrigin == null ? null : originOf(options.docsOrigin);
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const { answers, notes } = planAnswers(options.cases, docsOrigin);
  const codes = new CodeStore(now, settings.codeTtlMs);
  const secretDigest = digest(options.clientSecret);
  const answerOf = (fault: Fault): Answer => answers.get(fault) as Answer;

  /**
   * The checks of the token endpoint, one per fault, run in the order of FAULTS. None uses the
   * code up; the exchange does that right after they pass, in the same tick, so that of many
   * concurrent exchanges of one code exactly one wins.
   */
  const checks: Record<Fault, (fields: Fields) => boolean> = {
    'client-credentials': (fields) => {
      const secret = fields.get('client_secret');
      const secretOk = secret !== undefined && timingSafeEqual(digest(secret), secretDigest);
      return given(fields, 'client_id') === options.clientId && secretOk;
    },
    'redirect-uri': (fields) => {
      const redirectUri = given(fields, 'redirect_uri');
      if (redirectUri === undefined) return true;
      const grant = liveGrant(fields);
      return grant?.redirectUri ? redirectUri === grant.redirectUri : redirectUriAllowed(redirectUri, options.callbackUrl);
    },
    code: (fields) => liveGrant(fields) !== undefined,
  };

  function liveGrant(fields: Fields): Grant | undefined {
    const code = given(fields, 'code');
    return code === undefined ? undefined : codes.peek(code, options.clientId);
  }

  /** Runs the checks; the first that fails picks the answer. Synchronous from first check to redeem. */
  function exchange(fields: Fields): { answer: Answer } | { body: Record<string, string> } {
    for (const fault of FAULTS) if (!checks[fault](fields)) return { answer: answerOf(fault) };
    const grant = codes.redeem(given(fields, 'code') ?? '', options.clientId);
    if (!grant) return { answer: answerOf('code') };
    return { body: { access_token: newToken(), token_type: 'bearer', scope: grant.scope } };
  }

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse, url: URL): Promise<string> {
    const body = await readBody(req, settings.bodyLimitBytes);
    if (body === 'too-large') {
      text(res, 413, `the request body is larger than ${settings.bodyLimitBytes} bytes; send the fields of a token request only`, !req.complete);
      return `413 body over ${settings.bodyLimitBytes} bytes`;
    }
    const parsed = parseFields(url.searchParams, req.headers['content-type'], body);
    if ('problem' in parsed) {
      text(res, 400, parsed.problem);
      return '400 unreadable body';
    }
    const format = negotiate(req.headers.accept);
    const outcome = exchange(parsed.fields);
    if ('body' in outcome) {
      send(res, 200, CONTENT_TYPES[format], serialize(outcome.body, format));
      return `200 ${format} token issued`;
    }
    const { answer } = outcome;
    send(res, answer.status, CONTENT_TYPES[format], serialize(answer.body, format));
    return `${answer.status} ${format} ${answer.fault} fault → ${answer.error ?? 'undocumented'}`;
  }

  function authorize(res: ServerResponse, url: URL): string {
    const query = fieldsOf(url.searchParams);
    const clientId = given(query, 'client_id');
    if (clientId !== options.clientId) {
      text(res, 404, clientId === undefined
        ? 'no `client_id` in the query; send the client id of the test app printed when the mock started'
        : 'no OAuth app with this `client_id` is registered on this mock; send the client id of the test app printed when the mock started');
      return '404 unknown client';
    }
    const state = query.get('state');
    const redirectUri = given(query, 'redirect_uri');
    if (redirectUri !== undefined && !redirectUriAllowed(redirectUri, options.callbackUrl)) {
      // Like GitHub: back to the registered callback, carrying the documented error.
      const answer = answerOf('redirect-uri');
      if (answer.caseId === null) {
        text(res, 400, 'the `redirect_uri` does not match the callback URL of the test app, and no documented error says how to answer that');
        return '400 redirect-uri fault → undocumented';
      }
      const location = new URL(options.callbackUrl);
      for (const [name, value] of Object.entries(answer.body)) location.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
      if (state !== undefined) location.searchParams.set('state', state);
      redirect(res, location);
      return `302 redirect-uri fault → ${answer.error ?? 'undocumented'}`;
    }
    const scope = (query.get('scope') ?? '').split(/[\s,]+/).filter(Boolean).join(',');
    const code = codes.issue({ clientId, redirectUri: redirectUri ?? null, scope });
    const location = new URL(redirectUri ?? options.callbackUrl);
    location.searchParams.set('code', code);
    if (state !== undefined) location.searchParams.set('state', state);
    redirect(res, location);
    return '302 code issued';
  }

  const routes = new Map<string, { methods: string[]; handle: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<string> | string }>([
    [TOKEN_ENDPOINT.path, { methods: [TOKEN_ENDPOINT.method], handle: tokenEndpoint }],
    [AUTHORIZE_ENDPOINT.path, { methods: [AUTHORIZE_ENDPOINT.method], handle: (_req, res, url) => authorize(res, url) }],
  ]);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://mock.invalid');
    } catch {
      text(res, 400, 'the request target is not a valid URL path');
      log(`${method} (invalid target) → 400`);
      return;
    }
    // Log the path only: the query string may hold the secret or a code.
    const where = `${method} ${url.pathname.length > 200 ? `${url.pathname.slice(0, 200)}…` : url.pathname}`;
    const route = routes.get(url.pathname);
    if (!route) {
      text(res, 404, `no such endpoint: \`${where}\`; this mock serves ${[...routes].map(([path, r]) => `\`${r.methods[0]} ${path}\``).join(' and ')}`);
      log(`${where} → 404`);
      return;
    }
    if (!route.methods.includes(method)) {
      res.setHeader('allow', route.methods.join(', '));
      text(res, 405, `\`${url.pathname}\` takes ${route.methods.map((m) => `\`${m}\``).join(' or ')}, not \`${method}\``);
      log(`${where} → 405`);
      return;
    }
    try {
      log(`${where} → ${await route.handle(req, res, url)}`);
    } catch (error) {
      if (!res.headersSent && !req.destroyed) text(res, 500, 'internal error in the mock; this is a bug in docs-contract, please report it with the request you sent');
      else res.destroy();
      log(`${where} → ${aborted(error) ? 'client went away' : `500 internal error (${(error as Error)?.name ?? 'unknown'}), a bug in docs-contract`}`);
    }
  }

  const server = createServer({
    maxHeaderSize: MAX_HEADER_BYTES,
    requestTimeout: settings.requestTimeoutMs,
    headersTimeout: settings.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(settings.requestTimeoutMs / 4))),
  });
  server.on('request', (req, res) => void handle(req, res));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  let stopping: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    notes,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

/** Reads a body up to `limit` bytes; past it, drops the rest (within bounds) and says so. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > DRAIN_BYTES) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > DRAIN_BYTES) {
        req.removeAllListeners('data');
        resolve('too-large');
      }
    });
    req.on('end', () => resolve(size > limit ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(Object.assign(new Error('request aborted'), { code: 'ECONNRESET' }));
    });
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** A plain-text answer for a request the mock cannot take: one line saying what to do. */
function text(res: ServerResponse, status: number, message: string, close = false): void {
  // `close` when the rest of the body was not read: the connection cannot carry another request.
  if (close) res.setHeader('connection', 'close');
  send(res, status, 'text/plain; charset=utf-8', `${message}\n`);
}

function redirect(res: ServerResponse, location: URL): void {
  res.writeHead(302, { location: location.href, 'content-length': 0, 'cache-control': 'no-store' });
  res.end();
}

/** A fresh token in GitHub's OAuth-token format: `gho_` and 36 letters and digits. */
function newToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = 'gho_';
  while (out.length < 40) {
    for (const byte of randomBytes(48)) {
      // 248 = 4 × 62: bytes above it would bias the letters.
      if (byte < 248 && out.length < 40) out += alphabet[byte % 62];
    }
  }
  return out;
}

/** SHA-256 of a string: equal-length inputs for timingSafeEqual. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function originOf(value: string): string {
  const url = parseHttpUrl(value);
  if (!url || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new TypeError(`docsOrigin \`${value}\` is not an http(s) origin such as \`https://docs.github.com\``);
  }
  return url.origin;
}

function aborted(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'ECONNRESET';
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
