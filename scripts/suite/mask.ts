/**
 * Keeping secrets out of output: every request or response the suite shows goes through here,
 * before it is quoted, escaped, cut or handed to a reporter. Three nets: values known to be
 * secret (the client secret, every value sent in a secret field), found in any encoding output
 * uses; members with a secret name in any syntax a server may answer in; and strings shaped like
 * GitHub tokens.
 */

/** What replaces a secret in output. */
export const MASK = '***';

/** Fields and members whose values are secret whatever they hold. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['client_secret', 'code', 'access_token', 'refresh_token', 'id_token', 'device_code', 'user_code', 'password']);

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
 * A text with one encoding undone, and where each of its UTF-16 units came from in the text it
 * was decoded from (`from[i]` to `to[i]`, exclusive).
 */
interface Decoded {
  text: string;
  from: number[];
  to: number[];
}

/** JSON's one-letter escapes. */
const SHORT_ESCAPES: ReadonlyMap<string, string> = new Map([['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t']]);
/** XML's named references (and HTML's for the same characters). */
const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([['quot', '"'], ['apos', "'"], ['amp', '&'], ['lt', '<'], ['gt', '>']]);

/**
 * The encodings output may hold a secret in, each undone by one pattern: JSON and JavaScript
 * string escapes (`\"`, `\\`, `\u00e9`, `\n`); XML and HTML character references (`&quot;`,
 * `&#34;`, `&#x22;`); percent-encoded UTF-8 in either case, with `+` for a space (URLs, forms).
 * Each pattern's match is one character, decoded by its function.
 */
const DECODERS: ReadonlyArray<{ pattern: RegExp; decode: (m: RegExpExecArray) => string }> = [
  {
    pattern: /\\(?:u([0-9a-fA-F]{4})|(.))/gs,
    decode: (m) => (m[1] !== undefined ? String.fromCharCode(parseInt(m[1], 16)) : (SHORT_ESCAPES.get(m[2] ?? '') ?? m[2] ?? '')),
  },
  {
    pattern: /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(quot|apos|amp|lt|gt));/g,
    decode: (m) => {
      const code = m[1] !== undefined ? Number(m[1]) : m[2] !== undefined ? parseInt(m[2], 16) : -1;
      if (code > 0x10ffff) return m[0];
      return code >= 0 ? String.fromCodePoint(code) : (NAMED_ENTITIES.get(m[3] ?? '') ?? m[0]);
    },
  },
  {
    // A UTF-8 character: one ASCII byte, or a lead byte and its continuation bytes; or a `+`.
    pattern: /%[0-7][0-9a-fA-F]|%[cdCD][0-9a-fA-F]%[89abAB][0-9a-fA-F]|%[eE][0-9a-fA-F](?:%[89abAB][0-9a-fA-F]){2}|%[fF][0-7](?:%[89abAB][0-9a-fA-F]){3}|\+/g,
    decode: (m) => (m[0] === '+' ? ' ' : Buffer.from(m[0].replace(/%/g, ''), 'hex').toString('utf8')),
  },
];

/** `text` with one decoder's encoding undone. */
function decodeOnce(text: string, { pattern, decode }: (typeof DECODERS)[number]): Decoded {
  const parts: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  // Text left as it is maps unit for unit; a decoded character maps to the whole of what encoded it.
  const keep = (chars: string, start: number, end: number) => {
    parts.push(chars);
    for (let i = 0; i < chars.length; i++) {
      from.push(start + (end - start === chars.length ? i : 0));
      to.push(end - start === chars.length ? start + i + 1 : end);
    }
  };
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    keep(text.slice(at, m.index), at, m.index);
    keep(decode(m), m.index, m.index + m[0].length);
    at = m.index + m[0].length;
  }
  keep(text.slice(at), at, text.length);
  return { text: parts.join(''), from, to };
}

/** `inner`, decoded from `outer.text`, with its places given in the text `outer` was decoded from. */
function through(outer: Decoded, inner: Decoded): Decoded {
  return { text: inner.text, from: inner.from.map((i) => outer.from[i] ?? 0), to: inner.to.map((i) => outer.to[i - 1] ?? 0) };
}

