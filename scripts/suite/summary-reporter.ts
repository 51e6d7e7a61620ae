/**
 * A Playwright reporter that ends the output with why tests were skipped and what could not
 * be confirmed, grouped, so neither passes silently. The list and line reporters show neither.
 */
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** Annotation type of a check the docs cannot confirm (see tests/contract). */
export const NOTE = 'not confirmed';

export default class SummaryReporter implements Reporter {
  private readonly skipped = new Map<string, Set<string>>();
  private readonly notes = new Set<string>();
  private readonly write: (text: string) => void;

  /** `write` is for tests; Playwright passes the reporter's options from the config here. */
  constructor(options: { write?: (text: string) => void } = {}) {
    this.write = options.write ?? ((text) => process.stdout.write(text));
  }

  printsToStdio(): boolean {
    return false;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    for (const a of [...test.annotations, ...result.annotations]) {
      if (a.type === 'skip' && result.status === 'skipped') {
        const reason = a.description ?? 'no reason given';
        this.skipped.set(reason, (this.skipped.get(reason) ?? new Set()).add(test.id));
      }
      if (a.type === NOTE && a.description) this.notes.add(a.description);
    }
  }

  onEnd(): void {
    const lines: string[] = [];
    for (const [reason, ids] of this.skipped) lines.push(`  skipped ${ids.size} test${ids.size === 1 ? '' : 's'}: ${reason}`);
    for (const note of this.notes) lines.push(`  note: ${note}`);
    if (lines.length > 0) this.write(`\n${lines.join('\n')}\n`);
  }
}
