import { RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SessionBarrierInterceptor } from './session-barrier.interceptor';

/** Every controller class of the service, found by file name so that a new one is covered too. */
function controllers(): (new (...args: never[]) => unknown)[] {
  const src = join(__dirname, '..');
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.controller.ts'),
  );
  return files.flatMap((file) =>
    // Loaded by path: the list of controllers is discovered, not written down.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Object.values(require(join(src, file)) as Record<string, unknown>).filter(
      (value): value is new (...args: never[]) => unknown =>
        typeof value === 'function' && Reflect.hasMetadata(PATH_METADATA, value),
    ),
  );
}

describe('SessionBarrierInterceptor on the routes', () => {
  const routes = controllers().flatMap((controller) =>
    Object.getOwnPropertyNames(controller.prototype)
      .map((name) => ({ name, handler: (controller.prototype as Record<string, unknown>)[name] }))
      .filter(
        ({ handler }) =>
          typeof handler === 'function' && Reflect.hasMetadata(METHOD_METADATA, handler as object),
      )
      .map(({ name, handler }) => ({
        route: `${controller.name}.${name}`,
        method: Reflect.getMetadata(METHOD_METADATA, handler as object) as RequestMethod,
        interceptors: [
          ...((Reflect.getMetadata(INTERCEPTORS_METADATA, controller) as unknown[]) ?? []),
          ...((Reflect.getMetadata(INTERCEPTORS_METADATA, handler as object) as unknown[]) ?? []),
        ],
      })),
  );

  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThan(20);
  });

  it('is on every route that changes state (POST, PUT, PATCH, DELETE)', () => {
    const changing = routes.filter((r) => r.method !== RequestMethod.GET);
    expect(changing.length).toBeGreaterThanOrEqual(18);
    const missing = changing.filter((r) => !r.interceptors.includes(SessionBarrierInterceptor));
    expect(missing.map((r) => r.route)).toEqual([]);
  });

  it('is on no read route (it costs every request it is on)', () => {
    const reading = routes.filter((r) => r.method === RequestMethod.GET);
    expect(reading.filter((r) => r.interceptors.includes(SessionBarrierInterceptor))).toEqual([]);
  });
});
