/**
 * The parse cache: each page's parse result kept under the SHA-256 of everything parsing reads
 * (the parser's code, the page's path, locale and text), so a run over a tree with few changes
 * parses only what changed. One pack file per docs tree, in one folder (`DEFAULT_CACHE_DIR`).
 * Every entry carries the SHA-256 of its bytes and is checked before it is used: a tampered,
 * truncated or corrupt entry is a miss, never a different result. The cache only saves time:
 * one that cannot be read is empty, one that cannot be written is said once and the run goes on.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { SourceFile } from './model.ts';
import type { ParseResult } from './parse.ts';
import { makeDirs } from './util.ts';

/** Bump when the pack layout changes. Parser changes need none: see {@link parserVersion}. */
const PACK_FORMAT = 2;

/** Packs kept in the folder, the most recently used (one per docs tree a user runs on). */
export const MAX_PACKS = 16;

/** A temporary pack older than this was left by a run that died. */
const ABANDONED_MS = 60 * 60 * 1000;

/** Bytes of a hex SHA-256. */
const HEX = 64;

let memo: string | undefined;

/**
 * The parser's version: a SHA-256 of the source of parse.ts and every local module it imports,
 * of the lock file (a dependency upgrade counts) and of the V8 version (the entries'
 * serialization). Any edit to the parsing code invalidates every entry by itself.
 */
export function parserVersion(): string {
  if (memo !== undefined) return memo;
  const libDir = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256').update(`pack ${PACK_FORMAT}\0v8 ${process.versions.v8}\0`);
  for (const file of localSources(libDir, ['parse.ts'])) hash.update(`${file}\0`).update(readFileSync(path.join(libDir, file))).update('\0');
  try {
    hash.update(readFileSync(path.join(libDir, '../../package-lock.json')));
  } catch {
    hash.update('no lock file');
  }
  return (memo = hash.digest('hex'));
}

/** The entries (paths relative to `dir`) and every local module they import, transitively, sorted. */
export function localSources(dir: string, entries: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (file: string) => {
    if (found.has(file)) return;
    found.add(file);
    const text = readFileSync(path.join(dir, file), 'utf8');
    // Statements at the start of a line only: an example in a comment is not an import.
    for (const m of text.matchAll(/^(?:(?:import|export)\b[^;]*?\bfrom\s+|import\s+)'(\.{1,2}\/[^']+\.ts)'/gm)) {
      if (m[1]) visit(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1])));
    }
  };
  entries.forEach(visit);
  return [...found].sort();
}

/** The key of one file's parse result: the parser's version and everything parsePage reads of the file. */
export function pageKey(source: SourceFile, version = parserVersion()): string {
  return createHash('sha256').update(`page\0${version}\0${source.file}\0${source.locale}\0${source.page}\0`).update(source.text).digest('hex');
}

/** The parse cache of one docs tree: `get` each file, `set` what was parsed on a miss, then `save`. */
export class ParseCache {
  /** Entries of the pack on disk, unchecked: key → [digest, bytes]. */
  private readonly stored = new Map<string, { digest: string; bytes: Uint8Array }>();
  /** Entries this run used or made, as they go into the next pack. */
  private readonly used = new Map<string, { digest: string; bytes: Uint8Array }>();
  private added = 0;
  /** Each file's key, made once: a miss is looked up, then set. */
  private readonly keys = new WeakMap<SourceFile, string>();
  readonly stats = { hits: 0, misses: 0 };

  private constructor(
    readonly file: string,
    private readonly version: string,
  ) {}

