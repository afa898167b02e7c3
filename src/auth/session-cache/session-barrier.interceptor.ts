import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { SessionCache } from './session-cache.service';

/**
 * A route that may change a user, a session or a trusted device answers only after every
 * instance's session cache has processed what it committed (SessionCache.barrier), also when it
 * fails (a fourth wrong code deactivates the account and answers 403). So after a logout, a
 * device removal or a password change has answered, no instance accepts what it ended.
 */
@Injectable()
export class SessionBarrierInterceptor implements NestInterceptor {
  constructor(private readonly cache: SessionCache) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      mergeMap((value: unknown) => from(this.cache.barrier().then(() => value))),
      catchError((error: unknown) =>
        from(this.cache.barrier()).pipe(mergeMap(() => throwError(() => error))),
      ),
    );
  }
}

/**
 * On every route that changes state (every POST, PATCH and DELETE; a unit spec checks it). Read
 * routes go without it: an interceptor costs every request it is on.
 */
export const WaitForSessionCaches = (): MethodDecorator & ClassDecorator =>
  UseInterceptors(SessionBarrierInterceptor);
