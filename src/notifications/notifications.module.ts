import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.service';
import { MESSAGES_QUEUE } from './notifications.constants';
import { NotificationsService } from './notifications.service';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxRelay } from './outbox.relay';
import { PayloadCipher } from './payload-cipher';
import { createRedisClient, RedisOutageReporter } from './redis-connection';

/** Producer side of messages: the outbox, the queue and the relay. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const reporter = new RedisOutageReporter(config.redis.url);
        return {
          prefix: config.redis.prefix,
          // Bull needs blocking connections without a per-request retry limit.
          createClient: (type) =>
            createRedisClient(
              config.redis.url,
              reporter,
              type === 'client' ? {} : { maxRetriesPerRequest: null, enableReadyCheck: false },
            ),
        };
      },
    }),
    BullModule.registerQueue({ name: MESSAGES_QUEUE }),
    TypeOrmModule.forFeature([OutboxMessage]),
  ],
  providers: [PayloadCipher, NotificationsService, OutboxRelay],
  exports: [NotificationsService, PayloadCipher, BullModule, TypeOrmModule],
})
export class NotificationsModule {}
