import Fastify, { FastifyInstance } from 'fastify';
import { EarlyAnswer, registerRouteGates, RouteGate, routeGateOf } from './route-gate';

describe('registerRouteGates', () => {
  let app: FastifyInstance;
  let handled: string[];
  let answered: { url: string; gate: RouteGate }[];
  let answer: EarlyAnswer;

  beforeEach(async () => {
    handled = [];
    answered = [];
    answer = () => false;
    app = Fastify();
    registerRouteGates(app, (req, reply, gate) => {
      answered.push({ url: req.url, gate });
      return answer(req, reply, gate);
    });
    const handler = (url: string) => (req: object) => {
      handled.push(url);
      // The gate the hook put on the request, where a guard records what it found.
      const gate = routeGateOf(req)!;
      gate.sessionRequired = url !== '/public';
      return { ok: true };
    };
    app.get('/a', handler('/a'));
    app.get('/public', handler('/public'));
    app.post('/a', handler('POST /a'));
    await app.ready();
  });
  afterEach(() => app.close());

  it('gives each route (method and path) its own gate, on every request of that route', async () => {
    await app.inject({ method: 'GET', url: '/a' });
    await app.inject({ method: 'GET', url: '/a' });
    await app.inject({ method: 'POST', url: '/a' });
    await app.inject({ method: 'GET', url: '/public' });
    await app.inject({ method: 'HEAD', url: '/a' });
    expect(answered.map((a) => a.url)).toEqual(['/a', '/a', '/a', '/public', '/a']);
    const [first, second, post, pub, head] = answered.map((a) => a.gate);
    expect(second).toBe(first);
    expect(new Set([first, post, pub, head]).size).toBe(4);
    expect(first.sessionRequired).toBe(true);
    expect(pub.sessionRequired).toBe(false);
  });

  it('lets the handler run unless the early answer was sent', async () => {
    answer = (req, reply, gate) => {
      if (gate.sessionRequired !== true) return false;
      void reply.status(401).send({ refused: true });
      return true;
    };
    const first = await app.inject({ method: 'GET', url: '/a' });
    const second = await app.inject({ method: 'GET', url: '/a' });
    const pub = await app.inject({ method: 'GET', url: '/public' });
    expect([first.statusCode, second.statusCode, pub.statusCode]).toEqual([200, 401, 200]);
    expect(second.json()).toEqual({ refused: true });
    // The first request taught the gate; the second never reached the handler.
    expect(handled).toEqual(['/a', '/public']);
  });

  it('does not run for a request that reached no route', async () => {
    expect((await app.inject({ method: 'GET', url: '/nowhere' })).statusCode).toBe(404);
    expect(answered).toEqual([]);
  });
});
