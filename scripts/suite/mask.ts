/**
 * Keeping secrets out of output: every request or response the suite shows goes through here.
 */

/** What replaces a secret in output. */
export const MASK = '***';

/** Form fields whose values are secret whatever they hold. */
const SECRET_FIELDS = new Set(['client_secret', 'code', 'access_token', 'refresh_token', 'device_code', 'password']);

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
