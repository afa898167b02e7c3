import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { SessionCache } from './session-cache.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request that may have changed sessions, devices or users (any method but GET, HEAD and
 * OPTIONS; also when it fails: a fourth wrong code deactivates and answers 403) is answered only
 * after every instance's session cache has processed what it committed (SessionCache.barrier).
 */
@Injectable()
export class SessionBarrierInterceptor implements NestInterceptor {
  constructor(private readonly cache: SessionCache) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const method = context.switchToHttp().getRequest<Request>().method;
    if (SAFE_METHODS.has(method)) return next.handle();
    return next.handle().pipe(
      mergeMap((value: unknown) => from(this.cache.barrier().then(() => value))),
      catchError((error: unknown) =>
        from(this.cache.barrier()).pipe(mergeMap(() => throwError(() => error))),
      ),
    );
  }
}
