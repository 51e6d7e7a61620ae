/**
 * Parsing spread over worker threads. Each file parses on its own. The main thread hands each
 * worker a few batches of files ahead, texts included, parses the other batches itself, and
 * hands out more as results come back; results are kept in file order and are exactly what
 * `parsePage` gives in-process. Each handed batch is claimed once, in shared memory: when the
 * main thread runs out of batches it takes back those a worker has not begun, so a worker that
 * starts late, fails or stalls costs time, never results. Synchronous for the caller (it waits
 * with Atomics), so the pipeline and `load()` stay synchronous.
 *
 * Texts travel only with the batches in flight: no thread holds a copy of the whole tree's
 * texts besides the caller, and with `releaseTexts` not even the caller once they are parsed.
 * Workers run the parser bundled into one plain script (parse-worker.ts and what it imports),
 * without the process's TypeScript loader.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { SourceFile } from './model.ts';
import { ANY_RESULT, claimSlot, DONE, FREE, stateSlot, TAKEN, type Batch, type WorkerData, type WorkerMessage } from './parse-worker.ts';
import { parsePage, type ParseResult } from './parse.ts';

/** How many threads to parse with: a number (1 = in-process), or 'auto'. */
export type Threads = number | 'auto';

/**
 * Below this many files per thread, 'auto' parses in-process. A worker costs its start (the
 * bundle is built once per process, then the parser loads in the worker) and starts with a
 * cold JIT; and parsing allocates so much that the garbage collector's helper threads, which
 * otherwise run on the idle cores, compete with the workers. On a 2-core machine two threads took about 0.9× the time of one
 * for 2 000 files, and 0.6–0.7× for 10 000 (`npm run bench`).
 */
export const MIN_FILES_PER_THREAD = 1000;

/**
 * Young generation of a worker, in MB (V8's default is 48 on 64-bit machines). Parsing makes
 * short-lived garbage at a great rate; a smaller young generation collects it sooner, which took
 * a 2-thread generate of 10 000 files from about 355 MB to 305 MB at its peak (`npm run bench`).
 */
export const WORKER_YOUNG_MB = 8;

/** Files parsed and handed out at a time. */
const BATCH = 8;

/**
 * Batches a worker is handed ahead of its results (the main thread hands out more after each
 * file it parses): enough to keep it busy through the main thread's pauses, a full garbage
 * collection of a large heap among them. Texts in flight stay a few hundred kilobytes.
 */
const AHEAD = 16;

/** A worker that makes no progress for this long is given up on; the main thread parses its share. */
const STALL_MS = 60_000;

/** The number of threads `threads` means for `files` files. */
export function threadCount(threads: Threads, files: number): number {
  if (threads === 'auto') return Math.max(1, Math.min(availableParallelism(), Math.floor(files / MIN_FILES_PER_THREAD)));
  if (!Number.isInteger(threads) || threads < 1) throw new TypeError(`threads must be a positive integer or 'auto', not ${String(threads)}`);
  return threads;
}

/** What a parse over threads did, for reports. */
export interface ThreadStats {
  /** Threads used, the main thread included. */
  threads: number;
  /** Files each worker parsed (the main thread parsed the rest). */
  byWorker: number[];
  /** Reasons workers failed, if any; their files were parsed in-process. */
  failures: string[];
}

/** How to parse files. */
export interface ParseFilesOptions {
  threads?: Threads;
  /** Filled with what the threads did. */
  stats?: ThreadStats;
  /**
   * Whether the main thread takes batches too (default true). With false it only waits, so
   * that every file goes through a worker: what the tests of worker parsing need.
   */
  mainThreadParses?: boolean;
  /**
   * A module for workers to run instead of the bundled parser: it must export `work` as
   * parse-worker.ts does, and is loaded through tsx. Tests point it at modules that start late or fail.
   */
  workerModule?: string;
  /**
   * Let each file's text go (set it to '') once its result is in: for a caller that is done
   * with the texts, so that a large tree's texts are not held after they are parsed.
   */
  releaseTexts?: boolean;
}

/**
 * Parses every file, over `threads` threads (default 1); the results are in the order of
 * `files`. With `keep`, each result is handed to it as it arrives (with the file's index) and
 * what it returns is kept instead, so that a caller that needs less than the whole result never
 * holds every whole result at once.
 */
