/**
 * Bad docs through the real commands, in child processes: each input that used to crash, hang or
 * read outside the tree now ends in time, with an exit code, a finding naming file:line, and no
 * stack trace. Inputs are generated into a temporary folder; nothing big is committed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

/** Generous for a loaded 2-core machine: the inputs used to take minutes, or forever. */
const TIME_BOUND_MS = 30_000;

const page = (body: string) => `---\ntitle: Widgets\n---\n\n# Widgets\n\n${body}\n`;

/** A docs tree in a fresh temp folder, removed after the file's tests. */
function tree(files: Record<string, string>, links: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'docs-contract-bad-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  for (const [rel, target] of Object.entries(links)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    symlinkSync(target, path.join(root, rel));
  }
  return root;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** The docs folder the command was given. */
  docs: string;
}

/** Runs a command of ours; kills it past twice the time bound so that a hang fails instead of blocking. */
function command(name: 'validate' | 'generate', docs: string, args: string[], stdoutLimit = Infinity): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/docs-contract.js', name, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 2 * TIME_BOUND_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Like `| head`: stop reading and close the pipe.
      if (stdout.length >= stdoutLimit) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started, docs });
    });
  });
}

function validate(root: string, ...more: string[]) {
  return command('validate', root, [`--docs=${root}`, '--no-baseline', ...more]);
}

function generate(root: string) {
  const out = mkdtempSync(path.join(tmpdir(), 'docs-contract-out-'));
  after(() => rmSync(out, { recursive: true, force: true }));
  return command('generate', root, [`--docs=${root}`, `--out=${out}`, '--no-cache']);
}

/** Exit code, a finding at file:line (a file of the docs, named from the working folder as text output names it) with its rule, no stack trace, within the bound. */
function assertReported(run: Run, code: number, finding: string, rule: string): void {
  const all = `${run.stdout}\n${run.stderr}`;
  assert.doesNotMatch(all, /^\s+at |internal error|RangeError/m, all.slice(0, 2000));
  assert.ok(run.ms < TIME_BOUND_MS, `took ${run.ms} ms`);
  assert.equal(run.code, code, all.slice(0, 2000));
  const at = `${path.relative(process.cwd(), run.docs).split(path.sep).join('/')}/${finding}`;
  const line = all.split('\n').find((l) => l.startsWith(at));
  assert.ok(line, `no finding at ${finding} in:\n${all.slice(0, 2000)}`);
  assert.ok(line.endsWith(`(${rule})`), line);
}

const FILE = 'xx-XX/example/widgets.md';
const OTHER = 'yy-YY/example/widgets.md';

describe('bad docs end in time with a finding, never a stack trace', () => {
  it('an unclosed ```json block of 10 001 `[`', async () => {
    const root = tree({ [FILE]: page('```json\n' + '['.repeat(10_001)) });
    assertReported(await validate(root), 1, `${FILE}:8:130:`, 'json-syntax');
    // The page documents no error response, so its problems are reported and do not stop generate.
    assertReported(await generate(root), 0, `${FILE}:8:130:`, 'json-syntax');
  });

  it('10 000 nested blockquotes on one line', async () => {
    const root = tree({ [FILE]: page('>'.repeat(10_000) + ' widget') });
    assertReported(await validate(root), 1, `${FILE}:7:1:`, 'nesting-too-deep');
    assertReported(await generate(root), 0, `${FILE}:7:1:`, 'nesting-too-deep');
  });

  it('120 KB of `*a_` (remark would take minutes over its emphasis)', async () => {
    const root = tree({ [FILE]: page('*a_'.repeat(40_000)) });
    assertReported(await validate(root), 1, `${FILE}:1:1:`, 'page-too-complex');
  });

  it('900 KB of `<a `, of `{% ` and of `{% a ` in a page with a translation (the prose scans of the parity checks)', async () => {
    for (const unit of ['<a ', '{% ', '{% a ']) {
      const root = tree({ [FILE]: page(unit.repeat(Math.floor(900_000 / unit.length))), [OTHER]: page('Widgets.') });
      const run = await validate(root);
      assert.doesNotMatch(`${run.stdout}${run.stderr}`, /^\s+at /m);
      assert.ok(run.ms < TIME_BOUND_MS, `${unit}: took ${run.ms} ms`);
    }
  });

  it('symlinks out of the tree are not followed, not even to /proc/kmsg', async () => {
    const outside = tree({ 'secret.md': page('Outside text: widget_jammed_secret.') });
    const root = tree({ [FILE]: page('Widgets.') }, { 'xx-XX/example/kmsg.md': '/proc/kmsg', 'xx-XX/example/outside.md': path.join(outside, 'secret.md'), 'xx-XX/etc': outside });
    const run = await validate(root);
    assertReported(run, 0, 'xx-XX/example/kmsg.md:1:1: warning `xx-XX/example/kmsg.md` is a symlink leading out of the docs tree', 'docs-unreadable');
    assertReported(run, 0, 'xx-XX/example/outside.md:1:1:', 'docs-unreadable');
    assertReported(run, 0, 'xx-XX/etc:1:1:', 'docs-unreadable');
    assert.doesNotMatch(run.stdout, /widget_jammed_secret/);
    assertReported(await generate(root), 0, 'xx-XX/example/kmsg.md:1:1:', 'docs-unreadable');
  });

  it('a dangling symlink that is not a page does not stop generate', async () => {
    const root = tree({ [FILE]: page('Widgets.') }, { 'xx-XX/example/widget.png': 'no-such-image.png' });
    const run = await generate(root);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /widget\.png/);
  });

  it('a reader that closes the pipe early (`| head`) gets no EPIPE stack', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`xx-XX/w${i}.md`] = '# W\n\n```json\n{x\n```\n';
    const root = tree(files);
    const run = await command('validate', root, [`--docs=${root}`, '--no-baseline'], 1);
    assert.doesNotMatch(run.stderr, /EPIPE|^\s+at /m, run.stderr);
    assert.equal(run.code, 1);
  });
});
