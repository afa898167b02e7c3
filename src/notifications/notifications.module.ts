import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.service';
import { MESSAGES_QUEUE } from './notifications.constants';
import { NotificationsService } from './notifications.service';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxRelay } from './outbox.relay';
import { PayloadCipher } from './payload-cipher';
import { SmsLimitsService } from './sms-limits.service';
import { createRedisClient } from '../common/redis';

/** Producer side of messages: the outbox, the queue and the relay. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        return {
          prefix: config.redis.prefix,
          // Bull needs blocking connections without a per-request retry limit.
          createClient: (type) =>
            createRedisClient(
              config.redis.url,
              type === 'client' ? {} : { maxRetriesPerRequest: null, enableReadyCheck: false },
            ),
        };
      },
    }),
    BullModule.registerQueue({ name: MESSAGES_QUEUE }),
    TypeOrmModule.forFeature([OutboxMessage]),
  ],
  providers: [PayloadCipher, NotificationsService, OutboxRelay, SmsLimitsService],
  exports: [NotificationsService, PayloadCipher, SmsLimitsService, BullModule, TypeOrmModule],
})
export class NotificationsModule {}
