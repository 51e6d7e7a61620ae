/**
 * Keeping secrets out of output: every request or response the suite shows goes through here.
 * Three nets: values known to be secret (the client secret, every value sent in a secret
 * field), members with a secret name in any syntax a server may answer in, and strings shaped
 * like GitHub tokens.
 */

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

/** `text` with every occurrence of every secret (and its URL-encoded form) replaced by `***`. */
export function maskSecrets(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let out = text;
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }
  // Longest first, so a secret that contains another is masked whole.
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(MASK);
  return out;
}

/** Values sent in secret fields in this process: masked wherever they come back. */
const sentSecrets = new Set<string>();

/** Most values remembered; the oldest are forgotten first (a run sends a few per test). */
const SENT_LIMIT = 10_000;

/** Remembers the values of the secret fields of a form about to be sent. */
export function rememberSentSecrets(form: ReadonlyArray<readonly [string, string]>): void {
  for (const [name, value] of form) {
    if (!SECRET_FIELDS.has(name) || value === '') continue;
    sentSecrets.delete(value);
    sentSecrets.add(value);
    if (sentSecrets.size > SENT_LIMIT) sentSecrets.delete(sentSecrets.values().next().value ?? '');
  }
}

/** `text` with secret members masked by name (`"access_token":"***"`, `<code>***</code>`, `code=***`) and token-shaped strings masked. */
export function maskMembers(text: string): string {
  return text.replace(JSON_MEMBER, `$1"${MASK}"`).replace(XML_MEMBER, `$1${MASK}$3`).replace(FORM_MEMBER, `$1${MASK}`).replace(TOKEN_SHAPE, MASK);
}

/** `text` safe to print: the given secrets and every remembered sent value masked as in {@link maskSecrets}, then {@link maskMembers}. */
export function maskOutput(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  return maskMembers(maskSecrets(text, [...secrets, ...sentSecrets]));
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
