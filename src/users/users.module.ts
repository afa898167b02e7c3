import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { VerificationModule } from '../verification/verification.module';
import { AccountAdminGuard } from './account-admin.guard';
import { AccountController } from './account.controller';
import { Account } from './account.entity';
import { AccountSettingsService } from './account-settings.service';
import { AccountUsersService } from './account-users.service';
import { AccountsController } from './accounts.controller';
import { LinkToken } from './link-token.entity';
import { LinkTokensService } from './link-tokens.service';
import { LoginThrottleService } from './login-throttle.service';
import { MeController } from './me.controller';
import { PasswordHasher } from './password-hasher.service';
import { PhoneVerificationService } from './phone-verification.service';
import { ProfileService } from './profile.service';
import { ReauthenticationService } from './reauthentication.service';
import { SecurityEvent } from './security-event.entity';
import { SecurityEventsService } from './security-events.service';
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
