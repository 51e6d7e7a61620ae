/**
 * The baseline: a committed list of accepted findings, each with a reason. validate fails only
 * on findings that are not in it and reports entries that match nothing any more. Entries are
 * matched by a fingerprint of rule, file and message with line numbers taken out, so that an
 * edit elsewhere in the page does not unaccept a finding. Pure: the CLI reads and writes the file.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Document, LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { UsageError } from './util.ts';
import type { Diagnostic } from './diagnostics.ts';
import { readOrNull } from './write.ts';

/** One accepted finding. */
export interface BaselineEntry {
  rule: string;
  /** Docs-relative file of the finding. */
  file: string;
  locale: string;
  fingerprint: string;
  /** The finding's message when it was accepted, for readers; not matched. */
  message: string;
  /** Why it is accepted rather than fixed. */
  reason: string;
  /** Line of the entry in the baseline file, for reports. */
  line: number;
}

/** A parsed baseline file. */
export interface Baseline {
  /** The docs folder the entries belong to, as written (relative to the repository). */
  docs: string;
  entries: BaselineEntry[];
}

/** Reason written for entries added by `--update-baseline`, to be replaced by a real one. */
export const TODO_REASON = 'TODO: say why this finding is accepted rather than fixed';

/** Fingerprint of a finding: rule, file and message without line numbers, hashed. */
export function fingerprint(d: Pick<Diagnostic, 'rule' | 'file' | 'message'>): string {
  return createHash('sha1').update(`${d.rule}\n${d.file}\n${normalizeMessage(d.message)}`, 'utf8').digest('hex').slice(0, 16);
}

/** A message with the line numbers it mentions (`x.md:52`, `line 52`) taken out. */
export function normalizeMessage(message: string): string {
  return message.replace(/(\.(?:md|ya?ml)):\d+(?::\d+)?/g, '$1').replace(/\blines? \d+/g, 'line');
}

/** Parses a baseline file's text; a malformed file is a usage error naming the line. */
export function parseBaseline(text: string, file: string): Baseline {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  const fail = (offset: number | undefined, what: string): never => {
    throw new UsageError(`${file}:${counter.linePos(offset ?? 0).line}: ${what}; fix it, or rewrite the file with \`npm run validate -- --update-baseline\`.`);
  };
  if (doc.errors.length > 0) fail(doc.errors[0]?.pos[0], `baseline YAML does not parse: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`);
  const root = doc.contents;
  if (!isMap(root)) return fail(0, 'a baseline is a mapping with `docs:` and `accepted:`');
  const docs = root.get('docs') as unknown;
  if (typeof docs !== 'string' || docs === '') fail(root.range?.[0], '`docs:` must name the docs folder the entries belong to');
  const list = root.get('accepted', true);
  const entries: BaselineEntry[] = [];
  const empty = list === undefined || (isScalar(list) && list.value === null);
  if (!empty && !isSeq(list)) fail(root.range?.[0], '`accepted:` must be a list of entries');
  if (isSeq(list)) {
    for (const item of list.items) {
      const offset = isMap(item) ? item.range?.[0] : undefined;
      if (!isMap(item)) return fail(offset, 'each accepted entry is a mapping');
      const field = (name: string, required: boolean): string => {
        const value = item.get(name) as unknown;
        if (typeof value === 'string' && value !== '') return value;
        if (required) fail(offset, `entry lacks a non-empty \`${name}\``);
        return '';
      };
      const entry: BaselineEntry = {
        rule: field('rule', true),
        file: field('file', true),
        locale: field('locale', false),
        fingerprint: field('fingerprint', true),
        message: field('message', false),
        reason: field('reason', true),
        line: counter.linePos(offset ?? 0).line,
      };
      if (!/^[0-9a-f]{16}$/.test(entry.fingerprint)) fail(offset, `\`fingerprint\` \`${entry.fingerprint}\` is not 16 hex digits`);
      entries.push(entry);
    }
  }
  return { docs: docs as string, entries };
}

