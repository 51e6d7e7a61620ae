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
  device_flow_disabled_client_id: 'deviceFlowDisabledClientId',
} as const;

/** A placeholder name of a target setting. */
export type SettingName = keyof typeof SETTINGS;

/** A target setting: the app registered on the server under test. */
export type Setting = (typeof SETTINGS)[SettingName];

/** Placeholders that are not settings: `random` is a fresh value no server has issued. */
const GENERATED = new Set(['random']);

/** The grant the device flow polls with. */
export const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/** Values a server knows, which an `unknown-value` fault's field is compared with. */
export const KNOWN_VALUES = {
  /** The app's registered callback URL, or a URL GitHub's redirect rules allow for it. */
  'callback-url': 'a URL the registered callback URL allows',
  /** A live code the server issued to this app. */
  'issued-code': 'a live code the server issued',
  /** A live device code the server issued to this app, not yet exchanged. */
  'issued-device-code': 'a live device code the server issued',
  /** A grant type the endpoint takes for requests like this one (the device flow's, for a `device_code`). */
  'grant-type': 'a grant type the endpoint takes',
} as const;

/**
 * States of a grant (a device code) a server tracks, which a request meets by naming it:
 * `pending` (the user has not answered), `polled-too-fast` (asked again within the interval),
 * `expired`, `denied` (the user refused).
 */
export const GRANT_STATES = ['pending', 'polled-too-fast', 'expired', 'denied'] as const;

/** A state of a grant, as {@link GRANT_STATES} lists them. */
export type GrantState = (typeof GRANT_STATES)[number];

/**
 * What the suite does before the request of a case, to put the grant in its state:
 * `repeat` sends the same request once first; `hook` calls a test-only endpoint of the server.
 */
export type PrepareStep = { kind: 'repeat' } | { kind: 'hook'; name: string; method: string; path: string; form: Array<[string, string]> };

/** The request that obtains values a server issues (a device code), which other requests name by placeholder. */
export interface IssueStep {
  endpoint: string;
  method: string;
  path: string;
  form: Array<[string, string]>;
  /** Members of the answer the placeholders take (`device_code`, `user_code`, `interval`). */
  values: string[];
}

/** A member a documented error's answer carries besides the documented ones (`interval` of `slow_down`). */
export interface MemberSpec {
  type: 'integer' | 'string';
  /** The issued value (of the issue step's answer) it must be larger than. */
  moreThan?: string;
}

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
  | { name: string; kind: 'user-action'; field: string; value: string }
  | { name: string; kind: 'grant-state'; field: string; state: GrantState; prepare: PrepareStep[]; /** Steps after which the same request succeeds instead (the user approves). */ succeedsAfter: PrepareStep[] };

