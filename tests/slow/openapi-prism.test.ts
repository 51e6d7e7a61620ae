/**
 * Prism serves the OpenAPI export: `prism mock` on the export of the committed cases answers a
 * request for a named example (`Prefer: example=<error>`) with exactly that documented error,
 * which Prism finds valid by the exported schema.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { documentedBody, type Case } from '../../scripts/lib/build.ts';
import { loadCases } from '../../scripts/lib/cases.ts';
import { readSchemas } from '../../scripts/cli/export.ts';
import { toOpenApi } from '../../scripts/lib/openapi.ts';
import { stableJson } from '../../scripts/lib/stable-json.ts';

const START_LIMIT_MS = 60_000;

/** A port free on 127.0.0.1 a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The case's form with every placeholder filled with a made-up value, optional ones left out: a request the exported schema accepts. */
function formOf(c: Case): string {
  const fields = c.request.form.filter(([, v]) => !/\{\{\w+\?\}\}/.test(v)).map(([k, v]): [string, string] => [k, v.replace(/\{\{\w+\}\}/g, 'made-up')]);
  return new URLSearchParams(fields).toString();
}

test('prism mock serves a documented error of the export, chosen by Prefer: example=<error>', { timeout: START_LIMIT_MS + 30_000 }, async () => {
  const cases = loadCases().cases.filter((c) => c.request.answer === 'body');
  const [chosen, other] = cases.filter((c) => c.request.path === cases[0]!.request.path);
  assert.ok(chosen && other, 'the committed cases document two errors of one body endpoint');
  const dir = mkdtempSync(path.join(tmpdir(), 'docs-contract-prism-'));
  const file = path.join(dir, 'openapi.json');
  writeFileSync(file, stableJson(toOpenApi(loadCases(), readSchemas(loadCases()))));
  const port = await freePort();
  const prism = spawn(path.resolve('node_modules/.bin/prism'), ['mock', file, '--host', '127.0.0.1', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`prism did not start in ${START_LIMIT_MS} ms:\n${log}`)), START_LIMIT_MS);
      const read = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Prism is listening')) {
          clearTimeout(timer);
          resolve();
        }
      };
      prism.stdout.on('data', read);
      prism.stderr.on('data', read);
      prism.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`prism exited with ${code} before listening:\n${log}`));
      });
    });
    const ask = async (c: Case) => {
      const res = await fetch(`http://127.0.0.1:${port}${c.request.path}`, {
        method: c.request.method,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', prefer: `example=${c.error}` },
        body: formOf(c),
        signal: AbortSignal.timeout(10_000),
      });
      return { status: res.status, type: res.headers.get('content-type'), violations: res.headers.get('sl-violations'), body: (await res.json()) as unknown };
    };
    for (const c of [chosen, other]) {
      const answer = await ask(c);
      assert.deepEqual(answer, { status: c.request.status, type: 'application/json', violations: null, body: documentedBody(c) }, `prism's answer for example \`${c.error}\`\n${log}`);
    }
  } finally {
    prism.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
