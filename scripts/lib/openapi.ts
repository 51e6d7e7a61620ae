/**
 * The contract as an OpenAPI 3.1 document: cases → one OpenAPI object, for the tools that read
 * OpenAPI (Prism, Schemathesis, Dredd, oasdiff). Pure; the export command prints it.
 */
import { createHash } from 'node:crypto';
import { documentedBody, type Case, type CasesFile } from './build.ts';
import { canonicalJson } from './stable-json.ts';
import { serialize } from '../mock/negotiate.ts';

/** The OpenAPI version the export declares. */
export const OPENAPI_VERSION = '3.1.0';

/**
 * Base of the `Location` examples of a redirect endpoint. The docs redirect to the app's
 * registered callback URL, which only the target knows; `.invalid` keeps the stand-in from
 * naming a real host.
 */
export const CALLBACK_STAND_IN = 'https://callback-url.invalid/callback';

/** Value a `Location` example gives a member the redirect echoes from the request (`state`). */
export const ECHOED = 'ECHOED-FROM-REQUEST';

type Json = Record<string, unknown>;

/**
 * An example of a documented answer: the documented body, with the members the profile adds
 * (`interval` of `slow_down`) given a value of their type (for `interval`, 10: the usual first interval, 5, after one `slow_down`).
 */
function exampleBody(c: Case): Record<string, unknown> {
  const body = { ...documentedBody(c) };
  for (const [name, spec] of Object.entries(c.request.members)) body[name] = spec.type === 'integer' ? 10 : '';
  return body;
}

/** What each `{{placeholder}}` of a request template stands for. */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  client_id: "the target app's client id (`--client-id`)",
  client_secret: "the target app's client secret (`OAUTH_CLIENT_SECRET`)",
  callback_url: "the target app's registered callback URL (`--callback-url`)",
  suspended_client_id: 'the client id of an app suspended on the server (`--suspended-client-id`)',
  device_flow_disabled_client_id: 'the client id of an app that has not enabled the device flow (`--device-flow-disabled-client-id`)',
  random: 'a fresh random value no server has issued',
};

/** The generated JSON Schema of each documented response, by its `$id` (what `Case.schema.$id` names). */
export type SchemasById = ReadonlyMap<string, Json>;

/**
 * Builds the OpenAPI 3.1 document of a cases file: one operation per endpoint, each documented
 * error a named example; a JSON body's schema is `anyOf` the generated schemas of its errors
 * (not `oneOf`: two pages documenting one error with one body would make every body fail it).
 * Throws when `schemas` lacks one a body case names (a programmer error: the caller loads them).
 */
export function toOpenApi(file: CasesFile, schemas: SchemasById): Json {
  const components: Record<string, Json> = {};
  const byEndpoint = new Map<string, Case[]>();
  for (const c of file.cases) {
    const key = `${c.request.method} ${c.request.path}`;
    byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), c]);
  }
  const paths: Record<string, Json> = {};
  for (const cases of byEndpoint.values()) {
    const { method, path } = cases[0]!.request;
    paths[path] = { ...paths[path], [method.toLowerCase()]: operation(cases, schemaRef(schemas, components)) };
  }
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'Documented errors',
      // A digest of the cases: the document changes version exactly when the contract does.
      version: createHash('sha256').update(canonicalJson(file.cases)).digest('hex').slice(0, 12),
      description:
        'The error responses the docs document, exported by docs-contract from its cases file. Each example is one documented error, as the docs show it; `x-docs-contract-sources` says where (file, line, locale), `x-docs-contract-anchor` which heading its `error_uri` points at.',
    },
    'x-docs-contract-locales': file.locales,
    'x-docs-contract-source-locale': file.sourceLocale,
    paths,
    ...(Object.keys(components).length > 0 ? { components: { schemas: components } } : {}),
  };
}

