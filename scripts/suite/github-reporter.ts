/**
 * GitHub Actions annotations that point at the docs, not at our spec files: what a reviewer fixes
 * (a doc line) or a server team looks up (the doc line of the error their server got wrong).
 * Used instead of Playwright's own `github` reporter (npm test swaps it in for `--reporter=github`,
 * and the configuration uses it in CI). Each failed test (its last attempt) gives:
 *
 * - a docs test: one annotation per finding, at the finding's file and line (the spec attaches
 *   its findings as data, `FINDINGS_ATTACHMENT`);
 * - a server test: one annotation at the doc line of the documented response (`SOURCE_ATTACHMENT`),
 *   with what the server did wrong;
 * - anything else (a run that could not start): one annotation without a file.
 */
import type { FullResult, Reporter, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { DOCS_DIR } from '../lib/util.ts';
import { maskOutput } from './mask.ts';
import { ENV } from './settings.ts';

/** Attachment of a docs test: the findings that fail it, as JSON `[{file, line, column, rule, message}]` (file relative to the docs folder). */
export const FINDINGS_ATTACHMENT = 'docs-contract findings';

/** Attachment of a server test: where its response is documented, as JSON `{file, line}` (file relative to the docs folder). */
export const SOURCE_ATTACHMENT = 'docs-contract source';

/** A place in the docs, relative to the docs folder. */
interface Place {
  file: string;
  line: number;
  column?: number;
}

/** One annotation as GitHub reads it from a workflow command. */
export interface Annotation {
  place: Place | null;
  title: string;
  message: string;
}

export default class GithubDocsReporter implements Reporter {
  private readonly annotations: Annotation[] = [];
  private readonly write: (text: string) => void;

  /** `write` is for tests. */
  constructor(options: { write?: (text: string) => void } = {}) {
    this.write = options.write ?? ((text) => process.stdout.write(text));
  }

  printsToStdio(): boolean {
    return false;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const last = result.retry >= test.retries || result.status === 'passed' || result.status === 'skipped';
    if (!last || result.status === 'passed' || result.status === 'skipped' || result.status === 'interrupted') return;
    this.annotations.push(...annotationsOf(test.title, result));
  }

  onError(error: TestError): void {
    this.annotations.push({ place: null, title: 'docs-contract', message: firstLines(error.message ?? error.value ?? 'the run failed') });
  }

  onEnd(_result: FullResult): void {
    if (this.annotations.length > 0) this.write(`${this.annotations.map(command).join('\n')}\n`);
  }
}

/** The annotations of one failed test result. */
export function annotationsOf(title: string, result: Pick<TestResult, 'attachments' | 'errors'>): Annotation[] {
  const message = firstLines(result.errors.map((e) => e.message ?? e.value ?? '').join('\n'));
  const findings = attached<Array<Place & { rule: string; message: string }>>(result, FINDINGS_ATTACHMENT);
  if (findings && findings.length > 0) return findings.map((f) => ({ place: f, title: f.rule, message: f.message }));
  const source = attached<Place>(result, SOURCE_ATTACHMENT);
  return [{ place: source ?? null, title, message }];
}

/** A JSON attachment of a result, parsed; undefined when absent or not JSON. */
function attached<T>(result: Pick<TestResult, 'attachments'>, name: string): T | undefined {
  const body = result.attachments.find((a) => a.name === name)?.body;
  if (!body) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The message without terminal colours, at most 20 lines, every secret masked. */
function firstLines(text: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes are what is removed
  const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
  const lines = plain.split('\n').filter((l) => l.trim() !== '');
  const kept = lines.length > 20 ? [...lines.slice(0, 20), `… ${lines.length - 20} more lines in the report`] : lines;
  return maskOutput(kept.join('\n'), [process.env[ENV.clientSecret]]);
}

/** A workflow command: `::error file=docs/…,line=N,col=C,title=T::message`, escaped as GitHub documents. */
export function command(a: Annotation): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const props = [
    ...(a.place ? [`file=${prop(`${DOCS_DIR}/${a.place.file}`)}`, `line=${a.place.line}`, ...(a.place.column ? [`col=${a.place.column}`] : [])] : []),
    `title=${prop(a.title)}`,
  ];
  return `::error ${props.join(',')}::${data(a.message)}`;
}
