/** `npm run validate`: per-locale and cross-locale docs checks, reported as text, JSON or GitHub annotations. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyBaseline, parseBaseline, serializeBaseline, TODO_REASON, type Baseline } from '../lib/baseline.ts';
import { involves, plain, validate, type Finding } from '../lib/checks/index.ts';
import { finding } from '../lib/checks/types.ts';
import { flags, shownFrom } from '../lib/cli.ts';
import { escapeControl, formatGithub, formatText, hasErrors, sortDiagnostics, summarize } from '../lib/diagnostics.ts';
import { parsePage } from '../lib/parse.ts';
import { loadTree } from '../lib/pipeline.ts';
import { progressOn } from '../lib/progress.ts';
import { readDocsTree, type DocsTree } from '../lib/read.ts';
import { BASELINE_FILE, FORMATS, UsageError, type Format } from '../lib/util.ts';
import { readOrNull } from '../lib/write.ts';
import { sarifText } from './sarif-output.ts';
import { COMMAND_LINES } from './commands.ts';

/** How the command is called. */
export const { usage: USAGE, options: OPTIONS } = COMMAND_LINES.validate;

/** Where a run writes: results on `out`; in JSON mode the summary goes to `err`. */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

const console_: Output = { out: (t) => console.log(t), err: (t) => console.error(t) };

/**
 * The files `--locale` needs parsed: those of the locales asked for and of the source locale they
 * are compared with. Without a source locale, or with it asked for, every locale is compared with
 * another: all of them.
 */
export function filesToCheck(tree: DocsTree, selected: ReadonlySet<string>): DocsTree['files'] {
  // The source locale is compared with every translation: asking for it needs them all.
  if (!tree.sourceLocale || selected.has(tree.sourceLocale)) return tree.files;
  const keep = new Set([...selected, tree.sourceLocale]);
  return tree.files.filter((f) => keep.has(f.locale));
}

/** The docs tree at `docs`, narrowed to the files the locales asked for need; an unknown locale is a usage error. */
function treeToCheck(docs: string, selected: ReadonlySet<string> | null): DocsTree {
  const tree = readDocsTree(docs);
  for (const locale of selected ?? []) {
    if (!tree.locales.includes(locale)) {
      throw new UsageError(`unknown locale \`${locale}\`; the docs in \`${docs}\` have ${tree.locales.map((l) => `\`${l}\``).join(', ')}\nusage: ${USAGE}`);
    }
  }
  if (selected) tree.files = filesToCheck(tree, selected);
  return tree;
}

/** Runs validate; returns the exit code (0 clean, 1 findings). Usage errors throw UsageError. */
export function run(args: string[], io: Output = console_): number {
  const values = flags(args, OPTIONS, USAGE);
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be text, json, github or sarif, not \`${values.format}\`\nusage: ${USAGE}`);
  const update = values['update-baseline'];
  if (update && values['no-baseline']) throw new UsageError(`--update-baseline writes the baseline; drop --no-baseline\nusage: ${USAGE}`);
  if (update && values.locale) throw new UsageError(`--update-baseline records the findings of every locale; drop --locale\nusage: ${USAGE}`);

  const selected = values.locale ? new Set(values.locale) : null;
  // On a terminal, a long parse shows how far it is (stderr only: stdout may be JSON or SARIF).
  const progress = progressOn(process.stderr, 'pages', values.quiet);
  // The tree read is not kept here: once parsed, its texts are let go (see Loaded).
  const validation = validate(loadTree(treeToCheck(values.docs, selected), { cache: values['no-cache'] ? null : values.cache, ...(progress ? { onParsed: progress.update } : {}) }, parsePage));
  progress?.finish();
  if (validation.cacheProblem) io.err(`validate: ${validation.cacheProblem}`);

  const baselineFile = values.baseline ?? BASELINE_FILE;
  const explicit = values.baseline !== undefined;
  let baseline: Baseline | null = null;
  let notApplied = '';
  if (!values['no-baseline']) {
    const text = readOrNull(baselineFile);
    if (text === null) {
      if (explicit && !update) throw new UsageError(`baseline file \`${baselineFile}\` does not exist; create it with --update-baseline, or drop --baseline`);
    } else {
      baseline = parseBaseline(text, baselineFile);
      if (path.resolve(baseline.docs) !== path.resolve(values.docs)) {
        if (explicit || update) throw new UsageError(`baseline \`${baselineFile}\` is for the docs in \`${baseline.docs}\`, not \`${values.docs}\`; pass the matching --docs, or another --baseline`);
        notApplied = `; baseline ${baselineFile} not applied (it is for \`${baseline.docs}\`)`;
        baseline = null;
      }
    }
  }

  if (update) {
    const written = serializeBaseline(values.docs, validation.findings, baseline);
    writeFileSync(baselineFile, written.text);
    const todo = written.added > 0 ? ` Replace each \`${TODO_REASON}\` with the reason.` : '';
    io.out(`validate: wrote ${baselineFile}: ${validation.findings.length} entries (${written.kept} kept, ${written.added} added, ${written.removed} removed).${todo}`);
    return 0;
  }

  const split = baseline ? applyBaseline(validation.findings, baseline) : { fresh: validation.findings, accepted: [], stale: [] };
  const inSelection = (f: Finding) => selected === null || involves(f, selected);
  const fresh = split.fresh.filter(inSelection);
  const accepted = split.accepted.filter((a) => inSelection(a.finding));
  const stale: Finding[] = split.stale
    .map((e) =>
      finding(
        { file: baselineFile, line: e.line, locale: e.locale },
        'warning',
        'baseline-stale',
        `Baseline entry \`${e.rule}\` for \`${e.file}\` matches no finding any more; remove it, or run \`npm run validate -- --update-baseline\`.`,
      ),
    )
    .filter((f) => selected === null || selected.has(f.locale));
  // --quiet: errors only.
  const keep = (f: Finding) => !values.quiet || f.severity === 'error';
  const freshShown = (sortDiagnostics(fresh) as Finding[]).filter(keep);
  const staleShown = stale.filter(keep);
  const shown = [...freshShown, ...staleShown];

  const locales = selected ? validation.locales.filter((l) => selected.has(l)) : validation.locales;
  const files = locales.reduce((n, l) => n + (validation.files[l] ?? 0), 0);
  const acceptedNote = baseline ? `; ${accepted.length} accepted by ${baselineFile}` : '';
  const summary = `validate: ${summarize(shown)} (${files} file${files === 1 ? '' : 's'}: ${locales.join(', ')})${acceptedNote}${notApplied}.`;

  if (format === 'json') {
    io.out(JSON.stringify(shown.map(plain), null, 2));
    io.err(summary);
  } else if (format === 'sarif') {
    // Docs findings name files under the docs root; stale baseline entries name the baseline file.
    const where = (file: string) => (stale.length > 0 && file === baselineFile ? path.resolve(file) : path.resolve(values.docs, file));
    io.out(sarifText(shown, 'validate', where).trimEnd());
    io.err(summary);
  } else {
    const docsRoot = path.relative(process.cwd(), path.resolve(values.docs)).split(path.sep).join('/');
    // Docs findings name files under the docs root; stale baseline entries name the baseline file.
    const body = format === 'github' ? [formatGithub(freshShown, docsRoot), formatGithub(staleShown, '')].filter(Boolean).join('\n') : formatText(shown, shownFrom(values.docs, staleShown.length > 0 ? [baselineFile] : []));
    if (body) io.out(body);
    io.out(escapeControl(summary));
  }
  return hasErrors(shown) || (values.strict && shown.length > 0) ? 1 : 0;
}