/**
 * A function giving a case's `$ref` to its schema, which it adds to `components` once: the
 * generated schema without the keywords of a schema file (`$id`, `$schema`, `$comment`), named
 * after its file (`schemas/a/b/c.schema.json` → `a.b.c`), which is unique.
 */
function schemaRef(schemas: SchemasById, components: Record<string, Json>): (c: Case) => Json {
  return (c) => {
    const name = c.schema.file.replace(/^schemas\//, '').replace(/\.schema\.json$/, '').replace(/\//g, '.').replace(/[^\w.-]/g, '_');
    if (!components[name]) {
      const schema = schemas.get(c.schema.$id);
      if (!schema) throw new Error(`no schema \`${c.schema.$id}\` for case \`${c.id}\``);
      const { $id: _id, $schema: _schema, $comment: _comment, ...rest } = schema;
      components[name] = rest;
    }
    return { $ref: `#/components/schemas/${name}` };
  };
}

/** One endpoint's operation: its request, and its documented errors by status. */
function operation(cases: Case[], ref: (c: Case) => Json): Json {
  const first = cases[0]!.request;
  const names = exampleNames(cases);
  const fields = requestFields(cases);
  const request =
    first.method === 'GET' || first.method === 'HEAD'
      ? { parameters: Object.entries(fields.properties).map(([name, schema]) => ({ name, in: 'query', required: fields.required.includes(name), schema })) }
      : { requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', ...fields } } } } };
  const byStatus = new Map<number, Case[]>();
  for (const c of cases) {
    const status = c.request.answer === 'redirect' ? 302 : c.request.status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), c]);
  }
  const responses: Record<string, Json> = {};
  for (const [status, group] of byStatus) {
    responses[String(status)] = first.answer === 'redirect' ? redirectResponse(group, names) : bodyResponse(group, names, ref);
  }
  return {
    operationId: first.endpoint,
    summary: `${first.method} ${first.path}: ${cases.length} documented error${cases.length === 1 ? '' : 's'}`,
    ...request,
    responses,
  };
}

/**
 * Example names, unique within an operation: the error code, which is what a client asks Prism
 * for (`Prefer: example=<error>`). A case holds every locale of one documented response (the
 * contract makes locales agree on it), so the locale adds nothing; two pages documenting the
 * same error for one endpoint get `-2`, `-3`… in case order.
 */
function exampleNames(cases: Case[]): Map<Case, string> {
  const names = new Map<Case, string>();
  const taken = new Set<string>();
  for (const c of cases) {
    let name = c.error;
    for (let n = 2; taken.has(name); n++) name = `${c.error}-${n}`;
    taken.add(name);
    names.set(c, name);
  }
  return names;
}

/**
 * The form fields the cases send, as a schema: every field is a string; a field is required when
 * every case sends it and none marks it optional (`{{name?}}`). Template values are described,
 * never given as values; literal ones are examples.
 */
function requestFields(cases: Case[]): { properties: Record<string, Json>; required: string[] } {
  const values = new Map<string, Set<string>>();
  const count = new Map<string, number>();
  const optional = new Set<string>();
  for (const c of cases) {
    for (const [name, value] of c.request.form) {
      values.set(name, (values.get(name) ?? new Set()).add(value));
      count.set(name, (count.get(name) ?? 0) + 1);
      if (/\{\{\w+\?\}\}/.test(value)) optional.add(name);
    }
  }
  const properties: Record<string, Json> = {};
  for (const [name, set] of [...values].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const templates = [...set].filter((v) => v.includes('{{'));
    const literals = [...set].filter((v) => !v.includes('{{')).sort();
    const schema: Json = { type: 'string' };
    if (templates.length > 0) schema['description'] = templates.sort().map(describeTemplate).join('; or ');
    if (literals.length > 0) schema['examples'] = literals;
    properties[name] = schema;
  }
  const required = [...count].filter(([name, n]) => n === cases.length && !optional.has(name)).map(([name]) => name).sort();
  return { properties, required };
}

