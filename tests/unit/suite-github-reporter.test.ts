/** GitHub annotations of failed tests point at the docs: a finding's line, a documented response's line; never our spec files. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import GithubDocsReporter, { annotationsOf, command, FINDINGS_ATTACHMENT, SOURCE_ATTACHMENT } from '../../scripts/suite/github-reporter.ts';

const json = (name: string, value: unknown) => ({ name, contentType: 'application/json', body: Buffer.from(JSON.stringify(value)) });

describe('suite: the GitHub reporter', () => {
  it('annotates each failing finding of a docs test at its file and line', () => {
    const result = {
      errors: [{ message: 'xx-XX docs have errors' }],
      attachments: [json(FINDINGS_ATTACHMENT, [{ file: 'xx-XX/widgets/a.md', line: 7, column: 3, rule: 'missing-anchor', message: 'Link anchor `#x` matches no heading, 50% sure' }])],
    };
    assert.deepEqual(annotationsOf('docs health', result).map(command), ['::error file=docs/xx-XX/widgets/a.md,line=7,col=3,title=missing-anchor::Link anchor `#x` matches no heading, 50%25 sure']);
  });

  it('annotates a failed server test at the doc line of the documented response, with the problem lines', () => {
    const result = {
      errors: [{ message: '\u001b[31mError: `widget_jammed` as documented at docs/en/widgets/a.md:12 (en)\u001b[39m\n\n  - `error` is "other"; documented: "widget_jammed"' }],
      attachments: [json(SOURCE_ATTACHMENT, { file: 'en/widgets/a.md', line: 12 })],
    };
    assert.deepEqual(annotationsOf('[en] widget_jammed · POST /token', result).map(command), [
      '::error file=docs/en/widgets/a.md,line=12,title=[en] widget_jammed · POST /token::Error: `widget_jammed` as documented at docs/en/widgets/a.md:12 (en)%0A  - `error` is "other"; documented: "widget_jammed"',
    ]);
  });

  it('names no file when the failure belongs to no doc, and masks the client secret', () => {
    process.env['OAUTH_CLIENT_SECRET'] = 'secret-in-a-message';
    try {
      const lines: string[] = [];
      const reporter = new GithubDocsReporter({ write: (t) => lines.push(t) });
      reporter.onError({ message: 'cannot reach http://x: secret-in-a-message' });
      reporter.onEnd({ status: 'failed' } as never);
      assert.deepEqual(lines, ['::error title=docs-contract::cannot reach http://x: ***\n']);
    } finally {
      delete process.env['OAUTH_CLIENT_SECRET'];
    }
  });
});