  /**
   * Opens the cache of the docs tree at `root`, kept under `dir`; `siteDigest` is that of the site
   * data pages are rendered with. A missing, unreadable or outdated pack is an empty cache.
   */
  static open(dir: string, root: string, siteDigest = ''): ParseCache {
    const id = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16);
    const cache = new ParseCache(path.join(path.resolve(dir), `parse-${id}.bin`), `${parserVersion()}\0${siteDigest}`);
    const pack = readRegularFile(cache.file);
    const head = header();
    if (pack === null || !pack.subarray(0, head.length).equals(head)) return cache;
    for (let at = head.length; at + 2 * HEX + 4 <= pack.length; ) {
      const length = pack.readUInt32LE(at + 2 * HEX);
      const end = at + 2 * HEX + 4 + length;
      if (end > pack.length) break; // truncated: the entries before it stand, each checked on use
      cache.stored.set(pack.toString('latin1', at, at + HEX), { digest: pack.toString('latin1', at + HEX, at + 2 * HEX), bytes: pack.subarray(at + 2 * HEX + 4, end) });
      at = end;
    }
    return cache;
  }

  /** The cached parse result of a file; undefined on a miss (absent, or its bytes not what was stored). */
  get(source: SourceFile): ParseResult | undefined {
    const key = this.keyOf(source);
    const entry = this.stored.get(key);
    if (entry && sha256(entry.bytes) === entry.digest) {
      try {
        const value = deserialize(entry.bytes) as ParseResult;
        this.used.set(key, entry);
        this.stats.hits++;
        return value;
      } catch {
        // Checked bytes that do not deserialize (another V8): a miss.
      }
    }
    this.stats.misses++;
    return undefined;
  }

  /**
   * Stores a file's parse result (serialized now: later changes to the value cannot leak in) and
   * returns the stored copy, which is what a warm run will read: a cold run uses the same values.
   * The copy's strings are its own, where the parser's are slices of the page's text, which
   * they would keep alive for the whole run.
   */
  set(source: SourceFile, result: ParseResult): ParseResult {
    const bytes = serialize(result);
    this.used.set(this.keyOf(source), { digest: sha256(bytes), bytes });
    this.added++;
    return deserialize(bytes) as ParseResult;
  }

  private keyOf(source: SourceFile): string {
    let key = this.keys.get(source);
    if (key === undefined) this.keys.set(source, (key = pageKey(source, this.version)));
    return key;
  }

  /**
   * Writes the pack of this run's entries when it changed, atomically, and keeps the MAX_PACKS
   * most recently used packs of the folder. Returns why it could not be written, else null.
   */
  save(): string | null {
    if (this.added === 0 && this.used.size === this.stored.size) {
      touch(this.file);
      return null;
    }
    const temp = `${this.file}.${process.pid}.tmp`;
    let fd: number | null = null;
    try {
      makeDirs(path.dirname(this.file));
      fd = openSync(temp, 'w');
      writeSync(fd, header());
      const length = Buffer.alloc(4);
      for (const [key, { digest, bytes }] of this.used) {
        length.writeUInt32LE(bytes.length);
        writeSync(fd, Buffer.from(key + digest, 'latin1'));
        writeSync(fd, length);
        writeSync(fd, bytes);
      }
      closeSync(fd);
      fd = null;
      renameSync(temp, this.file);
    } catch (error) {
      if (fd !== null) closeSync(fd);
      try {
        rmSync(temp, { force: true });
      } catch {
        // The folder itself is unusable: nothing was written.
      }
      return `the parse cache cannot be written to ${path.dirname(this.file)} (${(error as NodeJS.ErrnoException).code ?? String(error)}); runs stay correct, only slower. Pass --cache=DIR with a writable folder, or --no-cache.`;
    }
    keepMostRecent(this.file);
    return null;
  }
}

/** First bytes of a pack: the format and the parser version its entries were made with. */
function header(): Buffer {
  return Buffer.from(`docs-contract parse cache ${PACK_FORMAT} ${parserVersion()}\n`);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file's bytes when it is a regular file; null for anything else (absent, a folder, a FIFO, a device). */
function readRegularFile(file: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd) : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Marks a pack used now; one that is gone is no error. */
function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // Never written, or removed meanwhile.
  }
}

/** Keeps the MAX_PACKS most recently used packs beside `current` (it among them); removes temporary packs of runs that died. */
function keepMostRecent(current: string): void {
  const dir = path.dirname(current);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const packs: Array<{ file: string; used: number }> = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const temp = /^parse-[0-9a-f]{16}\.bin\.\d+\.tmp$/.test(name);
    if (file === current || (!temp && !/^parse-[0-9a-f]{16}\.bin$/.test(name))) continue;
    try {
      const used = statSync(file).mtimeMs;
      if (!temp) packs.push({ file, used });
      else if (Date.now() - used > ABANDONED_MS) rmSync(file, { force: true });
    } catch {
      // Removed meanwhile by another run.
    }
  }
  packs.sort((a, b) => b.used - a.used);
  for (const { file } of packs.slice(MAX_PACKS - 1)) rmSync(file, { force: true });
}