/** Findings split by the baseline: new ones, accepted ones, and entries that matched nothing. */
export interface BaselineResult<T extends Diagnostic> {
  fresh: T[];
  accepted: Array<{ finding: T; entry: BaselineEntry }>;
  stale: BaselineEntry[];
}

/** Matches findings to entries one to one (two equal findings need two entries). */
export function applyBaseline<T extends Diagnostic>(findings: readonly T[], baseline: Baseline): BaselineResult<T> {
  const queues = new Map<string, BaselineEntry[]>();
  for (const entry of baseline.entries) queues.set(entry.fingerprint, [...(queues.get(entry.fingerprint) ?? []), entry]);
  const fresh: T[] = [];
  const accepted: Array<{ finding: T; entry: BaselineEntry }> = [];
  for (const f of findings) {
    const entry = queues.get(fingerprint(f))?.shift();
    if (entry) accepted.push({ finding: f, entry });
    else fresh.push(f);
  }
  const stale = [...queues.values()].flat().sort((a, b) => a.line - b.line);
  return { fresh, accepted, stale };
}

/**
 * The errors among `diagnostics` that the baseline does not accept: what stops generate and
 * drift. Accepted errors are findings the project has decided to keep (the docs stay as
 * published), so the rest of the contract is still built.
 */
export function blockingErrors<T extends Diagnostic>(diagnostics: readonly T[], baseline: Baseline | null): T[] {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return baseline ? applyBaseline(errors, baseline).fresh : errors;
}

/** The baseline file accepting every finding; reasons of entries that still match are kept. */
export function serializeBaseline(docs: string, findings: readonly Diagnostic[], previous: Baseline | null): { text: string; kept: number; added: number; removed: number } {
  const { accepted, fresh, stale } = previous ? applyBaseline(findings, previous) : { accepted: [], fresh: [...findings], stale: [] };
  const reasons = new Map(accepted.map(({ finding, entry }) => [finding, entry.reason]));
  const entries = findings.map((f) => ({
    rule: f.rule,
    file: f.file,
    locale: f.locale,
    fingerprint: fingerprint(f),
    message: f.message,
    reason: reasons.get(f) ?? TODO_REASON,
  }));
  const doc = new Document({ docs, accepted: entries });
  doc.commentBefore = [
    ' Findings of `npm run validate` accepted for now, each with the reason it is not fixed.',
    ' validate fails only on findings not listed here, and reports entries that match nothing any more.',
    ' Entries match by fingerprint (rule, file, message without line numbers); `message` is for readers.',
    ' Rewrite with `npm run validate -- --update-baseline` (reasons are kept); give every new entry a reason.',
  ].join('\n');
  return { text: doc.toString({ lineWidth: 0 }), kept: accepted.length, added: fresh.length, removed: stale.length };
}

/**
 * The baseline in `baselineFile` when it exists and names the docs folder `docs` (its `docs:` is
 * resolved against `root`, the repository); null otherwise. A malformed file is a usage error.
 */
export function readBaselineFor(docs: string, baselineFile: string, root: string): Baseline | null {
  const text = readOrNull(baselineFile);
  const baseline = text === null ? null : parseBaseline(text, path.relative(root, baselineFile) || baselineFile);
  return baseline !== null && path.resolve(root, baseline.docs) === path.resolve(docs) ? baseline : null;
}

/**
 * The errors of a build that stop generate and drift: those the baseline (`--baseline`, when it
 * is for the docs folder built) does not accept. Accepted errors are findings the project keeps
 * (the docs stay as published), so the rest of the contract is still built and compared.
 */
export function blockingBuildErrors(values: { docs: string; baseline: string; 'no-baseline': boolean }, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return blockingErrors(diagnostics, values['no-baseline'] ? null : readBaselineFor(values.docs, values.baseline, process.cwd()));
}
