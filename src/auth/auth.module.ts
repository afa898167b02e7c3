import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PassportModule } from '@nestjs/passport';
import { DevicesModule } from '../devices/devices.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { VerificationModule } from '../verification/verification.module';
import { CodeAttemptsService } from './code-attempts.service';
import { LocalStrategy } from './local.strategy';
import { LoginController } from './login.controller';
import { LoginService } from './login.service';
import { AuthController } from './auth.controller';
import { LogoutService } from './logout.service';
import { PasswordChangeService } from './password-change.service';
import { PasswordController } from './password.controller';
import { PasswordResetService } from './password-reset.service';
import { PasswordSetupService } from './password-setup.service';
import { Session } from './session.entity';
import { SessionGuard } from './session.guard';
import { SessionsService } from './sessions.service';
import { SignInService } from './sign-in.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Session]),
    UsersModule,
    DevicesModule,
    VerificationModule,
    NotificationsModule,
    PassportModule,
  ],
  controllers: [AuthController, LoginController, PasswordController],
  providers: [
    SessionsService,
    SignInService,
    PasswordSetupService,
    PasswordChangeService,
    PasswordResetService,
    LogoutService,
    LoginService,
    CodeAttemptsService,
    LocalStrategy,
    { provide: APP_GUARD, useClass: SessionGuard },
  ],
  exports: [SessionsService],
})
export class AuthModule {}
