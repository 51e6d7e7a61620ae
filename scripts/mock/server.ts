/**
 * The embedded mock: a GitHub-like OAuth server (authorize and token endpoints) that answers
 * every failing request with the documented body of the case whose recipe names its fault.
 * The only module of the project that opens a socket.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Case } from '../lib/build.ts';
import type { AnswerForm, FaultSpec, SettingName } from '../lib/recipes.ts';
import { DEVICE_GRANT_TYPE } from '../lib/recipes.ts';
import { AUTHORIZE_ENDPOINT, DEVICE_CODE_ENDPOINT, DEVICE_CODE_FIELD, DEVICE_HOOKS, endpointKey, planAnswers, TOKEN_ENDPOINT, undocumented, UNDOCUMENTED_STATUS, type Answer, type EndpointPlan } from './answers.ts';
import { CodeStore, type Grant } from './codes.ts';
import { DEVICE_DEFAULTS, DeviceStore, type DeviceGrant } from './devices.ts';
import { fieldsOf, given, parseFields, type Fields } from './fields.ts';
import { CONTENT_TYPES, negotiate, serialize, type Format } from './negotiate.ts';
import { parseHttpUrl, redirectUriAllowed } from './redirect-uri.ts';

export { APP_STATES, DEFAULT_DOCS_ORIGIN, SECRET_ENV, TEST_APP } from './test-app.ts';

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
  /**
   * Other apps registered on the mock, by client id, with the states they are in (`suspended`, `device-flow-disabled`):
   * a request naming one has the `app-state` faults of those states.
   */
  appStates?: Readonly<Record<string, readonly string[]>>;
  /** Answer with GitHub's recorded `error_uri` (tests/profiles.yaml, `github:`) where there is one, instead of the documented value. */
  asGithub?: boolean;
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

