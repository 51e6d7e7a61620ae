/** `npm run drift`: regenerates in memory and compares with the committed schemas/ and tests/fixtures/. */
import path from 'node:path';
import { blockingBuildErrors } from '../lib/baseline.ts';
import { flags, shownFrom } from '../lib/cli.ts';
import { parsePage } from '../lib/parse.ts';
import { loadAndBuild } from '../lib/pipeline.ts';
import { compare, diagnostic, formatText } from '../lib/diagnostics.ts';
import { canonicalJson } from '../lib/stable-json.ts';
import { isRecord, UsageError } from '../lib/util.ts';
import { listGenerated, readOrNull } from '../lib/write.ts';
import { sarifText } from './sarif-output.ts';
import { COMMAND_LINES } from './commands.ts';

/** How the command is called. */
export const { usage: USAGE, options: OPTIONS } = COMMAND_LINES.drift;

/** Runs drift; returns the exit code (0 up to date, 1 stale or docs with errors). */
export function run(args: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  const values = flags(args, OPTIONS, USAGE);
  if (values.format !== 'text' && values.format !== 'sarif') throw new UsageError(`--format must be text or sarif, not \`${values.format}\`\nusage: ${USAGE}`);
  const sarif = values.format === 'sarif';
  const { build } = loadAndBuild('drift', values, err, parsePage);
  // Errors the baseline accepts do not stop generate, so they do not stop the comparison either.
  const errors = blockingBuildErrors(values, build.diagnostics);
  if (errors.length > 0) {
    const why = `drift: the docs or recipes have ${errors.length} error${errors.length === 1 ? '' : 's'}, so nothing can be generated to compare with; fix them (\`npm run validate\` lists every problem), then run \`npm run generate\`.`;
    if (sarif) {
      // Recipe findings name the recipes file; docs findings a file under the docs root.
      out(sarifText(errors, 'drift', (file) => (file === path.relative(process.cwd(), values.recipes) ? path.resolve(file) : path.resolve(values.docs, file))).trimEnd());
      err(why);
    } else {
      out(formatText(errors, shownFrom(values.docs, [path.relative(process.cwd(), values.recipes)])));
      out(why);
    }
    return 1;
  }
  const stale = staleFiles(values.out, build.files);
  const n = stale.length;
  const summary =
    n === 0
      ? `drift: the ${build.files.size} generated files in schemas/ and tests/fixtures/ match the docs.`
      : `drift: ${n} generated file${n === 1 ? '' : 's'} differ${n === 1 ? 's' : ''} from what the docs produce now. Run \`npm run generate\` to update ${n === 1 ? 'it' : 'them'}, and commit the result.`;
  if (sarif) {
    const list = stale.map((s) => diagnostic({ file: s.file, line: s.line, locale: '' }, 'error', 'generated-stale', `${describe(s).replace(/\n {2}/g, '\n')}\nRun \`npm run generate\` and commit the result.`));
    out(sarifText(list, 'drift', (file) => path.resolve(values.out, file)).trimEnd());
    err(summary);
    return n === 0 ? 0 : 1;
  }
  if (n === 0) {
    out(summary);
    return 0;
  }
  out(`drift: ${n} generated file${n === 1 ? '' : 's'} differ${n === 1 ? 's' : ''} from what the docs produce now:`);
  for (const s of stale) out(describe(s));
  out(`Run \`npm run generate\` to update ${n === 1 ? 'it' : 'them'}, and commit the result.`);
  return 1;
}

/** A generated file that does not match the docs: how, and the first line that differs (1 when none can be named). */
interface Stale {
  file: string;
  kind: 'extra' | 'missing' | 'changed';
  line: number;
  changes: string[];
}

