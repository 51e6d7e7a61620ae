/**
 * Checks of one server answer against one documented response. Pure: each returns the
 * problems it found as one-line messages (empty when the answer holds), so the spec files
 * stay short and every message is tested exactly.
 */
import type { Case } from '../lib/build.ts';
import { normalizeDocsPath, parseErrorUri } from '../lib/error-uri.ts';
import { maskedExcerpt } from './mask.ts';

/** The body formats a GitHub-style token endpoint negotiates by `Accept`. */
export type Format = 'json' | 'xml' | 'form';

/** One way of asking: the `Accept` sent, the format that must come back, and its media types. */
export interface Negotiation {
  accept: string;
  format: Format;
  /** Media types (without parameters) the answer may carry. */
  contentTypes: string[];
}

/** What to expect for an `Accept` value. `*\/*` (Playwright's default, like curl's) means no preference: form-urlencoded. */
export function negotiationFor(accept: string): Negotiation {
  const a = accept.toLowerCase();
  if (a.includes('json')) return { accept, format: 'json', contentTypes: ['application/json'] };
  if (a.includes('xml')) return { accept, format: 'xml', contentTypes: ['application/xml', 'text/xml'] };
  return { accept, format: 'form', contentTypes: ['application/x-www-form-urlencoded'] };
}

/** The requests each case is sent as: its recipe's `Accept` first, then XML, then no `Accept` header at all ('' here). */
export function negotiationsOf(recipeAccept: string): Negotiation[] {
  const out: Negotiation[] = [];
  for (const accept of [recipeAccept, 'application/xml', '']) {
    const n = negotiationFor(accept);
    if (!out.some((o) => o.format === n.format)) out.push(n);
  }
  return out;
}

/**
 * Problem with the status line, or null. A redirect is reported, never followed: where it
 * points is named, and whether that is back to the request's own URL (a loop) or another origin.
 */
export function checkStatus(expected: number, status: number, location: string | undefined, requestUrl?: string): string | null {
  if (status === expected) return null;
  const what = status >= 300 && status < 400 ? redirectOf(location, requestUrl) : status >= 500 ? 'a server error' : null;
  return `status is ${status}${what ? `, ${what}` : ''}; this documented error is answered with ${expected} (status in tests/profiles.yaml)`;
}

function redirectOf(location: string | undefined, requestUrl: string | undefined): string {
  if (location === undefined || location === '') return 'a redirect to `(no Location)` (not followed)';
  let target: URL | null = null;
  let from: URL | null = null;
  try {
    from = requestUrl === undefined ? null : new URL(requestUrl);
    target = new URL(location, from ?? undefined);
  } catch {
    // named as written below
  }
  if (target && from) {
    if (target.origin !== from.origin) return `a redirect to \`${location}\`, another origin (not followed: nothing was sent there)`;
    if (target.pathname === from.pathname && target.search === from.search) return `a redirect to \`${location}\`, the URL just asked (a loop; not followed)`;
  }
  return `a redirect to \`${location}\` (not followed)`;
}

