/**
 * Build stage: contract + recipes → the generated files (JSON Schemas, their index, the cases),
 * as a map from repository-relative path to exact file text. Pure; the writer puts them on disk.
 */
import type { AnchorCheck, Contract, DocumentedResponse, Provenance } from './contract.ts';
import { diagnostic, where, type Diagnostic } from './diagnostics.ts';
import { normalizeDocsPath } from './error-uri.ts';
import { recipesFor, type AnswerForm, type ErrorUriExpectation, type FaultSpec, type GithubAnswer, type IssueStep, type MemberSpec, type PrepareStep, type Recipe, type RecipeSet, type Setting } from './recipes.ts';
import { stableJson } from './stable-json.ts';
import { CASES_FILE, escapeRegExp } from './util.ts';

/** Base of every schema `$id`. `.invalid` is a reserved name: ids are names, not addresses. */
export const SCHEMA_BASE = 'https://docs-contract.invalid/';


/** Where the schema index is written, relative to the repository. */
export const INDEX_FILE = 'schemas/index.json';

/** The request of a case, with `{{placeholders}}` still in it, and how its endpoint answers. */
export interface CaseRequest {
  /** The endpoint's name in the profiles file. */
  endpoint: string;
  method: string;
  path: string;
  accept: string;
  /** Form fields in order (the query of a GET); values are templates. */
  form: Array<[string, string]>;
  /** How the endpoint answers an error: a negotiated body, or a redirect to the callback. */
  answer: AnswerForm;
  /** Status the documented service answers this error with. */
  status: number;
  fault: FaultSpec;
  /** Position of the error among its endpoint's: the order a server checks the faults in. */
  rank: number;
  why: string;
  /** What GitHub really answers with (from the profiles), or null when nobody published it. */
  github: GithubAnswer | null;
  /** Which `error_uri` a server must answer with: the documented one, GitHub's, or either. */
  expectErrorUri: ErrorUriExpectation;
  /** Requests that carry this field go to this endpoint (the device flow's polls carry `device_code`). */
  selectedBy: string | null;
  /** The request that obtains the issued values the form names (a device code), sent first; null when none. */
  issue: IssueStep | null;
  /** What is done between the issue step and the request, to put the grant in the fault's state. */
  prepare: PrepareStep[];
  /** Steps after which the same request succeeds, once (the user approves); empty when none is known. */
  succeedsAfter: PrepareStep[];
  /** Members the answer carries besides the documented ones (`interval` of `slow_down`). */
  members: Record<string, MemberSpec>;
}

/** One documented response, ready to be tested. What tests/fixtures/cases.json holds. */
export interface Case {
  id: string;
  page: string;
  error: string;
  /** Heading of the documenting section. */
  heading: string;
  /** A table row's description: prose the docs give for the error, which a server's `error_description` need not repeat. */
  description?: string;
  locales: string[];
  sources: Provenance[];
  schema: { $id: string; file: string };
  expected: Record<string, unknown>;
  errorUri: {
    path: string;
    fragment: string;
    /** Page the path points at, when it is in the docs tree. */
    targetPage: string | null;
    /** Permalinks of that page; empty when it is not in the tree. */
    permalinks: string[];
  };
  /** Per locale: how the documented fragment resolves by the model. */
  anchors: Record<string, Omit<AnchorCheck, 'locale'>>;
  /**
   * How the docs write the answer: a ```json body, a redirect URL with the members in its query, or
   * a row of an error-code table (only `error` is a value; its description is prose); and the request members it echoes.
   */
  documented: { form: 'json' | 'redirect' | 'table'; echoes: string[] };
  request: CaseRequest;
  /** Settings the request cannot be made without. */
  needs: Setting[];
  /** Settings used when given. */
  uses: Setting[];
}

/**
 * The body a server answers a case with, as the docs give it: the example's members; for a table
 * row, which gives only the `error`, its description as `error_description` and the table's
 * heading as `error_uri`, as GitHub answers. (The mock and the OpenAPI export send this.)
 */
