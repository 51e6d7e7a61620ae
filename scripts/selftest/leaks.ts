/**
 * Searching everything a run left for secrets: texts (stdout, stderr) and every file under the
 * output folders, looking inside zip files (Playwright traces, the HTML report's data), gzip
 * streams and base64 `data:` URIs (the HTML report embeds its data as one), at any depth. Each
 * secret is looked for as written, URL-encoded, JSON- and XML-escaped and base64-encoded at any offset.
 * A finding names the place and the secret's label, never its value.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';

/** A value that must not appear, and the name findings give it. */
export interface Needle {
  label: string;
  value: string;
}

/** One occurrence: where (`file`, `file!entry`, `file#data-uri-1!entry`) and which needle. */
export interface Leak {
  where: string;
  what: string;
}

/** What a search found, and everything it read (so a test can show it looked inside traces). */
export interface ScanReport {
  leaks: Leak[];
  /** Every place read, containers and their contents alike. */
  scanned: string[];
  /** Containers that could not be opened: a search that cannot look is no proof. */
  unreadable: string[];
}

/** Largest file or decoded content read: far above any report or trace of the suite. */
const MAX_BYTES = 256 * 1024 * 1024;
/** Containers inside containers are opened this deep. */
const MAX_DEPTH = 4;

/** Searches `texts` (named), and `paths`: files, and every file under folders (symbolic links are not followed), for every needle. */
export function scan(texts: ReadonlyArray<{ name: string; text: string }>, paths: readonly string[], needles: readonly Needle[]): ScanReport {
  const report: ScanReport = { leaks: [], scanned: [], unreadable: [] };
  const forms = needles.map((n) => ({ label: n.label, forms: formsOf(n.value).map((f) => Buffer.from(f, 'utf8')) }));
  for (const { name, text } of texts) scanBytes(name, Buffer.from(text, 'utf8'), forms, report, 0);
  for (const where of paths) {
    for (const file of filesUnder(where)) {
      const size = lstatSync(file).size;
      if (size > MAX_BYTES) report.unreadable.push(`${file} (${size} bytes, over ${MAX_BYTES})`);
      else scanBytes(file, readFileSync(file), forms, report, 0);
    }
  }
  return report;
}

/** The ways a secret may be written: as is, URL-encoded (either case) and form-encoded, JSON-escaped (once or twice), XML-escaped, base64 (and base64url) at each of the 3 offsets. */
export function formsOf(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const xml = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  const percent = encodeURIComponent(value);
  const forms = new Set([value, percent, percent.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()), new URLSearchParams({ s: value }).toString().slice(2), json, JSON.stringify(json).slice(1, -1), xml]);
  const bytes = Buffer.from(value, 'utf8');
  for (let pad = 0; pad < 3; pad++) {
    const b64 = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    // Characters of the first group mix in the padding; those of a last partial group, what follows.
    const inner = b64.slice(pad === 0 ? 0 : 4, Math.floor((pad + bytes.length) / 3) * 4);
    if (inner.length >= 8) {
      forms.add(inner);
      forms.add(inner.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms].filter((f) => f !== '');
}

type Forms = ReadonlyArray<{ label: string; forms: Buffer[] }>;

function scanBytes(where: string, bytes: Buffer, forms: Forms, report: ScanReport, depth: number): void {
  report.scanned.push(where);
  for (const { label, forms: variants } of forms) {
    if (variants.some((f) => bytes.includes(f))) report.leaks.push({ where, what: label });
  }
  if (depth >= MAX_DEPTH) return;
  const zipStart = bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
  if (zipStart || (bytes.length >= 22 && bytes.includes(EOCD))) {
    const entries = readZip(bytes);
    if (entries === null) {
      if (zipStart) report.unreadable.push(where);
    } else {
      for (const entry of entries) {
        if (entry.data === null) report.unreadable.push(`${where}!${entry.name}`);
        else scanBytes(`${where}!${entry.name}`, entry.data, forms, report, depth + 1);
      }
    }
  }
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      scanBytes(`${where}!gunzip`, gunzipSync(bytes, { maxOutputLength: MAX_BYTES }), forms, report, depth + 1);
    } catch {
      report.unreadable.push(`${where}!gunzip`);
    }
  }
  const text = bytes.toString('latin1');
  let n = 0;
  for (const m of text.matchAll(/data:[\w.+-]+\/[\w.+-]+(?:;[\w-]+=[\w-]+)*;base64,([A-Za-z0-9+/=]+)/g)) {
    scanBytes(`${where}#data-uri-${++n}`, Buffer.from(m[1] ?? '', 'base64'), forms, report, depth + 1);
  }
}

/** The end-of-central-directory signature of a zip file. */
const EOCD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** A zip entry; `data` is null when its compression is not stored or deflate. */
export interface ZipEntry {
  name: string;
  data: Buffer | null;
}

/** The entries of a zip file (stored or deflated), or null when `bytes` is not one this reader can open (zip64 included). */
export function readZip(bytes: Buffer): ZipEntry[] | null {
  const end = bytes.lastIndexOf(EOCD);
  if (end < 0 || end + 22 > bytes.length) return null;
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  if (at === 0xffffffff || count === 0xffff) return null;
  const entries: ZipEntry[] = [];
  try {
    for (let i = 0; i < count; i++) {
      if (bytes.readUInt32LE(at) !== 0x02014b50) return null;
      const method = bytes.readUInt16LE(at + 10);
      const compressed = bytes.readUInt32LE(at + 20);
      const nameLength = bytes.readUInt16LE(at + 28);
      const extraLength = bytes.readUInt16LE(at + 30);
      const commentLength = bytes.readUInt16LE(at + 32);
      const local = bytes.readUInt32LE(at + 42);
      const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
      at += 46 + nameLength + extraLength + commentLength;
      if (bytes.readUInt32LE(local) !== 0x04034b50) return null;
      const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
      const raw = bytes.subarray(start, start + compressed);
      const data = method === 0 ? raw : method === 8 ? inflateRawSync(raw, { maxOutputLength: MAX_BYTES }) : null;
      entries.push({ name, data });
    }
  } catch {
    return null;
  }
  return entries;
}

/** `where` itself when it is a file; the files under it when it is a folder; none when it does not exist. */
function filesUnder(where: string): string[] {
  let entries;
  try {
    if (lstatSync(where).isFile()) return [where];
    entries = readdirSync(where, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
