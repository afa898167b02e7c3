import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preHandlerHookHandler,
  RouteOptions,
} from 'fastify';

/**
 * What the global guards learned about one route (one per method and path, as fastify has
 * them), recorded by each guard on the route's first request: a request may then be answered
 * before routing only where the guards would give the same answer.
 */
export interface RouteGate {
  /** SessionGuard: the route needs a session (it is not @Public()). */
  sessionRequired?: boolean;
  /** ClientThrottlerGuard: the route's requests count under the module's one limit. */
  defaultRateLimit?: boolean;
  /** SessionGuard: how the route answers from the request's session alone, or null (it does not). */
  sessionView?: SessionViewGate | null;
}

/** A route's answer made from the session alone (the session guard's @SessionView()). */
export interface SessionViewGate {
  status: number;
  /** The route's own headers, as its handler's answer has them. */
  headers: [string, string][];
  /** The answer's JSON text. */
  render(session: object): string;
}

const GATE = Symbol('routeGate');
type Gated = FastifyRequest & { [GATE]?: RouteGate };

/** The gate of the route a request is on (undefined for a request that reached no route). */
export function routeGateOf(req: object): RouteGate | undefined {
  return (req as Gated)[GATE];
}

/** Puts a route's gate on one of its requests (the hook below; specs of the guards). */
export function putRouteGate(req: object, gate: RouteGate): void {
  (req as Gated)[GATE] = gate;
}

/** Answers a request before routing (true: it has sent the answer) or leaves it (false). */
export type EarlyAnswer = (req: FastifyRequest, reply: FastifyReply, gate: RouteGate) => boolean;

/**
 * Gives every route its gate and a last pre-handler hook that puts the gate on each request
 * and lets `answer` answer the request before Nest's router runs. Registered before the routes
 * exist (fastify's onRoute).
 */
export function registerRouteGates(app: FastifyInstance, answer: EarlyAnswer): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const gate: RouteGate = {};
    const hook: preHandlerHookHandler = (req, reply, done) => {
      putRouteGate(req, gate);
      // An answer sent here ends the request: the route's handler does not run.
      if (!answer(req, reply, gate)) done();
    };
    route.preHandler = [...([] as preHandlerHookHandler[]).concat(route.preHandler ?? []), hook];
  });
}
