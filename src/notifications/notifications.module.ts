import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MESSAGES_QUEUE } from './notifications.constants';
import { NotificationsService } from './notifications.service';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxRelay } from './outbox.relay';
import { PayloadCipher } from './payload-cipher';
import { QueueMetrics } from './queue-metrics';
import { SmsLimitsService } from './sms-limits.service';

/**
 * Producer side of messages: the outbox (the only writer of `outbox_messages`), the queue and the
 * relay. Other modules write messages through NotificationsService, in their unit of work.
 */
@Module({
  imports: [
    BullModule.registerQueue({ name: MESSAGES_QUEUE }),
    TypeOrmModule.forFeature([OutboxMessage]),
  ],
  providers: [PayloadCipher, NotificationsService, OutboxRelay, SmsLimitsService, QueueMetrics],
  exports: [NotificationsService, SmsLimitsService, PayloadCipher, BullModule],
})
export class NotificationsModule {}
