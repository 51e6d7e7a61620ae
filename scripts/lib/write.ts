/**
 * Write stage: puts generated files on disk, and compares them with what is there (for drift).
 * The only stage besides the reader that touches the disk.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CASES_FILE } from './build.ts';
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
  try {
    readFileSync(path.join(root, CASES_FILE));
    out.push(CASES_FILE);
  } catch {
    // not generated yet
  }
  return out.sort(compare);
}

/** Writes the files, removes generated files that are no longer produced; returns what changed. */
export function writeOutputs(root: string, files: ReadonlyMap<string, string>): { written: string[]; removed: string[]; unchanged: number } {
  const written: string[] = [];
  const removed: string[] = [];
  let unchanged = 0;
  for (const [rel, text] of [...files].sort(([a], [b]) => compare(a, b))) {
    const abs = path.join(root, rel);
    if (readOrNull(abs) === text) {
      unchanged++;
      continue;
    }
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    written.push(rel);
  }
  for (const rel of listGenerated(root)) {
    if (!files.has(rel)) {
      rmSync(path.join(root, rel));
      removed.push(rel);
    }
  }
  return { written, removed, unchanged };
}

/** Text of a file, or null when it does not exist. */
export function readOrNull(abs: string): string | null {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return null;
  }
}
