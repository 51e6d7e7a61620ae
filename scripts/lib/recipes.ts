/**
 * Request recipes: how to make a server answer each documented error.
 * The docs say it in prose; this small declarative file says it to the machine.
 */
import { LineCounter, isMap, isScalar, parseDocument, visit, type Document } from 'yaml';
import { diagnostic, type Diagnostic } from './diagnostics.ts';
import { isRecord } from './util.ts';

/** Target settings a recipe may need, by placeholder name. */
export const SETTINGS = {
  client_id: 'clientId',
  client_secret: 'clientSecret',
  callback_url: 'callbackUrl',
} as const;

/** A target setting: the app registered on the server under test. */
export type Setting = (typeof SETTINGS)[keyof typeof SETTINGS];

/** Placeholders that are not settings: `random` is a fresh value no server has issued. */
const GENERATED = new Set(['random']);

/**
 * What is wrong with a recipe's request, in OAuth terms. The mock checks these in this
 * order and answers with the error whose recipe names the first that fails.
 */
export const FAULTS = ['client-credentials', 'redirect-uri', 'code'] as const;

/** One of FAULTS. */
export type Fault = (typeof FAULTS)[number];

/** The request that triggers one documented error. Templates hold `{{placeholder}}`s. */
export interface Recipe {
  error: string;
  /** Line in the recipes file. */
  line: number;
  why: string;
  fault: Fault;
  method: string;
  path: string;
  accept: string;
  status: number;
  /** Form fields, in order; a value may use placeholders. */
  form: Array<[string, string]>;
  /** Settings without which the request cannot be made. */
  needs: Setting[];
  /** Settings used when given (`{{name?}}`); the field is left out otherwise. */
  uses: Setting[];
}

/** Parsed recipes and the problems found in the file. */
export interface RecipeSet {
  file: string;
  recipes: Map<string, Recipe>;
  diagnostics: Diagnostic[];
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)(\?)?\s*\}\}/g;

/** Parses the recipes file text. `file` is the name used in diagnostics. */
export function parseRecipes(text: string, file: string): RecipeSet {
  const diagnostics: Diagnostic[] = [];
  const recipes = new Map<string, Recipe>();
  // yaml's uniqueKeys compares each key with every earlier key of its mapping: quadratic in the
  // number of recipes. Parse without it; a file that does repeat a key is parsed again with it,
  // for yaml's own messages. The result is the same either way.
  let counter = new LineCounter();
  let doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  if (repeatsAKey(doc)) {
    counter = new LineCounter();
    doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  }
  const lineOf = (range: readonly number[] | null | undefined) => (range ? counter.linePos(range[0] ?? 0).line : 1);
  const problem = (line: number, message: string) =>
    diagnostics.push(diagnostic({ file, line, locale: '' }, 'error', 'recipe-invalid', message));

  if (doc.errors.length > 0) {
    for (const error of doc.errors) problem(counter.linePos(error.pos[0]).line, `recipes file does not parse: ${error.message.split('\n')[0]}. Fix the YAML.`);
    return { file, recipes, diagnostics };
  }
  const root: unknown = doc.toJS();
  if (!isRecord(root) || !isRecord(root['errors'])) {
    problem(1, 'recipes file needs an `errors:` mapping from error code to request. See the README, "Request recipes".');
    return { file, recipes, diagnostics };
  }
  const endpoint = isRecord(root['endpoint']) ? root['endpoint'] : {};
  const errorsNode = isMap(doc.contents) ? doc.contents.get('errors', true) : undefined;
  const lines = new Map<string, number>();
  if (isMap(errorsNode)) {
    for (const item of errorsNode.items) if (isScalar(item.key)) lines.set(String(item.key.value), lineOf(item.key.range));
  }

  for (const [error, spec] of Object.entries(root['errors'])) {
    const line = lines.get(error) ?? 1;
    if (!isRecord(spec)) {
      problem(line, `recipe \`${error}\` must be a mapping with \`fault\` and \`form\`.`);
      continue;
    }
    const merged: Record<string, unknown> = { ...endpoint, ...spec };
    const fault = merged['fault'];
    if (typeof fault !== 'string' || !(FAULTS as readonly string[]).includes(fault)) {
      problem(line, `recipe \`${error}\`: \`fault\` must be one of ${FAULTS.map((f) => `\`${f}\``).join(', ')}, not \`${String(fault)}\`.`);
      continue;
    }
    const form = merged['form'];
    if (!isRecord(form) || !Object.values(form).every((v) => typeof v === 'string')) {
      problem(line, `recipe \`${error}\`: \`form\` must map field names to strings.`);
      continue;
    }
    const needs = new Set<Setting>();
    const uses = new Set<Setting>();
    let bad = false;
    for (const value of Object.values(form) as string[]) {
      for (const m of value.matchAll(PLACEHOLDER)) {
        const name = m[1] ?? '';
        if (name in SETTINGS) (m[2] ? uses : needs).add(SETTINGS[name as keyof typeof SETTINGS]);
        else if (!GENERATED.has(name)) {
          problem(line, `recipe \`${error}\`: unknown placeholder \`{{${name}}}\`; use ${[...Object.keys(SETTINGS), ...GENERATED].map((k) => `\`{{${k}}}\``).join(', ')}.`);
          bad = true;
        }
      }
    }
    const status = merged['status'] ?? 200;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
      problem(line, `recipe \`${error}\`: \`status\` must be an HTTP status code.`);
      continue;
    }
    const text = (key: string, fallback: string) => (typeof merged[key] === 'string' ? (merged[key] as string) : fallback);
    const method = text('method', 'POST').toUpperCase();
    const path = text('path', '');
    if (!path.startsWith('/')) {
      problem(line, `recipe \`${error}\`: \`path\` must start with \`/\` (set it under \`endpoint:\` or in the recipe).`);
      continue;
    }
    if (bad) continue;
    for (const s of needs) uses.delete(s);
    recipes.set(error, {
      error,
      line,
      why: text('why', ''),
      fault: fault as Fault,
      method,
      path,
      accept: text('accept', 'application/json'),
      status,
      form: Object.entries(form as Record<string, string>),
      needs: [...needs].sort(),
      uses: [...uses].sort(),
    });
  }
  return { file, recipes, diagnostics };
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
      const setting = SETTINGS[key as keyof typeof SETTINGS];
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
