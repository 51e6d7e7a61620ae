import type { RuleId } from './rules.ts';

/** How bad a finding is: errors fail generate and validate; warnings only under `--strict`. */
export type Severity = 'error' | 'warning';

/** A problem found in the docs: data, never an exception. `file` is relative to the docs root. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  locale: string;
  severity: Severity;
  rule: RuleId;
  message: string;
  /** The other places the finding is about (the same page in another locale, the source it differs from), sorted; absent when none. */
  related?: Related[];
}

/** Another place a diagnostic involves. */
export interface Related {
  file: string;
  line: number;
  locale: string;
}

/** A place in a docs file. */
export interface Place {
  file: string;
  line: number;
  column?: number;
  locale: string;
}

/** Builds a diagnostic at a place; `related` keeps the other places (those not in the place's own file), sorted. */
export function diagnostic(place: Place, severity: Severity, rule: RuleId, message: string, related: readonly Place[] = []): Diagnostic {
  const d: Diagnostic = { file: place.file, line: place.line, column: place.column ?? 1, locale: place.locale, severity, rule, message };
  const others = new Map<string, Related>();
  for (const r of related) if (r.file !== place.file) others.set(`${r.file}\0${r.line}`, { file: r.file, line: r.line, locale: r.locale });
  if (others.size > 0) d.related = [...others.values()].sort((a, b) => compare(a.file, b.file) || a.line - b.line);
  return d;
}

/** `file:line` of a place, for messages that point at a second place. */
export function where(place: Place): string {
  return `${place.file}:${place.line}`;
}

/** Orders diagnostics by file, line, column, rule, then message, so every report is stable. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      compare(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compare(a.rule, b.rule) ||
      compare(a.message, b.message),
  );
}

/** Code-point order: the same on every machine, unlike `localeCompare`. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when any diagnostic is an error. */
export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A text with its control characters written as escapes (`\n`, `\u001b`), and the bidirectional
 * overrides too: file names and JSON strings come from the docs, and a raw newline, ESC or override
 * in a log line would forge GitHub workflow commands, terminal escapes or reordered text.
 */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => {
    const short = ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' } as Record<string, string>)[c];
    return short ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * One line per diagnostic: `file:line:column: severity message (rule)`, control characters
 * escaped. `shown` gives the path printed for a diagnostic's file (the commands print it from the
 * folder they were run in); by default the file as it is.
 */
export function formatText(list: readonly Diagnostic[], shown: (file: string) => string = (file) => file): string {
  return list.map((d) => escapeControl(`${shown(d.file)}:${d.line}:${d.column}: ${d.severity} ${d.message} (${d.rule})`)).join('\n');
}

/** GitHub Actions workflow commands, one per diagnostic. `root` is prefixed to file paths. */
export function formatGithub(list: readonly Diagnostic[], root: string): string {
  const escapeData = (s: string) => escapeControl(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
  const escapeProp = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return list
    .map((d) => {
      const file = root ? `${root.replace(/\/$/, '')}/${d.file}` : d.file;
      const props = `file=${escapeProp(file)},line=${d.line},col=${d.column},title=${escapeProp(d.rule)}`;
      return `::${d.severity} ${props}::${escapeData(d.message)}`;
    })
    .join('\n');
}

/** A count line such as `2 errors, 3 warnings`. */
export function summarize(list: readonly Diagnostic[]): string {
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
