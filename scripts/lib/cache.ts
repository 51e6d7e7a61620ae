/**
 * A content-hash cache of parse results, so that a second run over an unchanged docs tree
 * does not parse again. One pack file per docs tree; each entry is keyed by the SHA-256 of
 * the parser's version and everything `parsePage` reads (file, locale, page, text), so a hit
 * is exactly what parsing would give: it can make a run faster, never different.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync, writevSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { SourceFile } from './model.ts';
import type { ParseResult } from './parse.ts';
import { parseRecipes, type RecipeSet } from './recipes.ts';

/** Where generate keeps its cache unless told otherwise, relative to the working directory. */
export const DEFAULT_CACHE_DIR = 'node_modules/.cache/docs-contract';

/** Bump when the pack layout changes. Parser changes need no bump: see {@link parserVersion}. */
const PACK_FORMAT = 1;

/**
 * Packs kept in a cache folder: the most recently used (one per docs tree; every temp tree a
 * test generates leaves one). Older ones are removed whenever a pack is written.
 */
export const MAX_PACKS = 16;

/** A pack being written that is older than this was left by a run that died. */
const ABANDONED_MS = 60 * 60 * 1000;

/** The parser modules whose code (with that of their local imports) decides a parse result. */
const PARSER_ENTRIES = ['parse.ts', 'recipes.ts'];

const versionMemo = new Map<string, string>();

/**
 * The parser's version: a SHA-256 of the source of every local module the parsers import,
 * of the lock file (so a dependency upgrade counts) and of the V8 version (the pack's
 * serialization). Any edit to the parsing code therefore invalidates every entry by itself.
 */
export function parserVersion(): string {
  return codeVersion(PARSER_ENTRIES);
}

/**
 * The version of the code of some modules of scripts/lib (paths relative to it): a SHA-256 of
 * their source and that of every local module they import, of the lock file and of the V8 version.
 */
export function codeVersion(entries: readonly string[]): string {
  const memoKey = entries.join('\0');
  const memo = versionMemo.get(memoKey);
  if (memo !== undefined) return memo;
  const libDir = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256').update(`pack ${PACK_FORMAT}\0v8 ${process.versions.v8}\0`);
  for (const file of localSources(libDir, entries)) {
    hash.update(`${file}\0`).update(readFileSync(path.join(libDir, file))).update('\0');
  }
  const lock = path.join(libDir, '../../package-lock.json');
  try {
    hash.update(readFileSync(lock));
  } catch {
    hash.update('no lock file');
  }
  const version = hash.digest('hex');
  versionMemo.set(memoKey, version);
  return version;
}

/**
 * The entries (paths relative to `dir`) and every local module they import, transitively
 * (`from './x.ts'`, `from '../y/z.ts'`, `import './w.ts'`), as sorted paths relative to `dir`.
 */
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

/** Cache key of one file: everything parsePage reads from its SourceFile, and the parser's version. */
export function pageKey(source: SourceFile, version = parserVersion()): string {
  const memo = pageKeys.get(source);
  if (memo?.version === version) return memo.key;
  const key = createHash('sha256')
    .update(`page\0${version}\0${source.file}\0${source.locale}\0${source.page}\0`)
    .update(source.text)
    .digest('hex');
  pageKeys.set(source, { version, key });
  return key;
}

/** Keys already computed, by file read (a run computes each at most once: the run record and the parse cache both need it). */
const pageKeys = new WeakMap<SourceFile, { version: string; key: string }>();

/** Cache key of a recipes file. */
export function recipesKey(file: string, text: string, version = parserVersion()): string {
  return createHash('sha256').update(`recipes\0${version}\0${file}\0`).update(text).digest('hex');
}

/** How the pages of one run were found: in the cache, or parsed. */
export interface CacheStats {
  hits: number;
  misses: number;
}

/** First line of a pack: the format and the parser version its entries were made with. */
function header(version: string): Buffer {
  return Buffer.from(`docs-contract parse cache ${PACK_FORMAT} ${version}\n`);
}

/** Bytes of a key in a pack: a SHA-256 in hex. */
const KEY_BYTES = 64;

/**
 * The parse cache of one docs tree. Open it, look entries up (a miss is parsed by the caller
 * and stored), then save: the pack keeps exactly the entries of this run. A pack is a header
 * line, then per entry its key, a 4-byte length and the V8-serialized value. New entries are
 * written to the next pack as they come, so a cold run holds none of them in memory.
 */
export class ParseCache {
  /** Entries of the pack on disk, still serialized; deserialized on a hit. */
  private readonly stored = new Map<string, Uint8Array>();
  /** Hits of this run, as stored. */
  private readonly hits = new Map<string, Uint8Array>();
  /** The next pack, opened at the first new entry; null while there is none. */
  private next: { temp: string; fd: number } | null = null;
  /** Why the next pack could not be written, once it could not. */
  private failure: string | null = null;
  readonly stats: CacheStats = { hits: 0, misses: 0 };

  private constructor(
    /** The pack file. */
    readonly file: string,
    private readonly version: string,
  ) {}

