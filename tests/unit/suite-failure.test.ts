/** A contract failure's message and stack: the doc line first, the stack that one line. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { failureAt, failureMessage } from '../../scripts/suite/failure.ts';

const AT = { file: 'xx-XX/widgets/frobnicate-errors.md', line: 12, locale: 'xx-XX', error: 'widget_jammed' };

describe('suite: contract failures', () => {
  it('the first line names the doc line and the first problem; then the request, the hint, every problem', () => {
    const message = failureMessage({ ...AT, request: 'POST http://127.0.0.1:1/widgets (Accept: application/json) secret=***' }, ['`error` is "x"; documented: "widget_jammed"', '`error_uri` is missing'], 'expect(problems).toHaveNoProblems()');
    assert.equal(
      message,
      [
        'docs/xx-XX/widgets/frobnicate-errors.md:12: `widget_jammed` (xx-XX): `error` is "x"; documented: "widget_jammed" (and 1 more below)',
        'request: POST http://127.0.0.1:1/widgets (Accept: application/json) secret=***',
        '',
        'expect(problems).toHaveNoProblems()',
        '',
        '  - `error` is "x"; documented: "widget_jammed"',
        '  - `error_uri` is missing',
      ].join('\n'),
    );
  });

  it('the stack is the one frame of the doc line, under the docs folder given', () => {
    const error = failureAt('docs/…: `widget_jammed` (xx-XX): wrong', { ...AT, error: 'widget jammed (odd)' }, '/srv/docs');
    assert.equal(error.message, 'docs/…: `widget_jammed` (xx-XX): wrong');
    assert.equal(error.stack, `Error: docs/…: \`widget_jammed\` (xx-XX): wrong\n    at widget_jammed__odd_ (${path.join('/srv/docs', AT.file)}:12:1)`);
  });
});
