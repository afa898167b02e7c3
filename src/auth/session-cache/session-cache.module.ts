import { Global, Module } from '@nestjs/common';
import { SessionBarrierInterceptor } from './session-barrier.interceptor';
import { SessionCache } from './session-cache.service';

/** The per-instance session cache and the barrier of changing routes, for every API module. */
@Global()
@Module({
  providers: [SessionCache, SessionBarrierInterceptor],
  exports: [SessionCache, SessionBarrierInterceptor],
})
export class SessionCacheModule {}
