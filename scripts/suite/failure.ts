/**
 * A contract failure as the reports show it. Its first line names the doc line and the first
 * wrong value; its stack is that doc line alone, because Playwright shows a failure's code frame
 * (terminal, HTML report, JSON `snippet`) from the first frame of the error's stack: the frame of
 * the doc says what to read, the spec's `expect` call would say nothing.
 */
import path from 'node:path';
import { DOCS_DIR } from '../lib/util.ts';

/** Where a response is documented, and what was asked of the server, for a failure about it. */
export interface Documented {
  /** The docs file, relative to the docs folder. */
  file: string;
  line: number;
  locale: string;
  /** The documented error code. */
  error: string;
  /** The request the answer came from, masked (`POST http://… (Accept: …) client_id=…&client_secret=***`); absent for a check of the docs alone. */
  request?: string;
}

/**
 * The message of a failure: `docs/<file>:<line>: \`<error>\` (<locale>): <first problem>`, then the
 * request, the matcher's hint line (the JUnit reporter files a message holding `expect(…).name` as a
 * `<failure>`, any other as an `<error>`), then every problem on its own `  - ` line.
 */
export function failureMessage(documented: Documented, problems: readonly string[], hint: string): string {
  const [first = 'the check failed', ...rest] = problems;
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more below)`;
  return [
    `${DOCS_DIR}/${documented.file}:${documented.line}: \`${documented.error}\` (${documented.locale}): ${first}${more}`,
    ...(documented.request === undefined ? [] : [`request: ${documented.request}`]),
    '',
    hint,
    '',
    ...problems.map((p) => `  - ${p}`),
  ].join('\n');
}

/**
 * An error carrying `message` whose stack is the one frame of the doc line, in the docs folder
 * `docsDir` (absolute): Playwright reads its location, code frame and the GitHub annotation's
 * place from there, and no frame of a spec file appears.
 */
export function failureAt(message: string, documented: Documented, docsDir: string): Error {
  const error = new Error(message);
  const file = path.join(docsDir, documented.file);
  // The frame's name is the error code, made safe for the stack parser (docs are anyone's text).
  error.stack = `Error: ${message}\n    at ${documented.error.replace(/\W/g, '_')} (${file}:${documented.line}:1)`;
  return error;
}
