/**
 * Liquid of one page in one locale: block tags balance, tag names are ones GitHub docs renders,
 * and `{% data %}` references are dotted paths. GitHub renders Liquid inside code too (only
 * `{% raw %}` stops it), so tags in code count.
 */
import { editDistance } from '../anchors.ts';
import type { LiquidTag, PageModel } from '../model.ts';
import { finding, listOf, type Finding } from './types.ts';

/** Block tags and the tag that closes each. */
export const BLOCK_TAGS: Readonly<Record<string, string>> = Object.fromEntries([
  // Liquid itself
  ...['if', 'unless', 'case', 'for', 'capture', 'comment', 'raw', 'tablerow'].map((t) => [t, `end${t}`]),
  // GitHub docs: versioning closes with `endif`; callouts, tool and platform switches, prompts
  ['ifversion', 'endif'],
  ...['note', 'tip', 'warning', 'danger', 'important', 'caution', 'prompt', 'rowheaders'].map((t) => [t, `end${t}`]),
  ...['mac', 'windows', 'linux', 'agents', 'api', 'azure_data_studio', 'bash', 'cli', 'codespaces', 'curl', 'desktop', 'eclipse', 'importer_cli', 'javascript', 'jetbrains', 'jetbrains_beta', 'mobile', 'skillsets', 'vimneovim', 'powershell', 'visualstudio', 'vscode', 'webui', 'windowsterminal', 'xcode'].map((t) => [t, `end${t}`]),
]);

/** Tags that stand alone. */
export const SINGLE_TAGS: ReadonlySet<string> = new Set([
  'data', 'indented_data_reference', 'octicon', 'link', 'link_in_list', 'link_with_intro', 'homepage_link_with_intro', 'link_as_article_card',
  'assign', 'increment', 'decrement', 'cycle', 'include', 'render', 'echo', 'liquid', 'break', 'continue', 'layout',
]);

/** Tags valid only inside certain blocks. */
const BRANCH_TAGS: Readonly<Record<string, readonly string[]>> = {
  else: ['if', 'ifversion', 'unless', 'case', 'for'],
  elsif: ['if', 'ifversion', 'unless'],
  when: ['case'],
};

const CLOSERS: ReadonlySet<string> = new Set(Object.values(BLOCK_TAGS));

/** A dotted path, whose steps may be Liquid indexes the site evaluates (`glossaries.external[forloop.index0].term`). */
const DATA_REFERENCE = /^[\w-]+(?:\[[\w.'"-]+\])*(?:\.[\w-]+(?:\[[\w.'"-]+\])*)+$/;

/** Checks the Liquid tags of each page. */
export function checkLiquid(models: readonly PageModel[]): Finding[] {
  const out: Finding[] = [];
  for (const model of models) {
    const at = (tag: LiquidTag) => ({ file: model.file, line: tag.line, column: tag.column, locale: model.locale });
    const open: LiquidTag[] = [];
    for (const tag of model.liquid) {
      const name = tag.name;
      if (name in BLOCK_TAGS) {
        open.push(tag);
      } else if (CLOSERS.has(name)) {
        const openers = Object.keys(BLOCK_TAGS).filter((o) => BLOCK_TAGS[o] === name);
        let match = -1;
        for (let i = open.length - 1; i >= 0; i--) {
          if (openers.includes(open[i]?.name ?? '')) {
            match = i;
            break;
          }
        }
        if (match === -1) {
          out.push(finding(at(tag), 'error', 'liquid-unbalanced', `\`{% ${name} %}\` closes no open ${openers.map((o) => `\`{% ${o} %}\``).join(' or ')}; remove it, or add the opening tag before it.`));
          continue;
        }
        for (const inner of open.splice(match).slice(1)) {
          out.push(
            finding(at(inner), 'error', 'liquid-unbalanced', `\`{% ${inner.name} %}\` is not closed before \`{% ${name} %}\` at line ${tag.line} closes the block around it; add \`{% ${BLOCK_TAGS[inner.name] ?? ''} %}\` where this block ends.`),
          );
        }
      } else if (name in BRANCH_TAGS) {
        const allowed = BRANCH_TAGS[name] ?? [];
        const inside = open[open.length - 1]?.name ?? '';
        if (!allowed.includes(inside)) {
          out.push(
            finding(at(tag), 'error', 'liquid-unbalanced', `\`{% ${name} %}\` is outside any ${listOf(allowed.map((a) => `\`{% ${a} %}\``), 'or')} block; remove it, or open the block before it.`),
          );
        }
      } else if (!SINGLE_TAGS.has(name)) {
        const near = nearestTag(name);
        out.push(
          finding(at(tag), 'error', 'liquid-unknown-tag', `Liquid tag \`{% ${name} %}\` is not one GitHub docs renders${near ? `; did you mean \`{% ${near} %}\`?` : '; fix its name, or wrap literal Liquid in `{% raw %}`…`{% endraw %}`.'}`),
        );
      }
      if (name === 'data' && !DATA_REFERENCE.test(tag.args)) {
        const shown = tag.args ? `{% data ${tag.args} %}` : '{% data %}';
        out.push(
          finding(at(tag), 'error', 'liquid-data-malformed', `\`${shown}\` does not name a data entry; write a dotted path such as \`{% data variables.product.product_name %}\` or \`{% data reusables.<folder>.<file> %}\`.`),
        );
      }
    }
    for (const tag of open) {
      out.push(finding(at(tag), 'error', 'liquid-unbalanced', `\`{% ${tag.name} %}\` is never closed; add \`{% ${BLOCK_TAGS[tag.name] ?? ''} %}\` where the block ends.`));
    }
  }
  return out;
}

/** A known tag name one or two edits away, for "did you mean". */
function nearestTag(name: string): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const known of [...Object.keys(BLOCK_TAGS), ...CLOSERS, ...SINGLE_TAGS, ...Object.keys(BRANCH_TAGS)]) {
    const d = editDistance(known, name);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}
