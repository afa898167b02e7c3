import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { Locale } from '../common/locale';
import { AppConfig } from '../config/app-config.service';
import { Database, Tx } from '../database/database.service';
import { DELIVER_JOB, deliverJobOptions, MESSAGES_QUEUE } from './notifications.constants';
import { MessageChannel, OutboxMessage } from './outbox-message.entity';
import { PayloadCipher } from './payload-cipher';
import { TemplateName, TemplateVariables } from './templates';

export interface OutgoingMessage<K extends TemplateName = TemplateName> {
  channel: MessageChannel;
  to: string;
  template: K;
  variables: TemplateVariables[K];
  /**
   * The recipient's language (a user's `locale`). It travels in the sealed payload; the worker
   * writes in DEFAULT_LOCALE only for an outbox message that has none it knows.
   */
  locale: Locale;
  userId?: string | null;
  accountId?: string | null;
}

export type DeliveryState = 'queued' | 'sent' | 'failed';

const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * The producer side of notifications. A message is first written to the outbox, in the caller's
 * transaction, then handed to the Bull queue after commit. Nothing here waits for SMTP or an SMS
 * gateway; if Redis is down the outbox relay hands the message over once it is back.
 */
@Injectable()
export class NotificationsService implements OnApplicationShutdown {
  private readonly logger = new Logger('Notifications');
  private readonly inFlight = new Set<Promise<void>>();
  private readonly notQueuedListeners: (() => void)[] = [];

  constructor(
    @InjectRepository(OutboxMessage) private readonly outbox: Repository<OutboxMessage>,
    @InjectQueue(MESSAGES_QUEUE) private readonly queue: Queue,
    private readonly cipher: PayloadCipher,
    private readonly db: Database,
    private readonly config: AppConfig,
  ) {
    // Connection errors are reported once per outage by the Redis clients themselves.
    this.queue.on('error', () => undefined);
  }

  /** Writes the message to the outbox within `manager`'s transaction; returns its id. */
  async write<K extends TemplateName>(tx: Tx, message: OutgoingMessage<K>): Promise<string> {
    const row = tx.create(OutboxMessage, {
      channel: message.channel,
      template: message.template,
      recipient: message.to,
      userId: message.userId ?? null,
      accountId: message.accountId ?? null,
      status: 'pending',
    });
    row.id = randomUUID();
    row.payload = this.cipher.encrypt(
      { template: message.template, variables: message.variables, locale: message.locale },
      row.id,
    );
    await tx.insert(OutboxMessage, row);
    // Handed to the queue once the unit of work commits (at once for a statement of its own).
    this.db.afterCommit(tx, () => this.dispatch(row.id));
    return row.id;
  }

  /** Called when a dispatched message could not be handed to the queue (it stays in the outbox). */
  onNotQueued(listener: () => void): void {
    this.notQueuedListeners.push(listener);
  }

  /** Hands committed outbox messages to the queue without making the caller wait for Redis. */
  private dispatch(...messageIds: string[]): void {
    for (const id of messageIds) {
      const task: Promise<void> = this.enqueue(id)
        .then((queued) => {
          if (!queued) for (const listener of this.notQueuedListeners) listener();
        })
        .finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
    }
  }

  async deliveryState(messageId: string | null): Promise<DeliveryState> {
    if (!messageId) return 'queued';
    const row = await this.outbox.findOne({
      where: { id: messageId },
      select: { id: true, status: true },
    });
    if (row?.status === 'sent') return 'sent';
    if (row?.status === 'failed') return 'failed';
    return 'queued';
  }

  /**
   * Adds the delivery job (idempotent: the job id is the message id). While Redis is down nothing
   * is attempted: the message stays in the outbox and the relay hands it over later.
   */
  async enqueue(messageId: string): Promise<boolean> {
    if (this.queue.client.status !== 'ready') return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('the queue did not answer in time')),
          ENQUEUE_TIMEOUT_MS,
        );
      });
      await Promise.race([
        this.queue.add(
          DELIVER_JOB,
          { messageId },
          deliverJobOptions(messageId, this.config.queue.maxAttempts, this.config.queue.backoffMs),
        ),
        timeout,
      ]);
      await this.outbox.update({ id: messageId, status: 'pending' }, { enqueuedAt: new Date() });
      return true;
    } catch (error) {
      this.logger.warn(
        `Message ${messageId} stays in the outbox for now: ${(error as Error).message}`,
      );
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