  /**
   * Opens the cache of the docs tree at `root`, kept under `dir`. A missing, unreadable,
   * corrupt or outdated pack is an empty cache, never an error.
   */
  static open(dir: string, root: string): ParseCache {
    const version = parserVersion();
    const id = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16);
    const cache = new ParseCache(path.join(path.resolve(dir), `parse-${id}.bin`), version);
    let pack: Buffer;
    try {
      pack = readFileSync(cache.file);
    } catch {
      return cache; // no pack yet
    }
    const head = header(version);
    if (!pack.subarray(0, head.length).equals(head)) return cache; // another format or parser version
    const entries = new Map<string, Uint8Array>();
    for (let at = head.length; at < pack.length; ) {
      const length = at + KEY_BYTES + 4 <= pack.length ? pack.readUInt32LE(at + KEY_BYTES) : -1;
      const end = at + KEY_BYTES + 4 + length;
      if (length < 0 || end > pack.length) return cache; // damaged: start empty
      entries.set(pack.toString('latin1', at, at + KEY_BYTES), pack.subarray(at + KEY_BYTES + 4, end));
      at = end;
    }
    for (const [key, bytes] of entries) cache.stored.set(key, bytes);
    return cache;
  }

  /** The cached parse result of a file, or undefined on a miss. */
  page(source: SourceFile): ParseResult | undefined {
    const hit = this.take(pageKey(source, this.version)) as ParseResult | undefined;
    if (hit) this.stats.hits++;
    else this.stats.misses++;
    return hit;
  }

  /** The key a file's parse result is stored under (taken from its text: take it while the text is there). */
  key(source: SourceFile): string {
    return pageKey(source, this.version);
  }

  /** Stores a parse result under the key {@link key} gave for its file. */
  store(key: string, result: ParseResult): void {
    this.put(key, result);
  }

  /** The parsed recipes file, from the cache or parsed now (and stored). */
  recipes(file: string, text: string): RecipeSet {
    const key = recipesKey(file, text, this.version);
    const hit = this.take(key) as RecipeSet | undefined;
    if (hit) return hit;
    const parsed = parseRecipes(text, file);
    this.put(key, parsed);
    return parsed;
  }

  /**
   * Finishes the pack when this run changed it (new entries, or entries no longer used) and
   * puts it in place atomically; keeps the MAX_PACKS most recently used packs of the folder.
   * Returns why the pack could not be written (the run's results do not depend on it), else null.
   */
  save(): string | null {
    if (this.next === null && this.failure === null && this.hits.size === this.stored.size) {
      touch(this.file); // used: it stays among the most recent packs
      this.removeOldPacks();
      return null;
    }
    for (const [key, bytes] of this.hits) this.append(key, bytes);
    const next = this.next;
    this.next = null;
    if (next) {
      try {
        closeSync(next.fd);
        if (this.failure === null) renameSync(next.temp, this.file);
      } catch (error) {
        this.failure ??= reason(error, this.file);
      }
      if (this.failure !== null) removeQuietly(next.temp);
    }
    if (this.failure === null) this.removeOldPacks();
    return this.failure;
  }

  private take(key: string): unknown {
    const bytes = this.stored.get(key);
    if (bytes) {
      try {
        const value = deserialize(bytes);
        this.hits.set(key, bytes);
        return value;
      } catch {
        // A damaged entry is a miss; the caller parses and stores it again.
      }
    }
    return undefined;
  }

  /** Serializes a new entry now (later changes to the value cannot leak in) and writes it out. */
  private put(key: string, value: unknown): void {
    this.append(key, serialize(value));
  }

  private append(key: string, bytes: Uint8Array): void {
    if (this.failure !== null) return;
    try {
      if (this.next === null) {
        const temp = `${this.file}.${process.pid}.${++tempCount}.tmp`;
        mkdirSync(path.dirname(this.file), { recursive: true });
        this.next = { temp, fd: openSync(temp, 'w') };
        writeSync(this.next.fd, header(this.version));
      }
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length);
      writevSync(this.next.fd, [Buffer.from(key, 'latin1'), length, bytes]);
    } catch (error) {
      this.failure = reason(error, this.file);
    }
  }

  /** Keeps the MAX_PACKS most recently used packs of the folder, this one among them; removes packs being written by runs that died. */
  private removeOldPacks(): void {
    keepMostRecent(this.file, /^parse-[0-9a-f]{16}\.bin$/, MAX_PACKS);
  }
}

/**
 * Of the files beside `current` whose names match `pattern`, keeps the `keep` most recently
 * used (modified), `current` among them, and removes the others; removes too their temporary
 * files (`<name>.<pid>….tmp`) older than ABANDONED_MS, left by runs that died while writing.
 * Files that vanish meanwhile (another run removed them) are no error.
 */
export function keepMostRecent(current: string, pattern: RegExp, keep: number): void {
  const dir = path.dirname(current);
  const others: Array<{ file: string; used: number }> = [];
  for (const name of safeList(dir)) {
    const file = path.join(dir, name);
    const temp = /^(.+?)(?:\.\d+)+\.tmp$/.exec(name);
    if (file === current || !pattern.test(temp ? (temp[1] ?? '') : name)) continue;
    try {
      const used = statSync(file).mtimeMs;
      if (!temp) others.push({ file, used });
      else if (Date.now() - used > ABANDONED_MS) removeQuietly(file);
    } catch {
      // Another run removed it first.
    }
  }
  others.sort((a, b) => b.used - a.used);
  for (const { file } of others.slice(keep - 1)) removeQuietly(file);
}

let tempCount = 0;

function reason(error: unknown, file: string): string {
  return `${(error as NodeJS.ErrnoException).code ?? 'error'} writing ${file}`;
}

/** Marks a file used now (its modification time), for {@link keepMostRecent}; a file that is gone is no error. */
export function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // Removed meanwhile: nothing to mark.
  }
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Nothing to remove.
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
