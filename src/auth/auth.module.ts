import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DevicesModule } from '../devices/devices.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { LogoutService } from './logout.service';
import { PasswordSetupService } from './password-setup.service';
import { Session } from './session.entity';
import { SessionGuard } from './session.guard';
import { SessionsService } from './sessions.service';
import { SignInService } from './sign-in.service';
import { ThrottleCounter } from './throttle-counter.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([Session, ThrottleCounter]),
    UsersModule,
    DevicesModule,
    NotificationsModule,
  ],
  controllers: [AuthController],
  providers: [
    SessionsService,
    SignInService,
    PasswordSetupService,
    LogoutService,
    { provide: APP_GUARD, useClass: SessionGuard },
  ],
  exports: [SessionsService],
})
export class AuthModule {}
