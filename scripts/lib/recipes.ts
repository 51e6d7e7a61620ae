/**
 * Endpoint profiles: each endpoint (method, path, how it answers errors) and, for each error it
 * documents, the request that triggers it and the fault that request has. The docs say in prose
 * how each error arises; this declarative file says it to the machine. Faults are named in the
 * file and described by a kind the mock understands, so a new endpoint or error needs no code.
 */
import { LineCounter, isMap, isScalar, parseDocument, visit, type Document } from 'yaml';
import { diagnostic, type Diagnostic } from './diagnostics.ts';
import { isRecord } from './util.ts';

/** Target settings a recipe may need, by placeholder name. */
export const SETTINGS = {
  client_id: 'clientId',
  client_secret: 'clientSecret',
  callback_url: 'callbackUrl',
  suspended_client_id: 'suspendedClientId',
} as const;

/** A placeholder name of a target setting. */
export type SettingName = keyof typeof SETTINGS;

/** A target setting: the app registered on the server under test. */
export type Setting = (typeof SETTINGS)[SettingName];

/** Placeholders that are not settings: `random` is a fresh value no server has issued. */
const GENERATED = new Set(['random']);

/** Values a server knows, which an `unknown-value` fault's field is compared with. */
export const KNOWN_VALUES = {
  /** The app's registered callback URL, or a URL GitHub's redirect rules allow for it. */
  'callback-url': 'a URL the registered callback URL allows',
  /** A live code the server issued to this app. */
  'issued-code': 'a live code the server issued',
} as const;

/**
 * What is wrong with a request, by kind; the mock checks each kind generically:
 * - `credential`: a request field must equal a setting of the app (a wrong client secret);
 * - `unknown-value`: a field's value is not one the server knows (a code never issued);
 * - `app-state`: the app is in a state (suspended), set on the mock, not in the request;
 * - `user-action`: the user does something (denies access), which a test asks for with a
 *   test-only switch: a request field with a given value.
 */
export type FaultSpec =
  | { name: string; kind: 'credential'; fields: Array<[string, SettingName]> }
  | { name: string; kind: 'unknown-value'; field: string; known: keyof typeof KNOWN_VALUES; optional: boolean }
  | { name: string; kind: 'app-state'; state: string }
  | { name: string; kind: 'user-action'; field: string; value: string };

/** The kinds of fault, as the profile file names them. */
export const FAULT_KINDS = ['credential', 'unknown-value', 'app-state', 'user-action'] as const;

/**
 * How an endpoint answers an error: `body` is a status and the error members in a body whose
 * format the `Accept` header negotiates (JSON, XML or form-urlencoded); `redirect` is a 302 to
 * the registered callback URL with the error members (and the request's `state`) in its query.
 */
export type AnswerForm = 'body' | 'redirect';

/** The request that triggers one documented error of one endpoint. Templates hold `{{placeholder}}`s. */
export interface Recipe {
  error: string;
  /** Line in the profiles file. */
  line: number;
  why: string;
  fault: FaultSpec;
  /** The endpoint's name in the profiles file. */
  endpoint: string;
  /** Pages whose examples document this endpoint's errors; empty: any page. */
  pages: string[];
  method: string;
  path: string;
  answer: AnswerForm;
  accept: string;
  status: number;
  /** Position of the error in its endpoint's list: the order a server checks the faults in. */
  rank: number;
  /** Request fields, in order; a value may use placeholders. */
  form: Array<[string, string]>;
  /** Settings without which the request cannot be made. */
  needs: Setting[];
  /** Settings used when given (`{{name?}}`); the field is left out otherwise. */
  uses: Setting[];
  /** What GitHub really answers with, where its users published it: the `error_uri`, and where it was seen. */
  github: GithubAnswer | null;
  /** Which `error_uri` a server must answer with: the documented one, GitHub's, or either. */
  expectErrorUri: ErrorUriExpectation;
}

/** A recorded answer of GitHub's: its `error_uri` as sent, and the public sources that show it. */
export interface GithubAnswer {
  errorUri: string;
  sources: string[];
}

/** Which `error_uri` the suite accepts for an error: as documented, as GitHub returns it, or either. */
export type ErrorUriExpectation = 'documented' | 'github' | 'either';

/** Parsed profiles and the problems found in the file. */
export interface RecipeSet {
  file: string;
  /** Recipes by error code; an error may be documented for several endpoints. */
  recipes: Map<string, Recipe[]>;
  diagnostics: Diagnostic[];
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)(\?)?\s*\}\}/g;

