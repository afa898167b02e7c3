import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { isLocale } from '../common/locale';
import { AppConfig } from '../config/app-config.service';
import { MetricsService } from '../metrics/metrics.service';
import { OutboxMessage } from './outbox-message.entity';
import { PayloadCipher } from './payload-cipher';
import { renderTemplate, TemplateName, TemplateVariables } from './templates';
import { MailTransport, SmsTransport } from './transport.interfaces';

export type DeliveryOutcome = 'sent' | 'skipped';

/** The worker side: decrypts an outbox message, renders it and hands it to its transport. */
@Injectable()
export class MessageDeliveryService {
  constructor(
    @InjectRepository(OutboxMessage) private readonly outbox: Repository<OutboxMessage>,
    private readonly cipher: PayloadCipher,
    private readonly mail: MailTransport,
    private readonly sms: SmsTransport,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  async deliver(messageId: string, attempt: number): Promise<DeliveryOutcome> {
    const message = await this.outbox.findOneBy({ id: messageId });
    if (!message || message.status !== 'pending' || !message.payload) return 'skipped';
    // The attempt is counted beside the send, not before it: a login code does not wait for a
    // commit (a WAL flush) before it leaves.
    const counted = this.outbox.update({ id: messageId }, { attempts: attempt });
    try {
      const { template, variables, locale } = this.cipher.decrypt(message.payload, message.id) as {
        template: TemplateName;
        variables: TemplateVariables[TemplateName];
        locale?: unknown;
      };
      // Messages written without a locale (or with one this version does not know) go in the
      // DEFAULT_LOCALE.
      const language = isLocale(locale) ? locale : this.config.defaultLocale;
      const rendered = renderTemplate(template, language, variables);
      if (message.channel === 'email') {
        await this.mail.send({ to: message.recipient, ...rendered });
      } else {
        await this.sms.send({ to: message.recipient, text: rendered.text });
      }
    } finally {
      await counted;
    }
    // Sent: the payload (code or link) is wiped.
    await this.outbox.update(
      { id: messageId, status: 'pending' },
      { status: 'sent', sentAt: new Date(), payload: null, lastError: null },
    );
    this.metrics.recordCodeMessage(message.template, message.channel, 'sent');
    return 'sent';
  }

  /** No more attempts: the failure is recorded and the payload wiped. */
  async markFailed(messageId: string, reason: string): Promise<void> {
    const message = await this.outbox.findOneBy({ id: messageId, status: 'pending' });
    const result = await this.outbox.update(
      { id: messageId, status: 'pending' },
      { status: 'failed', payload: null, lastError: reason.slice(0, 500) },
    );
    if (message && result.affected) {
      this.metrics.recordCodeMessage(message.template, message.channel, 'failed');
    }
  }

  async recordError(messageId: string, reason: string): Promise<void> {
    await this.outbox.update(
      { id: messageId, status: 'pending' },
      { lastError: reason.slice(0, 500) },
    );
  }
}
