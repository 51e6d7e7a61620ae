/**
 * A Playwright reporter that ends the output with why tests were skipped and what could not
 * be confirmed, grouped, so neither passes silently. The list and line reporters show neither.
 * A run that tested no server response says so in its last line, and fails with `--strict`.
 */
import path from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { ENV } from './settings.ts';

/** Annotation type of a check the docs cannot confirm (see tests/contract). */
export const NOTE = 'not confirmed';

/** The spec whose tests send requests to the server: a run none of whose tests ran tested no server response. */
export const SERVER_SPEC = 'error-responses.spec.ts';

export default class SummaryReporter implements Reporter {
  private readonly skipped = new Map<string, Set<string>>();
  private readonly notes = new Set<string>();
  /** Server tests that ran (were not skipped), by id. */
  private readonly serverTested = new Set<string>();
  private readonly write: (text: string) => void;
  private readonly strict: boolean;

  /** `write` and `strict` are for tests; Playwright passes the reporter's options from the config here. */
  constructor(options: { write?: (text: string) => void; strict?: boolean } = {}) {
    this.write = options.write ?? ((text) => process.stdout.write(text));
    this.strict = options.strict ?? process.env[ENV.strict] === '1';
  }

  printsToStdio(): boolean {
    return false;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped' && path.basename(test.location?.file ?? '') === SERVER_SPEC) this.serverTested.add(test.id);
    for (const a of [...test.annotations, ...result.annotations]) {
      if (a.type === 'skip' && result.status === 'skipped') {
        const reason = a.description ?? 'no reason given';
        this.skipped.set(reason, (this.skipped.get(reason) ?? new Set()).add(test.id));
      }
      if (a.type === NOTE && a.description) this.notes.add(a.description);
    }
  }

  /** Writes the summary; fails the run when it tested no server response and `--strict` was given. */
  async onEnd(result?: Pick<FullResult, 'status'>): Promise<{ status: FullResult['status'] } | undefined> {
    const lines: string[] = [];
    for (const [reason, ids] of this.skipped) lines.push(`  skipped ${ids.size} test${ids.size === 1 ? '' : 's'}: ${reason}`);
    for (const note of this.notes) lines.push(`  note: ${note}`);
    // An interrupted run says so itself, and `--list` (seen in the runner's own arguments) runs nothing by design;
    // any other run that sent nothing must not pass for a tested server.
    const untested = this.serverTested.size === 0 && result?.status !== 'interrupted' && !process.argv.includes('--list');
    if (untested) {
      const why = this.skipped.size > 0 ? 'every server test was skipped (reasons above)' : 'no server test was run';
      lines.push(`  no server response was tested: ${why}; ${this.strict ? 'the run fails (--strict)' : 'pass --strict to fail such a run'}`);
    }
    if (lines.length > 0) this.write(`\n${lines.join('\n')}\n`);
    return untested && this.strict ? { status: 'failed' } : undefined;
  }
}
