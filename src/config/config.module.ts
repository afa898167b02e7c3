import { Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config.service';
import { ENVIRONMENT_KEYS, EnvironmentVariables, validateEnvironment } from './environment';

@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      cache: true,
      envFilePath: '.env',
      validate: validateEnvironment,
    }),
  ],
  providers: [
    {
      provide: AppConfig,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>): AppConfig => {
        const values = {} as Record<string, unknown>;
        for (const key of ENVIRONMENT_KEYS) values[key] = config.get(key, { infer: true });
        return new AppConfig(values as unknown as EnvironmentVariables);
      },
    },
  ],
  exports: [AppConfig],
})
export class AppConfigModule {}
