import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { Brackets, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { MessageDeliveryService } from './message-delivery.service';
import { MESSAGES_QUEUE } from './notifications.constants';
import { NotificationsService } from './notifications.service';
import { OutboxMessage } from './outbox-message.entity';
import { PermanentDeliveryError } from './transport.interfaces';

const TICK_MS = 1000;
const BATCH = 20;
/** A message claimed this long ago and still pending is tried again. */
const CLAIM_MS = 60_000;

/**
 * Development on a machine without Redis (`npm start` on a laptop): while the queue's Redis does
 * not answer, messages are delivered from the outbox by this process itself, so sign-up and
 * login emails still arrive. Only outside production and with APP_ROLE=all; in production the
 * outbox waits for Redis and the workers, and whenever Redis answers Bull is the path.
 */
@Injectable()
export class LocalDelivery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LocalDelivery');
  private readonly enabled: boolean;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private active = false;

  constructor(
    @InjectQueue(MESSAGES_QUEUE) private readonly queue: Queue,
    @InjectRepository(OutboxMessage) private readonly outbox: Repository<OutboxMessage>,
    private readonly notifications: NotificationsService,
    private readonly delivery: MessageDeliveryService,
    private readonly config: AppConfig,
  ) {
    this.enabled = !config.production && config.role === 'all';
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => this.kick(), TICK_MS);
    this.timer.unref();
    // A message that could not be queued is delivered at once, not at the next tick.
    this.notifications.onNotQueued(() => this.kick());
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private kick(): void {
    this.running ??= this.deliverPending()
      .catch((error: Error) => this.logger.warn(`In-process delivery failed: ${error.message}`))
      .finally(() => (this.running = undefined));
  }

  private async deliverPending(): Promise<void> {
    if (this.queue.client.status === 'ready') {
      if (this.active) this.logger.log('Redis answers again: messages go through the queue');
      this.active = false;
      return;
    }
    if (!this.active) {
      this.logger.warn(
        'Redis does not answer: delivering messages from this process until it does (development only)',
      );
      this.active = true;
    }
    for (const message of await this.due()) {
      if (await this.claim(message.id)) await this.deliverOne(message);
    }
  }

  private due(): Promise<OutboxMessage[]> {
    return this.outbox
      .createQueryBuilder('m')
      .select(['m.id', 'm.attempts'])
      .where('m.status = :pending', { pending: 'pending' })
      .andWhere(
        new Brackets((q) =>
          q
            .where('m.enqueuedAt IS NULL')
            .orWhere('m.enqueuedAt < :cutoff', { cutoff: new Date(Date.now() - CLAIM_MS) }),
        ),
      )
      .orderBy('m.createdAt', 'ASC')
      .limit(BATCH)
      .getMany();
  }

  /** Takes a message for this attempt (the relay leaves a claimed message alone meanwhile). */
  private async claim(id: string): Promise<boolean> {
    const result = await this.outbox
      .createQueryBuilder()
      .update(OutboxMessage)
      .set({ enqueuedAt: new Date() })
      .where('id = :id AND status = :pending', { id, pending: 'pending' })
      .andWhere('(enqueued_at IS NULL OR enqueued_at < :cutoff)', {
        cutoff: new Date(Date.now() - CLAIM_MS),
      })
      .execute();
    return result.affected === 1;
  }

  private async deliverOne(message: OutboxMessage): Promise<void> {
    const attempt = message.attempts + 1;
    try {
      await this.delivery.deliver(message.id, attempt);
    } catch (error) {
      const reason = (error as Error).message;
      if (error instanceof PermanentDeliveryError || attempt >= this.config.queue.maxAttempts) {
        await this.delivery.markFailed(message.id, reason);
        return;
      }
      await this.delivery.recordError(message.id, reason);
      // Released: the next tick tries it again.
      await this.outbox.update({ id: message.id, status: 'pending' }, { enqueuedAt: null });
    }
  }
}
