/**
 * The deliberately faulty servers of the self-test: each breaks the reference server in one
 * way a real implementation might, and names the words the suite's failure must contain.
 */
import { escapeRegExp } from '../lib/util.ts';
import { dripping, headersThenSilence, HUGE_BODY_BYTES, hugeBody, htmlLoginPage, interimThenSilence, invalidUtf8, jsonArray, partialHeaders, redirectLoop, redirectTo, resetMidBody, startElsewhere } from './bad-servers.ts';
import type { Behaviour } from './reference-server.ts';

/** What a variant needs besides the server, started before the run; `check` runs after it and names a broken guarantee. */
export interface VariantSetup {
  behaviour: Behaviour;
  check(): string | null;
  stop(): Promise<void>;
}

/** A faulty server: its behaviour, and text the suite's failure output must contain. */
export interface Variant {
  name: string;
  behaviour: Behaviour;
  /**
   * The failure must contain this text (ANSI colours removed), so the right check is shown to
   * catch it; or, for a pattern, the failure must have exactly one problem line and this
   * pattern must match all of it.
   */
  caughtBy: string | RegExp;
  /** Replaces `behaviour` with one built for the run (another host to redirect to, a counter). */
  setup?: () => Promise<VariantSetup>;
  /** Extra `npm test` arguments for this run. */
  args?: string[];
  /** Run with absolute `error_uri` on the docs origin. */
  absolute?: boolean;
  /** Nothing listens at the URL (the server is stopped before the run). */
  refused?: boolean;
  /** The app's client secret for this run, when the usual one would not show the fault. */
  secret?: string;
}

/** The start of a problem line about the wire: which request (`POST /path (Accept: …): `). */
const REQUEST = String.raw`[A-Z]+ /\S* \(Accept: [^)]+\): `;

/** A whole problem line: the request, then `text` where `{n}` is any number and `{…}` any text. */
function wireLine(text: string): RegExp {
  const pattern = text
    .split(/(\{n\}|\{…\})/)
    .map((part) => (part === '{n}' ? String.raw`\d+` : part === '{…}' ? '.*' : escapeRegExp(part)))
    .join('');
  return new RegExp(`^${REQUEST}${pattern}$`);
}

/** How a line about a slow server ends. */
const SLOW = '; expected the whole answer within --request-timeout (raise it with --request-timeout=MS if the server is only slow)';

/** A host that is not the docs origin. */
const OTHER_ORIGIN = 'https://docs.example.invalid';

const withString = (key: string, change: (value: string, fields: URLSearchParams) => string) => (body: Record<string, unknown>, fields: URLSearchParams) =>
  typeof body[key] === 'string' ? { ...body, [key]: change(body[key], fields) } : body;

/**
 * For the ways of being wrong that only a negotiated body shows (its status, a field of the token
 * request, the secret echoed in it, a body that never comes): the cases of the token endpoint,
 * whose tests would otherwise come after the authorize endpoint's in the run.
 */
const TOKEN_ONLY = ['--grep=POST /login/oauth/access_token', '--grep-invert=device_code|gets a token'];

/** For the ways of being wrong of an endpoint that answers errors by redirecting. */
const AUTHORIZE_ONLY = ['--grep=GET /login/oauth/authorize'];

/** The documented description, followed by the client secret the suite sent. */
const echoSecret: Behaviour = { body: withString('error_description', (d, fields) => `${d} (client_secret: ${fields.get('client_secret') ?? ''})`) };

/** The device flow's polls: the token endpoint's requests that carry a device code. */
const DEVICE_POLL = 'POST /login/oauth/access_token with device_code';

