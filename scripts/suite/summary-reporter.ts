/**
 * A Playwright reporter that ends the output with why tests were skipped and what could not
 * be confirmed, grouped, so neither passes silently. The list and line reporters show neither.
 */
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** Annotation type of a check the docs cannot confirm (see tests/contract). */
export const NOTE = 'not confirmed';

export default class SummaryReporter implements Reporter {
  private readonly skipped = new Map<string, string[]>();
  private readonly notes = new Set<string>();

  printsToStdio(): boolean {
    return false;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const title = test.title;
    for (const a of [...test.annotations, ...result.annotations]) {
      if (a.type === 'skip' && result.status === 'skipped') add(this.skipped, a.description ?? 'no reason given', title);
      if (a.type === NOTE && a.description) this.notes.add(a.description);
    }
  }

  onEnd(): void {
    const lines: string[] = [];
    for (const [reason, titles] of this.skipped) lines.push(`  skipped ${count(titles)}: ${reason}`);
    for (const note of this.notes) lines.push(`  note: ${note}`);
    if (lines.length > 0) process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}

function add(map: Map<string, string[]>, key: string, title: string): void {
  const list = map.get(key);
  if (list) list.push(title);
  else map.set(key, [title]);
}

function count(titles: readonly string[]): string {
  return `${titles.length} test${titles.length === 1 ? '' : 's'}`;
}