export function documentedBody(c: Pick<Case, 'documented' | 'expected' | 'description' | 'errorUri'>): Record<string, unknown> {
  if (c.documented.form !== 'table') return c.expected;
  return { error: c.expected['error'], error_description: c.description ?? '', error_uri: `${c.errorUri.path}#${c.errorUri.fragment}` };
}

/** The content of tests/fixtures/cases.json. */
export interface CasesFile {
  $comment: string;
  sourceLocale: string | null;
  locales: string[];
  cases: Case[];
}

/** Generated files by path, and the diagnostics of joining recipes to the docs. */
export interface BuildResult {
  files: Map<string, string>;
  cases: Case[];
  diagnostics: Diagnostic[];
}

/** The marker every generated file carries in its `$comment`: the writer removes and drift compares only files that have it. */
export const MARK = 'Generated by `npm run generate` from the docs; do not edit. Change the docs (or tests/profiles.yaml) and run `npm run generate`.';

/** Builds every generated file from the contract and the recipes: a schema per documented response, the schema index, the cases. */
export function buildOutputs(contract: Contract, recipes: RecipeSet): BuildResult {
  const files = new Map<string, string>();
  const cases: Case[] = [];
  const index: Array<Record<string, unknown>> = [];
  // The first page (in contract order) that has each normalized permalink: what a search of the pages finds.
  const pageByPermalink = new Map<string, Contract['pages'][number]>();
  for (const page of contract.pages) {
    for (const link of page.permalinks) {
      const key = normalizeDocsPath(link);
      if (!pageByPermalink.has(key)) pageByPermalink.set(key, page);
    }
  }
  for (const response of contract.responses) {
    const schemaFile = schemaPath(response);
    const $id = `${SCHEMA_BASE}${schemaFile}`;
    const found = recipesFor(recipes, response.page, response.error);
    const recipe = found.length === 1 ? found[0] : undefined;
    const target = response.errorUri ? pageByPermalink.get(normalizeDocsPath(response.errorUri.path)) : undefined;
    files.set(schemaFile, stableJson(schemaOf(response, $id, target?.permalinks ?? [], recipe?.members ?? {})));
    index.push({ $id, file: schemaFile, page: response.page, error: response.error, locales: response.provenance.map((p) => p.locale) });
    if (!recipe) continue; // reported by checkRecipes
    cases.push({
      id: `${response.page}#${response.error}`,
      page: response.page,
      error: response.error,
      heading: response.heading,
      ...(response.form === 'table' ? { description: response.description } : {}),
      locales: response.provenance.map((p) => p.locale),
      sources: response.provenance,
      schema: { $id, file: schemaFile },
      expected: response.body,
      errorUri: {
        path: response.errorUri?.path ?? '',
        fragment: response.errorUri?.fragment ?? '',
        targetPage: target?.page ?? null,
        permalinks: target?.permalinks ?? [],
      },
      anchors: Object.fromEntries(response.anchors.map(({ locale, ...rest }) => [locale, rest])),
      documented: { form: response.form, echoes: response.echoes },
      request: {
        endpoint: recipe.endpoint,
        method: recipe.method,
        path: recipe.path,
        accept: recipe.accept,
        form: recipe.form,
        answer: recipe.answer,
        status: recipe.status,
        fault: recipe.fault,
        rank: recipe.rank,
        why: recipe.why,
        github: recipe.github,
        expectErrorUri: recipe.expectErrorUri,
        selectedBy: recipe.selectedBy,
        issue: recipe.issue,
        prepare: recipe.fault.kind === 'grant-state' ? recipe.fault.prepare : [],
        succeedsAfter: recipe.fault.kind === 'grant-state' ? recipe.fault.succeedsAfter : [],
        members: recipe.members,
      },
      needs: recipe.needs,
      uses: recipe.uses,
    });
  }
  files.set(INDEX_FILE, stableJson({ $comment: MARK, schemas: index }));
  const casesFile: CasesFile = { $comment: MARK, sourceLocale: contract.sourceLocale, locales: contract.locales, cases };
  files.set(CASES_FILE, stableJson(casesFile));
  return { files, cases, diagnostics: checkRecipes(contract, recipes) };
}

