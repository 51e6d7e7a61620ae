/**
 * What the check modules share: the finding they return and the helpers they place it with.
 * A check is a pure function `(models or contract, options) → Finding[]`.
 */
import { diagnostic, type Diagnostic } from '../diagnostics.ts';

/** What a check returns: a diagnostic, with the other places it involves in `related`. */
export type Finding = Diagnostic;

/** Builds a finding; see {@link diagnostic}. */
export const finding = diagnostic;

/** The fields of a diagnostic as `--format=json` prints them, in the order DESIGN.md gives them. */
export function plain(d: Diagnostic): Diagnostic {
  const out: Diagnostic = { file: d.file, line: d.line, column: d.column, locale: d.locale, severity: d.severity, rule: d.rule, message: d.message };
  if (d.related) out.related = d.related;
  return out;
}

/** Whether a finding is about one of the locales (its own, or one of a related place). */
export function involves(d: Finding, locales: ReadonlySet<string>): boolean {
  return locales.has(d.locale) || (d.related ?? []).some((r) => locales.has(r.locale));
}

/** `a`, `a and b`, `a, b and c` (or `… or c`). */
export function listOf(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1] ?? ''}`;
}
