import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams } from './common/logging';
import { AppConfig } from './config/app-config.service';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';

/** What every role needs: settings, structured logs, the database (with migrations), health, metrics. */
@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => loggerParams(config.logLevel) }),
    DatabaseModule,
    HealthModule,
    MetricsModule,
  ],
  exports: [HealthModule],
})
export class CoreModule {}