/**
 * The diagnostics of joining the profiles to the contract: a documented error of no endpoint (an
 * error: no test could trigger it), of two endpoints (an error in the profiles), and an endpoint's
 * error that nothing documents (a warning).
 */
export function checkRecipes(contract: Contract, recipes: RecipeSet): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const documented = new Set<Recipe>();
  for (const response of contract.responses) {
    const first = response.provenance[0];
    const found = recipesFor(recipes, response.page, response.error);
    for (const recipe of found) documented.add(recipe);
    if (!first) continue;
    if (found.length === 0) {
      diagnostics.push(
        diagnostic(first, 'error', 'recipe-missing', `\`${response.error}\` is documented here but no endpoint of ${recipes.file} has it, so no test can trigger it; add \`${response.error}:\` under the \`errors:\` of the endpoint whose \`pages\` include \`${response.page}\`.`),
      );
    } else if (found.length > 1) {
      const [, second] = found as [Recipe, Recipe];
      diagnostics.push(
        diagnostic({ file: recipes.file, line: second.line, locale: '' }, 'error', 'recipe-invalid', `error \`${response.error}\` of \`${response.page}\` (${where(first)}) is an error of ${found.map((r) => `\`${r.endpoint}\``).join(' and ')}; list that page under the \`pages\` of one of them only.`),
      );
    }
  }
  for (const list of recipes.recipes.values()) {
    for (const recipe of list) {
      if (documented.has(recipe)) continue;
      diagnostics.push(
        diagnostic({ file: recipes.file, line: recipe.line, locale: '' }, 'warning', 'recipe-unused', `error \`${recipe.error}\` of endpoint \`${recipe.endpoint}\` matches no documented error${recipe.pages.length > 0 ? ' on its pages' : ''}; remove it, or document the error in the docs.`),
      );
    }
  }
  return diagnostics;
}

/** Repository-relative path of a response's schema: a different file for every page and error. */
export function schemaPath(response: Pick<DocumentedResponse, 'page' | 'error'>): string {
  // Letters, digits, `_`, `.` and `-` stay; any other UTF-16 unit becomes `~` and 4 hex digits,
  // so that `a b` (`a~0020b`) and `a_b` cannot share a file.
  const unit = (c: string, i: number) => `~${c.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
  const safe = (s: string) => s.replace(/[^\p{L}\p{N}_.-]/gu, (c) => (c.length === 2 ? unit(c, 0) + unit(c, 1) : unit(c, 0)));
  const page = response.page.split('/').filter(Boolean).map(safe).join('/') || 'index';
  return `schemas/${page}/${safe(response.error)}.schema.json`;
}

const VERSION_OR_LANGUAGE =
  '(?:/[a-z]{2}(?:-[a-z]{2,4})?)?(?:/(?:free-pro-team|enterprise-server|enterprise-cloud|github-ae|enterprise)@[^/?#]+)?';

/**
 * The JSON Schema (draft 2020-12) of one documented response. `permalinks` are the target page's,
 * which a table row's `error_uri` may use (the docs write no path for it); `members` are the
 * profile's additions (`interval` of `slow_down`).
 */
function schemaOf(response: DocumentedResponse, $id: string, permalinks: readonly string[], members: Readonly<Record<string, MemberSpec>>): Record<string, unknown> {
  if (response.form === 'table') return tableSchemaOf(response, $id, permalinks, members);
  const properties: Record<string, unknown> = {};
  // Ajv ignores a `__proto__` key under `properties`; a pattern still checks a documented one's value.
  const patternProperties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(response.body)) {
    if (key === 'error_uri' && response.errorUri && typeof value === 'string') {
      // The value exactly as documented must pass: its percent-encoding, query and scheme case, besides the decoded form.
      const written = writtenParts(value);
      const origin = written.origin && !/^https?:\/\//.test(written.origin) ? `(?:https?://[^/?#]+|${escapeRegExp(written.origin)})?` : '(?:https?://[^/?#]+)?';
      const path = anyOf([response.errorUri.path, written.path].map((p) => p.replace(/\/+$/, '')));
      properties[key] = {
        type: 'string',
        format: 'uri-reference',
        pattern: `^${origin}${VERSION_OR_LANGUAGE}${path}/?#${anyOf([response.errorUri.fragment, written.fragment])}$`,
        description: `The documented path \`${response.errorUri.path}\` (trailing slash, language and version segments tolerated) and fragment \`#${response.errorUri.fragment}\`, relative or absolute.`,
      };
    } else if (key === '__proto__') {
      patternProperties['^__proto__$'] = { type: jsonType(value), const: value };
    } else {
      properties[key] = { type: jsonType(value), const: value };
    }
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id,
    $comment: `${MARK} Sources: ${response.provenance.map((p) => where(p)).join(', ')}.`,
    title: response.heading ? `${response.error}: ${response.heading}` : response.error,
    description: response.description,
    type: 'object',
    required: Object.keys(response.body).sort(),
    properties,
    ...(Object.keys(patternProperties).length > 0 ? { patternProperties } : {}),
    additionalProperties: false,
    examples: [response.body],
  };
}