/** Problem with the `Content-Type` for what was asked, or null. An HTML page (a login form, an error page) is named with its title. */
export function checkContentType(negotiation: Negotiation, contentType: string | undefined, body?: Uint8Array): string | null {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (negotiation.contentTypes.includes(type)) return null;
  const asked = negotiation.accept === '' ? 'no Accept header' : negotiation.format === 'form' ? `Accept: ${negotiation.accept} (no preference)` : `Accept: ${negotiation.accept}`;
  const page = type === 'text/html' && body ? `, an HTML page${titleOf(body)}` : '';
  return `Content-Type is \`${contentType ?? '(none)'}\`${page} for ${asked}; expected ${negotiation.contentTypes.map((t) => `\`${t}\``).join(' or ')}`;
}

/** ` titled "…"` from an HTML page's `<title>`, or ''. */
function titleOf(body: Uint8Array): string {
  const head = new TextDecoder().decode(body.subarray(0, 64 * 1024));
  const title = /<title[^>]*>([^<]*)<\/title\s*>/i.exec(head)?.[1]?.replace(/\s+/g, ' ').trim();
  if (!title) return '';
  // Decoded, then masked, then cut: a secret written with character references, or cut by the limit, is still masked whole.
  return ` titled ${JSON.stringify(maskedExcerpt(decodeEntities(title), 80))}`;
}

/** A body as text, or the one-line reason it is not UTF-8 (the only charset JSON allows, and the one documented). */
export type DecodedBody = { ok: true; text: string } | { ok: false; problem: string };

/** Decodes `body` as strict UTF-8; a bad byte is named with its offset. */
export function decodeUtf8(body: Uint8Array): DecodedBody {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
  } catch {
    const at = firstBadByte(body);
    const byte = body[at] ?? 0;
    return { ok: false, problem: `the body is not UTF-8: byte 0x${byte.toString(16).padStart(2, '0')} at offset ${at} cannot be decoded; expected UTF-8 text` };
  }
}

/** Offset of the byte at which strict UTF-8 decoding first fails. */
function firstBadByte(body: Uint8Array): number {
  // The shortest prefix that fails, decoded as a stream (so a sequence cut at the end is not an error yet).
  let lo = 1;
  let hi = body.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(0, mid), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo - 1;
}

/** A parsed body, or the one-line reason it does not parse. */
export type ParsedBody = { ok: true; body: Record<string, unknown> } | { ok: false; problem: string };

/** Parses a body in the negotiated format. XML is GitHub's flat `<OAuth><error>…</error>…</OAuth>`. */
export function parseBody(format: Format, text: string): ParsedBody {
  // Secrets are masked before the excerpt is cut and escaped into a message.
  const excerpt = JSON.stringify(maskedExcerpt(text, 120));
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { ok: false, problem: `body is not JSON (${parserReason((error as Error).message)}): ${excerpt}` };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
      return { ok: false, problem: `body is JSON but ${kind}, not an object: ${excerpt}; expected an object of the documented members` };
    }
    return { ok: true, body: value as Record<string, unknown> };
  }
  if (format === 'xml') {
    const body = parseFlatXml(text);
    return body ? { ok: true, body } : { ok: false, problem: `body is not XML with one root element of simple members: ${excerpt}` };
  }
  const body = members();
  for (const [key, value] of new URLSearchParams(text)) if (!Object.hasOwn(body, key)) body[key] = value;
  return Object.keys(body).length > 0 ? { ok: true, body } : { ok: false, problem: `body is not form-urlencoded: ${excerpt}` };
}

/**
 * What JSON.parse said, when it quotes nothing of the body but JSON's punctuation
 * (`Expected ',' or ']' after array element in JSON at position 3`). Otherwise (`Unexpected
 * token 'x', "…" is not valid JSON` quotes a piece of the body, cut where it likes, unmasked)
 * only that a character was unexpected: the masked excerpt follows.
 */
function parserReason(message: string): string {
  const quotesInput = message.includes('"') || [...message.matchAll(/'([^']*)'/g)].some((m) => !/^[{}[\],:]$/.test(m[1] ?? ''));
  return quotesInput ? 'an unexpected character' : message;
}

/**
 * An object for a body's members without a prototype: a member named `toString`, `constructor`
 * or `__proto__` is then an ordinary member, neither already there nor lost when set.
 */
function members<T = unknown>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** `<Root><a>x</a><b/></Root>` → `{a: 'x', b: ''}`; null for anything else. */
export function parseFlatXml(text: string): Record<string, string> | null {
  const root = /^\s*(?:<\?xml[^?]*\?>\s*)?<([A-Za-z_][\w.-]*)\s*>([\s\S]*)<\/\1\s*>\s*$/.exec(text);
  if (!root) return null;
  const out = members<string>();
  let rest = root[2] ?? '';
  const member = /^\s*(?:<([A-Za-z_][\w.-]*)\s*\/>|<([A-Za-z_][\w.-]*)\s*>([^<]*)<\/\2\s*>)/;
  while (rest.trim() !== '') {
    const m = member.exec(rest);
    if (!m) return null;
    const name = m[1] ?? m[2] ?? '';
    if (!Object.hasOwn(out, name)) out[name] = decodeEntities(m[3] ?? '');
    rest = rest.slice(m[0].length);
  }
  return out;
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    const named = name.toLowerCase();
    return Object.hasOwn(ENTITIES, named) ? (ENTITIES[named] ?? whole) : whole;
  });
}

/** What a redirect answer carries: the members of its `Location` query (echoed ones taken out), and what is wrong with it. */
export interface RedirectRead {
  body: Record<string, unknown> | null;
  problems: string[];
}

/**
 * Reads a redirect answer of an endpoint that answers errors by redirecting: it must go to the
 * registered callback URL (when known) and carry back the request's `state` (when one was
 * sent); its query's members are the answer (a name given twice keeps its first value).
 */
export function readRedirect(location: string | undefined, callbackUrl: string | null, sentState: string | null): RedirectRead {
  if (location === undefined || location === '') return { body: null, problems: ['the redirect has no `Location`; it must go to the registered callback URL with the error in its query'] };
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return { body: null, problems: [`\`Location\` \`${location}\` is not an absolute URL; it must be the registered callback URL with the error in its query`] };
  }
  const problems: string[] = [];
  if (callbackUrl !== null) {
    const callback = new URL(callbackUrl);
    if (url.origin !== callback.origin || url.pathname !== callback.pathname) {
      problems.push(`the redirect goes to \`${url.origin}${url.pathname}\`, not to the registered callback URL \`${callback.origin}${callback.pathname}\` (--callback-url)`);
    }
  }
  const body: Record<string, unknown> = {};
  for (const [name, value] of url.searchParams) if (!(name in body)) body[name] = value;
  if (sentState !== null) {
    if (!('state' in body)) problems.push(`\`state\` is missing from the redirect; the request's \`state\` must come back as sent`);
    else if (body['state'] !== sentState) problems.push(`\`state\` is ${JSON.stringify(body['state'])} in the redirect; the request sent ${JSON.stringify(sentState)}`);
  }
  delete body['state'];
  return { body, problems };
}

