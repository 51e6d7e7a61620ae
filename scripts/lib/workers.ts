/**
 * Parsing spread over worker threads. Each file parses on its own, so the main thread and
 * the workers take batches from one shared counter until none is left; results come back
 * in file order and are exactly what `parsePage` gives in-process. Synchronous for the
 * caller (it waits with Atomics), so the pipeline and `load()` stay synchronous.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { SourceFile } from './model.ts';
import { parsePage, type ParseResult } from './parse.ts';

/** How many threads to parse with: a number (1 = in-process), or 'auto'. */
export type Threads = number | 'auto';

/**
 * Below this many files per thread, 'auto' parses in-process. A worker costs its start (tsx
 * and the parser load, some 0.3–1 s) and starts with a cold JIT; and parsing allocates so
 * much that the garbage collector's helper threads, which otherwise run on the idle cores,
 * compete with the workers. On a 2-core machine two threads took about 0.9× the time of one
 * for 2 000 files, and 0.6–0.7× for 10 000 (`npm run bench`).
 */
export const MIN_FILES_PER_THREAD = 1000;

/**
 * Young generation of a worker, in MB (V8's default is 48 on 64-bit machines). Parsing makes
 * short-lived garbage at a great rate; a smaller young generation collects it sooner, which took
 * a 2-thread generate of 10 000 files from about 355 MB to 305 MB at its peak (`npm run bench`).
 */
export const WORKER_YOUNG_MB = 8;

/** Files a thread takes from the shared counter at a time. */
const BATCH = 8;

/** A worker that makes no progress for this long is given up on; the main thread parses its share. */
const STALL_MS = 60_000;

/** Worker states, in the shared array. */
const STARTING = 0;
const RUNNING = 1;
const CANCELLED = 2;
const DONE = 3;

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
  /** The module workers run (default this one); tests point it elsewhere to make workers fail. */
  workerModule?: string;
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
  const { stats, mainThreadParses = true } = options;
  const keep = options.keep ?? ((result: ParseResult) => result);
  const count = threadCount(options.threads ?? 1, files.length);
  if (stats) Object.assign(stats, { threads: count, byWorker: [], failures: [] });
  if (count === 1 || files.length === 0) return files.map((f, i) => keep(parsePage(f), i));

  const workers = count - 1;
  // [0]: next file to take; [1 + i]: state of worker i; [1 + workers + i]: batches worker i finished.
  const shared = new Int32Array(new SharedArrayBuffer(4 * (1 + 2 * workers)));
  const results: Array<T | ParseResult | undefined> = new Array(files.length);
  const module = options.workerModule ?? import.meta.url;
  const texts = packTexts(files);
  const shipped: readonly SourceFile[] | readonly FileMeta[] = texts ? files.map(({ text: _, ...meta }) => meta) : files;
  const started = Array.from({ length: workers }, (_, i) => startWorker(module, shipped, texts, shared, i, workers));

  const failures: string[] = [];
  const parsedBy = started.map(() => 0);
  // Takes what worker i has posted so far; done as results come, so they do not pile up in the port.
  const drain = (i: number) => {
    const port = started[i]?.port;
    for (let m = port && receiveMessageOnPort(port); m; m = port && receiveMessageOnPort(port)) {
      const message = m.message as WorkerMessage;
      if ('error' in message) failures.push(message.error);
      else {
        message.results.forEach((result, k) => (results[message.start + k] = keep(result, message.start + k)));
        parsedBy[i] = (parsedBy[i] ?? 0) + message.results.length;
      }
    }
  };

  if (mainThreadParses) {
    for (let start = Atomics.add(shared, 0, BATCH); start < files.length; start = Atomics.add(shared, 0, BATCH)) {
      for (let i = start; i < Math.min(start + BATCH, files.length); i++) results[i] = keep(parsePage(files[i] as SourceFile), i);
      started.forEach((_, i) => drain(i));
    }
  }

  started.forEach(({ worker, port }, i) => {
    waitFor(shared, i, workers, !mainThreadParses, failures);
    drain(i);
    stats?.byWorker.push(parsedBy[i] ?? 0);
    port.close();
    void worker.terminate();
  });
  stats?.failures.push(...failures);
  // Whatever a failed worker took and did not finish is parsed here.
  // (Array.from, not map: map skips the holes a failed worker leaves.)
  return Array.from(files, (file, i) => results[i] ?? keep(parsePage(file), i));
}

type WorkerMessage = { start: number; results: ParseResult[] } | { error: string };

/** A file without its text: what workers get when the texts are packed. */
type FileMeta = Omit<SourceFile, 'text'>;

/** Every text, UTF-8, in one buffer that all threads share: `offsets[i]`..`offsets[i + 1]` is file i. */
interface PackedTexts {
  bytes: SharedArrayBuffer;
  offsets: Float64Array;
}