/**
 * A table row promises less than an example: the `error` value exactly; `error_description` a
 * string (the row's description is prose, not the text a server sends); `error_uri` a string
 * leading to the table's heading, on any permalink of its page; and the profile's members.
 */
function tableSchemaOf(response: DocumentedResponse, $id: string, permalinks: readonly string[], members: Readonly<Record<string, MemberSpec>>): Record<string, unknown> {
  const paths = (permalinks.length > 0 ? permalinks : [response.errorUri?.path ?? '']).map((p) => p.replace(/\/+$/, ''));
  const properties: Record<string, unknown> = {
    error: { type: 'string', const: response.error },
    error_description: { type: 'string', description: `Prose the docs give for it: ${JSON.stringify(response.description)}` },
    error_uri: response.errorUri
      ? {
          type: 'string',
          format: 'uri-reference',
          pattern: `^(?:https?://[^/?#]+)?${VERSION_OR_LANGUAGE}${anyOf(paths)}/?#${escapeRegExp(response.errorUri.fragment)}$`,
          description: `Any permalink of the page (trailing slash, language and version segments tolerated) and the table's heading \`#${response.errorUri.fragment}\`, relative or absolute.`,
        }
      : { type: 'string' },
  };
  for (const [name, spec] of Object.entries(members)) {
    properties[name] = { type: spec.type, ...(spec.moreThan ? { description: `More than the \`${spec.moreThan}\` the server issued (tests/profiles.yaml).` } : {}) };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id,
    $comment: `${MARK} Sources: ${response.provenance.map((p) => where(p)).join(', ')}.`,
    title: response.heading ? `${response.error}: ${response.heading}` : response.error,
    description: response.description,
    type: 'object',
    required: Object.keys(properties).sort(),
    properties,
    additionalProperties: false,
  };
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** An `error_uri` split as written, nothing decoded: origin (or ''), path with any query, fragment. */
function writtenParts(value: string): { origin: string; path: string; fragment: string } {
  const origin = /^https?:\/\/[^/?#]*/i.exec(value)?.[0] ?? '';
  const rest = value.slice(origin.length);
  const hash = rest.indexOf('#');
  return { origin, path: hash === -1 ? rest : rest.slice(0, hash), fragment: hash === -1 ? '' : rest.slice(hash + 1) };
}

/** A regular expression matching any of the strings literally. */
function anyOf(strings: string[]): string {
  const unique = [...new Set(strings.map(escapeRegExp))];
  return unique.length === 1 ? (unique[0] ?? '') : `(?:${unique.join('|')})`;
}