/** Members of `actual` that differ from the documented values (`error_uri` has its own check). */
export function checkValues(expected: Record<string, unknown>, actual: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    if (key === 'error_uri') continue;
    if (!Object.hasOwn(actual, key)) problems.push(`\`${key}\` is missing; documented: ${JSON.stringify(value)}`);
    else if (JSON.stringify(actual[key]) !== JSON.stringify(value)) {
      problems.push(`\`${key}\` is ${JSON.stringify(actual[key])}; documented: ${JSON.stringify(value)}`);
    }
  }
  return problems;
}

/**
 * Problems of an `error_uri`: the path must be the documented one (trailing slash, language
 * and version segments tolerated), the fragment exactly the documented one, and an absolute
 * value must be on the docs origin.
 */
export function checkErrorUri(actual: unknown, documented: Case['errorUri'], docsOrigin: string, anyPermalink = false): string[] {
  const want = `${documented.path}#${documented.fragment}`;
  if (actual === undefined) return [`\`error_uri\` is missing; documented: ${JSON.stringify(want)}`];
  if (typeof actual !== 'string') return [`\`error_uri\` is ${JSON.stringify(actual)}, not a string; documented: ${JSON.stringify(want)}`];
  const uri = parseErrorUri(actual);
  if (!uri) return [`\`error_uri\` ${JSON.stringify(actual)} is neither a path starting with \`/\` nor an absolute http(s) URL; documented: ${JSON.stringify(want)}`];
  const problems: string[] = [];
  if (uri.origin !== null && uri.origin !== docsOrigin) {
    problems.push(`\`error_uri\` ${JSON.stringify(actual)} is on \`${uri.origin}\`; an absolute \`error_uri\` must be on \`${docsOrigin}\` (--docs-origin)`);
  }
  const paths = anyPermalink && documented.permalinks.length > 0 ? documented.permalinks : [documented.path];
  if (!paths.some((p) => normalizeDocsPath(uri.path) === normalizeDocsPath(p))) {
    if (anyPermalink && paths.length > 1) problems.push(`\`error_uri\` path \`${uri.path}\` is none of the page's permalinks (${paths.map((p) => `\`${p}\``).join(', ')})`);
    else
    problems.push(`\`error_uri\` path \`${uri.path}\` is not the documented \`${documented.path}\` (a trailing slash, language and version segments are tolerated)`);
  }
  if (uri.fragment !== documented.fragment) {
    problems.push(`\`error_uri\` fragment \`#${uri.fragment}\` is not the documented \`#${documented.fragment}\``);
  }
  return problems;
}

/** The `error_uri` check of an answer as the profile expects it: problems, or a note when it is GitHub's value rather than the documented one. */
export interface ErrorUriVerdict {
  problems: string[];
  note: string | null;
}

/**
 * Checks an answer's `error_uri` as the case's profile says: the documented value
 * (`documented`), GitHub's recorded one (`github`: the same path and fragment, on the docs
 * origin or relative), or `either`, which passes GitHub's value with a note naming the sources.
 */