/** Every generated file that is stale, missing or extra, in path order. */
function staleFiles(root: string, expected: ReadonlyMap<string, string>): Stale[] {
  const onDisk = new Set(listGenerated(root));
  const files = [...new Set([...expected.keys(), ...onDisk])].sort(compare);
  const stale: Stale[] = [];
  for (const file of files) {
    const want = expected.get(file);
    const have = onDisk.has(file) ? readOrNull(path.join(root, file)) : null;
    if (want === undefined) stale.push({ file, kind: 'extra', line: 1, changes: [] });
    else if (have === null) stale.push({ file, kind: 'missing', line: 1, changes: [] });
    else if (have !== want) stale.push({ file, kind: 'changed', line: firstDifference(have, want), changes: describeChange(have, want) });
  }
  return stale;
}

/** The text block of one stale file. */
function describe(s: Stale): string {
  if (s.kind === 'extra') return `extra ${s.file}: committed, but the docs no longer produce it`;
  if (s.kind === 'missing') return `missing ${s.file}: the docs produce it, but it is not committed`;
  return [`changed ${s.file}`, ...s.changes.map((line) => `  ${line}`)].join('\n');
}

/** The first line of the committed text that differs from the generated one. */
function firstDifference(have: string, want: string): number {
  const a = have.split('\n');
  const b = want.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return Math.min(i + 1, a.length);
}

/** What differs between the committed text and the generated one, field by field. */
function describeChange(have: string, want: string): string[] {
  let before: unknown;
  try {
    before = JSON.parse(have);
  } catch (error) {
    return [`the committed file is not valid JSON (${(error as Error).message}); generate rewrites it whole`];
  }
  const after: unknown = JSON.parse(want);
  if (canonicalJson(before) === canonicalJson(after)) return ['formatting only: generate writes sorted keys, 2-space indent and a trailing newline'];
  const lines: string[] = [];
  diff(before, after, '', lines);
  return lines;
}

const ABSENT = Symbol('absent');

/**
 * Appends `path: old → new` lines for every differing leaf. Arrays of objects with an `id` or
 * `$id` (cases, index entries) are matched by it, and the changes of each are listed under it.
 */
function diff(a: unknown, b: unknown, at: string, lines: string[]): void {
  if (canonicalJson(a) === canonicalJson(b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const keysA = a.map(keyOf);
    const keysB = b.map(keyOf);
    const keyed = [...keysA, ...keysB].every((k) => k !== null) && new Set(keysA).size === a.length && new Set(keysB).size === b.length;
    if (keyed) {
      const byKey = new Map(a.map((item, i) => [keysA[i] as string, item]));
      const kept = new Set<string>();
      b.forEach((item, i) => {
        const key = keysB[i] as string;
        kept.add(key);
        if (!byKey.has(key)) {
          lines.push(`${at}[${key}]: added`);
          return;
        }
        // Changes inside one case (or schema entry) are grouped under its id.
        const inner: string[] = [];
        diff(byKey.get(key), item, '', inner);
        if (inner.length > 0) lines.push(`${at}[${key}]`, ...inner.map((line) => `  ${line}`));
      });
      for (const key of keysA) if (!kept.has(key as string)) lines.push(`${at}[${key as string}]: removed`);
      return;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) diff(i < a.length ? a[i] : ABSENT, i < b.length ? b[i] : ABSENT, `${at}[${i}]`, lines);
    return;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compare)) {
      diff(key in a ? a[key] : ABSENT, key in b ? b[key] : ABSENT, member(at, key), lines);
    }
    return;
  }
  lines.push(`${at || '(whole file)'}: ${show(a)} → ${show(b)}`);
}

/** The id an array element is matched by: a case's `id`, an index entry's `$id`. */
function keyOf(item: unknown): string | null {
  if (!isRecord(item)) return null;
  if (typeof item['id'] === 'string') return item['id'];
  if (typeof item['$id'] === 'string') return item['$id'];
  return null;
}

function member(at: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return at ? `${at}.${key}` : key;
  return `${at}[${JSON.stringify(key)}]`;
}

function show(value: unknown): string {
  if (value === ABSENT) return '(absent)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= 200 ? text : `${text.slice(0, 199)}…`;
}
