import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PassportModule } from '@nestjs/passport';
import { DevicesModule } from '../devices/devices.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { VerificationModule } from '../verification/verification.module';
import { CodeAttemptsService } from '../verification/attempts/code-attempts.service';
import { LocalStrategy } from './login/local.strategy';
import { LoginController } from './login/login.controller';
import { LoginService } from './login/login.service';
import { AuthController } from './auth.controller';
import { LogoutService } from './sessions/logout.service';
import { PasswordChangeService } from './passwords/password-change.service';
import { PasswordController } from './passwords/password.controller';
import { PasswordResetService } from './passwords/password-reset.service';
import { PasswordSetupService } from './passwords/password-setup.service';
import { Session } from './sessions/session.entity';
import { SessionGuard } from './sessions/session.guard';
import { SessionsService } from './sessions/sessions.service';
import { SignInService } from './login/sign-in.service';

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
