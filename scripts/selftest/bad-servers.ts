/**
 * Servers that misbehave on the wire rather than in what they say: each is a reference-server
 * behaviour that takes over sending the documented answer (too slowly, cut off, too long, not
 * UTF-8, not the right shape, or somewhere else), and may keep what it observed for a check
 * after the run.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Behaviour } from './reference-server.ts';

/** Size of the body of {@link hugeBody}. */
export const HUGE_BODY_BYTES = 50 * 1024 * 1024;

/** Status and headers of the documented answer, then nothing, ever. */
export const headersThenSilence: Behaviour = {
  wire(res, answer) {
    res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length });
    res.flushHeaders();
  },
};

/** An interim `100 Continue`, then nothing, ever. */
export const interimThenSilence: Behaviour = {
  wire(res) {
    res.writeContinue();
  },
};

/** The start of a status line and headers, cut in the middle of a header, then nothing, ever. */
export const partialHeaders: Behaviour = {
  wire(res, answer) {
    res.socket?.write(`HTTP/1.1 ${answer.status} OK\r\nContent-Type: ${answer.contentType.slice(0, 6)}`);
  },
};

/** The documented answer at one byte a second. */
export const dripping: Behaviour = {
  wire(res, answer) {
    res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length });
    let sent = 0;
    const drip = () => {
      if (sent < answer.body.length && !res.destroyed) res.write(answer.body.subarray(sent, ++sent));
    };
    const timer = setInterval(drip, 1000);
    res.on('close', () => clearInterval(timer));
    drip();
  },
};

/** Status, headers and half the documented body, then a TCP reset. */
export const resetMidBody: Behaviour = {
  wire(res, answer) {
    res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length });
    res.write(answer.body.subarray(0, answer.body.length >> 1));
    setImmediate(() => res.socket?.resetAndDestroy());
  },
};

/** The documented answer with one byte that is not UTF-8 (0xff) just before its last two. */
export const invalidUtf8: Behaviour = {
  wire(res, answer) {
    const at = Math.max(0, answer.body.length - 2);
    const body = Buffer.concat([answer.body.subarray(0, at), Buffer.from([0xff]), answer.body.subarray(at)]);
    res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': body.length }).end(body);
  },
};

/** HTTP 200 with a login page, whatever was asked. */
export const htmlLoginPage: Behaviour = {
  wire(res) {
    const page = '<!DOCTYPE html>\n<html><head><title>Sign in to Example Forge</title></head>\n<body><form action="/session" method="post"><input name="login"><input name="password" type="password"></form></body></html>\n';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page) }).end(page);
  },
};

/** The documented JSON answer wrapped in an array. */
export const jsonArray: Behaviour = {
  wire(res, answer) {
    const body = Buffer.concat([Buffer.from('['), answer.body, Buffer.from(']')]);
    res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': body.length }).end(body);
  },
};

/** A 307 (which keeps the method and body) back to the URL asked. */
export const redirectLoop: Behaviour = {
  wire(res, _answer, req) {
    res.writeHead(307, { location: req.url ?? '/' }).end();
  },
};

/** A 307 (which keeps the method and body, client secret included) to `url`. */
export function redirectTo(url: string): Behaviour {
  return {
    wire(res, _answer, req) {
      res.writeHead(307, { location: new URL(req.url ?? '/', url).href }).end();
    },
  };
}

/** A body of {@link HUGE_BODY_BYTES}, sent as fast as the client reads it, without a Content-Length; `written()` says how much the client took. */
export function hugeBody(): { behaviour: Behaviour; written(): number } {
  // Sockets keep their count of bytes handed to the system after they close.
  const sockets: Socket[] = [];
  const behaviour: Behaviour = {
    wire(res, answer) {
      res.writeHead(answer.status, { 'content-type': answer.contentType });
      if (res.socket) sockets.push(res.socket);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let queued = 0;
      const more = () => {
        while (!res.destroyed && queued < HUGE_BODY_BYTES) {
          queued += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        if (!res.destroyed) res.end();
      };
      res.on('error', () => {});
      more();
    },
  };
  return { behaviour, written: () => Math.max(0, ...sockets.map((s) => s.bytesWritten)) };
}

/** Another host on 127.0.0.1: answers nothing, counts the connections it gets. */
export interface Elsewhere {
  url: string;
  connections(): number;
  stop(): Promise<void>;
}

/** Starts {@link Elsewhere} on a free port. */
export async function startElsewhere(): Promise<Elsewhere> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((_req, res: ServerResponse) => res.writeHead(404).end());
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
