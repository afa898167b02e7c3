import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { MetricsService } from '../metrics/metrics.service';
import { DELIVER_JOB, MESSAGES_QUEUE } from './notifications.constants';
import { MessageDeliveryService } from './message-delivery.service';
import { PermanentDeliveryError } from './transport.interfaces';

interface DeliverJobData {
  messageId: string;
}

/**
 * Unpacks delivery jobs and delegates. Errors are rethrown so that Bull retries with backoff;
 * permanent failures are discarded; when attempts run out the failure is recorded.
 */
@Processor(MESSAGES_QUEUE)
export class NotificationsProcessor {
  private readonly logger = new Logger('NotificationsProcessor');

  constructor(
    private readonly delivery: MessageDeliveryService,
    private readonly metrics: MetricsService,
  ) {}

  @Process({ name: DELIVER_JOB, concurrency: 8 })
  async deliver(job: Job<DeliverJobData>): Promise<void> {
    const started = process.hrtime.bigint();
    const attempt = job.attemptsMade + 1;
    const log = (outcome: string): void =>
      this.logger.log(
        {
          job: {
            id: job.id,
            name: job.name,
            attempt,
            durationMs: Number(process.hrtime.bigint() - started) / 1e6,
            outcome,
          },
        },
        `Job ${job.name} ${job.id} attempt ${attempt}: ${outcome}`,
      );
    try {
      const outcome = await this.delivery.deliver(job.data.messageId, attempt);
      log(outcome);
    } catch (error) {
      log(`error: ${(error as Error).message}`);
      if (error instanceof PermanentDeliveryError) await job.discard();
      throw error;
    }
  }

  @OnQueueFailed()
  async onFailed(job: Job<DeliverJobData>, error: Error): Promise<void> {
    const permanent = error instanceof PermanentDeliveryError;
    const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
    this.metrics.recordJobFailure(
      MESSAGES_QUEUE,
      permanent ? 'permanent' : exhausted ? 'exhausted' : 'retrying',
    );
    if (permanent || exhausted) {
      await this.delivery.markFailed(job.data.messageId, error.message);
      this.logger.warn(`Message ${job.data.messageId} failed for good: ${error.message}`);
    } else {
      await this.delivery.recordError(job.data.messageId, error.message);
    }
  }
}
