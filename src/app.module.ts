import { Module } from '@nestjs/common';
import { ConditionalModule } from '@nestjs/config';
import { AdministrationModule } from './administration/administration.module';
import { AuthModule } from './auth/auth.module';
import { CoreModule } from './core.module';
import { NotificationsWorkerModule } from './notifications/notifications-worker.module';
import { ProfileModule } from './profile/profile.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { UsersModule } from './users/users.module';

/**
 * APP_ROLE=all (default) or api: the HTTP API; with `all` also the queue consumers. The modules
 * that own tables (users, devices, verification, auth, notifications) come in through the
 * ones that serve routes.
 */
@Module({
  imports: [
    CoreModule,
    RateLimitModule,
    UsersModule,
    AuthModule,
    ProfileModule,
    AdministrationModule,
    ConditionalModule.registerWhen(
      NotificationsWorkerModule,
      (env) => (env.APP_ROLE ?? 'all') === 'all',
    ),
  ],
})
export class AppModule {}