export function parseFiles(files: readonly SourceFile[], options?: ParseFilesOptions): ParseResult[];
export function parseFiles<T>(files: readonly SourceFile[], options: ParseFilesOptions & { keep: (result: ParseResult, index: number) => T }): T[];
export function parseFiles<T>(files: readonly SourceFile[], options: ParseFilesOptions & { keep?: (result: ParseResult, index: number) => T } = {}): Array<T | ParseResult> {
  const { stats, mainThreadParses = true, releaseTexts = false } = options;
  const keep = options.keep ?? ((result: ParseResult) => result);
  const count = threadCount(options.threads ?? 1, files.length);
  if (stats) Object.assign(stats, { threads: count, byWorker: [], failures: [] });
  const results: Array<T | ParseResult | undefined> = new Array(files.length);
  const store = (i: number, result: ParseResult) => {
    results[i] = keep(result, i);
    if (releaseTexts) (files[i] as SourceFile).text = '';
  };
  const batches = Math.ceil(files.length / BATCH);
  const parseBatch = (batch: number) => {
    for (let i = batch * BATCH; i < Math.min((batch + 1) * BATCH, files.length); i++) store(i, parsePage(files[i] as SourceFile));
  };
  if (count === 1 || files.length === 0) {
    for (let batch = 0; batch < batches; batch++) parseBatch(batch);
    return results as Array<T | ParseResult>;
  }

  const workers = count - 1;
  const shared = new Int32Array(new SharedArrayBuffer(4 * (1 + workers + batches)));
  const failures: string[] = [];
  const pool = Array.from({ length: workers }, (_, i) => startWorker(options.workerModule, shared, i, workers, failures)).flatMap((started) =>
    started
      ? [
          {
            ...started,
            /** False once given up on. */
            live: true,
            /** Batches handed to it whose results have not come back. */
            handed: new Set<number>(),
            parsed: 0,
            lastProgress: Date.now(),
          },
        ]
      : [],
  );
  type Member = (typeof pool)[number];
  /** Batches of workers given up on, for the main thread to parse. */
  const orphans: number[] = [];
  let next = 0;

  const handOut = (w: Member) => {
    while (w.live && w.handed.size < AHEAD && next < batches) {
      const batch = next++;
      w.handed.add(batch);
      w.port.postMessage({ batch, files: files.slice(batch * BATCH, (batch + 1) * BATCH) } satisfies Batch);
    }
  };
  const giveUp = (w: Member, reason: string) => {
    failures.push(reason);
    w.live = false;
    orphans.push(...w.handed);
    w.handed.clear();
    w.port.close();
    void w.worker.terminate();
  };
  // Takes what worker w has posted so far, then hands it more.
  const tend = (w: Member) => {
    while (w.live) {
      const m = receiveMessageOnPort(w.port);
      if (!m) break;
      const message = m.message as WorkerMessage;
      if ('error' in message) giveUp(w, message.error);
      else if (w.handed.delete(message.batch)) {
        message.results.forEach((result, k) => store(message.batch * BATCH + k, result));
        w.parsed += message.results.length;
        w.lastProgress = Date.now();
      }
    }
    handOut(w);
  };

  pool.forEach(handOut);
  if (mainThreadParses) {
    for (let batch = orphans.pop() ?? next++; batch < batches; batch = orphans.pop() ?? next++) {
      for (let i = batch * BATCH; i < Math.min((batch + 1) * BATCH, files.length); i++) {
        store(i, parsePage(files[i] as SourceFile));
        pool.forEach(tend);
      }
    }
    // No batch left to take: take back what the workers have not begun.
    for (const w of pool) {
      for (const batch of w.handed) {
        if (Atomics.compareExchange(shared, claimSlot(workers, batch), FREE, TAKEN) !== FREE) continue;
        w.handed.delete(batch);
        parseBatch(batch);
      }
    }
  }

  // Wait for what the workers have begun (or, without the main thread, for everything).
  for (;;) {
    for (let batch = orphans.pop(); batch !== undefined; batch = orphans.pop()) parseBatch(batch);
    const seen = Atomics.load(shared, ANY_RESULT);
    pool.forEach(tend);
    const busy = pool.filter((w) => w.live && w.handed.size > 0);
    if (busy.length === 0 && orphans.length === 0) break;
    for (const w of busy) {
      if (Atomics.load(shared, stateSlot(w.index)) === DONE) {
        tend(w); // what it posted before it stopped (its error, if it failed)
        if (w.live && w.handed.size > 0) giveUp(w, `worker ${w.index + 1} stopped with batches unfinished`);
      } else if (Date.now() - w.lastProgress > STALL_MS) giveUp(w, `worker ${w.index + 1} made no progress for ${STALL_MS / 1000} s`);
    }
    if (orphans.length === 0) Atomics.wait(shared, ANY_RESULT, seen, 1000);
  }
  // Whatever no worker could take (every worker given up on) is parsed here.
  while (next < batches) parseBatch(next++);

  for (let i = 0; i < workers; i++) stats?.byWorker.push(pool.find((w) => w.index === i)?.parsed ?? 0);
  for (const w of pool) {
    if (w.live) {
      w.port.close();
      void w.worker.terminate();
    }
  }
  stats?.failures.push(...failures);
  return results as Array<T | ParseResult>;
}

