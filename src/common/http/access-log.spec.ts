import Fastify, { FastifyInstance } from 'fastify';
import { once } from 'node:events';
import { AddressInfo, connect } from 'node:net';
import { registerAccessLog, requestIdOf } from './http-edge';

/** The access log on a bare fastify server, its lines collected as written. */
describe('access log', () => {
  let app: FastifyInstance;
  let lines: { msg: string; res: { statusCode: number }; req: { id: string; path: string } }[];
  let release: () => void;
  let handlerStarted: Promise<void>;

  beforeEach(async () => {
    lines = [];
    app = Fastify({ genReqId: requestIdOf });
    registerAccessLog(app, 'info', { write: (text) => void lines.push(JSON.parse(text)) });
    let started: () => void;
    handlerStarted = new Promise((resolve) => (started = resolve));
    app.get('/slow', async () => {
      started();
      await new Promise<void>((resolve) => (release = resolve));
      return { ok: true };
    });
    app.get('/fast', async () => ({ ok: true }));
    app.get('/health/live', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => app.close());

  const port = () => (app.server.address() as AddressInfo).port;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Until `count` lines are written (up to 5 s on a busy machine), then a while for any more. */
  const settle = async (count = lines.length) => {
    for (let i = 0; i < 100 && lines.length < count; i += 1) await sleep(50);
    await sleep(100);
  };

  /** Sends a GET on a connection of its own and returns the socket. */
  async function send(path: string, id: string) {
    const socket = connect(port(), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: ${id}\r\n\r\n`);
    return socket;
  }

  it('writes one "request aborted" line (499) when the client goes away while the route works', async () => {
    const socket = await send('/slow', 'gone-while-working');
    await handlerStarted;
    socket.destroy();
    await settle(1);
    release();
    await settle();
    expect(lines.map((l) => [l.req.id, l.msg, l.res.statusCode])).toEqual([
      ['gone-while-working', 'request aborted', 499],
    ]);
  });

  it('writes one line per answered request, none when their connection closes afterwards', async () => {
    const socket = await send('/fast', 'answered-1');
    await once(socket, 'data');
    socket.write('GET /fast?q=1 HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: answered-2\r\n\r\n');
    await once(socket, 'data');
    socket.destroy();
    await settle(2);
    expect(lines.map((l) => [l.req.id, l.req.path, l.msg, l.res.statusCode])).toEqual([
      ['answered-1', '/fast', 'request completed', 200],
      ['answered-2', '/fast', 'request completed', 200],
    ]);
  });

  it('writes nothing for health checks, answered or not', async () => {
    (await send('/health/live', 'health-check')).destroy();
    await settle();
    expect(lines).toEqual([]);
  });

  it('writes nothing below LOG_LEVEL=info', async () => {
    const quiet = Fastify();
    const written: string[] = [];
    registerAccessLog(quiet, 'warn', { write: (text) => void written.push(text) });
    quiet.get('/fast', async () => ({ ok: true }));
    expect((await quiet.inject({ method: 'GET', url: '/fast' })).statusCode).toBe(200);
    await quiet.close();
    expect(written).toEqual([]);
  });
});
