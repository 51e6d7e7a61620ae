/**
 * The worker side of parsing over threads (see workers.ts, the main thread's side): what a
 * worker runs, and what both sides agree on. It imports the parser and nothing else, so that
 * it can be bundled into one plain script: workers run that bundle, with no TypeScript loader.
 */
import type { MessagePort } from 'node:worker_threads';
import type { SourceFile } from './model.ts';
import { parsePage, type ParseResult } from './parse.ts';

/** Worker states, in the shared array (0 while it starts). */
export const RUNNING = 1;
export const DONE = 2;

/** Claims of a batch handed to a worker, in the shared array: not begun, or taken (by the worker, or back by the main thread). */
export const FREE = 0;
export const TAKEN = 1;

/**
 * The shared array: [0] counts results posted by any worker (the main thread waits on it);
 * [1 + i] is worker i's state; [1 + workers + b] the claim of batch b.
 */
export const ANY_RESULT = 0;
export const stateSlot = (i: number) => 1 + i;
export const claimSlot = (workers: number, batch: number) => 1 + workers + batch;

/** What the main thread posts to a worker: a batch of files, texts included. */
export interface Batch {
  batch: number;
  files: SourceFile[];
}

/** What a worker posts: the results of a batch, or why it cannot parse. */
export type WorkerMessage = { batch: number; results: ParseResult[] } | { error: string };

/** What a worker is started with. */
export interface WorkerData {
  shared: Int32Array;
  index: number;
  workers: number;
  port: MessagePort;
}

/** Marks worker `index` done and wakes the main thread: once the port is closed, or when the worker failed. */
export function markDone(shared: Int32Array, index: number): void {
  Atomics.store(shared, stateSlot(index), DONE);
  Atomics.add(shared, ANY_RESULT, 1);
  Atomics.notify(shared, ANY_RESULT);
}

/**
 * Runs in a worker until the main thread closes the port: parses each batch it is handed,
 * unless the main thread has taken it back, and posts the results.
 */
export function work(data: WorkerData): Promise<void> {
  const { shared, index, workers, port } = data;
  Atomics.store(shared, stateSlot(index), RUNNING);
  return new Promise((resolve) => {
    port.once('close', resolve);
    port.on('message', ({ batch, files }: Batch) => {
      if (Atomics.compareExchange(shared, claimSlot(workers, batch), FREE, TAKEN) !== FREE) return; // taken back
      let message: WorkerMessage;
      try {
        message = { batch, results: files.map((file) => parsePage(file)) };
      } catch (error) {
        message = { error: String((error as Error)?.stack ?? error) };
      }
      port.postMessage(message);
      Atomics.add(shared, ANY_RESULT, 1);
      Atomics.notify(shared, ANY_RESULT);
    });
  });
}