/** Parses the profiles file text. `file` is the name used in diagnostics. */
export function parseRecipes(text: string, file: string): RecipeSet {
  const diagnostics: Diagnostic[] = [];
  const recipes = new Map<string, Recipe[]>();
  // yaml's uniqueKeys compares each key with every earlier key of its mapping: quadratic in the
  // number of recipes. Parse without it; a file that does repeat a key is parsed again with it,
  // for yaml's own messages. The result is the same either way.
  let counter = new LineCounter();
  let doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  if (repeatsAKey(doc)) {
    counter = new LineCounter();
    doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  }
  const problem = (line: number, message: string) => diagnostics.push(diagnostic({ file, line, locale: '' }, 'error', 'recipe-invalid', message));

  if (doc.errors.length > 0) {
    for (const error of doc.errors) problem(counter.linePos(error.pos[0]).line, `profiles file does not parse: ${error.message.split('\n')[0]}. Fix the YAML.`);
    return { file, recipes, diagnostics };
  }
  const lineOf = (...keys: string[]): number => {
    const node = doc.getIn(keys.slice(0, -1), true);
    if (!isMap(node)) return 1;
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === keys[keys.length - 1]);
    const range = pair && isScalar(pair.key) ? pair.key.range : null;
    return range ? counter.linePos(range[0]).line : 1;
  };
  const root: unknown = doc.toJS();
  if (!isRecord(root) || !isRecord(root['endpoints']) || !isRecord(root['faults'])) {
    problem(1, 'a profiles file needs `faults:` (fault names and their kinds) and `endpoints:` (each with its `errors:`). See the README, "Endpoint profiles".');
    return { file, recipes, diagnostics };
  }
  const faults = new Map<string, FaultSpec>();
  for (const [name, spec] of Object.entries(root['faults'])) {
    const found = faultOf(name, spec);
    if (typeof found === 'string') problem(lineOf('faults', name), `fault \`${name}\`: ${found}.`);
    else faults.set(name, found);
  }

  for (const [endpoint, spec] of Object.entries(root['endpoints'])) {
    const at = lineOf('endpoints', endpoint);
    if (!isRecord(spec) || !isRecord(spec['errors'])) {
      problem(at, `endpoint \`${endpoint}\` must be a mapping with \`method\`, \`path\` and \`errors:\`.`);
      continue;
    }
    const text = (key: string, fallback: string) => (typeof spec[key] === 'string' ? (spec[key] as string) : fallback);
    const method = text('method', 'POST').toUpperCase();
    const path = text('path', '');
    const answer = text('answer', 'body');
    const status = spec['status'] ?? (answer === 'redirect' ? 302 : 200);
    const pages = typeof spec['pages'] === 'string' ? [spec['pages']] : Array.isArray(spec['pages']) ? spec['pages'] : [];
    const endpointProblem = !path.startsWith('/')
      ? '`path` must start with `/`'
      : answer !== 'body' && answer !== 'redirect'
        ? `\`answer\` must be \`body\` or \`redirect\`, not \`${answer}\``
        : typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599
          ? '`status` must be an HTTP status code'
          : !pages.every((p) => typeof p === 'string')
            ? '`pages` must list page paths'
            : null;
    if (endpointProblem) {
      problem(at, `endpoint \`${endpoint}\`: ${endpointProblem}.`);
      continue;
    }
    Object.entries(spec['errors']).forEach(([error, recipe], rank) => {
      const line = lineOf('endpoints', endpoint, 'errors', error);
      const bad = (message: string) => problem(line, `error \`${error}\` of endpoint \`${endpoint}\`: ${message}.`);
      if (!isRecord(recipe)) return bad('must be a mapping with `fault` and `form`');
      const fault = typeof recipe['fault'] === 'string' ? faults.get(recipe['fault']) : undefined;
      if (!fault) return bad(`\`fault\` must name one of the faults defined under \`faults:\` (${[...faults.keys()].map((f) => `\`${f}\``).join(', ')}), not \`${String(recipe['fault'])}\``);
      const form = recipe['form'];
      if (!isRecord(form) || !Object.values(form).every((v) => typeof v === 'string')) return bad('`form` must map field names to strings');
      const needs = new Set<Setting>();
      const uses = new Set<Setting>();
      for (const value of Object.values(form) as string[]) {
        for (const m of value.matchAll(PLACEHOLDER)) {
          const name = m[1] ?? '';
          if (name in SETTINGS) (m[2] ? uses : needs).add(SETTINGS[name as SettingName]);
          else if (!GENERATED.has(name)) return bad(`unknown placeholder \`{{${name}}}\`; use ${[...Object.keys(SETTINGS), ...GENERATED].map((k) => `\`{{${k}}}\``).join(', ')}`);
        }
      }
      for (const s of needs) uses.delete(s);
      const github = recipe['github'];
      if (github !== undefined && !(isRecord(github) && typeof github['error_uri'] === 'string' && Array.isArray(github['sources']) && github['sources'].length > 0 && github['sources'].every((u) => typeof u === 'string'))) {
        return bad('`github` must give the `error_uri` GitHub answers with and the `sources` (addresses) that show it');
      }
      const expectErrorUri = recipe['expect_error_uri'] ?? (github ? 'either' : 'documented');
      if (expectErrorUri !== 'documented' && expectErrorUri !== 'github' && expectErrorUri !== 'either') return bad('`expect_error_uri` must be `documented`, `github` or `either`');
      if (expectErrorUri !== 'documented' && !github) return bad(`\`expect_error_uri: ${expectErrorUri}\` needs a \`github:\` record of what GitHub answers`);
      const entry: Recipe = {
        error,
        line,
        why: typeof recipe['why'] === 'string' ? recipe['why'] : '',
        fault,
        endpoint,
        pages: pages as string[],
        method,
        path,
        answer: answer as AnswerForm,
        accept: text('accept', answer === 'redirect' ? '' : 'application/json'),
        status: status as number,
        rank,
        form: Object.entries(form as Record<string, string>),
        needs: [...needs].sort(),
        uses: [...uses].sort(),
        github: github ? { errorUri: github['error_uri'] as string, sources: github['sources'] as string[] } : null,
        expectErrorUri,
      };
      recipes.set(error, [...(recipes.get(error) ?? []), entry]);
      return undefined;
    });
  }
  return { file, recipes, diagnostics };
}

