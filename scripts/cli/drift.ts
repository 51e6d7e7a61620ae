/** `npm run drift`: regenerates in memory and compares with the committed schemas/ and tests/fixtures/. */
import path from 'node:path';
import { BUILD_FLAGS, flags, loadAndBuild } from '../lib/cli.ts';
import { compare, formatText } from '../lib/diagnostics.ts';
import { canonicalJson } from '../lib/stable-json.ts';
import { isRecord } from '../lib/util.ts';
import { listGenerated, readOrNull } from '../lib/write.ts';

/** How the command is called. */
export const USAGE = 'docs-contract drift [--docs=DIR] [--recipes=FILE] [--out=DIR] [--format=text|sarif] [--cache=DIR | --no-cache]';

/** The command's flags. */
export const OPTIONS = { ...BUILD_FLAGS, format: { type: 'string', default: 'text' } } as const;

/** Runs drift; returns the exit code (0 up to date, 1 stale or docs with errors). */
export function run(args: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  const values = flags(args, OPTIONS, USAGE);
  const { build } = loadAndBuild('drift', values, err);
  const errors = build.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    out(formatText(errors));
    out(`drift: the docs or recipes have ${errors.length} error${errors.length === 1 ? '' : 's'}, so nothing can be generated to compare with; fix them (\`npm run validate\` lists every problem), then run \`npm run generate\`.`);
    return 1;
  }
  const report = driftReport(values.out, build.files);
  if (report.length === 0) {
    out(`drift: the ${build.files.size} generated files in schemas/ and tests/fixtures/ match the docs.`);
    return 0;
  }
  const n = report.length;
  out(`drift: ${n} generated file${n === 1 ? '' : 's'} differ${n === 1 ? 's' : ''} from what the docs produce now:`);
  for (const block of report) out(block);
  out(`Run \`npm run generate\` to update ${n === 1 ? 'it' : 'them'}, and commit the result.`);
  return 1;
}

/** One text block per generated file that is stale, missing or extra; empty when all match. */
export function driftReport(root: string, expected: ReadonlyMap<string, string>): string[] {
  const onDisk = new Set(listGenerated(root));
  const files = [...new Set([...expected.keys(), ...onDisk])].sort(compare);
  const blocks: string[] = [];
  for (const file of files) {
    const want = expected.get(file);
    const have = onDisk.has(file) ? readOrNull(path.join(root, file)) : null;
    if (want === undefined) {
      blocks.push(`extra ${file}: committed, but the docs no longer produce it`);
    } else if (have === null) {
      blocks.push(`missing ${file}: the docs produce it, but it is not committed`);
    } else if (have !== want) {
      blocks.push([`changed ${file}`, ...describeChange(have, want).map((line) => `  ${line}`)].join('\n'));
    }
  }
  return blocks;
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