/** The kinds of fault, as the profile file names them. */
export const FAULT_KINDS = ['credential', 'unknown-value', 'app-state', 'user-action', 'grant-state'] as const;

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
  /** Requests that carry this field go to this endpoint rather than to another one of the same method and path. */
  selectedBy: string | null;
  /** The request that obtains the issued values the form names, or null when it names none. */
  issue: IssueStep | null;
  /** Members the answer carries besides the documented ones, by name. */
  members: Record<string, MemberSpec>;
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
  const formOf = (value: unknown): Array<[string, string]> | null =>
    isRecord(value) && Object.values(value).every((v) => typeof v === 'string') ? Object.entries(value as Record<string, string>) : null;
  // Test-only endpoints a server may offer, which faults name in their `prepare` steps.
  const hooks = new Map<string, { method: string; path: string; form: Array<[string, string]> }>();
  for (const [name, spec] of Object.entries(isRecord(root['hooks']) ? root['hooks'] : {})) {
    const form = isRecord(spec) ? formOf(spec['form'] ?? {}) : null;
    if (!isRecord(spec) || typeof spec['path'] !== 'string' || !spec['path'].startsWith('/') || !form) {
      problem(lineOf('hooks', name), `hook \`${name}\` needs a \`path\` starting with \`/\` (and may have a \`method\` and a \`form\` of strings).`);
      continue;
    }
    hooks.set(name, { method: typeof spec['method'] === 'string' ? spec['method'].toUpperCase() : 'POST', path: spec['path'], form });
  }
  // What endpoints issue (a device code), by the placeholder names other requests use for it.
  const issued = new Map<string, IssueStep>();
  for (const [endpoint, spec] of Object.entries(root['endpoints'])) {
    if (!isRecord(spec) || spec['issues'] === undefined) continue;
    const issues = spec['issues'];
    const form = isRecord(issues) ? formOf(issues['form']) : null;
    const values = isRecord(issues) && Array.isArray(issues['values']) && issues['values'].every((v) => typeof v === 'string' && /^[a-z_]+$/.test(v)) ? (issues['values'] as string[]) : null;
    if (!form || !values || values.length === 0 || typeof spec['path'] !== 'string') {
      problem(lineOf('endpoints', endpoint, 'issues'), `endpoint \`${endpoint}\`: \`issues\` needs the \`form\` of the request that obtains them and the \`values\` (member names) of its answer that other requests use.`);
      continue;
    }
    const step: IssueStep = { endpoint, method: typeof spec['method'] === 'string' ? spec['method'].toUpperCase() : 'POST', path: spec['path'], form, values };
    for (const value of values) issued.set(value, step);
  }
  const faults = new Map<string, FaultSpec>();
  for (const [name, spec] of Object.entries(root['faults'])) {
    const found = faultOf(name, spec, hooks);
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
      let issue: IssueStep | null = null;
      // The issue step's own form and the hooks' forms need settings too.
      const prepare = fault.kind === 'grant-state' ? [...fault.prepare, ...fault.succeedsAfter] : [];
      const templates = [...Object.values(form), ...prepare.flatMap((step) => (step.kind === 'hook' ? step.form.map(([, v]) => v) : []))] as string[];
      for (let i = 0; i < templates.length; i++) {
        for (const m of (templates[i] ?? '').matchAll(PLACEHOLDER)) {
          const name = m[1] ?? '';
          const from = issued.get(name);
          if (name in SETTINGS) (m[2] ? uses : needs).add(SETTINGS[name as SettingName]);
          else if (from) {
            if (issue && issue !== from) return bad(`\`{{${name}}}\` is issued by \`${from.endpoint}\`, another endpoint than the other issued values of this request`);
            if (!issue) templates.push(...from.form.map(([, v]) => v));
            issue = from;
          } else if (!GENERATED.has(name)) return bad(`unknown placeholder \`{{${name}}}\`; use ${[...Object.keys(SETTINGS), ...GENERATED, ...issued.keys()].map((k) => `\`{{${k}}}\``).join(', ')}`);
        }
      }
      for (const s of needs) uses.delete(s);
      const ownStatus = recipe['status'] ?? status;
      if (typeof ownStatus !== 'number' || !Number.isInteger(ownStatus) || ownStatus < 100 || ownStatus > 599) return bad('`status` must be an HTTP status code');
      const members: Record<string, MemberSpec> = {};
      for (const [name, spec] of Object.entries(isRecord(recipe['members']) ? recipe['members'] : {})) {
        const type = isRecord(spec) ? spec['type'] : undefined;
        const moreThan = isRecord(spec) ? spec['more_than'] : undefined;
        if ((type !== 'integer' && type !== 'string') || (moreThan !== undefined && (typeof moreThan !== 'string' || !issue?.values.includes(moreThan)))) {
          return bad(`member \`${name}\` needs a \`type\` (\`integer\` or \`string\`), and \`more_than\` may name a value the request's issue step obtains`);
        }
        members[name] = { type, ...(typeof moreThan === 'string' ? { moreThan } : {}) };
      }
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
        status: ownStatus,
        rank,
        form: Object.entries(form as Record<string, string>),
        needs: [...needs].sort(),
        uses: [...uses].sort(),
        github: github ? { errorUri: github['error_uri'] as string, sources: github['sources'] as string[] } : null,
        expectErrorUri,
        selectedBy: typeof spec['selected_by'] === 'string' ? spec['selected_by'] : null,
        issue,
        members,
      };
      recipes.set(error, [...(recipes.get(error) ?? []), entry]);
      return undefined;
    });
  }
  return { file, recipes, diagnostics };
}

/** A fault's spec from the file, or what is wrong with it. */
function faultOf(name: string, spec: unknown, hooks: ReadonlyMap<string, { method: string; path: string; form: Array<[string, string]> }>): FaultSpec | string {
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
    case 'grant-state': {
      const field = str('field');
      const state = str('state');
      if (!field || !state || !(GRANT_STATES as readonly string[]).includes(state)) return `needs the \`field\` naming the grant and its \`state\`: ${GRANT_STATES.map((k) => `\`${k}\``).join(', ')}`;
      const steps = (key: string): PrepareStep[] | string => {
        const out: PrepareStep[] = [];
        for (const step of Array.isArray(spec[key]) ? spec[key] : spec[key] === undefined ? [] : [null]) {
          const hook = isRecord(step) && typeof step['hook'] === 'string' ? hooks.get(step['hook']) : undefined;
          if (step === 'repeat') out.push({ kind: 'repeat' });
          else if (hook && isRecord(step)) out.push({ kind: 'hook', name: String(step['hook']), ...hook });
          else return `\`${key}\` lists steps: \`repeat\`, or \`hook: <name>\` naming one of the \`hooks:\` (${[...hooks.keys()].map((h) => `\`${h}\``).join(', ') || 'none defined'})`;
        }
        return out;
      };
      const prepare = steps('prepare');
      const succeedsAfter = steps('succeeds_after');
      if (typeof prepare === 'string') return prepare;
      if (typeof succeedsAfter === 'string') return succeedsAfter;
      return { name, kind: 'grant-state', field, state: state as GrantState, prepare, succeedsAfter };
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
export type Fill = Partial<Record<Setting, string>> & { random: () => string; /** Values an endpoint issued (`device_code`), by name. */ issued?: Readonly<Record<string, string>> };

/** The form of a recipe with placeholders filled; fields whose optional setting is missing are left out. */
export function fillForm(form: ReadonlyArray<readonly [string, string]>, fill: Fill): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, template] of form) {
    let skip = false;
    const value = template.replace(PLACEHOLDER, (_, key: string, optional: string | undefined) => {
      if (key === 'random') return fill.random();
      const issued = fill.issued?.[key];
      if (issued !== undefined) return issued;
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
