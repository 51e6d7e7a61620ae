/**
 * Write stage: puts the generated files on disk, and lists what is there (for drift). The only
 * stage besides the reader that touches the disk. Each file is written to a temporary file and
 * renamed into place, so a run that is killed leaves the old file or the new one, never half of
 * one. Only files that carry the generated-file marker are ever removed; a user's own files
 * beside them are left alone.
 */
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MARK } from './build.ts';
import { compare } from './diagnostics.ts';
import { CASES_FILE, makeDirs, UsageError } from './util.ts';

/** What writing the generated files changed. */
export interface WriteResult {
  /** Files whose content changed or that are new, sorted. */
  written: string[];
  /** Generated files no longer produced, which were removed, sorted. */
  removed: string[];
  /** Files under schemas/ that are not generated (no marker), left as they are, sorted. */
  leftAlone: string[];
  unchanged: number;
}

/** A temporary file of ours: `.<name>.<pid>.docs-contract.tmp` beside the file it becomes. */
const TEMP = /^\..+\.(\d+)\.docs-contract\.tmp$/;

/** A temporary file older than this belongs to a run that died, whatever its process id. */
const ABANDONED_MS = 60 * 60 * 1000;

/**
 * Writes `files` (path relative to `root` → text) under `root`, each only when it differs from
 * what is there; removes generated files that are no longer produced; sweeps temporary files of
 * runs that died. A folder or file that cannot be written is a UsageError naming it.
 */
export function writeOutputs(root: string, files: ReadonlyMap<string, string>): WriteResult {
  const before = scanOutputs(root);
  for (const temp of before.temporaries) removeQuietly(path.join(root, temp));
  const written: string[] = [];
  let unchanged = 0;
  for (const [rel, text] of files) {
    const abs = path.join(root, rel);
    if (readOrNull(abs) === text) {
      unchanged++;
      continue;
    }
    const temp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.docs-contract.tmp`);
    try {
      makeDirs(path.dirname(abs));
      writeFileSync(temp, text);
      renameSync(temp, abs);
    } catch (error) {
      removeQuietly(temp);
      throw new UsageError(`cannot write \`${path.join(root, rel)}\` (${(error as NodeJS.ErrnoException).code ?? String(error)}); pass --out=DIR with a writable folder, or free some space`);
    }
    written.push(rel);
  }
  const removed: string[] = [];
  for (const rel of before.generated) {
    if (files.has(rel)) continue;
    try {
      rmSync(path.join(root, rel), { force: true });
    } catch (error) {
      throw new UsageError(`cannot remove the generated file \`${path.join(root, rel)}\` that the docs no longer produce (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    removed.push(rel);
  }
  return { written: written.sort(compare), removed, leftAlone: before.leftAlone, unchanged };
}

/** The generated files on disk under `root` (every file under schemas/ that carries the marker, and the cases file), sorted. */
export function listGenerated(root: string): string[] {
  return scanOutputs(root).generated;
}

/** What is under `root`'s output folders: generated files, a user's own files, and abandoned temporaries. */
function scanOutputs(root: string): { generated: string[]; leftAlone: string[]; temporaries: string[] } {
  const generated: string[] = [];
  const leftAlone: string[] = [];
  const temporaries: string[] = [];
  const consider = (rel: string) => {
    const name = path.posix.basename(rel);
    const temp = TEMP.exec(name);
    if (temp) {
      if (abandoned(path.join(root, rel), Number(temp[1]))) temporaries.push(rel);
    } else if (name.endsWith('.json')) {
      (isGenerated(path.join(root, rel)) ? generated : leftAlone).push(rel);
    }
  };
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
      else if (e.isFile()) consider(rel);
    }
  };
  walk('schemas');
  const fixtures = path.posix.dirname(CASES_FILE);
  try {
    for (const name of readdirSync(path.join(root, fixtures))) {
      if (name === path.posix.basename(CASES_FILE) || TEMP.test(name)) {
        const rel = `${fixtures}/${name}`;
        // The cases file's path is the generator's own: what is there is a (perhaps damaged) generated file.
        if (name === path.posix.basename(CASES_FILE)) generated.push(rel);
        else consider(rel);
      }
    }
  } catch {
    // No fixtures folder yet.
  }
  return { generated: generated.sort(compare), leftAlone: leftAlone.sort(compare), temporaries };
}

/** Whether a file carries the generated-file marker near its start (its `$comment` sorts first). */
function isGenerated(abs: string): boolean {
  const head = readOrNull(abs)?.slice(0, 400);
  return head !== undefined && head.includes(MARK.slice(0, 40));
}

/** Whether a temporary file was left by a run that is gone: its process no longer runs, or it is old. */
function abandoned(abs: string, pid: number): boolean {
  try {
    if (Date.now() - statSync(abs).mtimeMs > ABANDONED_MS) return true;
  } catch {
    return false;
  }
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Text of a file, or null when it cannot be read as one. */
export function readOrNull(abs: string): string | null {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return null;
  }
}

/** Removes a file if it can; one that is gone, or a path that cannot hold it, is no error. */
function removeQuietly(abs: string): void {
  try {
    rmSync(abs, { force: true });
  } catch {
    // Nothing there to remove.
  }
}
