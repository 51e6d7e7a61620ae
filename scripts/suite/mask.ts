/**
 * Keeping secrets out of output: every request or response the suite shows goes through here.
 * Three nets: values known to be secret (the client secret, every value sent in a secret
 * field), members with a secret name in any syntax a server may answer in, and strings shaped
 * like GitHub tokens.
 */

import { escapeRegExp } from '../lib/util.ts';

/** What replaces a secret in output. */
export const MASK = '***';

/** Fields and members whose values are secret whatever they hold. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['client_secret', 'code', 'access_token', 'refresh_token', 'id_token', 'device_code', 'password']);

/** GitHub's token formats (`gho_…`, `ghu_…`, `github_pat_…`): masked wherever they appear. */
const TOKEN_SHAPE = /\b(?:gh[opsur]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g;

const names = [...SECRET_FIELDS].join('|');
/** `"code": "…"` or `"code": 123` in JSON text (escaped quotes inside the value included). */
const JSON_MEMBER = new RegExp(`("(?:${names})"\\s*:\\s*)(?:"(?:[^"\\\\]|\\\\.)*"|-?\\d[\\d.eE+-]*)`, 'g');
/** `<code>…</code>` in XML text. */
const XML_MEMBER = new RegExp(`(<(${names})\\s*>)[^<]*(</\\2\\s*>)`, 'g');
/** `code=…` in a query string, a form body, or a cookie. */
const FORM_MEMBER = new RegExp(`((?:^|[?&;,\\s"'(])(?:${names})=)[^&;,\\s"'#)]*`, 'gm');

/**
 * Every way one character of a secret may be written in output, as a regular expression: as
 * is; JSON- or JavaScript-escaped (`\"`, `\u00e9`, `\n`, escaped again any number of times);
 * an XML or HTML character reference (`&quot;`, `&#34;`, `&#x22;`, itself escaped as `&amp;…`);
 * percent-encoded UTF-8 in either case; `+` for a space. Per character, so a value escaped by a
 * server in a way we did not foresee character by character still matches.
 */
function charPattern(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const alts = new Set([escapeRegExp(ch)]);
  const units = Array.from({ length: ch.length }, (_, i) => ch.charCodeAt(i));
  alts.add(units.map((unit) => `\\\\+u${hexPattern(unit, 4)}`).join(''));
  const short = SHORT_ESCAPES[ch];
  if (short !== undefined) alts.add(`\\\\+${short}`);
  if (ch === '\\') alts.add('\\\\+');
  else if ('"\'/'.includes(ch)) alts.add(`\\\\+${escapeRegExp(ch)}`);
  const entity = NAMED_ENTITIES[ch];
  alts.add(`&(?:amp;)*(?:#0*${code}|#[xX]0*${hexPattern(code, 1)}${entity === undefined ? '' : `|${entity}`});`);
  alts.add([...Buffer.from(ch, 'utf8')].map((byte) => `%${hexPattern(byte, 2)}`).join(''));
  if (ch === ' ') alts.add('\\+');
  return `(?:${[...alts].join('|')})`;
}

/** JSON's one-letter escapes. */
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't' };
/** XML's and HTML's named references for the characters they escape. */
const NAMED_ENTITIES: Readonly<Record<string, string>> = { '"': 'quot', "'": 'apos', '&': 'amp', '<': 'lt', '>': 'gt' };

/** `n` in hexadecimal, at least `width` digits, each letter in either case. */
function hexPattern(n: number, width: number): string {
  return n
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);
}

/** Shortest base64 run worth masking: a shorter one is too likely to be something else. */
const MIN_BASE64 = 8;

/**
 * The base64 (and base64url) characters that only `bytes` decide, at each of the three offsets it
 * may start at inside a longer base64 text (characters that mix in a neighbouring byte are left out).
 */
function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const b64 = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    // A first group with padding: its first 2 (1 byte of padding) or 3 (2 bytes) characters mix it in.
    const start = pad === 0 ? 0 : pad + 1;
    // A last partial group of 1 or 2 bytes: its first 1 or 2 characters are theirs alone.
    const whole = pad + bytes.length;
    const core = b64.slice(start, Math.floor(whole / 3) * 4 + (whole % 3));
    if (core.length >= MIN_BASE64) cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

/** The pattern of the characters of `chars`, the first `required` of them needed, the rest each optional after the one before. */
function sequencePattern(chars: readonly string[], required: number): string {
  const head = chars.slice(0, required).map(charPattern).join('');
  const tail = chars.slice(required).reduceRight((inner, ch) => `(?:${charPattern(ch)}${inner})?`, '');
  return head + tail;
}

/** Compiled patterns by secret, kept as long as the secret is remembered or passed. */
const patterns = new Map<string, { whole: RegExp; edge: RegExp | null }>();

