import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config.service';
import { ClientThrottlerGuard } from './client-throttler.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** RATE_LIMIT_PER_MINUTE per client IP over every route, counted in Redis across instances. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.http.rateLimitPerMinute }],
        storage: new RedisThrottlerStorage(config),
      }),
    }),
  ],
  providers: [ClientThrottlerGuard, { provide: APP_GUARD, useExisting: ClientThrottlerGuard }],
  exports: [ClientThrottlerGuard],
})
export class RateLimitModule {}
