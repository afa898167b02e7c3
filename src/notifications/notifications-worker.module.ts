import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.service';
import { LocalDelivery } from './local-delivery.service';
import { LogMailTransport, LogSmsTransport } from './log.transport';
import { MessageDeliveryService } from './message-delivery.service';
import { NotificationsModule } from './notifications.module';
import { NotificationsProcessor } from './notifications.processor';
import { OutboxMessage } from './outbox-message.entity';
import { SmsWebhookTransport } from './sms-webhook.transport';
import { SmtpMailTransport } from './smtp-mail.transport';
import { MailTransport, SmsTransport } from './transport.interfaces';
import { TwilioSmsTransport } from './twilio-sms.transport';

/** Consumer side of messages: the Bull processor and the transports (APP_ROLE all or worker). */
@Module({
  imports: [NotificationsModule, TypeOrmModule.forFeature([OutboxMessage])],
  providers: [
    NotificationsProcessor,
    MessageDeliveryService,
    LocalDelivery,
    {
      provide: MailTransport,
      inject: [AppConfig],
      useFactory: (config: AppConfig): MailTransport =>
        config.mail.smtpUrl
          ? new SmtpMailTransport(config.mail.smtpUrl, config.mail.from)
          : new LogMailTransport(config.mail.logDir),
    },
    {
      provide: SmsTransport,
      inject: [AppConfig],
      useFactory: (config: AppConfig): SmsTransport => {
        const { sms } = config;
        switch (sms.provider) {
          case 'webhook':
            return new SmsWebhookTransport(sms.webhookUrl!, sms.webhookToken, sms.timeoutMs);
          case 'twilio':
            return new TwilioSmsTransport(
              sms.twilio.apiUrl,
              sms.twilio.accountSid!,
              sms.twilio.authToken!,
              sms.twilio.from!,
              sms.timeoutMs,
            );
          default:
            return new LogSmsTransport(config.mail.logDir);
        }
      },
    },
  ],
})
export class NotificationsWorkerModule {}
