/**
 * Diagnostics as SARIF 2.1.0, the format GitHub code scanning takes: one run, every rule with
 * its description and help, one result per diagnostic with a full region, and the baseline's
 * fingerprint as a partial fingerprint, so an alert survives edits elsewhere in the page as a
 * baseline entry does. Kept within the limits code scanning documents. Pure.
 */
import type { Location, Log, ReportingDescriptor, Result } from 'sarif';
import { fingerprint } from './baseline.ts';
import type { Diagnostic } from './diagnostics.ts';
import { GENERATED_RULES, RULES, type RuleId } from './rules.ts';

/** The `$schema` of the log: the OASIS SARIF 2.1.0 schema. */
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The key of our fingerprint in `partialFingerprints`; versioned, as the fingerprint's recipe may change. */
export const FINGERPRINT_KEY = 'docsContractFingerprint/v1';

/** Code scanning's documented limits that a docs tree could reach: results per run, related locations per result. */
export const LIMITS = { results: 25_000, relatedLocations: 1_000 } as const;

const ALL_RULES: Record<RuleId, string> = { ...RULES, ...GENERATED_RULES };

/** How a log is made. */
export interface SarifOptions {
  /** The tool's version (package.json's). */
  version: string;
  /** The command that ran, for `automationDetails` (`docs-contract/validate/`). */
  command: string;
  /** Turns a diagnostic's file into a path relative to the repository root, with `/`. */
  uri: (file: string) => string;
  /** A line's text, to end the region at the line's end; null when the file cannot be read. */
  lineText: (file: string, line: number) => string | null;
}

/** The SARIF log of a list of diagnostics (already sorted). */
export function toSarif(list: readonly Diagnostic[], options: SarifOptions): Log {
  const ids = Object.keys(ALL_RULES) as RuleId[];
  const index = new Map(ids.map((id, i) => [id, i]));
  const kept = list.slice(0, LIMITS.results);
  const left = list.length - kept.length;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'docs-contract', semanticVersion: options.version, rules: ids.map(rule) } },
        automationDetails: { id: `docs-contract/${options.command}/` },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: true,
            ...(left > 0
              ? { toolExecutionNotifications: [{ level: 'warning', message: { text: `${left} more results were left out: code scanning takes at most ${LIMITS.results} per run. Fix or baseline some, and run again.` } }] }
              : {}),
          },
        ],
        results: kept.map((d) => result(d, index.get(d.rule) ?? 0, options)),
      },
    ],
  };
}

/** A rule as SARIF describes it: id, a name, its description, and help on what to do. */
function rule(id: RuleId): ReportingDescriptor {
  const text = ALL_RULES[id];
  return {
    id,
    name: id.replace(/(?:^|-)([a-z])/g, (_, c: string) => c.toUpperCase()),
    shortDescription: { text },
    fullDescription: { text },
    help: {
      text: `${text} Each finding's message names the place, what is wrong and the fix. To accept a finding rather than fix it, record it with \`docs-contract validate --update-baseline\` and give the reason.`,
      markdown: `**\`${id}\`**: ${text}\n\nEach finding's message names the place, what is wrong and the fix. To accept a finding rather than fix it, record it with \`docs-contract validate --update-baseline\` and give the reason.`,
    },
  };
}

/** One diagnostic as a result; the region runs from its column to the end of its line. */
function result(d: Diagnostic, ruleIndex: number, options: SarifOptions): Result {
  const text = options.lineText(d.file, d.line);
  const end = text === null ? d.column + 1 : Math.max(text.length + 1, d.column + 1);
  const related: Location[] = (d.related ?? []).slice(0, LIMITS.relatedLocations).map((r, i) => ({
    id: i,
    physicalLocation: { artifactLocation: { uri: options.uri(r.file) }, region: { startLine: r.line } },
    message: { text: `related place (${r.locale})` },
  }));
  return {
    ruleId: d.rule,
    ruleIndex,
    level: d.severity,
    message: { text: d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: options.uri(d.file) },
          region: { startLine: d.line, startColumn: d.column, endLine: d.line, endColumn: end },
        },
      },
    ],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(d) },
    properties: { locale: d.locale },
  };
}
