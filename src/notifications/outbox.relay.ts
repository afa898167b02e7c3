import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, LessThan, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { NotificationsService } from './notifications.service';
import { OutboxMessage } from './outbox-message.entity';

const BATCH = 200;
/**
 * A pending message handed over this long ago is handed over again: Redis may have restarted
 * without its data. While the job still exists, the same job id makes this a no-op.
 */
const REDISPATCH_AFTER_MS = 60_000;
const FRESH_MS = 2_000;

/**
 * Hands over outbox messages that did not reach the queue (Redis down, process stopped between
 * commit and enqueue, Redis restarted without persistence). Runs in every instance; the job id
 * makes a double hand-over harmless.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @InjectRepository(OutboxMessage) private readonly outbox: Repository<OutboxMessage>,
    private readonly notifications: NotificationsService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running)
        this.running = this.relayOnce()
          .then(() => undefined)
          .finally(() => (this.running = undefined));
    }, this.config.queue.relayIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async relayOnce(): Promise<number> {
    const now = Date.now();
    const due = await this.outbox
      .createQueryBuilder('m')
      .select(['m.id'])
      .where('m.status = :pending', { pending: 'pending' })
      .andWhere(
        new Brackets((q) =>
          q
            .where('m.enqueuedAt IS NULL AND m.createdAt < :fresh', {
              fresh: new Date(now - FRESH_MS),
            })
            .orWhere({ enqueuedAt: LessThan(new Date(now - REDISPATCH_AFTER_MS)) }),
        ),
      )
      .orderBy('m.createdAt', 'ASC')
      .limit(BATCH)
      .getMany()
      .catch((error: Error) => {
        this.logger.warn(`Outbox scan failed: ${error.message}`);
        return [];
      });
    let handed = 0;
    for (const { id } of due) {
      if (!(await this.notifications.enqueue(id))) break;
      handed += 1;
    }
    if (handed) this.logger.log(`Handed ${handed} outbox message(s) to the queue`);
    return handed;
  }
}