const TOKEN_KEY = endpointKey(TOKEN_ENDPOINT.method, TOKEN_ENDPOINT.path);
const AUTHORIZE_KEY = endpointKey(AUTHORIZE_ENDPOINT.method, AUTHORIZE_ENDPOINT.path);
const DEVICE_CODE_KEY = endpointKey(DEVICE_CODE_ENDPOINT.method, DEVICE_CODE_ENDPOINT.path);
const DEVICE_TOKEN_KEY = endpointKey(TOKEN_ENDPOINT.method, TOKEN_ENDPOINT.path, DEVICE_CODE_FIELD);

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
  const { endpoints, notes } = planAnswers(options.cases, docsOrigin, options.asGithub ?? false);
  const codes = new CodeStore(now, settings.codeTtlMs);
  const devices = new DeviceStore(now);
  /** Where users enter a user code; set once the mock listens. */
  let verificationUri = '';
  const appStates = new Map(Object.entries(options.appStates ?? {}));
  const app: Partial<Record<SettingName, Buffer>> = { client_id: digest(options.clientId), client_secret: digest(options.clientSecret), callback_url: digest(options.callbackUrl) };

  function liveGrant(fields: Fields): Grant | undefined {
    const code = given(fields, 'code');
    return code === undefined ? undefined : codes.peek(code, options.clientId);
  }

  /** The device grant a request names in `field`, issued to the client it names; expired ones included. */
  function deviceGrant(fields: Fields, field = DEVICE_CODE_FIELD): DeviceGrant | undefined {
    const code = given(fields, field);
    return code === undefined ? undefined : devices.peek(code, fields.get('client_id') ?? '');
  }

  /**
   * Whether a request has a fault, judged by the fault's kind alone. None uses a code up; the
   * exchange does that right after the checks pass, in the same tick, so that of many concurrent
   * exchanges of one code exactly one wins.
   */
  function has(fault: FaultSpec, fields: Fields): boolean {
    switch (fault.kind) {
      case 'credential':
        return !fault.fields.every(([field, setting]) => {
          const value = fields.get(field);
          const want = app[setting];
          return value !== undefined && want !== undefined && timingSafeEqual(digest(value), want);
        });
      case 'unknown-value': {
        const value = given(fields, fault.field);
        if (value === undefined) return !fault.optional;
        if (fault.known === 'issued-code') return codes.peek(value, options.clientId) === undefined;
        if (fault.known === 'issued-device-code') return deviceGrant(fields, fault.field) === undefined;
        if (fault.known === 'grant-type') return value !== DEVICE_GRANT_TYPE;
        // A code issued for a given redirect_uri is redeemed with that very one.
        const grant = fault.field === 'redirect_uri' ? liveGrant(fields) : undefined;
        return grant?.redirectUri ? value !== grant.redirectUri : !redirectUriAllowed(value, options.callbackUrl);
      }
      case 'app-state':
        return appStates.get(fields.get('client_id') ?? '')?.includes(fault.state) ?? false;
      case 'user-action':
        return fields.get(fault.field) === fault.value;
      case 'grant-state': {
        const grant = deviceGrant(fields, fault.field);
        if (!grant) return false;
        switch (fault.state) {
          case 'expired':
            return devices.expired(grant);
          case 'denied':
            return grant.user === 'denied';
          case 'polled-too-fast':
            return devices.tooFast(grant);
          case 'pending':
            return grant.user === 'pending';
        }
      }
    }
  }

  /** The first fault of the request among the endpoint's, in its order; null when it has none. */
  function firstFault(key: string, fields: Fields): Answer | null {
    for (const answer of endpoints.get(key)?.checks ?? []) if (has(answer.fault, fields)) return answer;
    return null;
  }

  /** Sends an error answer in the endpoint's form: a negotiated body, or a redirect to the callback. */
  function answerWith(res: ServerResponse, plan: AnswerForm, answer: Pick<Answer, 'status' | 'body'>, format: Format, state: string | undefined): void {
    if (plan === 'redirect') {
      // Like GitHub: back to the registered callback, whatever `redirect_uri` asked for.
      const location = new URL(options.callbackUrl);
      for (const [name, value] of Object.entries(answer.body)) location.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
      if (state !== undefined) location.searchParams.set('state', state);
      redirect(res, location);
      return;
    }
    send(res, answer.status, CONTENT_TYPES[format], serialize(answer.body, format));
  }

  /** An endpoint of the cases that is not one of the web flow's: its documented errors, and no success. */
  async function profiledEndpoint(req: IncomingMessage, res: ServerResponse, url: URL, plan: EndpointPlan): Promise<string> {
    const fields = await fieldsOfRequest(req, res, url);
    if (typeof fields === 'string') return fields;
    const format = negotiate(req.headers.accept);
    const answer = firstFault(endpointKey(plan.method, plan.path), fields);
    if (answer) {
      answerWith(res, plan.answer, answer, format, fields.get('state'));
      return `${plan.answer === 'redirect' ? 302 : answer.status} ${answer.fault.name} fault → ${answer.error ?? 'undocumented'}`;
    }
    text(res, 400, 'the request has none of the faults the docs document for this endpoint, and this mock answers only those here');
    return '400 no documented fault';
  }

  /** The request's fields (query, and a form or JSON body over it); or, when it cannot be read, the log line of the answer sent. */
  async function fieldsOfRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<Fields | string> {
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
    return parsed.fields;
  }

  /** Issues a device code and a user code to a registered app, unless the app has a documented fault. */
  async function deviceCode(req: IncomingMessage, res: ServerResponse, url: URL): Promise<string> {
    const fields = await fieldsOfRequest(req, res, url);
    if (typeof fields === 'string') return fields;
    const format = negotiate(req.headers.accept);
    const clientId = given(fields, 'client_id');
    if (clientId === undefined || (clientId !== options.clientId && !appStates.has(clientId))) {
      // As GitHub answers an unknown client here.
      text(res, 404, 'no OAuth app with this `client_id` is registered on this mock; send the client id of the test app printed when the mock started');
      return '404 unknown client';
    }
    const answer = firstFault(DEVICE_CODE_KEY, fields);
    if (answer) {
      send(res, answer.status, CONTENT_TYPES[format], serialize(answer.body, format));
      return `${answer.status} ${format} ${answer.fault.name} fault → ${answer.error ?? 'undocumented'}`;
    }
    const grant = devices.issue(clientId);
    const issued = { device_code: grant.deviceCode, user_code: grant.userCode, verification_uri: verificationUri, expires_in: DEVICE_DEFAULTS.lifetimeSeconds, interval: grant.interval };
    send(res, 200, CONTENT_TYPES[format], serialize(issued, format));
    return `200 ${format} device code issued`;
  }

  /** A poll of the device flow: the first documented fault it has, else the token once the user approved. */
  function deviceToken(res: ServerResponse, fields: Fields, format: Format): string {
    const answer = firstFault(DEVICE_TOKEN_KEY, fields);
    const grant = deviceGrant(fields);
    if (answer) {
      const body: Record<string, unknown> = { ...answer.body };
      for (const [name, spec] of Object.entries(answer.members)) {
        // A member that must exceed an issued value: the grant's interval, raised as the docs say.
        if (grant && spec.moreThan === 'interval') body[name] = grant.interval += DEVICE_DEFAULTS.slowDownSeconds;
      }
      if (grant) devices.polled(grant);
      send(res, answer.status, CONTENT_TYPES[format], serialize(body, format));
      return `${answer.status} ${format} ${answer.fault.name} fault → ${answer.error ?? 'undocumented'}`;
    }
    if (!grant || grant.user !== 'approved' || devices.expired(grant)) {
      const failed = undocumented(grant ? 'polls a device code the user has not approved' : 'does not name a live device code of this client');
      send(res, UNDOCUMENTED_STATUS, CONTENT_TYPES[format], serialize(failed, format));
      return `${UNDOCUMENTED_STATUS} ${format} device code not approved → undocumented`;
    }
    devices.exchange(grant);
    send(res, 200, CONTENT_TYPES[format], serialize({ access_token: newToken(), token_type: 'bearer', scope: '' }, format));
    return `200 ${format} token issued for a device code`;
  }

  /** The test-only endpoints: what the user does with a user code, or time does to it. */
  async function deviceHook(req: IncomingMessage, res: ServerResponse, url: URL, action: keyof typeof DEVICE_HOOKS): Promise<string> {
    const fields = await fieldsOfRequest(req, res, url);
    if (typeof fields === 'string') return fields;
    const grant = devices.byUserCode(given(fields, 'user_code') ?? '');
    if (!grant) {
      text(res, 404, 'no live `user_code` like this one; send the `user_code` a device code request returned');
      return `404 ${action}: unknown user code`;
    }
    if (action === 'expire') devices.expire(grant);
    else grant.user = action === 'approve' ? 'approved' : 'denied';
    text(res, 200, { approve: 'approved', deny: 'denied', expire: 'expired' }[action]);
    return `200 ${action}`;
  }

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse, url: URL): Promise<string> {
    const fields = await fieldsOfRequest(req, res, url);
    if (typeof fields === 'string') return fields;
    const format = negotiate(req.headers.accept);
    if (given(fields, DEVICE_CODE_FIELD) !== undefined) return deviceToken(res, fields, format);
    // Synchronous from the first check to the redeem.
    const answer = firstFault(TOKEN_KEY, fields);
    const grant = answer ? undefined : codes.redeem(given(fields, 'code') ?? '', options.clientId);
    if (answer || !grant) {
      const failed = answer ?? { status: UNDOCUMENTED_STATUS, body: undocumented('does not redeem a live code'), fault: null, error: null };
      send(res, failed.status, CONTENT_TYPES[format], serialize(failed.body, format));
      return `${failed.status} ${format} ${failed.fault ? `${failed.fault.name} fault` : 'no live code'} → ${failed.error ?? 'undocumented'}`;
    }
    send(res, 200, CONTENT_TYPES[format], serialize({ access_token: newToken(), token_type: 'bearer', scope: grant.scope }, format));
    return `200 ${format} token issued`;
  }

  function authorize(res: ServerResponse, url: URL): string {
    const query = fieldsOf(url.searchParams);
    const clientId = given(query, 'client_id');
    if (clientId !== options.clientId && !appStates.has(clientId ?? '')) {
      text(res, 404, clientId === undefined
        ? 'no `client_id` in the query; send the client id of the test app printed when the mock started'
        : 'no OAuth app with this `client_id` is registered on this mock; send the client id of the test app printed when the mock started');
      return '404 unknown client';
    }
    const state = query.get('state');
    const answer = firstFault(AUTHORIZE_KEY, query);
    if (answer) {
      answerWith(res, endpoints.get(AUTHORIZE_KEY)?.answer ?? 'redirect', answer, 'form', state);
      return `302 ${answer.fault.name} fault → ${answer.error ?? 'undocumented'}`;
    }
    const redirectUri = given(query, 'redirect_uri');
    if (redirectUri !== undefined && !redirectUriAllowed(redirectUri, options.callbackUrl)) {
      text(res, 400, 'the `redirect_uri` does not match the callback URL of the test app, and no documented error says how to answer that');
      return '400 redirect_uri not allowed → undocumented';
    }
    const scope = (query.get('scope') ?? '').split(/[\s,]+/).filter(Boolean).join(',');
    const code = codes.issue({ clientId: clientId ?? options.clientId, redirectUri: redirectUri ?? null, scope });
    const location = new URL(redirectUri ?? options.callbackUrl);
    location.searchParams.set('code', code);
    if (state !== undefined) location.searchParams.set('state', state);
    redirect(res, location);
    return '302 code issued';
  }

  type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<string> | string;
  const routes = new Map<string, { methods: string[]; handle: Handler }>([
    [TOKEN_ENDPOINT.path, { methods: [TOKEN_ENDPOINT.method], handle: tokenEndpoint }],
    [AUTHORIZE_ENDPOINT.path, { methods: [AUTHORIZE_ENDPOINT.method], handle: (_req, res, url) => authorize(res, url) }],
    [DEVICE_CODE_ENDPOINT.path, { methods: [DEVICE_CODE_ENDPOINT.method], handle: deviceCode }],
    ...Object.entries(DEVICE_HOOKS).map(([action, path]): [string, { methods: string[]; handle: Handler }] => [
      path,
      { methods: ['POST'], handle: (req, res, url) => deviceHook(req, res, url, action as keyof typeof DEVICE_HOOKS) },
    ]),
  ]);
  // Every other endpoint the cases name answers its documented errors.
  for (const [key, plan] of endpoints) {
    if (key === TOKEN_KEY || key === AUTHORIZE_KEY || key === DEVICE_CODE_KEY || key === DEVICE_TOKEN_KEY) continue;
    const route = routes.get(plan.path);
    const handle: Handler = (req, res, url) => profiledEndpoint(req, res, url, plan);
    if (!route) routes.set(plan.path, { methods: [plan.method], handle });
    else notes.push(`the cases name \`${key}\`, but \`${plan.path}\` is served for \`${route.methods.join(', ')}\` only; its tests fail against the mock.`);
  }

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
  verificationUri = `http://${host}:${port}/login/device`;
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
