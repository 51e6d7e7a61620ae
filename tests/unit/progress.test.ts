/** The progress line of a long run: on a terminal only, after a while, in place, cleared at the end. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { PROGRESS_DELAY_MS, progressOn } from '../../scripts/lib/progress.ts';

/** A stream that keeps what is written; a terminal or not. */
function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, write: (text: string) => written.push(text), written };
}

/** Runs `total` steps of work, the clock moving `stepMs` before each. */
function work(progress: ReturnType<typeof progressOn>, total: number, stepMs: number): void {
  for (let done = 1; done <= total; done++) {
    mock.timers.tick(stepMs);
    progress?.update(done, total);
  }
  progress?.finish();
}

describe('progress line', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: 0 }));
  afterEach(() => mock.timers.reset());

  it('on a terminal, a run longer than the delay shows `parsed N/M pages` in place, then clears the line', () => {
    const out = stream(true);
    work(progressOn(out, 'pages', false), 30, 100);
    // Nothing during the first 2 s; then one line per 100 ms, each over the last; the last count; then cleared.
    assert.equal(out.written[0], '\r\u001b[2Kparsed 20/30 pages');
    assert.equal(out.written.at(-2), '\r\u001b[2Kparsed 30/30 pages');
    assert.equal(out.written.at(-1), '\r\u001b[2K');
    assert.equal(out.written.length, 12);
  });

  it('a run shorter than the delay shows nothing', () => {
    const out = stream(true);
    work(progressOn(out, 'pages', false), 10, (PROGRESS_DELAY_MS - 1) / 10);
    assert.deepEqual(out.written, []);
  });

  it('never when the stream is not a terminal, or with --quiet', () => {
    assert.equal(progressOn(stream(false), 'pages', false), null);
    assert.equal(progressOn({ write: () => true }, 'pages', false), null);
    assert.equal(progressOn(stream(true), 'pages', true), null);
  });
});