/** A fault's spec from the file, or what is wrong with it. */
function faultOf(name: string, spec: unknown): FaultSpec | string {
  if (!isRecord(spec)) return `must be a mapping with a \`kind\` (${FAULT_KINDS.map((k) => `\`${k}\``).join(', ')})`;
  const str = (key: string) => (typeof spec[key] === 'string' && spec[key] !== '' ? (spec[key] as string) : null);
  switch (spec['kind']) {
    case 'credential': {
      const fields = spec['fields'];
      if (!isRecord(fields) || Object.keys(fields).length === 0 || !Object.values(fields).every((s) => typeof s === 'string' && s in SETTINGS)) {
        return `\`fields\` must map request fields to the app settings they must equal (${Object.keys(SETTINGS).map((s) => `\`${s}\``).join(', ')})`;
      }
      return { name, kind: 'credential', fields: Object.entries(fields as Record<string, SettingName>) };
    }
    case 'unknown-value': {
      const field = str('field');
      const known = str('known');
      if (!field || !known || !(known in KNOWN_VALUES)) return `needs a \`field\` and what it is \`known\` as: ${Object.keys(KNOWN_VALUES).map((k) => `\`${k}\``).join(' or ')}`;
      return { name, kind: 'unknown-value', field, known: known as keyof typeof KNOWN_VALUES, optional: spec['optional'] === true };
    }
    case 'app-state': {
      const state = str('state');
      return state ? { name, kind: 'app-state', state } : 'needs the `state` the app is in (e.g. `suspended`)';
    }
    case 'user-action': {
      const field = str('field');
      const value = str('value');
      return field && value ? { name, kind: 'user-action', field, value } : 'needs the request `field` and `value` that stand for the user doing it';
    }
    default:
      return `\`kind\` must be one of ${FAULT_KINDS.map((k) => `\`${k}\``).join(', ')}, not \`${String(spec['kind'])}\``;
  }
}

/** The recipes of an error documented on `page`: those of endpoints that take that page (or any page). */
export function recipesFor(set: RecipeSet, page: string, error: string): Recipe[] {
  return (set.recipes.get(error) ?? []).filter((r) => r.pages.length === 0 || r.pages.includes(page));
}

/** Values for the placeholders; a missing setting leaves optional fields out. */
export type Fill = Partial<Record<Setting, string>> & { random: () => string };

/** The form of a recipe with placeholders filled; fields whose optional setting is missing are left out. */
export function fillForm(form: ReadonlyArray<readonly [string, string]>, fill: Fill): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, template] of form) {
    let skip = false;
    const value = template.replace(PLACEHOLDER, (_, key: string, optional: string | undefined) => {
      if (key === 'random') return fill.random();
      const setting = SETTINGS[key as SettingName];
      const given = fill[setting];
      if (given === undefined) {
        if (optional) skip = true;
        return '';
      }
      return given;
    });
    if (!skip) out.push([name, value]);
  }
  return out;
}

/** Whether a mapping of the document has a key twice, as yaml's uniqueKeys compares them (or more often). */
function repeatsAKey(doc: Document): boolean {
  let found = false;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        const id = isScalar(key) ? key.value : key;
        if (seen.has(id)) {
          found = true;
          return visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
  });
  return found;
}