export const VARIANTS: readonly Variant[] = [
  // The device flow: what a client such as GitHub's CLI lives on.
  {
    name: 'slow_down without a larger interval',
    behaviour: { body: (b) => (b['error'] === 'slow_down' ? { ...b, interval: 5 } : b) },
    args: [`--grep=slow_down · ${DEVICE_POLL}`],
    caughtBy: '`interval` is 5, not more than the `interval` (5) issued with the code',
  },
  { name: 'expired_token never sent for an old code', behaviour: { ignoreStates: ['expired'] }, args: [`--grep=expired_token · ${DEVICE_POLL}`], caughtBy: '`error` is "authorization_pending"' },
  { name: 'authorization_pending after denial', behaviour: { ignoreStates: ['denied'] }, args: [`--grep=access_denied · ${DEVICE_POLL}`], caughtBy: '`error` is "authorization_pending"' },
  { name: 'a device code exchanged twice', behaviour: { reuseDeviceCodes: true }, args: ['--grep=gets a token, once'], caughtBy: 'the same device code was exchanged a second time for a token' },
  { name: 'device_flow_disabled with the wrong status', behaviour: { statusOf: { device_flow_disabled: 200 } }, args: ['--grep=device_flow_disabled · POST /login/device/code'], caughtBy: 'status is 200; this documented error is answered with 400' },
  { name: 'wrong error code', behaviour: { body: withString('error', (e) => `${e}_x`) }, caughtBy: '`error` is "' },
  { name: 'changed description', behaviour: { body: withString('error_description', (d) => d.replace(/\.$/, '') + ' (see docs).') }, caughtBy: '`error_description` is "' },
  { name: 'wrong anchor', behaviour: { body: withString('error_uri', (u) => `${u}-x`) }, caughtBy: '`error_uri` fragment `#' },
  { name: 'wrong path', behaviour: { body: withString('error_uri', (u) => u.replace(/^(\/[^/]+)/, '$1-moved')) }, caughtBy: '`error_uri` path `/' },
  { name: 'missing field', behaviour: { body: ({ error_uri: _, ...rest }) => rest }, caughtBy: '`error_uri` is missing; documented: "' },
  // The device flow's own test sees it first, as an `error` that is not a string: this one is about the documented answer.
  { name: 'wrong type', behaviour: { body: (b) => ({ ...b, error: [b['error']] }) }, caughtBy: '`error` is ["', args: ['--grep-invert=gets a token'] },
  { name: 'undocumented member', behaviour: { body: (b) => ({ ...b, error_hint: 'try again' }) }, caughtBy: '`error_hint` is not documented (the schema allows no other members)' },
  // Members every object inherits are ordinary members: an undocumented `toString` is caught as any other.
  { name: 'undocumented `toString` member', behaviour: { body: (b) => ({ ...b, toString: 'widget' }) }, caughtBy: '`toString` is not documented (the schema allows no other members)' },
  { name: 'wrong content type', behaviour: { jsonContentType: 'text/plain; charset=utf-8' }, caughtBy: 'Content-Type is `text/plain; charset=utf-8` for Accept: application/json' },
  { name: '500', behaviour: { status: 500 }, caughtBy: 'status is 500, a server error' },
  { name: 'authorization error answered 200, not redirected', behaviour: { status: 200 }, caughtBy: 'status is 200; this documented error is answered with 302', args: AUTHORIZE_ONLY },
  { name: 'state dropped from the redirect', behaviour: { dropState: true }, caughtBy: "`state` is missing from the redirect; the request's `state` must come back as sent", args: AUTHORIZE_ONLY },
  { name: 'RFC status 400', behaviour: { status: 400 }, caughtBy: 'status is 400; this documented error is answered with 200', args: TOKEN_ONLY },
  { name: 'invalid JSON', behaviour: { jsonText: (t) => t.slice(0, -1) }, caughtBy: 'body is not JSON' },
  { name: 'Accept ignored', behaviour: { ignoreAccept: true }, caughtBy: 'for Accept: application/xml' },
  {
    name: 'XML and form differ from JSON',
    behaviour: { otherFormats: (b) => ({ ...b, error_description: String(b['error_description']).toUpperCase() }) },
    caughtBy: 'in the XML answer; the JSON answer has',
  },
  { name: 'any code accepted', behaviour: { unchecked: ['code'] }, caughtBy: '`error` is missing; documented: "' },
  { name: 'redirect_uri unchecked', behaviour: { unchecked: ['redirect_uri'] }, caughtBy: '`error` is "', args: TOKEN_ONLY },
  { name: 'credentials unchecked', behaviour: { unchecked: ['client_id', 'client_secret'] }, caughtBy: '`error` is "' },
  // Bad servers on the wire: each must fail one test with exactly one line naming the request, what the server did and what was expected.
  { name: 'no answer', behaviour: { hang: true }, caughtBy: wireLine(`the server accepted the connection but sent nothing within 400 ms${SLOW}`), args: ['--request-timeout=400', ...TOKEN_ONLY] },
  { name: '100 Continue then silence', behaviour: interimThenSilence, caughtBy: wireLine(`the server sent an interim response (100 Continue) but no final answer within 400 ms${SLOW}`), args: ['--request-timeout=400', ...TOKEN_ONLY] },
  { name: 'half the headers then silence', behaviour: partialHeaders, caughtBy: wireLine(`the server sent {n} bytes of a status line and headers, never ending them within 400 ms${SLOW}`), args: ['--request-timeout=400', ...TOKEN_ONLY] },
  { name: 'headers then silence', behaviour: headersThenSilence, caughtBy: wireLine(`the server sent status {n} and headers but no body within 400 ms${SLOW}`), args: ['--request-timeout=400'] },
  { name: 'body at a byte a second', behaviour: dripping, caughtBy: wireLine(`the server sent status {n} and 1 of {n} body bytes within 400 ms${SLOW}`), args: ['--request-timeout=400'] },
  { name: 'reset mid-body', behaviour: resetMidBody, caughtBy: wireLine('the server sent status {n}, then broke off the connection after {n} of {n} body bytes; expected the whole answer') },
  {
    name: '50 MB body',
    behaviour: {},
    caughtBy: wireLine('the body is over 1048576 bytes (no Content-Length), so it was not read further; expected a documented answer, which is far smaller'),
    setup: async () => {
      const huge = hugeBody();
      return {
        behaviour: huge.behaviour,
        // The suite stopped reading: the server could not hand all of it over (socket buffers hold a few MB at most).
        check: () => (huge.written() === 0 ? 'the server never sent the body' : huge.written() >= HUGE_BODY_BYTES ? `the suite took all ${huge.written()} bytes` : null),
        stop: async () => {},
      };
    },
  },
  { name: 'invalid UTF-8', behaviour: invalidUtf8, caughtBy: wireLine('the body is not UTF-8: byte 0xff at offset {n} cannot be decoded; expected UTF-8 text') },
  { name: 'redirect loop', behaviour: redirectLoop, caughtBy: wireLine('status is 307, a redirect to `/{…}`, the URL just asked (a loop; not followed); this documented error is answered with {n} (status in tests/profiles.yaml)'), args: TOKEN_ONLY },
  {
    name: 'redirect to another host',
    behaviour: {},
    caughtBy: wireLine('status is 307, a redirect to `http://127.0.0.1:{n}/{…}`, another origin (not followed: nothing was sent there); this documented error is answered with {n} (status in tests/profiles.yaml)'),
    args: TOKEN_ONLY,
    setup: async () => {
      const elsewhere = await startElsewhere();
      return {
        behaviour: redirectTo(elsewhere.url),
        // A 307 keeps the method and the body: following it would hand the client secret to the other host.
        check: () => (elsewhere.connections() === 0 ? null : `the other host got ${elsewhere.connections()} connection(s)`),
        stop: () => elsewhere.stop(),
      };
    },
  },
  { name: 'HTML login page', behaviour: htmlLoginPage, caughtBy: wireLine('Content-Type is `text/html; charset=utf-8`, an HTML page titled "Sign in to Example Forge" for Accept: application/json; expected `application/json`') },
  { name: 'JSON array', behaviour: jsonArray, caughtBy: wireLine('body is JSON but an array, not an object: "[{{…}"; expected an object of the documented members') },
  {
    name: 'echoes the secret',
    behaviour: echoSecret,
    caughtBy: '(client_secret: ***)',
    args: TOKEN_ONLY,
  },
  {
    // JSON escapes these two characters: the secret comes back printed escaped, and must be masked so.
    name: 'echoes a secret holding " and \\',
    behaviour: echoSecret,
    secret: 'selftest-"quoted"-\\back\\slash-<&>-0123',
    caughtBy: '(client_secret: ***)',
    args: TOKEN_ONLY,
  },
  { name: 'connection refused', behaviour: {}, refused: true, caughtBy: 'connection refused; start the server or pass the right --base-url' },
  {
    name: 'other host in absolute error_uri',
    behaviour: { body: withString('error_uri', (u) => u.replace(/^https?:\/\/[^/]+/, OTHER_ORIGIN)) },
    absolute: true,
    caughtBy: `is on \`${OTHER_ORIGIN}\`; an absolute \`error_uri\` must be on`,
  },
];
