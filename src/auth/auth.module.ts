import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DevicesModule } from '../devices/devices.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { VerificationModule } from '../verification/verification.module';
import { AccountLockout } from './login/account-lockout.service';
import { CodeLoginService } from './login/code-login.service';
import { LocalStrategy } from './login/local.strategy';
import { LoginThrottleService } from './login/login-throttle.service';
import { LoginController } from './login/login.controller';
import { LoginService } from './login/login.service';
import { PasswordHasher } from './login/password-hasher.service';
import { SignInService } from './login/sign-in.service';
import { NewPasswords } from './passwords/new-passwords.service';
import { PasswordChangeService } from './passwords/password-change.service';
import { PasswordChangedNotice } from './passwords/password-changed.notice';
import { PasswordResetConfirmation } from './passwords/password-reset-confirmation.service';
import { PasswordResetRequests } from './passwords/password-reset-requests.service';
import { PasswordSetupService } from './passwords/password-setup.service';
import { PasswordController } from './passwords/password.controller';
import { ReauthenticationService } from './passwords/reauthentication.service';
import { SessionCacheModule } from './session-cache/session-cache.module';
import { CredentialsRevocation } from './sessions/credentials-revocation.service';
import { LogoutController } from './sessions/logout.controller';
import { LogoutService } from './sessions/logout.service';
import { Session } from './sessions/session.entity';
import { SessionGuard } from './sessions/session.guard';
import { SessionsService } from './sessions/sessions.service';

/**
 * Login (password step, login policy, sign-in, lockout), passwords (set, reset, change, rules,
 * re-authentication) and sessions (the global session guard, logout, revocation, the session
 * cache). The only writer of `sessions`.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Session]),
    PassportModule,
    SessionCacheModule,
    UsersModule,
    DevicesModule,
    VerificationModule,
    NotificationsModule,
  ],
  controllers: [LoginController, PasswordController, LogoutController],
  providers: [
    SessionGuard,
    { provide: APP_GUARD, useExisting: SessionGuard },
    SessionsService,
    CredentialsRevocation,
    LogoutService,
    LocalStrategy,
    LoginThrottleService,
    PasswordHasher,
    LoginService,
    CodeLoginService,
    SignInService,
    AccountLockout,
    NewPasswords,
    PasswordChangedNotice,
    PasswordSetupService,
    PasswordChangeService,
    PasswordResetRequests,
    PasswordResetConfirmation,
    ReauthenticationService,
  ],
  exports: [ReauthenticationService, CredentialsRevocation, SessionGuard],
})
export class AuthModule {}
