import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { VerificationModule } from '../verification/verification.module';
import { AccountAdminGuard } from '../administration/account-admin.guard';
import { AccountController } from '../administration/account.controller';
import { Account } from './account.entity';
import { AccountSettingsService } from '../administration/account-settings.service';
import { AccountUsersService } from '../administration/account-users.service';
import { AccountsController } from './sign-up/sign-up.controller';
import { LinkToken } from './link-tokens/link-token.entity';
import { LinkTokensService } from './link-tokens/link-tokens.service';
import { LoginThrottleService } from '../auth/login/login-throttle.service';
import { MeController } from '../profile/me.controller';
import { PasswordHasher } from '../auth/login/password-hasher.service';
import { PhoneVerificationService } from '../profile/phone-verification.service';
import { ProfileService } from '../profile/profile.service';
import { ReauthenticationService } from '../auth/passwords/reauthentication.service';
import { SecurityEvent } from './events/security-event.entity';
import { SecurityEventsService } from './events/security-events.service';
import { User } from './user.entity';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Account, User, LinkToken, SecurityEvent]),
    NotificationsModule,
    VerificationModule,
  ],
  controllers: [AccountsController, MeController, AccountController],
  providers: [
    UsersService,
    LinkTokensService,
    PasswordHasher,
    SecurityEventsService,
    LoginThrottleService,
    ReauthenticationService,
    ProfileService,
    PhoneVerificationService,
    AccountSettingsService,
    AccountUsersService,
    AccountAdminGuard,
  ],
  exports: [
    UsersService,
    LinkTokensService,
    PasswordHasher,
    SecurityEventsService,
    LoginThrottleService,
    ReauthenticationService,
  ],
})
export class UsersModule {}