/** The patterns of one secret: the whole of it in any encoding, and a prefix of it ending the text. */
function patternsOf(secret: string): { whole: RegExp; edge: RegExp | null } {
  let found = patterns.get(secret);
  if (found === undefined) {
    const chars = [...secret];
    const cores = base64Cores(Buffer.from(secret, 'utf8')).map(escapeRegExp);
    const whole = new RegExp([sequencePattern(chars, chars.length), ...cores].join('|'), 'g');
    // A prefix at a cut edge: any prefix but the shortest, which would mask ordinary text (see EDGE_MIN).
    const edge = chars.length > EDGE_MIN ? new RegExp(`(?:${sequencePattern(chars.slice(0, -1), EDGE_MIN)})$`) : null;
    found = { whole, edge };
    if (patterns.size >= SENT_LIMIT * 2) patterns.delete(patterns.keys().next().value ?? '');
    patterns.set(secret, found);
  }
  return found;
}

/** Fewest characters of a secret masked at a cut edge: fewer say next to nothing of it, and would mask ordinary words. */
export const EDGE_MIN = 4;

/** The secrets to mask, each once, longest first (so a secret that contains another is masked whole). */
function secretsToMask(secrets: ReadonlyArray<string | null | undefined>): string[] {
  return [...new Set([...secrets, ...knownSecrets].filter((s): s is string => !!s))].sort((a, b) => b.length - a.length);
}

/**
 * `text` with every occurrence of every secret (the given ones and every remembered one) replaced
 * by `***`, in any encoding output uses: as written, JSON- or XML-escaped, percent- or
 * form-encoded in either case, base64 or base64url at any offset (see {@link charPattern}).
 */
export function maskSecrets(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let out = text;
  for (const secret of secretsToMask(secrets)) out = out.replace(patternsOf(secret).whole, MASK);
  return out;
}

/** Values known to be secret in this process (the client secret, every value sent in a secret field): masked wherever they come back. */
const knownSecrets = new Set<string>();

/** Most values remembered; the oldest are forgotten first (a run sends a few per test). */
const SENT_LIMIT = 10_000;

/** Remembers values that are secret, so every later output masks them. */
export function rememberSecrets(values: ReadonlyArray<string | null | undefined>): void {
  for (const value of values) {
    if (!value) continue;
    knownSecrets.delete(value);
    knownSecrets.add(value);
    if (knownSecrets.size > SENT_LIMIT) knownSecrets.delete(knownSecrets.values().next().value ?? '');
  }
}

/** Remembers the values of the secret fields of a form about to be sent. */
export function rememberSentSecrets(form: ReadonlyArray<readonly [string, string]>): void {
  rememberSecrets(form.filter(([name]) => SECRET_FIELDS.has(name)).map(([, value]) => value));
}

/** `text` with secret members masked by name (`"access_token":"***"`, `<code>***</code>`, `code=***`) and token-shaped strings masked. */
export function maskMembers(text: string): string {
  return text.replace(JSON_MEMBER, `$1"${MASK}"`).replace(XML_MEMBER, `$1${MASK}$3`).replace(FORM_MEMBER, `$1${MASK}`).replace(TOKEN_SHAPE, MASK);
}

/**
 * `text` safe to print: the given secrets and every remembered one masked as in {@link maskSecrets},
 * then secret members by name ({@link maskMembers}). The one masking every output goes through,
 * before it is formatted (quoted, escaped, cut, handed to a reporter).
 */
export function maskOutput(text: string, secrets: ReadonlyArray<string | null | undefined> = []): string {
  return maskMembers(maskSecrets(text, secrets));
}

/**
 * `text` masked ({@link maskOutput}), then cut to `max` characters with `…`; a prefix of a secret
 * left at the cut (its rest cut off) is masked too.
 */
export function maskedExcerpt(text: string, max: number, secrets: ReadonlyArray<string | null | undefined> = []): string {
  const masked = maskOutput(text, secrets);
  if (masked.length <= max) return masked;
  let cut = masked.slice(0, max);
  for (const secret of secretsToMask(secrets)) {
    const edge = patternsOf(secret).edge;
    if (edge !== null) cut = cut.replace(edge, MASK);
  }
  return `${cut}…`;
}

/** A form body for output: secret fields masked by name, the rest URL-encoded as sent. */
export function maskForm(form: ReadonlyArray<readonly [string, string]>): string {
  return form.map(([name, value]) => `${encodeURIComponent(name)}=${SECRET_FIELDS.has(name) ? MASK : encodeURIComponent(value)}`).join('&');
}

/** One line describing a request, safe to print: `POST http://…/path (Accept: application/json) client_id=…&client_secret=***`. */
export function describeRequest(
  request: { method: string; url: string; accept: string; form: ReadonlyArray<readonly [string, string]> },
  secrets: ReadonlyArray<string | null | undefined>,
): string {
  const accept = request.accept ? `Accept: ${request.accept}` : 'no Accept preference';
  const body = request.form.length > 0 ? ` ${maskForm(request.form)}` : '';
  return maskSecrets(`${request.method} ${request.url} (${accept})${body}`, secrets);
}
