/**
 * Running the real `npm test` (`docs-contract test`) as a child process, the way a user does,
 * with a hang guard: a run that has not ended by the limit is killed and says so.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root; the suite runs from here. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** How one run ended. */
export interface SuiteRun {
  /** The exit code; null when the run was killed. */
  exitCode: number | null;
  /** The run did not end within the limit and was killed. */
  hung: boolean;
  stdout: string;
  stderr: string;
}

/** Largest amount of each stream kept (the rest is counted, not kept). */
const OUTPUT_LIMIT = 8 * 1024 * 1024;

/** Runs `npm test -- …args` with `env` (CI unset, so local reporters and no retries apply); kills it after `limitMs`. */
export function runSuite(args: readonly string[], env: NodeJS.ProcessEnv, limitMs: number): Promise<SuiteRun> {
  const childEnv: NodeJS.ProcessEnv = { ...env };
  delete childEnv['CI'];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'docs-contract.js'), 'test', ...args], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the hang guard ends Playwright's processes with it (they hold the pipes open).
      detached: true,
    });
    const out = { stdout: '', stderr: '' };
    const keep = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (out[stream].length < OUTPUT_LIMIT) out[stream] += chunk.toString('utf8');
    };
    child.stdout.on('data', keep('stdout'));
    child.stderr.on('data', keep('stderr'));
    let hung = false;
    const guard = setTimeout(() => {
      hung = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, limitMs);
    child.once('close', (code) => {
      clearTimeout(guard);
      resolve({ exitCode: hung ? null : code, hung, ...out });
    });
    child.once('error', (error) => {
      clearTimeout(guard);
      resolve({ exitCode: null, hung: false, stdout: out.stdout, stderr: `${out.stderr}${error.message}\n` });
    });
  });
}