/**
 * The ways `text` reads: as written, with one encoding undone, and with two undone in either order
 * (a secret JSON-escaped twice, XML-escaped then JSON-escaped, percent-encoded inside JSON, …).
 */
function readings(text: string): Decoded[] {
  const asWritten: Decoded = { text, from: Array.from({ length: text.length }, (_, i) => i), to: Array.from({ length: text.length }, (_, i) => i + 1) };
  const once = DECODERS.map((d) => decodeOnce(text, d)).filter((r) => r.text !== text);
  const twice = once.flatMap((outer) =>
    DECODERS.map((d) => decodeOnce(outer.text, d))
      .filter((inner) => inner.text !== outer.text)
      .map((inner) => through(outer, inner)),
  );
  return [asWritten, ...once, ...twice];
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

/** What one secret is looked for as: itself, in every reading of a text, and its base64 cores, in the text as written. */
interface Needle {
  secret: string;
  base64: string[];
}

/** Needles by secret, kept while the secret is remembered or passed. */
const needles = new Map<string, Needle>();

function needleOf(secret: string): Needle {
  let needle = needles.get(secret);
  if (needle === undefined) {
    needle = { secret, base64: base64Cores(Buffer.from(secret, 'utf8')) };
    if (needles.size >= SENT_LIMIT * 2) needles.delete(needles.keys().next().value ?? '');
    needles.set(secret, needle);
  }
  return needle;
}

/** Fewest characters of a secret masked at a cut edge: fewer say next to nothing of it, and would mask ordinary words. */
export const EDGE_MIN = 4;

/** The needles of the given secrets and of every remembered one, each once. */
function needlesFor(secrets: ReadonlyArray<string | null | undefined>): Needle[] {
  return [...new Set([...secrets, ...knownSecrets])].filter((s): s is string => !!s).map(needleOf);
}

/** `text` with the spans `[start, end)` of the original text replaced by `***` (overlapping spans as one). */
function replaceSpans(text: string, spans: Array<[number, number]>): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue; // within the span just masked
    if (start >= at) out += `${text.slice(at, start)}${MASK}`; // otherwise it overlaps that span, which grows
    at = end;
  }
  return out + text.slice(at);
}

/** Spans of `text` holding a whole secret, in any of its readings, or in base64. */
function secretSpans(text: string, list: readonly Needle[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const views = readings(text);
  for (const { secret, base64 } of list) {
    for (const view of views) {
      for (let i = view.text.indexOf(secret); i >= 0; i = view.text.indexOf(secret, i + 1)) spans.push([view.from[i] ?? 0, view.to[i + secret.length - 1] ?? 0]);
    }
    for (const core of base64) for (let i = text.indexOf(core); i >= 0; i = text.indexOf(core, i + 1)) spans.push([i, i + core.length]);
  }
  return spans;
}

/**
 * `text` with every occurrence of every secret (the given ones and every remembered one) replaced
 * by `***`, in any encoding output uses: as written, JSON- or XML-escaped, percent- or
 * form-encoded in either case, up to two of these over each other (see {@link readings}), and
 * base64 or base64url at any offset.
 */
export function maskSecrets(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  return replaceSpans(text, secretSpans(text, needlesFor(secrets)));
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
 * (of {@link EDGE_MIN} characters or more) left at the cut, its rest cut off, is masked too.
 */
export function maskedExcerpt(text: string, max: number, secrets: ReadonlyArray<string | null | undefined> = []): string {
  const masked = maskOutput(text, secrets);
  if (masked.length <= max) return masked;
  const cut = masked.slice(0, max);
  let from = cut.length;
  for (const view of readings(cut)) {
    for (const { secret } of needlesFor(secrets)) {
      for (let k = Math.min(secret.length - 1, view.text.length); k >= EDGE_MIN; k--) {
        if (view.text.endsWith(secret.slice(0, k))) {
          from = Math.min(from, view.from[view.text.length - k] ?? from);
          break;
        }
      }
    }
  }
  return `${replaceSpans(cut, from < cut.length ? [[from, cut.length]] : [])}…`;
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
