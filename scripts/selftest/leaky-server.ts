/**
 * A failing server that hands the suite real secrets, for the test that no secret leaks. It
 * stands in front of the embedded mock: each request the suite sends is passed on to the mock
 * with a code the mock really issued (from its authorize endpoint) in place of the suite's; the
 * token the mock issues for it (or for another fresh code) and the code then come back to the
 * suite in a wrong answer, a different one each time, with the suite's own request echoed.
 * Every code and token issued, and every secret value the suite sent, is recorded so the test
 * can search the run's output for them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SECRET_FIELDS } from '../suite/mask.ts';
import { readBody } from './reference-server.ts';

/** The mock in front of which the server stands, and the app registered there. */
export interface LeakyOptions {
  mockUrl: string;
  /** Path of the mock's authorize endpoint (GET, answers a redirect carrying `code`). */
  authorizePath: string;
  /** Path of the mock's token endpoint (POST). */
  tokenPath: string;
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
}

/** What the server handed out and was handed. */
export interface LeakyRecord {
  /** Codes the mock issued. */
  codes: string[];
  /** Tokens the mock issued. */
  tokens: string[];
  /** Values the suite sent in secret fields (its own codes, its wrong secrets). */
  sent: string[];
  /** Answers sent back to the suite, by kind. */
  answers: string[];
}

/** A running leaky server. */
export interface Leaky {
  url: string;
  record: LeakyRecord;
  stop(): Promise<void>;
}

/** The wrong answers, in turn: each carries a real code and token where a careless suite would print them. */
const KINDS = ['token for a bad request', 'redirect carrying both', 'JSON array of both', 'echo in error_description', 'HTML page naming the token'] as const;

/** Starts the server on 127.0.0.1 and a free port. */
export async function startLeaky(options: LeakyOptions): Promise<Leaky> {
  const record: LeakyRecord = { codes: [], tokens: [], sent: [], answers: [] };
  const sockets = new Set<Socket>();
  let turn = 0;

  /** A code the mock really issues, from its authorize endpoint. */
  async function issueCode(): Promise<string> {
    const url = new URL(options.authorizePath, options.mockUrl);
    url.search = new URLSearchParams({ client_id: options.clientId, state: 'leak' }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    const code = new URL(res.headers.get('location') ?? '', options.mockUrl).searchParams.get('code');
    if (!code) throw new Error(`the mock issued no code (status ${res.status})`);
    record.codes.push(code);
    return code;
  }

  /** Posts `form` to the mock's token endpoint; the answer's text. */
  async function exchange(form: URLSearchParams, accept: string): Promise<string> {
    const res = await fetch(new URL(options.tokenPath, options.mockUrl), { method: 'POST', body: form, headers: { accept } });
    return res.text();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = (await readBody(req)) ?? '';
    const fields = new URLSearchParams(raw);
    for (const [name, value] of fields) if (SECRET_FIELDS.has(name) && value !== '') record.sent.push(value);
    // The suite's own request, with a real code: the mock answers it as it would a real client.
    fields.set('code', await issueCode());
    let answer = await exchange(fields, req.headers.accept ?? 'application/json');
    let token = /gho_[A-Za-z0-9]+/.exec(answer)?.[0];
    if (token === undefined) {
      // The request fails another check first: a token for a good request, so every answer carries one.
      const good = new URLSearchParams({ client_id: options.clientId, client_secret: options.clientSecret, code: await issueCode() });
      answer = await exchange(good, 'application/json');
      token = /gho_[A-Za-z0-9]+/.exec(answer)?.[0];
    }
    if (token === undefined) throw new Error('the mock issued no token');
    record.tokens.push(token);
    const code = await issueCode();
    const kind = KINDS[turn++ % KINDS.length] ?? KINDS[0];
    record.answers.push(kind);
    const json = (value: unknown): void => void res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));
    switch (kind) {
      case 'token for a bad request':
        return json({ access_token: token, token_type: 'bearer', scope: '', code });
      case 'redirect carrying both': {
        const to = new URL(options.callbackUrl);
        to.search = new URLSearchParams({ code, access_token: token, state: 'leak' }).toString();
        res.writeHead(302, { location: to.href }).end();
        return;
      }
      case 'JSON array of both':
        return json([{ access_token: token, code }]);
      case 'echo in error_description':
        return json({ error: 'leaky_server', error_description: `you sent: ${raw}; issued: code=${code}&access_token=${token}` });
      case 'HTML page naming the token':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!DOCTYPE html><html><head><title>Signed in with ${token}</title></head><body>code ${code}</body></html>`);
        return;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`leaky server: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let stopped: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    record,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return stopped;
    },
  };
}
