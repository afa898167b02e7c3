import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { Account } from './account.entity';
import { AccountsService } from './accounts.service';
import { SecurityEvent } from './events/security-event.entity';
import { SecurityEventsService } from './events/security-events.service';
import { InvitationsService } from './invitations.service';
import { LinkToken } from './link-tokens/link-token.entity';
import { LinkTokensService } from './link-tokens/link-tokens.service';
import { SignUpController } from './sign-up/sign-up.controller';
import { SignUpService } from './sign-up/sign-up.service';
import { SignupEnabledGuard } from './sign-up/signup-enabled.guard';
import { User } from './user.entity';
import { UsersService } from './users.service';

/**
 * Users and accounts: the only writer of `users`, `accounts`, `link_tokens` and
 * `security_events`. Other modules change them by asking these services by name.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Account, User, LinkToken, SecurityEvent]),
    NotificationsModule,
  ],
  controllers: [SignUpController],
  providers: [
    UsersService,
    AccountsService,
    InvitationsService,
    LinkTokensService,
    SecurityEventsService,
    SignUpService,
    SignupEnabledGuard,
  ],
  exports: [
    UsersService,
    AccountsService,
    InvitationsService,
    LinkTokensService,
    SecurityEventsService,
  ],
})
export class UsersModule {}