/** A UTF-16 unit that is half of no pair: UTF-8 cannot carry it. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Above this, texts are copied to each worker instead (a shared buffer is one allocation). */
const MAX_PACKED_BYTES = 1 << 30;

/**
 * The texts packed into shared memory, so that workers read them there instead of each getting
 * a copy of every text; null when a text would not survive UTF-8 (a lone surrogate) or the total
 * is too large, and then each worker gets a copy.
 */
export function packTexts(files: readonly SourceFile[]): PackedTexts | null {
  let total = 0;
  for (const f of files) {
    if (LONE_SURROGATE.test(f.text)) return null;
    total += Buffer.byteLength(f.text);
  }
  if (total > MAX_PACKED_BYTES) return null;
  const bytes = new SharedArrayBuffer(total);
  const view = Buffer.from(bytes);
  const offsets = new Float64Array(new SharedArrayBuffer(8 * (files.length + 1)));
  files.forEach((f, i) => (offsets[i + 1] = (offsets[i] ?? 0) + view.write(f.text, offsets[i] ?? 0, 'utf8')));
  return { bytes, offsets };
}

/** File i, its text read from the packed texts when there are. */
export function unpack(files: readonly SourceFile[] | readonly FileMeta[], texts: PackedTexts | null, i: number): SourceFile {
  const file = files[i] as SourceFile | FileMeta;
  if (!texts) return file as SourceFile;
  const start = texts.offsets[i] ?? 0;
  return { ...file, text: Buffer.from(texts.bytes, start, (texts.offsets[i + 1] ?? start) - start).toString('utf8') };
}

interface WorkerData {
  files: readonly SourceFile[] | readonly FileMeta[];
  texts: PackedTexts | null;
  shared: Int32Array;
  index: number;
  workers: number;
  port: MessagePort;
}

/**
 * The worker's first code, plain JavaScript so that it runs even if TypeScript cannot be
 * loaded: it registers tsx (workers do not inherit the main thread's loader), then runs
 * {@link work} from this module. Any failure is reported and the worker marked done.
 */
const BOOT = `
const { workerData } = require('node:worker_threads');
const { shared, index, workers, port, tsx, self } = workerData;
import(tsx)
  .then((api) => { api.register(); return import(self); })
  .then((m) => m.work(workerData))
  .catch((error) => port.postMessage({ error: String((error && error.stack) || error) }))
  .finally(() => {
    Atomics.compareExchange(shared, 1 + index, ${STARTING}, ${DONE});
    Atomics.compareExchange(shared, 1 + index, ${RUNNING}, ${DONE});
    Atomics.notify(shared, 1 + index);
  });
`;

function startWorker(
  module: string,
  files: readonly SourceFile[] | readonly FileMeta[],
  texts: PackedTexts | null,
  shared: Int32Array,
  index: number,
  workers: number,
): { worker: Worker; port: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  const data = { files, texts, shared, index, workers, port: port2, tsx: import.meta.resolve('tsx/esm/api'), self: module };
  const worker = new Worker(BOOT, { eval: true, workerData: data, transferList: [port2], stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
  worker.unref();
  return { worker, port: port1 };
}

/**
 * Waits until worker i is done. One that has not started is cancelled, unless `mustStart`
 * (then it is waited for); one that makes no progress for STALL_MS is given up on.
 */
function waitFor(shared: Int32Array, i: number, workers: number, mustStart: boolean, failures: string[]): void {
  const state = 1 + i;
  const progress = 1 + workers + i;
  if (!mustStart && Atomics.compareExchange(shared, state, STARTING, CANCELLED) === STARTING) return;
  let last = Atomics.load(shared, progress);
  let quietSince = Date.now();
  for (let now = Atomics.load(shared, state); now === STARTING || now === RUNNING; now = Atomics.load(shared, state)) {
    Atomics.wait(shared, state, now, 1000);
    const done = Atomics.load(shared, progress);
    if (done !== last) {
      last = done;
      quietSince = Date.now();
    } else if (Date.now() - quietSince > STALL_MS) {
      failures.push(`worker ${i + 1} made no progress for ${STALL_MS / 1000} s`);
      return;
    }
  }
}

/** Runs in a worker: takes batches until none is left, posting each batch's results. */
export function work(data: WorkerData): void {
  const { files, texts, shared, index, workers, port } = data;
  if (Atomics.compareExchange(shared, 1 + index, STARTING, RUNNING) !== STARTING) return; // cancelled: the main thread finished first
  for (let start = Atomics.add(shared, 0, BATCH); start < files.length; start = Atomics.add(shared, 0, BATCH)) {
    const results: ParseResult[] = [];
    for (let i = start; i < Math.min(start + BATCH, files.length); i++) results.push(parsePage(unpack(files, texts, i)));
    port.postMessage({ start, results } satisfies WorkerMessage);
    Atomics.add(shared, 1 + workers + index, 1);
  }
}
