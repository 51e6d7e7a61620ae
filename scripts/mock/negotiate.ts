/**
 * Content negotiation of GitHub's token endpoint: the `Accept` header picks JSON, XML, or
 * (by default) form-urlencoded, and a body is written out in the format picked. Pure.
 */
import Negotiator from 'negotiator';

/** A response format of the token endpoint. */
export type Format = 'json' | 'xml' | 'form';

/** The `Content-Type` the mock sends for each format. */
export const CONTENT_TYPES: Readonly<Record<Format, string>> = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  form: 'application/x-www-form-urlencoded; charset=utf-8',
};

const NAMED: ReadonlyMap<string, Format> = new Map([
  ['application/json', 'json'],
  ['application/xml', 'xml'],
  ['text/xml', 'xml'],
]);

/**
 * The format an `Accept` header asks for: of the media ranges `negotiator` ranks (by quality,
 * then specificity, then order; ranges with q=0 or a malformed q dropped), the first that names
 * JSON or XML; form-urlencoded when none does, or the header is absent. Wildcards (`*\/*`,
 * `text/*`) do not count: with them GitHub answers its default, form-urlencoded.
 */
export function negotiate(accept: string | undefined): Format {
  for (const type of new Negotiator({ headers: { accept: accept ?? '' } }).mediaTypes()) {
    const format = NAMED.get(type.toLowerCase());
    if (format) return format;
  }
  return 'form';
}

/** A body's members in the given format: JSON text, `<OAuth>…</OAuth>`, or form-urlencoded. */
export function serialize(body: Readonly<Record<string, unknown>>, format: Format): string {
  const entries = Object.entries(body);
  if (format === 'json') return JSON.stringify(body);
  if (format === 'xml') return `<OAuth>${entries.map(([name, value]) => element(name, text(value))).join('')}</OAuth>`;
  return new URLSearchParams(entries.map(([name, value]): [string, string] => [name, text(value)])).toString();
}

/** A member's value as text: strings as they are, anything else as JSON. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

function element(name: string, value: string): string {
  // A member name that is not an XML name keeps its letters and digits; the rest become `_`.
  const tag = /^[A-Za-z_][\w.-]*$/.test(name) ? name : `_${name.replace(/[^\w.-]/g, '_')}`;
  return `<${tag}>${escapeXml(value)}</${tag}>`;
}

/** Escapes text for XML content; characters XML 1.0 cannot hold become U+FFFD. */
export function escapeXml(value: string): string {
  return value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}
