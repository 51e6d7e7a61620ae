/**
 * What the check modules share: the finding they return and the helpers they place it with.
 * A check is a pure function `(models or contract, options) → Finding[]`.
 */
import { compare, diagnostic, type Diagnostic, type Place, type Severity } from '../diagnostics.ts';
import type { RuleId } from '../rules.ts';

/**
 * A diagnostic plus the other locales it involves. Cross-locale findings sit in one locale's
 * file but name others; `--locale` filters on both. Output formats print only the Diagnostic fields.
 */
export interface Finding extends Diagnostic {
  /** Locales besides `locale` that the finding is about (sorted); absent for single-locale findings. */
  related?: string[];
}

/** Builds a finding; `related` is kept only when it names a locale other than the place's own. */
export function finding(place: Place, severity: Severity, rule: RuleId, message: string, related: readonly string[] = []): Finding {
  const others = [...new Set(related)].filter((l) => l !== place.locale).sort(compare);
  const d: Finding = diagnostic(place, severity, rule, message);
  if (others.length > 0) d.related = others;
  return d;
}

/** The seven fields of a diagnostic, in the order DESIGN.md gives them, without `related`. */
export function plain(d: Diagnostic): Diagnostic {
  return { file: d.file, line: d.line, column: d.column, locale: d.locale, severity: d.severity, rule: d.rule, message: d.message };
}

/** Whether a finding is about one of the locales (its own or one it names). */
export function involves(d: Finding, locales: ReadonlySet<string>): boolean {
  return locales.has(d.locale) || (d.related ?? []).some((l) => locales.has(l));
}

/** `a`, `a and b`, `a, b and c` (or `… or c`). */
export function listOf(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1] ?? ''}`;
}

/** Whether a value is a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