/** A template in words: `wrong-{{random}}` is "`wrong-` then a fresh random value…". */
function describeTemplate(template: string): string {
  const parts = template.split(/(\{\{\w+\??\}\})/).filter(Boolean);
  return parts
    .map((part) => {
      const m = /^\{\{(\w+)(\?)?\}\}$/.exec(part);
      if (!m) return `\`${part}\``;
      const what = PLACEHOLDERS[m[1]!] ?? `the \`${m[1]}\` an earlier request obtained (the endpoint that \`issues\` it in the profiles)`;
      return m[2] ? `${what}, left out when not given` : what;
    })
    .join(' then ');
}

/** A response whose errors are a body negotiated by `Accept`: each error a named example in JSON, XML (`<OAuth>`) and form. */
function bodyResponse(cases: Case[], names: Map<Case, string>, ref: (c: Case) => Json): Json {
  const examples = (value: (c: Case) => unknown) => Object.fromEntries(cases.map((c) => [names.get(c)!, example(c, value(c))]));
  return {
    description: `Documented errors: ${cases.map((c) => `\`${c.error}\``).join(', ')}. The format follows \`Accept\`: JSON, XML or form-urlencoded.`,
    content: {
      'application/json': { schema: { anyOf: unique(cases.map(ref)) }, examples: examples(exampleBody) },
      'application/xml': { schema: { type: 'string', description: 'An `<OAuth>` element with one child per member.' }, examples: examples((c) => serialize(exampleBody(c), 'xml')) },
      'application/x-www-form-urlencoded': { schema: { type: 'string' }, examples: examples((c) => serialize(exampleBody(c), 'form')) },
    },
  };
}

/** Schema references without repeats, first first. */
function unique(refs: Json[]): Json[] {
  return [...new Map(refs.map((r) => [r['$ref'], r])).values()];
}

/** A response that redirects to the app's callback with the error in the query: each error a named `Location` example. */
function redirectResponse(cases: Case[], names: Map<Case, string>): Json {
  const location = (c: Case) => {
    const url = new URL(CALLBACK_STAND_IN);
    for (const [name, value] of Object.entries(c.expected)) url.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    for (const name of c.documented.echoes) url.searchParams.set(name, ECHOED);
    return url.href;
  };
  return {
    description: `Documented errors: ${cases.map((c) => `\`${c.error}\``).join(', ')}. A redirect to the app's registered callback URL with the error in the query.`,
    headers: {
      Location: {
        required: true,
        description: `The app's registered callback URL (\`${CALLBACK_STAND_IN}\` in the examples) with the error's members in the query${echoNote(cases)}.`,
        schema: { type: 'string', format: 'uri' },
        examples: Object.fromEntries(cases.map((c) => [names.get(c)!, example(c, location(c))])),
      },
    },
  };
}

/** The members a redirect echoes from the request, said for the `Location` header; empty when it echoes none. */
function echoNote(cases: Case[]): string {
  const echoes = [...new Set(cases.flatMap((c) => c.documented.echoes))].sort();
  return echoes.length === 0 ? '' : `, and the request's ${echoes.map((e) => `\`${e}\``).join(', ')} echoed (\`${ECHOED}\` in the examples)`;
}

/** A named example with its provenance: where the docs show it, and where its `error_uri` points. */
function example(c: Case, value: unknown): Json {
  return {
    summary: c.heading,
    description: `Sent when ${c.request.why}.`,
    value,
    'x-docs-contract-case': c.id,
    'x-docs-contract-sources': c.sources.map((s) => ({ file: s.file, line: s.line, locale: s.locale })),
    'x-docs-contract-anchor': {
      path: c.errorUri.path,
      fragment: c.errorUri.fragment,
      heading: c.heading,
      verdicts: Object.fromEntries(Object.entries(c.anchors).map(([locale, a]) => [locale, a.status])),
    },
  };
}
