/**
 * The fields of a request to the mock: the query string, with a form or JSON body over it.
 * Pure. Fields live in a `Map`, so names such as `__proto__` or `constructor` are ordinary names.
 */

/** Request fields by name. A name given twice keeps its last value, as Rack's parser does. */
export type Fields = Map<string, string>;

/** The fields of a request, or why its body cannot be read. */
export type ParsedFields = { fields: Fields } | { problem: string };

/** Body kinds the mock reads; any other body is ignored (only the query string counts). */
export type BodyKind = 'form' | 'json' | 'ignored';

/** How the mock reads a body of this `Content-Type`. */
export function bodyKind(contentType: string | undefined): BodyKind {
  const type = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'application/json' || /^application\/[^/]+\+json$/.test(type)) return 'json';
  return 'ignored';
}

/** Fields of a query string or form body; a repeated name keeps its last value. */
export function fieldsOf(params: URLSearchParams): Fields {
  const fields: Fields = new Map();
  for (const [name, value] of params) fields.set(name, value);
  return fields;
}

/**
 * The query fields, overlaid with the body's. A JSON body must be an object; its string,
 * number and boolean members count, others (null, arrays, objects) are left out.
 */
export function parseFields(query: URLSearchParams, contentType: string | undefined, body: Buffer): ParsedFields {
  const fields = fieldsOf(query);
  const kind = bodyKind(contentType);
  if (kind === 'ignored' || body.length === 0) return { fields };
  const text = new TextDecoder('utf-8').decode(body);
  if (kind === 'form') {
    for (const [name, value] of fieldsOf(new URLSearchParams(text))) fields.set(name, value);
    return { fields };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes the body, which may hold the secret: say only what is wrong.
    return { problem: 'the body is not valid JSON (`Content-Type` says JSON); send a JSON object or a form-urlencoded body' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: 'the JSON body is not an object; send the fields as a JSON object, e.g. `{"client_id": "…"}`' };
  }
  for (const [name, member] of Object.entries(value)) {
    if (typeof member === 'string') fields.set(name, member);
    else if (typeof member === 'number' || typeof member === 'boolean') fields.set(name, String(member));
  }
  return { fields };
}

/** A field's value, with an empty value taken as not given. */
export function given(fields: Fields, name: string): string | undefined {
  const value = fields.get(name);
  return value === undefined || value === '' ? undefined : value;
}