export function checkErrorUriAs(actual: unknown, request: Pick<Case['request'], 'github' | 'expectErrorUri'>, documented: Case['errorUri'], docsOrigin: string, anyPermalink = false): ErrorUriVerdict {
  const asDocumented = checkErrorUri(actual, documented, docsOrigin, anyPermalink);
  const { github, expectErrorUri } = request;
  if (expectErrorUri === 'documented' || github === null) return { problems: asDocumented, note: null };
  const recorded = parseErrorUri(github.errorUri);
  const asGithub = recorded ? checkErrorUri(actual, { ...documented, path: recorded.path, fragment: recorded.fragment }, docsOrigin) : [`GitHub's recorded \`error_uri\` ${JSON.stringify(github.errorUri)} cannot be read`];
  const sources = github.sources.join(', ');
  if (expectErrorUri === 'github') return { problems: asGithub.map((p) => `${p} (GitHub answers ${JSON.stringify(github.errorUri)}: ${sources})`), note: null };
  if (asDocumented.length === 0) return { problems: [], note: null };
  if (asGithub.length === 0) return { problems: [], note: `\`error_uri\` ${JSON.stringify(actual)} is what GitHub answers (${sources}), not the documented ${JSON.stringify(`${documented.path}#${documented.fragment}`)}` };
  return { problems: [...asDocumented, `nor is it what GitHub answers, ${JSON.stringify(github.errorUri)} (${sources})`], note: null };
}

/** Members of a second answer that differ from the first (same request, another format). */
export function checkSameAs(keys: readonly string[], first: Record<string, unknown>, other: Record<string, unknown>, otherName: string): string[] {
  const problems: string[] = [];
  for (const key of keys) {
    const a = Object.hasOwn(first, key) ? first[key] : undefined;
    const b = Object.hasOwn(other, key) ? other[key] : undefined;
    if (b === undefined) problems.push(`\`${key}\` is missing from the ${otherName} answer; the JSON answer has ${JSON.stringify(a)}`);
    else if (String(b) !== String(a)) problems.push(`\`${key}\` is ${JSON.stringify(b)} in the ${otherName} answer; the JSON answer has ${JSON.stringify(a)}`);
  }
  return problems;
}

/** What the docs model says about the documented fragment, for one locale. */
export type AnchorVerdict = { ok: true; note: string | null } | { ok: false; problem: string };

/** A docs finding the baseline accepts: where it is, and the reason the baseline gives. */
export interface AcceptedFinding {
  finding: { rule: string; file: string; line: number };
  entry: { reason: string };
}

/** The baseline's reason for accepting the anchor finding at a documented example (`file`:`line`), or null. */
export function acceptedAnchor(accepted: readonly AcceptedFinding[], at: { file: string; line: number }): string | null {
  const hit = accepted.find(({ finding }) => ANCHOR_RULES.has(finding.rule) && finding.file === at.file && finding.line === at.line);
  return hit ? hit.entry.reason : null;
}

/** The docs rules whose findings are an anchor verdict's failures. */
const ANCHOR_RULES = new Set(['missing-anchor', 'anchor-wrong-section']);

/**
 * Whether the documented fragment names, by the model, the section documenting this error.
 * `confirmed` passes; `inferred`, `heading-only` and `unverifiable` pass with a note (the
 * docs cannot confirm it, which is not the server's fault); `missing` and `wrong-section` fail,
 * unless the docs baseline accepts that finding (`accepted`: its reason), when they pass with a
 * note: a server answering as documented is right even where the docs are knowingly wrong.
 * `docsDir` prefixes the docs-relative file named in the message.
 */
export function anchorVerdict(kase: Pick<Case, 'anchors' | 'errorUri' | 'error'>, locale: string, docsDir = '', accepted: string | null = null): AnchorVerdict {
  const check = kase.anchors[locale];
  const fragment = `\`#${kase.errorUri.fragment}\``;
  if (!check) return { ok: true, note: `anchor ${fragment} not checked: \`${kase.error}\` has no anchor check for ${locale}` };
  const at = check.section ? ` (${docsDir ? `${docsDir}/` : ''}${check.section.file}:${check.section.line})` : '';
  switch (check.status) {
    case 'confirmed':
      return { ok: true, note: null };
    case 'inferred':
    case 'heading-only':
    case 'unverifiable':
      return { ok: true, note: `anchor ${fragment} not confirmed (${check.status}): ${check.detail}${at}` };
    case 'missing':
    case 'wrong-section':
      if (accepted !== null) return { ok: true, note: `anchor ${fragment} does not lead to the section documenting \`${kase.error}\` (${check.status}): ${check.detail}${at}; accepted by the docs baseline: ${accepted}` };
      return { ok: false, problem: `the documented anchor ${fragment} does not lead to the section documenting \`${kase.error}\` (${check.status}): ${check.detail}${at}; fix the docs (see \`npm run validate\`)` };
  }
}

/**
 * Problems with the members an error's answer carries besides the documented ones (the profile's
 * `members`): present, of their type, and more than the issued value they must exceed.
 */
export function checkMembers(members: Case['request']['members'], body: Record<string, unknown>, issued: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(members)) {
    const value = body[name];
    if (value === undefined) {
      problems.push(`\`${name}\` is missing; this error's answer carries it (\`members\` in tests/profiles.yaml)`);
      continue;
    }
    // Form and XML bodies carry numbers as text.
    const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (spec.type === 'integer' && !Number.isInteger(number)) problems.push(`\`${name}\` is ${JSON.stringify(value)}, not an integer`);
    else if (spec.type === 'string' && typeof value !== 'string') problems.push(`\`${name}\` is ${JSON.stringify(value)}, not a string`);
    else if (spec.moreThan !== undefined) {
      const before = Number(issued[spec.moreThan]);
      if (!(number > before)) problems.push(`\`${name}\` is ${JSON.stringify(value)}, not more than the \`${spec.moreThan}\` (${before}) issued with the code: a client keeping that pace is told to slow down again and again`);
    }
  }
  return problems;
}
