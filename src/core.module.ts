import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams } from './common/logging';
import { AppConfig } from './config/app-config.service';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';

/** What every role needs: settings, structured logs, the database (with migrations) and health. */
@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => loggerParams(config.logLevel) }),
    DatabaseModule,
    HealthModule,
  ],
  exports: [HealthModule],
})
export class CoreModule {}
