/**
 * Runs one command of the benchmark in a child process and measures it: wall time from spawn to
 * exit, and the peak resident set (max RSS) of the Node process that does the work.
 *
 * The peak comes from the measured process itself: a module preloaded with `--import` appends
 * `process.resourceUsage().maxRSS` (getrusage of the process, worker threads included) to a file
 * when the process exits. That is exact for a single Node process, which every command measured
 * for memory is (validate, remark-cli, the parse floor), and needs no `/usr/bin/time`. The wall
 * time includes Node's start-up, as a user's run does; npm's own start-up is left out on both
 * sides (`npm run validate` runs `node scripts/docs-contract.js validate`, which is what is run here).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../lib/util.ts';

/** Where the preloaded module writes the peak, named in the child's environment. */
const PEAK_ENV = 'DOCS_CONTRACT_BENCH_PEAK_FILE';

/** The preloaded module, as a data: URL (no file to ship or resolve from the child's folder). */
const PEAK_IMPORT = `data:text/javascript,${encodeURIComponent(
  `import{appendFileSync}from"node:fs";const f=process.env.${PEAK_ENV};delete process.env.${PEAK_ENV};if(f)process.on("exit",()=>appendFileSync(f,process.resourceUsage().maxRSS+"\\n"))`,
)}`;

/** Output kept of a run, per stream; more is counted, not kept. */
const KEEP_BYTES = 16 * 1024 * 1024;

/** A command to run: `node [nodeArgs] args`, from `cwd`. */
export interface Command {
  /** Arguments to Node before the script (e.g. `--import tsx`). */
  nodeArgs?: readonly string[];
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Killed (SIGKILL) after this long. */
  timeoutMs: number;
}

/** What one run gave. */
export interface Run {
  ms: number;
  /** Peak resident set in bytes; null when the process did not exit normally. */
  peakBytes: number | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** Runs `node …` and measures it. Never rejects for the child's failure: the caller reads `code`. */
export function measure(command: Command): Promise<Run> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'docs-contract-peak-'));
  const peakFile = path.join(scratch, 'peak');
  const args = [...(command.nodeArgs ?? []), `--import=${PEAK_IMPORT}`, ...command.args];
  return new Promise<Run>((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: command.cwd ?? ROOT,
      env: { ...(command.env ?? process.env), [PEAK_ENV]: peakFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d: Buffer) => {
      if (out.stdout.length < KEEP_BYTES) out.stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (out.stderr.length < KEEP_BYTES) out.stderr += d.toString();
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, command.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      const ms = performance.now() - start;
      clearTimeout(timer);
      let peakBytes: number | null = null;
      try {
        // One line per process that loaded the module; only the spawned one does (the variable is removed at load).
        const kb = Math.max(...readFileSync(peakFile, 'utf8').trim().split('\n').map(Number));
        if (Number.isFinite(kb)) peakBytes = kb * 1024;
      } catch {
        // Killed, or exited before the module loaded: no peak.
      }
      rmSync(scratch, { recursive: true, force: true });
      resolve({ ms, peakBytes, code, signal, timedOut, ...out });
    });
  });
}

/** Why a run failed, in one line: its exit and the last lines it printed. */
export function failure(what: string, run: Run): string {
  const how = run.timedOut ? 'timed out' : run.signal ? `was killed (${run.signal})` : `exited ${run.code}`;
  const tail = `${run.stderr}\n${run.stdout}`.trim().split('\n').filter(Boolean).slice(-3).join(' / ');
  return `${what} ${how}${tail ? `: ${tail}` : ''}`;
}
