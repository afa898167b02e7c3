import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { VerificationModule } from '../verification/verification.module';
import { AccountAdminGuard } from './account-admin.guard';
import { AccountInvitations } from './account-invitations.service';
import { AccountSettingsService } from './account-settings.service';
import { AccountUsersService } from './account-users.service';
import { AccountUsersController } from './account-users.controller';
import { AccountController } from './account.controller';

/**
 * Account administration (/account, owner and admins): settings, invitations and the account's
 * users. It owns no table; it asks the users module by name.
 */
@Module({
  imports: [UsersModule, VerificationModule, AuthModule, NotificationsModule],
  controllers: [AccountController, AccountUsersController],
  providers: [AccountAdminGuard, AccountSettingsService, AccountInvitations, AccountUsersService],
})
export class AdministrationModule {}
