import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { Account } from './account.entity';
import { AccountsController } from './accounts.controller';
import { LinkToken } from './link-token.entity';
import { LinkTokensService } from './link-tokens.service';
import { MeController } from './me.controller';
import { PasswordHasher } from './password-hasher.service';
import { SecurityEvent } from './security-event.entity';
import { SecurityEventsService } from './security-events.service';
import { LoginThrottleService } from './login-throttle.service';
import { ThrottleCounter } from './throttle-counter.entity';
import { User } from './user.entity';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Account, User, LinkToken, SecurityEvent, ThrottleCounter]),
    NotificationsModule,
  ],
  controllers: [AccountsController, MeController],
  providers: [UsersService, LinkTokensService, PasswordHasher, SecurityEventsService, LoginThrottleService],
  exports: [UsersService, LinkTokensService, PasswordHasher, SecurityEventsService, LoginThrottleService],
})
export class UsersModule {}