/** The worker module, bundled: built once per process (see {@link workerScript}). */
let bundle: { script: string } | { error: string } | null = null;

/**
 * parse-worker.ts and everything it imports, bundled by esbuild into one plain script that
 * defines `parseWorker`. Workers run it instead of loading TypeScript through tsx, which took
 * some 6 MB off a 2-thread generate's peak at 10 000 files, for about 5 % more time (the bundled
 * parser runs a little slower than the modules tsx loads; `npm run bench`). Built in memory from
 * the sources on disk, once per process (some 50 ms); a bundle that cannot be built is reported
 * as the workers' failure, and the main thread parses everything.
 */
export function workerScript(): { script: string } | { error: string } {
  if (bundle) return bundle;
  try {
    const built = buildSync({
      entryPoints: [fileURLToPath(new URL('./parse-worker.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'iife',
      globalName: 'parseWorker',
      target: `node${process.versions.node}`,
      write: false,
      logLevel: 'silent',
    });
    bundle = { script: built.outputFiles[0]?.text ?? '' };
  } catch (error) {
    bundle = { error: `the parsing worker could not be bundled: ${String((error as Error)?.message ?? error).split('\n')[0]}` };
  }
  return bundle;
}

/**
 * A worker's code when it runs the bundle: plain JavaScript, its module given as a script.
 * Any failure is reported; the worker is marked done either way.
 */
const RUN_BUNDLE = `
const { workerData } = require('node:worker_threads');
Promise.resolve()
  .then(() => parseWorker.work(workerData))
  .catch((error) => workerData.port.postMessage({ error: String((error && error.stack) || error) }))
  .finally(() => parseWorker.markDone(workerData.shared, workerData.index));
`;

/**
 * A worker's code when it runs a module of its own (`workerModule`, for tests): it registers
 * tsx, then imports the module and runs its `work` the same way. Reporting and marking done
 * are written out here, so that they work even when the module cannot be loaded.
 */
const RUN_MODULE = `
const { workerData } = require('node:worker_threads');
const { shared, index, port, tsx, self } = workerData;
import(tsx)
  .then((api) => { api.register(); return import(self); })
  .then((m) => m.work(workerData))
  .catch((error) => port.postMessage({ error: String((error && error.stack) || error) }))
  .finally(() => {
    Atomics.store(shared, ${stateSlot(0)} + index, ${DONE});
    Atomics.add(shared, ${ANY_RESULT}, 1);
    Atomics.notify(shared, ${ANY_RESULT});
  });
`;

/** Starts worker `index`: on the bundle, or on `module` when one is given. Null (with the reason in `failures`) when the bundle cannot be built. */
function startWorker(module: string | undefined, shared: Int32Array, index: number, workers: number, failures: string[]): { worker: Worker; port: MessagePort; index: number } | null {
  const built = module === undefined ? workerScript() : null;
  if (built && 'error' in built) {
    failures.push(built.error);
    return null;
  }
  const { port1, port2 } = new MessageChannel();
  const data: WorkerData & { tsx?: string; self?: string } = { shared, index, workers, port: port2 };
  let code: string;
  if (built) code = `${built.script}\n${RUN_BUNDLE}`;
  else {
    Object.assign(data, { tsx: import.meta.resolve('tsx/esm/api'), self: module });
    code = RUN_MODULE;
  }
  // execArgv: none of the process's own (such as tsx's `--import`), which the bundle does not need.
  const worker = new Worker(code, { eval: true, execArgv: [], workerData: data, transferList: [port2], stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
  worker.unref();
  return { worker, port: port1, index };
}
