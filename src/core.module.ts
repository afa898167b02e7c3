import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams } from './common/logging';
import { createRedisClient } from './common/redis';
import { AppConfig } from './config/app-config.service';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';

/**
 * What every role needs: settings, structured logs, the database (with migrations), the queue's
 * Redis, health, metrics.
 */
@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => loggerParams(config.logLevel),
    }),
    DatabaseModule,
    // The queue's Redis, for every role (producers and consumers register their queues).
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        prefix: config.redis.prefix,
        // Bull needs blocking connections without a per-request retry limit.
        createClient: (type) =>
          createRedisClient(
            config.redis.url,
            type === 'client' ? {} : { maxRetriesPerRequest: null, enableReadyCheck: false },
          ),
      }),
    }),
    HealthModule,
    MetricsModule,
  ],
  exports: [HealthModule],
})
export class CoreModule {}
