/**
 * Loads the generated cases file for its consumers (the contract suite and the mock), checking
 * the shape they rely on, so a missing or hand-edited file fails with what to do instead of a crash.
 */
import { readFileSync } from 'node:fs';
import { type CasesFile } from './build.ts';
import { FAULT_KINDS } from './recipes.ts';
import { CASES_FILE, isRecord, isStrings, UsageError } from './util.ts';

/** Reads and checks a cases file. Throws a UsageError naming the file and the fix. */
export function loadCases(file: string = CASES_FILE): CasesFile {
  const regenerate = 'run `npm run generate` to build it from the docs';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new UsageError(`cases file \`${file}\` does not exist; ${regenerate}`);
    throw new UsageError(`cases file \`${file}\` cannot be read (${String(code ?? error)}); check its permissions, or ${regenerate}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`cases file \`${file}\` is not valid JSON; it is generated, never edited: ${regenerate}`);
  }
  const problem = shapeProblem(value);
  if (problem) throw new UsageError(`cases file \`${file}\` is not a cases file: ${problem}; ${regenerate}`);
  return value as CasesFile;
}

/** The first way a value fails to be a CasesFile, as `path` and what it should be; null when it is one. */
export function shapeProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'the top level must be an object';
  if (!isStrings(value['locales'])) return '`locales` must be a list of strings';
  if (!Array.isArray(value['cases'])) return '`cases` must be a list';
  for (const [i, c] of value['cases'].entries()) {
    const at = `\`cases[${i}]`;
    if (!isRecord(c)) return `${at}\` must be an object`;
    for (const key of ['id', 'page', 'error', 'heading'] as const) if (typeof c[key] !== 'string') return `${at}.${key}\` must be a string`;
    if (!isStrings(c['locales'])) return `${at}.locales\` must be a list of strings`;
    if (!isRecord(c['expected'])) return `${at}.expected\` must be an object`;
    const uri = c['errorUri'];
    if (!isRecord(uri) || typeof uri['path'] !== 'string' || typeof uri['fragment'] !== 'string' || !isStrings(uri['permalinks'])) {
      return `${at}.errorUri\` must be an object with string \`path\` and \`fragment\` and a list \`permalinks\``;
    }
    const request = c['request'];
    if (!isRecord(request)) return `${at}.request\` must be an object`;
    for (const key of ['method', 'path', 'accept', 'why'] as const) if (typeof request[key] !== 'string') return `${at}.request.${key}\` must be a string`;
    if (!Number.isInteger(request['status'])) return `${at}.request.status\` must be an HTTP status code`;
    const fault = request['fault'];
    if (!isRecord(fault) || typeof fault['name'] !== 'string' || !(FAULT_KINDS as readonly unknown[]).includes(fault['kind'])) {
      return `${at}.request.fault\` must be a fault with a \`name\` and a \`kind\` (${FAULT_KINDS.map((f) => `\`${f}\``).join(', ')})`;
    }
    if (!Number.isInteger(request['rank'])) return `${at}.request.rank\` must be an integer`;
    if (request['answer'] !== 'body' && request['answer'] !== 'redirect') return `${at}.request.answer\` must be \`body\` or \`redirect\``;
    if (typeof request['endpoint'] !== 'string') return `${at}.request.endpoint\` must be a string`;
    if (!['documented', 'github', 'either'].includes(String(request['expectErrorUri']))) return `${at}.request.expectErrorUri\` must be \`documented\`, \`github\` or \`either\``;
    const github = request['github'];
    if (github !== null && !(isRecord(github) && typeof github['errorUri'] === 'string' && isStrings(github['sources']))) return `${at}.request.github\` must be null or an object with a string \`errorUri\` and a list \`sources\``;
    const form = request['form'];
    if (!Array.isArray(form) || !form.every((f) => Array.isArray(f) && f.length === 2 && isStrings(f))) return `${at}.request.form\` must be a list of [name, value] string pairs`;
    if (!isStrings(c['needs']) || !isStrings(c['uses'])) return `${at}.needs\` and \`.uses\` must be lists of setting names`;
  }
  return null;
}
