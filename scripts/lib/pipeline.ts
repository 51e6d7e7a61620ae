/**
 * The generator's pipeline, stage by stage: parse every file, build the contract,
 * join the recipes, build the outputs. Pure: it takes what the reader read.
 */
import { buildOutputs, type BuildResult } from './build.ts';
import { buildContract, type Contract } from './contract.ts';
import { sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import type { PageModel } from './model.ts';
import { parsePage } from './parse.ts';
import type { DocsTree } from './read.ts';
import { parseRecipes } from './recipes.ts';

/** Everything the pipeline produces from one docs tree. */
export interface PipelineResult {
  models: PageModel[];
  contract: Contract;
  build: BuildResult;
  /** All diagnostics of every stage, sorted. */
  diagnostics: Diagnostic[];
}

/** The recipes file as read: its name for messages and its text. */
export interface RecipesInput {
  file: string;
  text: string;
}

/** Runs parse → contract → build over a docs tree that has been read. */
export function runPipeline(tree: DocsTree, recipesInput: RecipesInput): PipelineResult {
  const diagnostics: Diagnostic[] = [...tree.diagnostics];
  const models = tree.files.map((file) => {
    const { page, diagnostics: found } = parsePage(file);
    diagnostics.push(...found);
    return page;
  });
  const { contract, diagnostics: contractDiagnostics } = buildContract(models, tree.sourceLocale);
  diagnostics.push(...contractDiagnostics);
  const recipes = parseRecipes(recipesInput.text, recipesInput.file);
  diagnostics.push(...recipes.diagnostics);
  const build = buildOutputs(contract, recipes);
  diagnostics.push(...build.diagnostics);
  return { models, contract, build, diagnostics: sortDiagnostics(diagnostics) };
}
