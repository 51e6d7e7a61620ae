/**
 * An independent, correct GitHub-style token endpoint, written apart from the embedded mock so
 * the suite is proven against a second reading of the contract: it answers each failing request
 * with the documented body of the case whose recipe names the fault, in JSON, XML or form by
 * `Accept`. A {@link Behaviour} breaks it in one deliberate way for the fault self-test.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Case } from '../lib/build.ts';
import { DEVICE_GRANT_TYPE, type FaultSpec, type GrantState } from '../lib/recipes.ts';

/** One deliberate way of being wrong; the empty behaviour is the correct server. */
export interface Behaviour {
  /** Request fields the server does not check (it then answers as if they were right). */
  unchecked?: readonly string[];
  /** Rewrites the documented body before it is sent; `fields` are the request's. */
  body?: (body: Record<string, unknown>, fields: URLSearchParams) => Record<string, unknown>;
  /** Rewrites the body of XML and form answers only. */
  otherFormats?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** Answers JSON whatever the `Accept`. */
  ignoreAccept?: boolean;
  /** Status of error answers (default: the recipe's). */
  status?: number;
  /** Content-Type of JSON answers (default `application/json; charset=utf-8`). */
  jsonContentType?: string;
  /** Rewrites the JSON text before it is sent. */
  jsonText?: (text: string) => string;
  /** Answers with GitHub's recorded `error_uri` where the profile has one, as GitHub itself does. */
  asGithub?: boolean;
  /** Leaves the request's `state` out of an error redirect. */
  dropState?: boolean;
  /** Never answers a token request. */
  hang?: boolean;
  /** Answers token requests with a 302 to this URL. */
  redirectTo?: string;
  /** Device-code states this server never notices (it answers as if the code were not in them). */
  ignoreStates?: readonly GrantState[];
  /** Device codes stay valid after they were exchanged for a token. */
  reuseDeviceCodes?: boolean;
  /** Serves none of the test-only hooks (as a real server would not). */
  noHooks?: boolean;
  /** Status of the answer to these errors, by error code. */
  statusOf?: Readonly<Record<string, number>>;
  /** Takes over sending each answer on the wire: what the correct server would send, and the request. */
  wire?: (res: ServerResponse, answer: WireAnswer, req: IncomingMessage) => void;
}

/** An answer as the correct server would send it. */
export interface WireAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/** How to start the reference server. */
export interface ReferenceOptions {
  cases: readonly Case[];
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
  /** The client id of a second app, suspended on this server. */
  suspendedClientId?: string;
  /** The client id of a third app, which has not enabled the device flow. */
  deviceFlowDisabledClientId?: string;
  /** When set, `error_uri` is made absolute on this origin, as the real service does. */
  docsOrigin?: string | null;
  behaviour?: Behaviour;
}

/** A running reference server. */
export interface Reference {
  url: string;
  stop(): Promise<void>;
}

type Format = 'json' | 'xml' | 'form';

const CONTENT_TYPE: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  form: 'application/x-www-form-urlencoded; charset=utf-8',
};

/** Largest request body read. */
const BODY_LIMIT = 64 * 1024;

