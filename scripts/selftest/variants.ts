/**
 * The deliberately faulty servers of the self-test: each breaks the reference server in one
 * way a real implementation might, and names the words the suite's failure must contain.
 */
import type { Behaviour } from './reference-server.ts';

/** A faulty server: its behaviour, and text the suite's failure output must contain. */
export interface Variant {
  name: string;
  behaviour: Behaviour;
  /** The failure must contain this (ANSI colours removed), so the right check is shown to catch it. */
  caughtBy: string;
  /** Extra `npm test` arguments for this run. */
  args?: string[];
  /** Run with absolute `error_uri` on the docs origin. */
  absolute?: boolean;
  /** Nothing listens at the URL (the server is stopped before the run). */
  refused?: boolean;
}

/** A host that is not the docs origin. */
const OTHER_ORIGIN = 'https://docs.example.invalid';

const withString = (key: string, change: (value: string, fields: URLSearchParams) => string) => (body: Record<string, unknown>, fields: URLSearchParams) =>
  typeof body[key] === 'string' ? { ...body, [key]: change(body[key], fields) } : body;

export const VARIANTS: readonly Variant[] = [
  { name: 'wrong error code', behaviour: { body: withString('error', (e) => `${e}_x`) }, caughtBy: '`error` is "' },
  { name: 'changed description', behaviour: { body: withString('error_description', (d) => d.replace(/\.$/, '') + ' (see docs).') }, caughtBy: '`error_description` is "' },
  { name: 'wrong anchor', behaviour: { body: withString('error_uri', (u) => `${u}-x`) }, caughtBy: '`error_uri` fragment `#' },
  { name: 'wrong path', behaviour: { body: withString('error_uri', (u) => u.replace(/^(\/[^/]+)/, '$1-moved')) }, caughtBy: '`error_uri` path `/' },
  { name: 'missing field', behaviour: { body: ({ error_uri: _, ...rest }) => rest }, caughtBy: '`error_uri` is missing; documented: "' },
  { name: 'wrong type', behaviour: { body: (b) => ({ ...b, error: [b['error']] }) }, caughtBy: '`error` is ["' },
  { name: 'undocumented member', behaviour: { body: (b) => ({ ...b, error_hint: 'try again' }) }, caughtBy: '`error_hint` is not documented (the schema allows no other members)' },
  { name: 'wrong content type', behaviour: { jsonContentType: 'text/plain; charset=utf-8' }, caughtBy: 'Content-Type is `text/plain; charset=utf-8` for Accept: application/json' },
  { name: '500', behaviour: { status: 500 }, caughtBy: 'status is 500, a server error' },
  { name: 'RFC status 400', behaviour: { status: 400 }, caughtBy: 'status is 400; this documented error is answered with 200' },
  { name: 'invalid JSON', behaviour: { jsonText: (t) => t.slice(0, -1) }, caughtBy: 'body is not JSON' },
  { name: 'Accept ignored', behaviour: { ignoreAccept: true }, caughtBy: 'for Accept: application/xml' },
  {
    name: 'XML and form differ from JSON',
    behaviour: { otherFormats: (b) => ({ ...b, error_description: String(b['error_description']).toUpperCase() }) },
    caughtBy: 'in the XML answer; the JSON answer has',
  },
  { name: 'any code accepted', behaviour: { unchecked: ['code'] }, caughtBy: '`error` is missing; documented: "' },
  { name: 'redirect_uri unchecked', behaviour: { unchecked: ['redirect-uri'] }, caughtBy: '`error` is "' },
  { name: 'credentials unchecked', behaviour: { unchecked: ['client-credentials'] }, caughtBy: '`error` is "' },
  { name: 'no answer', behaviour: { hang: true }, caughtBy: 'the server accepted the connection but sent nothing within 400 ms', args: ['--request-timeout=400'] },
  { name: 'redirect', behaviour: { redirectTo: `${OTHER_ORIGIN}/login/oauth/access_token` }, caughtBy: `a redirect to \`${OTHER_ORIGIN}/login/oauth/access_token\` (not followed)` },
  {
    name: 'echoes the secret',
    behaviour: { body: withString('error_description', (d, fields) => `${d} (client_secret: ${fields.get('client_secret') ?? ''})`) },
    caughtBy: '(client_secret: ***)',
  },
  { name: 'connection refused', behaviour: {}, refused: true, caughtBy: 'connection refused; start the server or pass the right --base-url' },
  {
    name: 'other host in absolute error_uri',
    behaviour: { body: withString('error_uri', (u) => u.replace(/^https?:\/\/[^/]+/, OTHER_ORIGIN)) },
    absolute: true,
    caughtBy: `is on \`${OTHER_ORIGIN}\`; an absolute \`error_uri\` must be on`,
  },
];
