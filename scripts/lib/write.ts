/**
 * Write stage: puts generated files on disk, and compares them with what is there (for drift).
 * The only stage besides the reader that touches the disk.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { CASES_FILE, type OutputSink } from './build.ts';
import type { PieceWriter } from './stable-json.ts';
import { compare } from './diagnostics.ts';

/** Generated files that exist on disk now: every schema under schemas/ and the cases file. */
export function listGenerated(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(path.join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.json')) out.push(rel);
    }
  };
  walk('schemas');
  // Only whether it is there: the file can be tens of megabytes.
  if (isFile(path.join(root, CASES_FILE))) out.push(CASES_FILE);
  return out.sort(compare);
}

/** What writing the generated files changed. */
export interface WriteResult {
  /** Files whose content changed or that are new, sorted. */
  written: string[];
  /** Generated files no longer produced, which were removed, sorted. */
  removed: string[];
  unchanged: number;
  /** SHA-256 (hex) of every file produced, by path. */
  hashes: Map<string, string>;
}

/**
 * Puts generated files on disk as the build gives them, each compared with the file there
 * and written only when it differs; a file given in pieces goes to a temporary file first and
 * replaces the old one only when it differs, so that no file is ever held whole. `finish()`
 * removes the generated files that were not produced and says what changed.
 */
export class OutputWriter implements OutputSink {
  private readonly written: string[] = [];
  private unchanged = 0;
  private readonly hashes = new Map<string, string>();

  constructor(private readonly root: string) {}

  file(rel: string, text: string): void {
    const digest = createHash('sha256').update(text).digest('hex');
    this.produced(rel, digest);
    const abs = path.join(this.root, rel);
    if (sha256OfFile(abs) === digest) {
      this.unchanged++;
      return;
    }
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    this.written.push(rel);
  }

  open(rel: string): PieceWriter {
    const abs = path.join(this.root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    const temp = `${abs}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w');
    const hash = createHash('sha256');
    let pending: string[] = [];
    let size = 0;
    const flush = () => {
      if (pending.length === 0) return;
      writeSync(fd, pending.join(''));
      pending = [];
      size = 0;
    };
    return {
      write(piece) {
        hash.update(piece);
        pending.push(piece);
        size += piece.length;
        if (size >= FLUSH_CHARS) flush();
      },
      close: () => {
        try {
          flush();
        } finally {
          closeSync(fd);
        }
        const digest = hash.digest('hex');
        this.produced(rel, digest);
        if (sha256OfFile(abs) === digest) {
          rmSync(temp);
          this.unchanged++;
        } else {
          renameSync(temp, abs);
          this.written.push(rel);
        }
      },
    };
  }

  /** Removes generated files that were not produced; returns what changed. */
  finish(): WriteResult {
    const removed: string[] = [];
    for (const rel of listGenerated(this.root)) {
      if (!this.hashes.has(rel)) {
        rmSync(path.join(this.root, rel));
        removed.push(rel);
      }
    }
    return { written: [...this.written].sort(compare), removed, unchanged: this.unchanged, hashes: this.hashes };
  }

  private produced(rel: string, digest: string): void {
    if (this.hashes.has(rel)) throw new Error(`internal error: generated file ${rel} was produced twice`);
    this.hashes.set(rel, digest);
  }
}

/** Characters a streamed file collects before they are written out. */
const FLUSH_CHARS = 1 << 16;

/**
 * The buffer {@link sha256OfFile} reads into, one for the process: a fresh buffer per file
 * made V8 count thousands of short-lived megabytes of external memory and collect the whole
 * heap for them over and over (a run that checks every output hashes thousands of files).
 */
const chunk = Buffer.allocUnsafeSlow(1 << 16);

/** SHA-256 (hex) of a file's bytes, read a chunk at a time; null when it cannot be read. */
export function sha256OfFile(abs: string): string | null {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch {
    return null;
  }
  try {
    const hash = createHash('sha256');
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
    return hash.digest('hex');
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

function isFile(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}

/** Text of a file, or null when it does not exist. */
export function readOrNull(abs: string): string | null {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return null;
  }
}