/** Starts the server on 127.0.0.1 and a free port; resolves when it listens. */
export async function startReference(options: ReferenceOptions): Promise<Reference> {
  const behaviour = options.behaviour ?? {};
  const sockets = new Set<Socket>();
  // Per endpoint, its cases in the order the endpoint checks their faults.
  const byEndpoint = new Map<string, Case[]>();
  for (const c of [...options.cases].sort((a, b) => a.request.rank - b.request.rank)) {
    const key = `${c.request.method} ${c.request.path}`;
    byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), c]);
  }
  // The device flow, read plainly: where codes are issued, and the hooks that stand for the user and time.
  const issuers = new Set(options.cases.flatMap((c) => (c.request.issue ? [`${c.request.issue.method} ${c.request.issue.path}`] : [])));
  const hooks = new Map(options.cases.flatMap((c) => c.request.prepare.flatMap((s) => (s.kind === 'hook' ? [[`${s.method} ${s.path}`, s.name] as const] : []))));
  hooks.set('POST /_docs-contract/device/approve', 'approve');
  const devices = new Map<string, Device>();
  let issuedCount = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://reference.invalid');
    const method = req.method ?? 'GET';
    const text = await readBody(req);
    if (text === null) {
      res.writeHead(413).end();
      return;
    }
    const fields = new URLSearchParams(url.search);
    for (const [k, v] of new URLSearchParams(text)) fields.append(k, v);
    const hook = behaviour.noHooks ? undefined : hooks.get(`${method} ${url.pathname}`);
    if (hook) {
      const device = [...devices.values()].find((d) => d.userCode === fields.get('user_code'));
      if (!device) return void res.writeHead(404).end();
      // A server that misses a state never enters it.
      if (hook === 'approve') device.user = 'approved';
      else if (hook === 'deny' && !behaviour.ignoreStates?.includes('denied')) device.user = 'denied';
      else if (hook === 'expire' && !behaviour.ignoreStates?.includes('expired')) device.expired = true;
      return void res.writeHead(204).end();
    }
    // A request carrying a field some cases are selected by goes to those cases only.
    const all = byEndpoint.get(`${method} ${url.pathname}`);
    const selector = all?.find((c) => c.request.selectedBy !== null && fields.has(c.request.selectedBy))?.request.selectedBy ?? null;
    const forPath = all?.filter((c) => c.request.selectedBy === selector);
    const issuing = issuers.has(`${method} ${url.pathname}`);
    if (!forPath && !issuing) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (behaviour.hang) return; // the socket stays open until stop()
    if (behaviour.redirectTo) {
      res.writeHead(302, { location: behaviour.redirectTo }).end();
      return;
    }
    const unchecked = behaviour.unchecked ?? [];
    const device = devices.get(fields.get('device_code') ?? '');
    const known = device && device.clientId === fields.get('client_id') ? device : undefined;
    const kase = (forPath ?? []).find((c) => !fieldsOf(c.request.fault).some((f) => unchecked.includes(f)) && failing(c.request.fault, fields, options, known));
    const format: Format = behaviour.ignoreAccept ? 'json' : formatFor(req.headers.accept);
    if (!kase && issuing) {
      const code = `device-${++issuedCount}-${'0'.repeat(20)}`;
      const userCode = `USER-${String(issuedCount).padStart(4, '0')}`;
      devices.set(code, { clientId: fields.get('client_id') ?? '', userCode, interval: 5, lastPoll: null, user: 'pending', expired: false });
      respond(res, 200, format, { device_code: code, user_code: userCode, verification_uri: 'https://reference.invalid/login/device', expires_in: 900, interval: 5 });
      return;
    }
    if (!kase) {
      if (known && !behaviour.reuseDeviceCodes) devices.delete(fields.get('device_code') ?? '');
      respond(res, 200, format, { access_token: `gho_${'0'.repeat(36)}`, token_type: 'bearer', scope: '' });
      return;
    }
    let body: Record<string, unknown> = kase.documented.form === 'table' ? { error: kase.expected['error'], error_description: kase.description ?? '', error_uri: `${kase.errorUri.path}#${kase.errorUri.fragment}` } : { ...kase.expected };
    if (known) {
      // Members that must exceed an issued value: the interval, five seconds more.
      for (const [name, spec] of Object.entries(kase.request.members)) if (spec.moreThan === 'interval') body[name] = known.interval += 5;
      known.lastPoll = Date.now();
    }
    if (options.docsOrigin && typeof body['error_uri'] === 'string' && body['error_uri'].startsWith('/')) {
      body['error_uri'] = `${options.docsOrigin}${body['error_uri']}`;
    }
    if (behaviour.asGithub && kase.request.github) body['error_uri'] = kase.request.github.errorUri;
    if (behaviour.body) body = behaviour.body(body, fields);
    if (kase.request.answer === 'redirect' && behaviour.status === undefined) {
      // Back to the registered callback, the members and the request's state in the query.
      const location = new URL(options.callbackUrl);
      for (const [name, value] of Object.entries(body)) location.searchParams.append(name, String(value));
      const state = fields.get('state');
      if (state !== null && !behaviour.dropState) location.searchParams.append('state', state);
      res.writeHead(302, { location: location.href, 'content-length': 0 }).end();
      return;
    }
    respond(res, behaviour.status ?? behaviour.statusOf?.[kase.error] ?? kase.request.status, format, body);
  }

  function respond(res: ServerResponse, status: number, format: Format, body: Record<string, unknown>): void {
    let text: string;
    let type = CONTENT_TYPE[format];
    if (format === 'json') {
      text = JSON.stringify(body);
      if (behaviour.jsonText) text = behaviour.jsonText(text);
      if (behaviour.jsonContentType) type = behaviour.jsonContentType;
    } else {
      const members = Object.entries(behaviour.otherFormats ? behaviour.otherFormats(body) : body);
      text =
        format === 'xml'
          ? `<?xml version="1.0" encoding="UTF-8"?><OAuth>${members.map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`).join('')}</OAuth>`
          : new URLSearchParams(members.map(([k, v]): [string, string] => [k, String(v)])).toString();
    }
    if (behaviour.wire) behaviour.wire(res, { status, contentType: type, body: Buffer.from(text, 'utf8') }, res.req);
    else res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) }).end(text);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return stopped;
    },
  };
}

/** The request fields a fault is about. */
function fieldsOf(fault: FaultSpec): string[] {
  return fault.kind === 'credential' ? fault.fields.map(([field]) => field) : fault.kind === 'app-state' ? [] : [fault.field];
}

/** A device code this server issued. */
interface Device {
  clientId: string;
  userCode: string;
  interval: number;
  lastPoll: number | null;
  user: 'pending' | 'approved' | 'denied';
  expired: boolean;
}

/**
 * Whether the request has the fault, read plainly: this server issues no web-flow codes; its apps
 * in a state are the suspended one and the one without the device flow; `device` is the live
 * device code the request names, if any.
 */
function failing(fault: FaultSpec, fields: URLSearchParams, app: ReferenceOptions, device: Device | undefined): boolean {
  const settings = {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    callback_url: app.callbackUrl,
    suspended_client_id: app.suspendedClientId ?? '',
    device_flow_disabled_client_id: app.deviceFlowDisabledClientId ?? '',
  };
  switch (fault.kind) {
    case 'credential':
      return fault.fields.some(([field, setting]) => fields.get(field) !== settings[setting]);
    case 'unknown-value':
      if (!fields.has(fault.field)) return !fault.optional;
      // Every code is unknown here; a callback URL is known when it is the registered one exactly.
      if (fault.known === 'issued-device-code') return device === undefined;
      if (fault.known === 'grant-type') return fields.get(fault.field) !== DEVICE_GRANT_TYPE;
      return fault.known === 'issued-code' || fields.get(fault.field) !== app.callbackUrl;
    case 'app-state': {
      const client = fields.get('client_id');
      if (fault.state === 'suspended') return app.suspendedClientId !== undefined && client === app.suspendedClientId;
      return fault.state === 'device-flow-disabled' && app.deviceFlowDisabledClientId !== undefined && client === app.deviceFlowDisabledClientId;
    }
    case 'user-action':
      return fields.get(fault.field) === fault.value;
    case 'grant-state':
      if (!device) return false;
      if (fault.state === 'expired') return device.expired;
      if (fault.state === 'denied') return device.user === 'denied';
      if (fault.state === 'polled-too-fast') return device.lastPoll !== null && Date.now() - device.lastPoll < device.interval * 1000;
      return device.user === 'pending';
  }
}

/** JSON or XML when `Accept` names it; otherwise (absent, `*\/*`, anything else) form-urlencoded. */
function formatFor(accept: string | undefined): Format {
  const a = (accept ?? '').toLowerCase();
  if (a.includes('application/json')) return 'json';
  if (a.includes('application/xml') || a.includes('text/xml')) return 'xml';
  return 'form';
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A request body as text, or null when it is over 64 KiB. */
export function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > BODY_LIMIT ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
