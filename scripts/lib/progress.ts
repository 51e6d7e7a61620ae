/**
 * A progress line for a long run on a big docs tree (`parsed 1200/8336 pages`), as the tools
 * people run on such trees show one: on a terminal only, once the run has taken a while, updated
 * in place, and gone before the results are printed. Never on stdout, which may carry JSON or SARIF.
 */

/** What the line is written to: stderr, or a stand-in with the same members. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** A progress line: `update` with how far the work is, `finish` before printing anything else. */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

/** How long a run goes before it shows progress: shorter runs end before a reader would wonder. */
export const PROGRESS_DELAY_MS = 2_000;
/** Least time between two updates of the line: more often only costs the terminal. */
const REDRAW_MS = 100;

/** Clears the line the cursor is on and returns to its start. */
const CLEAR = '\r\u001b[2K';

/**
 * A progress line on `stream` for work counted in `unit` (`pages`), or null when none may be
 * shown: `stream` is not a terminal, or `quiet` was asked for.
 */
export function progressOn(stream: ProgressStream, unit: string, quiet: boolean): Progress | null {
  if (quiet || stream.isTTY !== true) return null;
  const started = Date.now();
  let drawn = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - started < PROGRESS_DELAY_MS || (now - drawn < REDRAW_MS && done < total)) return;
      drawn = now;
      shown = true;
      stream.write(`${CLEAR}parsed ${done}/${total} ${unit}`);
    },
    finish() {
      if (shown) stream.write(CLEAR);
      shown = false;
    },
  };
}
