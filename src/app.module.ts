import { Module } from '@nestjs/common';
import { ConditionalModule } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthModule } from './auth/auth.module';
import { SessionCacheModule } from './auth/session-cache/session-cache.module';
import { ClientThrottlerGuard } from './rate-limit/client-throttler.guard';
import { RedisThrottlerStorage } from './rate-limit/redis-throttler.storage';
import { AppConfig } from './config/app-config.service';
import { CoreModule } from './core.module';
import { DevicesModule } from './devices/devices.module';
import { NotificationsWorkerModule } from './notifications/notifications-worker.module';
import { NotificationsModule } from './notifications/notifications.module';
import { UsersModule } from './users/users.module';
import { VerificationModule } from './verification/verification.module';

/** APP_ROLE=all (default) or api: the HTTP API; with `all` also the queue consumers. */
@Module({
  imports: [
    CoreModule,
    SessionCacheModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.http.rateLimitPerMinute }],
        storage: new RedisThrottlerStorage(config),
      }),
    }),
    NotificationsModule,
    ConditionalModule.registerWhen(
      NotificationsWorkerModule,
      (env) => (env.APP_ROLE ?? 'all') === 'all',
    ),
    UsersModule,
    DevicesModule,
    VerificationModule,
    AuthModule,
  ],
  providers: [{ provide: APP_GUARD, useClass: ClientThrottlerGuard }],
})
export class AppModule {}
